/**
 * emptyDir, configMap and secret volumes (kubernetes-semantics.md section 13). A configMap or
 * secret volume is a read-only atomic-writer volume (atomic-writer.ts). A Pod's emptyDir is created empty when the Pod starts, shared by every container that mounts
 * it, kept across container restarts and gone with the Pod. A container sees its mounts through
 * `MountedFileSystem`: paths under a `mountPath` lead into the volume (the image's files there
 * are hidden, as by a real mount), everything else into the container's own filesystem.
 */
import { utf8Text } from '../../manifest/base64.ts';
import type { Container, KeyToPath, Pod } from '../../model/k8s.ts';
import type { FileSystem } from '../../model/runtime.ts';
import type { ConfigData } from '../cluster/config-store.ts';
import { MemFileSystem, normalizePath } from '../runtime/fs.ts';
import { AtomicWriterVolume, type Payload, type PayloadFile, timestampDirName } from './atomic-writer.ts';

/** One mount of a volume into a container's filesystem. */
interface Mount {
  /** Normalised absolute path in the container. */
  at: string;
  fs: FileSystem;
  /** Normalised directory of the volume mounted there (`/`, or `/<subPath>`). */
  root: string;
}

/** The Pod's emptyDir volumes by name, created on first use (each bounded by `maxBytes`). */
export function emptyDirVolumes(pod: Pod, maxBytes: number): Map<string, FileSystem> {
  const out = new Map<string, FileSystem>();
  for (const v of pod.spec.volumes ?? []) {
    if (v.emptyDir !== undefined && !out.has(v.name)) out.set(v.name, new MemFileSystem(maxBytes));
  }
  return out;
}

/** Reads a ConfigMap or Secret of the Pod's namespace now (undefined: not found). */
export type ConfigReader = (kind: 'ConfigMap' | 'Secret', name: string) => ConfigData | undefined;

/** A `configMap` or `secret` volume of a Pod spec: which object it projects and how. */
export interface ConfigVolumeSource {
  volume: string;
  kind: 'ConfigMap' | 'Secret';
  name: string;
  optional: boolean;
  items?: readonly KeyToPath[];
  /** The API server defaults it to 0644 (SetDefaults_ConfigMapVolumeSource / ..._SecretVolumeSource). */
  defaultMode: number;
}

/** The Pod's `configMap` and `secret` volumes, in spec order. */
export function configVolumeSources(pod: Pod): ConfigVolumeSource[] {
  const out: ConfigVolumeSource[] = [];
  for (const v of pod.spec.volumes ?? []) {
    const source = v.configMap ?? v.secret;
    if (!source) continue;
    out.push({
      volume: v.name,
      kind: v.configMap ? 'ConfigMap' : 'Secret',
      name: (v.configMap ? v.configMap.name : v.secret?.secretName) ?? '',
      optional: source.optional === true,
      ...(source.items && source.items.length > 0 ? { items: source.items } : {}),
      defaultMode: source.defaultMode ?? 0o644,
    });
  }
  return out;
}

/** The FailedMount event text of a volume whose SetUp failed. */
function failedMount(volume: string, why: string): string {
  return `MountVolume.SetUp failed for volume "${volume}" : ${why}`;
}

/**
 * A volume's payload from the object as `read` gives it now (pkg/volume/configmap and
 * pkg/volume/secret: SetUpAt, MakePayload), or the FailedMount text: `configmap "x" not found`
 * unless `optional` (then the payload is empty), a missing `items` key (`configmap references
 * non-existent config key: k`) unless `optional`. Without `items` every key is a file (a
 * ConfigMap's binaryData too) with `defaultMode`; an item has its own `mode` or `defaultMode`.
 */
export function configPayload(src: ConfigVolumeSource, read: ConfigReader): Payload | { failed: string } {
  const data = read(src.kind, src.name);
  if (!data && !src.optional)
    return { failed: failedMount(src.volume, `${src.kind.toLowerCase()} "${src.name}" not found`) };
  const files = new Map<string, PayloadFile>();
  const content = (key: string): string | undefined => {
    const text = data?.data.get(key);
    if (text !== undefined) return text;
    const bytes = data?.binaryData.get(key);
    return bytes ? utf8Text(bytes) : undefined;
  };
  if (!src.items) {
    for (const key of [...(data?.data.keys() ?? []), ...(data?.binaryData.keys() ?? [])].sort())
      files.set(key, { content: content(key)!, mode: src.defaultMode });
    return files;
  }
  for (const item of src.items) {
    const text = content(item.key);
    if (text !== undefined) files.set(item.path, { content: text, mode: item.mode ?? src.defaultMode });
    else if (!src.optional) {
      const what =
        src.kind === 'ConfigMap'
          ? 'configmap references non-existent config key'
          : 'references non-existent secret key';
      return { failed: failedMount(src.volume, `${what}: ${item.key}`) };
    }
  }
  return files;
}

/**
 * The Pod's `configMap` and `secret` volumes, each written by the atomic writer when the
 * Pod's volumes are set up at virtual instant `now` (atomic-writer.ts), or the FailedMount
 * text of the first one that cannot be. `seed` (the Pod's uid) names the payload directories.
 * A Secret volume is a tmpfs (its directory `drwxrwxrwt`), a ConfigMap's the emptyDir wrapper
 * on disk (`drwxrwxrwx`).
 */
export function configVolumes(
  pod: Pod,
  read: ConfigReader,
  now: number,
  seed: string,
): { volumes: Map<string, AtomicWriterVolume> } | { failed: string } {
  const volumes = new Map<string, AtomicWriterVolume>();
  for (const src of configVolumeSources(pod)) {
    const payload = configPayload(src, read);
    if ('failed' in payload) return { failed: payload.failed as string };
    const ts = timestampDirName(now, `${seed}/${src.volume}`);
    volumes.set(src.volume, new AtomicWriterVolume(payload, ts, src.kind === 'Secret' ? 0o1777 : 0o777));
  }
  return { volumes };
}

/**
 * The container's view of `own` with its emptyDir mounts and the `added` mounts (the
 * admission-added token volume, pod-files.ts) (mounts of other volume kinds are not
 * simulated: their paths stay in the container's filesystem). Mount points are created as
 * directories, a `subPath` as a directory of the volume, as the kubelet does.
 */
export function withMounts(
  own: FileSystem,
  container: Container,
  volumes: Map<string, FileSystem>,
  added: readonly { name: string; mountPath: string }[] = [],
): FileSystem {
  const mounts: Mount[] = [];
  for (const m of [...(container.volumeMounts ?? []), ...added] as {
    name: string;
    mountPath: string;
    subPath?: string;
  }[]) {
    const fs = volumes.get(m.name);
    if (!fs || typeof m.mountPath !== 'string' || m.mountPath === '') continue;
    const at = normalizePath(m.mountPath);
    if (at === '/') continue;
    const root = m.subPath ? normalizePath(m.subPath) : '/';
    if (root !== '/') fs.mkdir(root, true);
    own.mkdir(at, true);
    // A subPath is bind-mounted as it resolves at the container's start (kubelet makeMounts,
    // subpath.PrepareSafeSubpath): an atomic writer's later update, a new `..data` directory,
    // never reaches it; the next container start sees the new content.
    const pinned = root !== '/' && fs instanceof AtomicWriterVolume ? fs.snapshot() : fs;
    mounts.push({ at, fs: pinned, root });
  }
  if (mounts.length === 0) return own;
  // Longest mount point first: a mount inside another one wins for its paths.
  mounts.sort((a, b) => b.at.length - a.at.length);
  return new MountedFileSystem(own, mounts);
}

/** A container filesystem with volumes mounted into it. */
class MountedFileSystem implements FileSystem {
  constructor(
    private readonly own: FileSystem,
    private readonly mounts: readonly Mount[],
  ) {}

  /** The filesystem and path that `path` leads to. */
  private route(path: string): [FileSystem, string] {
    const p = normalizePath(path);
    for (const m of this.mounts) {
      if (p === m.at) return [m.fs, m.root];
      if (p.startsWith(m.at) && p.charCodeAt(m.at.length) === 47) {
        const rest = p.slice(m.at.length);
        return [m.fs, m.root === '/' ? rest : `${m.root}${rest}`];
      }
    }
    return [this.own, p];
  }

  readFile(path: string): string | undefined {
    const [fs, p] = this.route(path);
    return fs.readFile(p);
  }

  writeFile(
    path: string,
    content: string,
    append?: boolean,
  ): 'ok' | 'enoent' | 'eisdir' | 'budget' | 'erofs' {
    const [fs, p] = this.route(path);
    return fs.writeFile(p, content, append);
  }

  linkTarget(path: string): string | undefined {
    // A mount point is the mounted directory or the bind-mounted file itself, never a link.
    if (this.mounts.some((m) => m.at === normalizePath(path))) return undefined;
    const [fs, p] = this.route(path);
    return fs.linkTarget?.(p);
  }

  modeOf(path: string): number | undefined {
    const [fs, p] = this.route(path);
    return fs.modeOf?.(p);
  }

  readOnly(path: string): boolean {
    const [fs, p] = this.route(path);
    return fs.readOnly?.(p) === true;
  }

  exists(path: string): boolean {
    const [fs, p] = this.route(path);
    return fs.exists(p);
  }

  isDirectory(path: string): boolean {
    const [fs, p] = this.route(path);
    return fs.isDirectory(p);
  }

  mkdir(path: string, parents: boolean): 'ok' | 'enoent' | 'eexist' | 'erofs' {
    const [fs, p] = this.route(path);
    return fs.mkdir(p, parents);
  }

  remove(path: string, recursive: boolean): 'ok' | 'enoent' | 'eisdir' | 'erofs' {
    const [fs, p] = this.route(path);
    if (fs.readOnly?.(p)) return 'erofs';
    // A mount point itself cannot be removed (EBUSY); its content can.
    if (fs !== this.own && this.mounts.some((m) => m.fs === fs && m.root === p)) {
      if (!recursive) return 'eisdir';
      for (const name of fs.list(p) ?? []) fs.remove(p === '/' ? `/${name}` : `${p}/${name}`, true);
      return 'ok';
    }
    return fs.remove(p, recursive);
  }

  list(path: string): string[] | undefined {
    const [fs, p] = this.route(path);
    return fs.list(p);
  }

  size(): number {
    return this.own.size();
  }

  /** Changes with the container's filesystem and with every mounted volume (other containers write them too). */
  get version(): number | undefined {
    let v = this.own.version;
    for (const m of this.mounts) {
      const mv = m.fs.version;
      if (v === undefined || mv === undefined) return undefined;
      v += mv;
    }
    return v;
  }
}
