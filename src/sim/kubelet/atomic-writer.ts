/**
 * The kubelet's atomic writer (pkg/volume/util/atomic_writer.go, release-1.33), as the
 * `configMap`, `secret` and projected (service-account token) volumes use it. A payload is
 * written into a fresh hidden directory `..<UTC timestamp>.<random>` (newTimestampDir), the
 * symlink `..data` points at it (a rename of `..data_tmp` swaps it atomically on an update),
 * and each payload path's first component is a symlink `<name> -> ..data/<name>`
 * (createUserVisibleFiles). The files carry their payload mode (defaultMode or an item's mode);
 * directories are 0755. These volumes are mounted read-only (the kubelet has done so since the
 * ReadOnlyAPIDataVolumes change of 1.10): every write through a container fails with EROFS.
 */
import type { FileSystem } from '../../model/runtime.ts';
import { normalizePath } from '../runtime/fs.ts';
import { formatDate } from '../runtime/time.ts';

/** One file of a payload: its content and permission bits. */
export interface PayloadFile {
  content: string;
  mode: number;
}

/** A payload: file paths relative to the volume (`key`, `dir/key`) and their files. */
export type Payload = ReadonlyMap<string, PayloadFile>;

type Node =
  | { kind: 'dir'; mode: number; children: Map<string, Node> }
  | { kind: 'file'; mode: number; content: string }
  | { kind: 'link'; target: string };

/** Name of the symlink to the current payload directory (dataDirName). */
const DATA_DIR = '..data';

/**
 * The payload directory's name for a write at virtual instant `ms`: `os.MkdirTemp` with the
 * prefix `time.Now().UTC().Format("..2006_01_02_15_04_05.")`, whose random suffix (a uint32 in
 * decimal) podlab derives from `seed` (FNV-1a) so that the same run gives the same name.
 */
export function timestampDirName(ms: number, seed: string): string {
  let h = 2166136261;
  const s = `${seed}@${ms}`;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619) >>> 0;
  return `..${formatDate(ms, '%Y_%m_%d_%H_%M_%S')}.${h}`;
}

/** A payload as a read-only volume with the atomic writer's layout. */
export class AtomicWriterVolume implements FileSystem {
  private root: Node & { kind: 'dir' };
  private current: Payload;
  /** Changes on every update (FileSystem.version). */
  version = 0;

  /** `rootMode`: the volume directory's bits (0o777 for the emptyDir wrapper, 0o1777 on a tmpfs). */
  constructor(
    payload: Payload,
    tsDir: string,
    private readonly rootMode = 0o777,
  ) {
    this.current = payload;
    this.root = layout(payload, tsDir, rootMode);
  }

  /**
   * AtomicWriter.Write: a payload different from the current one gets a new timestamped
   * directory and `..data` moves to it (the old one is removed). Returns whether it changed.
   */
  update(payload: Payload, tsDir: string): boolean {
    if (samePayload(payload, this.current)) return false;
    this.current = payload;
    this.root = layout(payload, tsDir, this.rootMode);
    this.version++;
    return true;
  }

  /** A copy of the volume as it is now that no update reaches (what a `subPath` bind mount pins). */
  snapshot(): AtomicWriterVolume {
    const copy = new AtomicWriterVolume(new Map(), '', this.rootMode);
    copy.current = this.current;
    copy.root = this.root;
    return copy;
  }

  /** The node `path` leads to; links are followed, the last one only with `followLast`. */
  private lookup(path: string, followLast = true, depth = 0): Node | undefined {
    const parts = splitPath(path);
    let node: Node = this.root;
    let dir = '/';
    for (let i = 0; i < parts.length; i++) {
      if (node.kind !== 'dir') return undefined;
      const next: Node | undefined = node.children.get(parts[i]!);
      if (next === undefined) return undefined;
      const last = i === parts.length - 1;
      if (next.kind === 'link' && (!last || followLast)) {
        // The kernel gives up after 40 links (ELOOP); the writer's links never loop.
        if (depth > 40) return undefined;
        const resolved = this.lookup(normalizePath(next.target, dir), true, depth + 1);
        if (resolved === undefined) return undefined;
        node = resolved;
      } else node = next;
      dir = dir === '/' ? `/${parts[i]}` : `${dir}/${parts[i]}`;
    }
    return node;
  }

  readFile(path: string): string | undefined {
    const n = this.lookup(path);
    return n?.kind === 'file' ? n.content : undefined;
  }

  writeFile(): 'erofs' {
    return 'erofs';
  }

  exists(path: string): boolean {
    return this.lookup(path) !== undefined;
  }

  isDirectory(path: string): boolean {
    return this.lookup(path)?.kind === 'dir';
  }

  mkdir(): 'erofs' {
    return 'erofs';
  }

  remove(): 'erofs' {
    return 'erofs';
  }

  list(path: string): string[] | undefined {
    const n = this.lookup(path);
    return n?.kind === 'dir' ? [...n.children.keys()].sort() : undefined;
  }

  linkTarget(path: string): string | undefined {
    const n = this.lookup(path, false);
    return n?.kind === 'link' ? n.target : undefined;
  }

  modeOf(path: string): number | undefined {
    const n = this.lookup(path);
    return n === undefined || n.kind === 'link' ? undefined : n.mode;
  }

  readOnly(): boolean {
    return true;
  }

  size(): number {
    let total = 0;
    for (const f of this.current.values()) total += f.content.length;
    return total;
  }
}

function splitPath(path: string): string[] {
  const p = normalizePath(path);
  return p === '/' ? [] : p.slice(1).split('/');
}

/** The volume's tree for `payload` written into `tsDir`. */
function layout(payload: Payload, tsDir: string, rootMode: number): Node & { kind: 'dir' } {
  const data: Node & { kind: 'dir' } = { kind: 'dir', mode: 0o755, children: new Map() };
  const root: Node & { kind: 'dir' } = { kind: 'dir', mode: rootMode, children: new Map() };
  const firsts = new Set<string>();
  for (const path of [...payload.keys()].sort()) {
    const file = payload.get(path)!;
    const parts = splitPath(path);
    const name = parts.pop();
    if (name === undefined) continue;
    let dir = data;
    for (const part of parts) {
      let next = dir.children.get(part);
      if (next?.kind !== 'dir') {
        next = { kind: 'dir', mode: 0o755, children: new Map() };
        dir.children.set(part, next);
      }
      dir = next;
    }
    dir.children.set(name, { kind: 'file', mode: file.mode, content: file.content });
    firsts.add(splitPath(path)[0]!);
  }
  if (tsDir !== '') {
    root.children.set(tsDir, data);
    root.children.set(DATA_DIR, { kind: 'link', target: tsDir });
  }
  for (const first of firsts) root.children.set(first, { kind: 'link', target: `${DATA_DIR}/${first}` });
  return root;
}

function samePayload(a: Payload, b: Payload): boolean {
  if (a.size !== b.size) return false;
  for (const [path, f] of a) {
    const g = b.get(path);
    if (!g || g.content !== f.content || g.mode !== f.mode) return false;
  }
  return true;
}
