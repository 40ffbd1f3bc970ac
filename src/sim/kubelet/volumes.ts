/**
 * emptyDir volumes (kubernetes-semantics.md section 13: the one volume type podlab models).
 * A Pod's emptyDir is created empty when the Pod starts, shared by every container that mounts
 * it, kept across container restarts and gone with the Pod. A container sees its mounts through
 * `MountedFileSystem`: paths under a `mountPath` lead into the volume (the image's files there
 * are hidden, as by a real mount), everything else into the container's own filesystem.
 */
import type { Container, Pod } from '../../model/k8s.ts';
import type { FileSystem } from '../../model/runtime.ts';
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
