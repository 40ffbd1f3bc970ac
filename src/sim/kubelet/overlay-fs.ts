/**
 * A copy-on-write view of a container's filesystem for shadow execs (an exec whose effects are
 * discarded): reads fall through to the live filesystem, writes, new directories and removals
 * stay in the overlay. Like `kubectl exec`, the command sees what the container writes while it
 * runs; unlike it, nothing it writes ever reaches the container. Nothing is copied up front.
 */
import type { FileSystem } from '../../model/runtime.ts';
import { normalizePath } from '../runtime/fs.ts';

type Entry =
  /** A file written by the overlay. */
  | { kind: 'file'; content: string }
  /** A directory created by the overlay: nothing of the live filesystem shows below it. */
  | { kind: 'dir' }
  /** Removed by the overlay. */
  | { kind: 'gone' };

type Resolved = { kind: 'file'; content: string } | { kind: 'dir' } | undefined;

/** The parent of a normalised absolute path (`/` for `/x`). */
function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** A `FileSystem` layered over `live`; `maxBytes` bounds live content plus the overlay's changes. */
export class OverlayFileSystem implements FileSystem {
  private readonly entries = new Map<string, Entry>();
  /** Bytes added (or, when negative, hidden) by the overlay. */
  private delta = 0;

  constructor(
    private readonly live: FileSystem,
    private readonly maxBytes: number,
  ) {}

  /** What `path` (normalised) is in the merged view. */
  private resolve(path: string): Resolved {
    if (this.entries.size > 0) {
      const own = this.entries.get(path);
      if (own) return own.kind === 'gone' ? undefined : own;
      // An ancestor replaced by the overlay hides the live filesystem below it.
      for (let p = path; p !== '/'; ) {
        p = parentOf(p);
        if (this.entries.has(p)) return undefined;
      }
    }
    if (this.live.isDirectory(path)) return { kind: 'dir' };
    const content = this.live.readFile(path);
    return content === undefined ? undefined : { kind: 'file', content };
  }

  /** The names directly under a directory (normalised path) of the merged view. */
  private children(path: string): string[] {
    const names = new Set<string>();
    const own = this.entries.get(path);
    if (own?.kind !== 'dir') for (const n of this.live.list(path) ?? []) names.add(n);
    const prefix = path === '/' ? '/' : `${path}/`;
    for (const [p, e] of this.entries) {
      if (!p.startsWith(prefix) || p === path) continue;
      const rest = p.slice(prefix.length);
      if (rest.includes('/')) continue;
      if (e.kind === 'gone') names.delete(rest);
      else names.add(rest);
    }
    return [...names].filter((n) => this.resolve(`${prefix}${n}`) !== undefined).sort();
  }

  private bytesUnder(path: string): number {
    const r = this.resolve(path);
    if (r === undefined) return 0;
    if (r.kind === 'file') return r.content.length;
    const prefix = path === '/' ? '/' : `${path}/`;
    let total = 0;
    for (const n of this.children(path)) total += this.bytesUnder(`${prefix}${n}`);
    return total;
  }

  readFile(path: string): string | undefined {
    const r = this.resolve(normalizePath(path));
    return r?.kind === 'file' ? r.content : undefined;
  }

  writeFile(path: string, content: string, append = false): 'ok' | 'enoent' | 'eisdir' | 'budget' {
    const p = normalizePath(path);
    if (p === '/') return 'eisdir';
    if (this.resolve(parentOf(p))?.kind !== 'dir') return 'enoent';
    const existing = this.resolve(p);
    if (existing?.kind === 'dir') return 'eisdir';
    const old = existing?.kind === 'file' ? existing.content : '';
    const next = append ? old + content : content;
    const grow = next.length - old.length;
    if (grow > 0 && this.size() + grow > this.maxBytes) return 'budget';
    this.delta += grow;
    this.entries.set(p, { kind: 'file', content: next });
    return 'ok';
  }

  exists(path: string): boolean {
    return this.resolve(normalizePath(path)) !== undefined;
  }

  isDirectory(path: string): boolean {
    return this.resolve(normalizePath(path))?.kind === 'dir';
  }

  mkdir(path: string, parents: boolean): 'ok' | 'enoent' | 'eexist' {
    const p = normalizePath(path);
    if (parents) {
      const parts = p.split('/').filter((x) => x !== '');
      let cur = '';
      for (const part of parts) {
        cur = `${cur}/${part}`;
        const r = this.resolve(cur);
        if (r === undefined) this.entries.set(cur, { kind: 'dir' });
        else if (r.kind !== 'dir') return 'eexist';
      }
      return 'ok';
    }
    if (p === '/') return 'eexist';
    if (this.resolve(parentOf(p))?.kind !== 'dir') return 'enoent';
    if (this.resolve(p) !== undefined) return 'eexist';
    this.entries.set(p, { kind: 'dir' });
    return 'ok';
  }

  remove(path: string, recursive: boolean): 'ok' | 'enoent' | 'eisdir' {
    const p = normalizePath(path);
    // MemFileSystem: removing `/` is refused without -r and a no-op with it.
    if (p === '/') return recursive ? 'ok' : 'eisdir';
    if (this.resolve(parentOf(p))?.kind !== 'dir') return 'enoent';
    const r = this.resolve(p);
    if (r === undefined) return 'enoent';
    if (r.kind === 'dir' && !recursive) return 'eisdir';
    this.delta -= this.bytesUnder(p);
    const prefix = `${p}/`;
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
    this.entries.set(p, { kind: 'gone' });
    return 'ok';
  }

  list(path: string): string[] | undefined {
    const p = normalizePath(path);
    if (this.resolve(p)?.kind !== 'dir') return undefined;
    return this.children(p);
  }

  size(): number {
    return this.live.size() + this.delta;
  }
}
