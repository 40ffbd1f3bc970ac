/**
 * Warnings: things that pass in the simulator but bite on a real cluster
 * (kubernetes-semantics.md, sections 12 and 13). They never change a score.
 */
import type { Container, Pod } from '../src/model/k8s.ts';
import type { Warning } from '../src/model/source.ts';
import type { ImageDefinition, Trace } from '../src/model/trace.ts';
import { defaultPullPolicy, imageOf } from './adapters.ts';
import { simulatedImagesText } from './images.ts';

/** A submitted object with a way to find a field's line. */
export interface PositionedObject {
  object: { kind: string; metadata: { name: string; namespace: string } };
  raw: unknown;
  lineOf(path: string): number | undefined;
}

function get(raw: unknown, key: string): unknown {
  return raw !== null && typeof raw === 'object' && !Array.isArray(raw)
    ? (raw as Record<string, unknown>)[key]
    : undefined;
}

/** Parses `busybox:1.32.0` into name and tag; no tag and no digest gives tag undefined. */
function splitImage(ref: string): { name: string; tag?: string; digest: boolean } {
  const at = ref.indexOf('@');
  const noDigest = at === -1 ? ref : ref.slice(0, at);
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  const name = colon > slash ? noDigest.slice(0, colon) : noDigest;
  const tag = colon > slash ? noDigest.slice(colon + 1) : undefined;
  return {
    name: name.slice(name.lastIndexOf('/') + 1),
    ...(tag !== undefined ? { tag } : {}),
    digest: at !== -1,
  };
}

/** busybox >= 1.30 (or latest/untagged, which is newer) has the nslookup that ignores search domains reliably. */
function busyboxWithStrictNslookup(ref: string): boolean {
  const { name, tag } = splitImage(ref);
  if (name !== 'busybox') return false;
  if (tag === undefined || tag === 'latest' || /^(musl|glibc|uclibc|stable)$/.test(tag)) return true;
  const m = /^(\d+)\.(\d+)/.exec(tag);
  if (!m) return false;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > 1 || (major === 1 && minor >= 30);
}

const NOT_SIMULATED_POD = [
  'affinity',
  'nodeSelector',
  'tolerations',
  'securityContext',
  'priorityClassName',
  'hostNetwork',
  'hostPID',
  'hostIPC',
  'topologySpreadConstraints',
  'runtimeClassName',
  'serviceAccountName',
  'imagePullSecrets',
  'overhead',
  'readinessGates',
  'dnsConfig',
  'hostAliases',
];
/** Volume kinds the kubelet simulates (src/sim/kubelet/volumes.ts). */
const SIMULATED_VOLUMES = new Set(['emptyDir', 'configMap', 'secret']);

const NOT_SIMULATED_CONTAINER = [
  'resources',
  'securityContext',
  'stdin',
  'tty',
  'resizePolicy',
  'volumeDevices',
];

function containerList(raw: unknown): { field: string; list: unknown[] }[] {
  const spec = get(raw, 'spec');
  const out: { field: string; list: unknown[] }[] = [];
  for (const field of ['containers', 'initContainers']) {
    const list = get(spec, field);
    if (Array.isArray(list)) out.push({ field: `spec.${field}`, list });
  }
  return out;
}

/** Set by the student: not absent, and not an empty default such as the API's `securityContext: {}`. */
function isSet(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function commandText(c: unknown): string {
  const parts: string[] = [];
  for (const k of ['command', 'args']) {
    const v = get(c, k);
    if (Array.isArray(v)) parts.push(...v.filter((x): x is string => typeof x === 'string'));
  }
  return parts.join(' ');
}

/** Warnings about the submitted objects, each with the line of its field. */
export function submissionWarnings(
  objects: PositionedObject[],
  pods: Pod[],
  images: Record<string, ImageDefinition>,
  trace: Trace | undefined,
): Warning[] {
  const out: Warning[] = [];
  const add = (o: PositionedObject, message: string, field?: string) => {
    const line = field ? o.lineOf(field) : undefined;
    out.push({ message, ...(field ? { field } : {}), ...(line !== undefined ? { line } : {}) });
  };
  for (const o of objects) {
    if (o.object.kind !== 'Pod') continue;
    const podName = o.object.metadata.name;
    const pod = pods.find(
      (p) => p.metadata.name === podName && p.metadata.namespace === o.object.metadata.namespace,
    );
    const spec = get(o.raw, 'spec');
    for (const key of NOT_SIMULATED_POD) {
      if (isSet(get(spec, key)))
        add(
          o,
          `spec.${key} is accepted but not simulated: podlab runs one node with room for everything`,
          `spec.${key}`,
        );
    }
    const volumes = get(spec, 'volumes');
    // Volumes the kubelet mounts read-only whatever the mount says (atomic-writer volumes).
    const readOnlyVolumes = new Set<string>();
    if (Array.isArray(volumes)) {
      volumes.forEach((v, i) => {
        const kinds = v && typeof v === 'object' ? Object.keys(v).filter((k) => k !== 'name') : [];
        if (kinds.length === 1 && (kinds[0] === 'configMap' || kinds[0] === 'secret'))
          readOnlyVolumes.add(String(get(v, 'name')));
        if (kinds.some((k) => !SIMULATED_VOLUMES.has(k))) {
          add(
            o,
            `volume ${String(get(v, 'name'))} (${kinds.join(', ')}) is accepted but not simulated`,
            `spec.volumes[${i}]`,
          );
        }
      });
    }
    for (const { field, list } of containerList(o.raw)) {
      list.forEach((c, i) => {
        const base = `${field}[${i}]`;
        const name = String(get(c, 'name') ?? i);
        for (const key of NOT_SIMULATED_CONTAINER) {
          if (isSet(get(c, key)))
            add(o, `${key} of container ${name} is accepted but not simulated`, `${base}.${key}`);
        }
        // emptyDir mounts are simulated; a read-only one is writable here.
        const mounts = get(c, 'volumeMounts');
        if (Array.isArray(mounts)) {
          mounts.forEach((m, j) => {
            if (get(m, 'readOnly') === true && !readOnlyVolumes.has(String(get(m, 'name'))))
              add(
                o,
                `readOnly of volume mount ${String(get(m, 'name'))} in container ${name} is accepted but not simulated: the mount is writable here`,
                `${base}.volumeMounts[${j}].readOnly`,
              );
          });
        }
        const image = get(c, 'image');
        if (typeof image === 'string') {
          const parts = splitImage(image);
          // The pull policy claim is the API defaulter's (a digest pins the content, so no warning).
          if (!parts.digest && defaultPullPolicy(image) === 'Always') {
            add(
              o,
              `image "${image}" ${parts.tag === undefined ? 'has no tag' : 'uses the tag latest'}: the image it runs changes over time and imagePullPolicy defaults to Always; pin a version (e.g. busybox:1.32.0)`,
              `${base}.image`,
            );
          }
          if (!imageOf(image, images)) {
            add(
              o,
              `image "${image}" is not one podlab simulates: the Pod fails to pull it (ErrImagePull, then ImagePullBackOff), as a misspelt image does on a real cluster; if this image exists, podlab does not simulate it (podlab runs ${simulatedImagesText(images)})`,
              `${base}.image`,
            );
          }
          const text = commandText(c);
          if (busyboxWithStrictNslookup(image)) {
            const re = /nslookup\s+([A-Za-z0-9][A-Za-z0-9-]*)(?=$|[\s;&|)'"`])/g;
            const names = new Set<string>();
            for (let m = re.exec(text); m; m = re.exec(text)) names.add(m[1]!);
            for (const short of names) {
              add(
                o,
                `\`nslookup ${short}\` uses a short name: busybox >= 1.30 (here ${image}) does not reliably search the Pod's DNS domains, so on a real cluster this may fail even when Service ${short} exists; use ${short}.${o.object.metadata.namespace}.svc.cluster.local`,
                `${base}.command`,
              );
            }
          }
          const container = pod
            ? [...pod.spec.containers, ...(pod.spec.initContainers ?? [])].find((x) => x.name === name)
            : undefined;
          if (container) out.push(...execBinaryWarnings(o, container, base, images));
        }
      });
    }
  }
  for (const note of trace?.notes ?? []) {
    const message = note.pod
      ? `Pod ${note.pod}${note.container ? `, container ${note.container}` : ''}: ${note.message}`
      : note.message;
    // The static exec-probe check already reported this binary, with its line.
    const bin = /runs "([^"]+)"/.exec(note.message)?.[1];
    const covered = out.some(
      (w) =>
        w.message === message ||
        (bin !== undefined &&
          note.container !== undefined &&
          w.message.includes(`container ${note.container} runs "${bin}"`)),
    );
    if (!covered) {
      out.push({ message });
    }
  }
  return out;
}

function execBinaryWarnings(
  o: PositionedObject,
  c: Container,
  base: string,
  images: Record<string, ImageDefinition>,
): Warning[] {
  const img = imageOf(c.image, images);
  if (!img) return [];
  const out: Warning[] = [];
  const check = (kind: string, cmd: string[] | undefined, field: string) => {
    const bin = cmd?.[0];
    if (!bin || img.hasExecutable(bin)) return;
    const line = o.lineOf(field);
    out.push({
      message: `the ${kind} of container ${c.name} runs "${bin}", which ${c.image} does not have: the kubelet reports a probe error, not a failure, so it never acts on it; wrap it as ["sh", "-c", "..."] or use a command the image has`,
      field,
      ...(line !== undefined ? { line } : {}),
    });
  };
  check('liveness probe', c.livenessProbe?.exec?.command, `${base}.livenessProbe.exec.command`);
  check('readiness probe', c.readinessProbe?.exec?.command, `${base}.readinessProbe.exec.command`);
  check('startup probe', c.startupProbe?.exec?.command, `${base}.startupProbe.exec.command`);
  return out;
}
