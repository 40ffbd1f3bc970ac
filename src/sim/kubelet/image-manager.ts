/**
 * The kubelet's image manager (k/k pkg/kubelet/images/image_manager.go EnsureImageExists): pull
 * policy, the node's image store, the image-pull back-off and the pull's events and errors
 * (containerd's texts, section 8). kubernetes-semantics.md section 8.
 */
import type { Image } from '../../model/runtime.ts';
import type { Wait } from '../engine.ts';
import { isSimulatedRepository, knownButNotSimulated, repositoryOf } from '../runtime/index.ts';
import { goDuration } from '../util.ts';
import { Backoff } from './backoff.ts';
import type { KubeletContext } from './context.ts';
import type { ContainerRt, PodRt } from './types.ts';

/** What EnsureImageExists found: the image, a start failure (waiting reason), or the Pod stopped meanwhile. */
export type EnsureImageResult =
  | { kind: 'ready'; image: Image | undefined }
  | { kind: 'failed'; reason: string; message: string }
  | { kind: 'stopped' };

/** The node's images and their pulls. */
export class ImageManager {
  /** Back-off of failed pulls, per Pod and image (image_manager.go backOff key `<podUID>_<image>`). */
  readonly pullBackoff = new Backoff();
  /** Images present on the node (pulled once). */
  readonly nodeImages = new Set<string>();

  constructor(private readonly ctx: KubeletContext) {}

  /** Pulls container `c`'s image if its pull policy asks for it; the events as the kubelet records them. */
  *ensureImageExists(p: PodRt, c: ContainerRt): Generator<Wait, EnsureImageResult, void> {
    const ctx = this.ctx;
    const ref = c.spec.image;
    const image = ctx.h.resolveImage(ref);
    const present = this.nodeImages.has(ref);
    if (c.spec.imagePullPolicy === 'Never' && !present) {
      const msg = `Container image "${ref}" is not present with pull policy of Never`;
      ctx.event(p, c, 'Warning', 'ErrImageNeverPull', msg);
      ctx.event(p, c, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
      return { kind: 'failed', reason: 'ErrImageNeverPull', message: msg };
    }
    if (c.spec.imagePullPolicy !== 'Always' && present) {
      ctx.event(p, c, 'Normal', 'Pulled', `Container image "${ref}" already present on machine`);
      return { kind: 'ready', image };
    }
    const pullKey = `${p.uid}_${ref}`;
    if (this.pullBackoff.isInBackOffSinceUpdate(pullKey, ctx.now)) {
      const msg = `Back-off pulling image "${ref}"`;
      ctx.event(p, c, 'Normal', 'BackOff', msg);
      ctx.event(p, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
      return { kind: 'failed', reason: 'ImagePullBackOff', message: msg };
    }
    ctx.event(p, c, 'Normal', 'Pulling', `Pulling image "${ref}"`);
    const began = ctx.now;
    const pullMs = Math.max(0, ctx.h.options.cluster.imagePullMs);
    if (pullMs > 0) yield { until: ctx.now + pullMs };
    if (p.deletionTimestamp !== undefined || p.terminalPhase) return { kind: 'stopped' };
    if (!image) {
      const err = pullError(ref);
      ctx.event(p, c, 'Warning', 'Failed', `Failed to pull image "${ref}": ${err}`);
      ctx.event(p, c, 'Warning', 'Failed', 'Error: ErrImagePull');
      this.pullBackoff.next(pullKey, ctx.now, ctx.now);
      return { kind: 'failed', reason: 'ErrImagePull', message: err };
    }
    this.nodeImages.add(ref);
    const d = goDuration(ctx.now - began);
    const size = image.sizeBytes ?? 0;
    ctx.event(
      p,
      c,
      'Normal',
      'Pulled',
      `Successfully pulled image "${ref}" in ${d} (${d} including waiting). Image size: ${size} bytes.`,
    );
    return { kind: 'ready', image };
  }
}

/** Registries that exist on the Internet (an unknown host fails in DNS instead). */
const KNOWN_REGISTRIES = new Set([
  'docker.io',
  'registry-1.docker.io',
  'registry.k8s.io',
  'k8s.gcr.io',
  'gcr.io',
  'quay.io',
  'ghcr.io',
  'public.ecr.aws',
  'mcr.microsoft.com',
]);

/**
 * containerd's error for an image that cannot be pulled (section 8; the texts of containerd 1.7,
 * approximated — see docs/deviations.md): an unknown registry host fails in DNS, an unknown tag
 * of a known repository is `not found`, any other repository is `pull access denied`.
 */
export function pullError(ref: string): string {
  const full = normalizeRef(ref);
  const head = `failed to pull and unpack image "${full}": failed to resolve reference "${full}"`;
  const host = full.split('/')[0] ?? '';
  if (!KNOWN_REGISTRIES.has(host)) {
    const repo = full.slice(host.length + 1).replace(/[:@].*$/, '');
    const tag = /[:@]([^/]*)$/.exec(full.slice(host.length + 1))?.[1] ?? 'latest';
    return `${head}: failed to do request: Head "https://${host}/v2/${repo}/manifests/${tag}": dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`;
  }
  // A well-known repository that podlab does not simulate is never called nonexistent.
  if (knownButNotSimulated(ref) !== undefined)
    return `${head}: podlab does not simulate this image (the repository exists; see docs/runtime.md for the images podlab runs)`;
  // A repository of the built-in catalogue: a tag podlab does not know is "not found" there.
  const repository = repositoryOf(ref);
  if (repository !== undefined && isSimulatedRepository(repository)) return `${head}: ${full}: not found`;
  return `${head}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
}

/** docker.io normalisation of an image reference (`busybox` → `docker.io/library/busybox:latest`). */
export function normalizeRef(ref: string): string {
  let name = ref;
  let tag = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    tag = name.slice(at);
    name = name.slice(0, at);
  } else {
    const slash = name.lastIndexOf('/');
    const colon = name.lastIndexOf(':');
    if (colon > slash) {
      tag = `:${name.slice(colon + 1)}`;
      name = name.slice(0, colon);
    } else tag = ':latest';
  }
  const first = name.split('/')[0] ?? '';
  const hasRegistry =
    name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return `${name}${tag}`;
}
