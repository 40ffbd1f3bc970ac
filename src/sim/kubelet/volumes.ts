/**
 * emptyDir volumes (kubernetes-semantics.md section 13: the one volume type podlab models).
 * A Pod's emptyDir is created empty when the Pod starts, shared by every container that mounts
 * it, kept across container restarts and gone with the Pod. A container sees its mounts through
 * `MountedFileSystem`: paths under a `mountPath` lead into the volume (the image's files there
 * are hidden, as by a real mount), everything else into the container's own filesystem.
 */
import { utf8Text } from '../../manifest/base64.ts';
import type { Container, Pod } from '../../model/k8s.ts';
import type { FileSystem } from '../../model/runtime.ts';
import type { ConfigData } from '../cluster/config-store.ts';
import { MemFileSystem, normalizePath } from '../runtime/fs.ts';

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

/**
 * The Pod's `configMap` and `secret` volumes, written once when the Pod's volumes are set up
 * (pkg/volume/configmap and pkg/volume/secret: SetUpAt, MakePayload), or the FailedMount text
 * of the first one that cannot be: `configmap "x" not found` unless `optional`, a missing `items`
 * key (`configmap references non-existent config key: k`). Without `items` every key is a file
 * (a ConfigMap's binaryData too). Files are plain and writable, not the atomic writer's
 * `..data` layout, and never updated (docs/deviations.md entry 59).
 */
export function configVolumes(
  pod: Pod,
  read: ConfigReader,
  maxBytes: number,
): { volumes: Map<string, FileSystem> } | { failed: string } {
  const volumes = new Map<string, FileSystem>();
  for (const v of pod.spec.volumes ?? []) {
    const source = v.configMap ?? v.secret;
    if (!source) continue;
    const kind = v.configMap ? 'ConfigMap' : 'Secret';
    const name = (v.configMap ? v.configMap.name : v.secret?.secretName) ?? '';
    const optional = source.optional === true;
    const fail = (why: string) => ({ failed: `MountVolume.SetUp failed for volume "${v.name}" : ${why}` });
    const data = read(kind, name);
    if (!data && !optional) return fail(`${kind.toLowerCase()} "${name}" not found`);
    const files = new Map<string, string>();
    const content = (key: string): string | undefined => {
      const text = data?.data.get(key);
      if (text !== undefined) return text;
      const bytes = data?.binaryData.get(key);
      return bytes ? utf8Text(bytes) : undefined;
    };
    if (!source.items || source.items.length === 0) {
      for (const key of [...(data?.data.keys() ?? []), ...(data?.binaryData.keys() ?? [])].sort())
        files.set(key, content(key)!);
    } else {
      for (const item of source.items) {
        const text = content(item.key);
        if (text !== undefined) files.set(item.path, text);
        else if (!optional) {
          const what =
            kind === 'ConfigMap'
              ? 'configmap references non-existent config key'
              : 'references non-existent secret key';
          return fail(`${what}: ${item.key}`);
        }
      }
    }
    const fs = new MemFileSystem(maxBytes);
    for (const [path, text] of files) {
      const full = normalizePath(`/${path}`);
      const dir = full.slice(0, full.lastIndexOf('/'));
      if (dir !== '') fs.mkdir(dir, true);
      fs.writeFile(full, text);
    }
    volumes.set(v.name, fs);
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
    mounts.push({ at, fs, root });
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

  writeFile(path: string, content: string, append?: boolean): 'ok' | 'enoent' | 'eisdir' | 'budget' {
    const [fs, p] = this.route(path);
    return fs.writeFile(p, content, append);
  }

  exists(path: string): boolean {
    const [fs, p] = this.route(path);
    return fs.exists(p);
  }

  isDirectory(path: string): boolean {
    const [fs, p] = this.route(path);
    return fs.isDirectory(p);
  }

  mkdir(path: string, parents: boolean): 'ok' | 'enoent' | 'eexist' {
    const [fs, p] = this.route(path);
    return fs.mkdir(p, parents);
  }

  remove(path: string, recursive: boolean): 'ok' | 'enoent' | 'eisdir' {
    const [fs, p] = this.route(path);
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
