/**
 * The in-memory container filesystem: a tree of directories and text files with absolute,
 * normalised paths and a byte budget on file content. No modes, owners, links or times.
 */
import type { FileSystem } from '../../model/runtime.ts';

interface Dir {
  kind: 'dir';
  children: Map<string, Node>;
}
interface File {
  kind: 'file';
  content: string;
}
type Node = Dir | File;

/**
 * Normalises `path` against `cwd` (which must be absolute): resolves `.`, `..` and repeated
 * slashes the way the kernel's path walk does for a tree without symlinks (`/..` is `/`).
 */
export function normalizePath(path: string, cwd = '/'): string {
  const full = path.startsWith('/') ? path : cwd.endsWith('/') ? `${cwd}${path}` : `${cwd}/${path}`;
  // Most paths (PATH searches, image files) are already normal: nothing to resolve.
  if (isNormal(full)) return full;
  const out: string[] = [];
  for (const part of full.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/**
 * Whether an absolute path is already normal: `/`, or `/`-separated components none of which
 * is empty, `.` or `..` (no trailing slash).
 */
function isNormal(p: string): boolean {
  const n = p.length;
  if (n === 0 || p.charCodeAt(0) !== 47) return false;
  if (n === 1) return true;
  // i: start of the current component (just after a slash).
  let i = 1;
  for (let j = 1; j <= n; j++) {
    if (j < n && p.charCodeAt(j) !== 47) continue;
    const len = j - i;
    if (len === 0) return false;
    if (p.charCodeAt(i) === 46 && (len === 1 || (len === 2 && p.charCodeAt(i + 1) === 46))) return false;
    i = j + 1;
  }
  return true;
}

/** Splits a path (normalised against `/`) into its components (`/` gives none). */
function parts(path: string): string[] {
  const n = normalizePath(path);
  return n === '/' ? [] : n.slice(1).split('/');
}

/** Initial content of a filesystem: directories and files by absolute path. */
export interface FsContent {
  dirs: string[];
  files: Record<string, string>;
}

/** A `FileSystem` held in memory; `maxBytes` bounds the total file content. */
export class MemFileSystem implements FileSystem {
  private readonly root: Dir = { kind: 'dir', children: new Map() };
  private bytes = 0;
  /** Counts the calls that may change the content (writeFile, mkdir, remove). */
  version = 0;

  constructor(
    private readonly maxBytes: number,
    content?: FsContent,
  ) {
    if (content) {
      for (const d of content.dirs) this.mkdir(d, true);
      for (const [p, c] of Object.entries(content.files)) {
        const parent = normalizePath(`${normalizePath(p)}/..`);
        this.mkdir(parent, true);
        // Image content is not charged against the budget's limit check, only counted.
        const dir = this.lookup(parent);
        if (dir?.kind === 'dir') {
          const name = parts(p).at(-1);
          if (name !== undefined && !dir.children.has(name)) {
            dir.children.set(name, { kind: 'file', content: c });
            this.bytes += c.length;
          }
        }
      }
    }
  }

  private lookup(path: string): Node | undefined {
    let node: Node = this.root;
    for (const p of parts(path)) {
      if (node.kind !== 'dir') return undefined;
      const next: Node | undefined = node.children.get(p);
      if (next === undefined) return undefined;
      node = next;
    }
    return node;
  }

  /** The parent directory node and the last component, or why there is none. */
  private parentOf(path: string): { dir: Dir; name: string } | 'enoent' | 'root' {
    const ps = parts(path);
    const name = ps.pop();
    if (name === undefined) return 'root';
    const parent = this.lookup(`/${ps.join('/')}`);
    if (parent === undefined || parent.kind !== 'dir') return 'enoent';
    return { dir: parent, name };
  }

  /** Whether a path's parent exists but is not a directory (ENOTDIR in the kernel). */
  parentIsFile(path: string): boolean {
    let node: Node = this.root;
    const ps = parts(path);
    ps.pop();
    for (const p of ps) {
      if (node.kind !== 'dir') return true;
      const next: Node | undefined = node.children.get(p);
      if (next === undefined) return false;
      node = next;
    }
    return node.kind !== 'dir';
  }

  readFile(path: string): string | undefined {
    const n = this.lookup(path);
    return n?.kind === 'file' ? n.content : undefined;
  }

  writeFile(path: string, content: string, append = false): 'ok' | 'enoent' | 'eisdir' | 'budget' {
    const p = this.parentOf(path);
    if (p === 'root') return 'eisdir';
    if (p === 'enoent') return 'enoent';
    const existing = p.dir.children.get(p.name);
    if (existing?.kind === 'dir') return 'eisdir';
    const old = existing?.kind === 'file' ? existing.content : '';
    const next = append ? old + content : content;
    this.version++;
    const delta = next.length - old.length;
    if (delta > 0 && this.bytes + delta > this.maxBytes) return 'budget';
    this.bytes += delta;
    if (existing?.kind === 'file') existing.content = next;
    else p.dir.children.set(p.name, { kind: 'file', content: next });
    return 'ok';
  }

  exists(path: string): boolean {
    return this.lookup(path) !== undefined;
  }

  isDirectory(path: string): boolean {
    return this.lookup(path)?.kind === 'dir';
  }

  mkdir(path: string, parents: boolean): 'ok' | 'enoent' | 'eexist' {
    this.version++;
    if (parents) {
      let node: Dir = this.root;
      for (const p of parts(path)) {
        const next = node.children.get(p);
        if (next === undefined) {
          const d: Dir = { kind: 'dir', children: new Map() };
          node.children.set(p, d);
          node = d;
        } else if (next.kind === 'dir') node = next;
        else return 'eexist';
      }
      return 'ok';
    }
    const p = this.parentOf(path);
    if (p === 'root') return 'eexist';
    if (p === 'enoent') return 'enoent';
    if (p.dir.children.has(p.name)) return 'eexist';
    p.dir.children.set(p.name, { kind: 'dir', children: new Map() });
    return 'ok';
  }

  remove(path: string, recursive: boolean): 'ok' | 'enoent' | 'eisdir' {
    this.version++;
    const p = this.parentOf(path);
    if (p === 'root') return recursive ? 'ok' : 'eisdir';
    if (p === 'enoent') return 'enoent';
    const n = p.dir.children.get(p.name);
    if (n === undefined) return 'enoent';
    if (n.kind === 'dir' && !recursive) return 'eisdir';
    this.bytes -= contentBytes(n);
    p.dir.children.delete(p.name);
    return 'ok';
  }

  list(path: string): string[] | undefined {
    const n = this.lookup(path);
    if (n?.kind !== 'dir') return undefined;
    return [...n.children.keys()].sort();
  }

  size(): number {
    return this.bytes;
  }
}

function contentBytes(n: Node): number {
  if (n.kind === 'file') return n.content.length;
  let total = 0;
  for (const c of n.children.values()) total += contentBytes(c);
  return total;
}
