/**
 * The image catalogue: which repositories podlab simulates, how a reference names one of them
 * (registry, `library/`, mirrors, tags, digests), and the images that are known to exist but are
 * not simulated (so that podlab never calls them nonexistent).
 */
import type { Image } from '../../model/runtime.ts';
import type { ImageDefinition } from '../../model/trace.ts';
import { memoize } from '../util.ts';
import { DISTRO_IMAGES } from './distros.ts';
import { busyboxImage, nginxImage, nginxTag, parseImageRef, scenarioImage } from './images.ts';
import { K8S_IMAGES } from './k8s-images.ts';
import { isKnownRepository } from './known-images.ts';
import { SERVER_IMAGES } from './server-images.ts';

/**
 * Old names of the Kubernetes community registry. k8s.gcr.io redirects to registry.k8s.io since
 * 2023 (kubernetes.io blog "k8s.gcr.io Redirect to registry.k8s.io", 2023-03-10); gcr.io's
 * google-containers project is the registry behind k8s.gcr.io (the docs' old examples use it).
 */
const MIRRORS: [string, string][] = [
  ['k8s.gcr.io/', 'registry.k8s.io/'],
  ['gcr.io/google-containers/', 'registry.k8s.io/'],
  ['gcr.io/google_containers/', 'registry.k8s.io/'],
  // Mirrors of Docker Hub's official images: Amazon ECR Public's docker/library namespace and
  // Google's Docker Hub cache (cloud.google.com/artifact-registry/docs/pull-cached-dockerhub-images).
  ['public.ecr.aws/docker/library/', 'docker.io/library/'],
  ['mirror.gcr.io/library/', 'docker.io/library/'],
];

/**
 * The repository a reference names, in full (`docker.io/library/busybox`, `registry.k8s.io/pause`),
 * with the Kubernetes registry's old names mapped to registry.k8s.io; undefined if malformed.
 */
export function repositoryOf(ref: string): string | undefined {
  const r = parseImageRef(ref);
  if (!r) return undefined;
  return canonicalRepository(r.name);
}

/** Full repository of a parsed name (`busybox`, `bitnami/redis`, `quay.io/x/y`). */
function canonicalRepository(name: string): string {
  const first = name.split('/')[0]!;
  const hasRegistry =
    name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) return name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  for (const [from, to] of MIRRORS) if (name.startsWith(from)) return to + name.slice(from.length);
  return name;
}

/** Builds a catalogue image for a reference and its tag; undefined: no such tag (`not found`). */
type Builder = (ref: string, tag: string | undefined) => Image | undefined;

/** Every simulated repository, by full name. */
const CATALOGUE: Record<string, Builder> = Object.assign(Object.create(null) as Record<string, Builder>, {
  'docker.io/library/busybox': (ref: string) => busyboxImage(ref),
  // registry.k8s.io/busybox (the docs' probe examples) and the e2e test images' busybox are
  // busybox builds too; podlab runs them with the same busybox 1.32 userland (docs/deviations.md).
  'registry.k8s.io/busybox': (ref: string) => busyboxImage(ref),
  'registry.k8s.io/e2e-test-images/busybox': (ref: string) => busyboxImage(ref),
  'docker.io/library/nginx': (ref: string, tag: string | undefined) => {
    const t = nginxTag(tag);
    return t ? nginxImage(ref, t.version, t.alpine, t.variant) : undefined;
  },
  ...K8S_IMAGES,
  ...DISTRO_IMAGES,
  ...SERVER_IMAGES,
});

/** The repositories podlab simulates, for messages (short names for Docker Hub's library). */
export function simulatedRepositories(): string[] {
  return Object.keys(CATALOGUE).map((r) => r.replace(/^docker\.io\/library\//, ''));
}

/** Whether podlab simulates this repository (any tag of it, or only some). */
export function isSimulatedRepository(repository: string): boolean {
  return Object.hasOwn(CATALOGUE, repository);
}

/**
 * The image for a reference, from the scenario's own images (exact reference) or the built-in
 * catalogue; undefined = cannot be pulled (ErrImagePull).
 */
export function resolveImage(
  ref: string,
  scenarioImages: Record<string, ImageDefinition>,
): Image | undefined {
  const own = Object.hasOwn(scenarioImages, ref) ? scenarioImages[ref] : undefined;
  return own ? scenarioImage(ref, own) : catalogueImage(ref);
}

/** A catalogue image depends on its reference alone and is immutable: built once per reference. */
const catalogueImage = memoize((ref): Image | undefined => {
  const r = parseImageRef(ref);
  if (!r) return undefined;
  const build = CATALOGUE[canonicalRepository(r.name)];
  return build ? build(ref, r.tag) : undefined;
}, 256);

/**
 * The full repository of a reference that names a well-known public repository podlab does not
 * simulate (and the lab does not define); undefined otherwise.
 */
export function knownButNotSimulated(
  ref: string,
  scenarioImages: Record<string, ImageDefinition> = {},
): string | undefined {
  if (Object.hasOwn(scenarioImages, ref)) return undefined;
  const repository = repositoryOf(ref);
  if (repository === undefined || isSimulatedRepository(repository)) return undefined;
  return isKnownRepository(repository) ? repository : undefined;
}
