/**
 * A copy-on-write view of a container's filesystem for shadow execs (an exec whose effects are
 * discarded): reads fall through to the live filesystem, writes, new directories and removals
 * stay in the overlay. Like `kubectl exec`, the command sees what the container writes while it
 * runs; unlike it, nothing it writes ever reaches the container. Nothing is copied up front.
 */
import type { FileSystem, Image } from '../../model/runtime.ts';
import { MemFileSystem, normalizePath } from '../runtime/fs.ts';
import { memoize } from '../util.ts';

type Entry =
  /** A file written by the overlay. */
  | { kind: 'file'; content: string }
  /** A directory created by the overlay: nothing of the live filesystem shows below it. */
  | { kind: 'dir' }
  /** Removed by the overlay. */
  | { kind: 'gone' };

type Resolved = { kind: 'file'; content: string } | { kind: 'dir' } | undefined;

/** `normalizePath(path)`, memoised (containers read the same few paths over and over). */
const norm = memoize((path) => normalizePath(path), 4096);

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
  /**
   * Whether an entry may hide live content below it (a removal, a new directory, a file over
   * either; over a frozen tree, only an entry over one of its directories).
   */
  private hides = false;

  /** Lookups in `live` by path, when `live` never changes (an image tree shared by runs). */
  private readonly memo: Map<string, Resolved | null> | undefined;
  /** Entries set so far (every change of the overlay sets one). */
  private changes = 0;

  /** Changes with the overlay's own changes and with `live`'s (a frozen tree has none). */
  get version(): number | undefined {
    if (this.memo) return this.changes;
    const live = this.live.version;
    return live === undefined ? undefined : this.changes + live;
  }

  constructor(
    private readonly live: FileSystem,
    private readonly maxBytes: number,
    frozen = false,
  ) {
    if (frozen) {
      let m = lookups.get(live);
      if (!m) {
        m = new Map();
        lookups.set(live, m);
      }
      this.memo = m;
    }
  }

  /** What `path` is in `live` (memoised for a frozen tree: PATH searches repeat endlessly). */
  private inLive(path: string): Resolved {
    const memo = this.memo;
    const hit = memo?.get(path);
    if (hit !== undefined) return hit ?? undefined;
    const content = this.live.readFile(path);
    const r: Resolved =
      content !== undefined
        ? { kind: 'file', content }
        : this.live.isDirectory(path)
          ? { kind: 'dir' }
          : undefined;
    if (memo) {
      if (memo.size >= 8192) memo.clear();
      memo.set(path, r ?? null);
    }
    return r;
  }

  /** What `path` (normalised) is in the merged view. */
  private resolve(path: string): Resolved {
    if (this.entries.size > 0) {
      const own = this.entries.get(path);
      if (own) return own.kind === 'gone' ? undefined : own;
      // An ancestor replaced by the overlay hides the live filesystem below it.
      if (this.hides) {
        for (let p = path; p !== '/'; ) {
          p = parentOf(p);
          if (this.entries.has(p)) return undefined;
        }
      }
    }
    return this.inLive(path);
  }

  private set(path: string, e: Entry): void {
    if (!this.hides) {
      if (this.memo) {
        // A frozen tree never gains content: only an entry over one of its directories can hide
        // anything (a directory created where the image has none, like nginx's `mkdir -p
        // /var/run`, hides nothing, so reads need not walk their parents).
        if (this.inLive(path)?.kind === 'dir') this.hides = true;
      } else if (e.kind !== 'file' || (this.entries.get(path)?.kind ?? 'file') !== 'file') {
        this.hides = true;
      }
    }
    this.entries.set(path, e);
    this.changes++;
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

  private fileIn(path: string): string | undefined {
    if (!this.memo) return this.live.readFile(path);
    const r = this.inLive(path);
    return r?.kind === 'file' ? r.content : undefined;
  }

  readFile(path: string): string | undefined {
    if (this.entries.size === 0) return this.fileIn(path);
    const p = norm(path);
    if (!this.hides && !this.entries.has(p)) return this.fileIn(p);
    const r = this.resolve(p);
    return r?.kind === 'file' ? r.content : undefined;
  }

  writeFile(path: string, content: string, append = false): 'ok' | 'enoent' | 'eisdir' | 'budget' | 'erofs' {
    const p = norm(path);
    if (p === '/') return 'eisdir';
    if (this.live.readOnly?.(p)) return 'erofs';
    if (this.resolve(parentOf(p))?.kind !== 'dir') return 'enoent';
    const existing = this.resolve(p);
    if (existing?.kind === 'dir') return 'eisdir';
    const old = existing?.kind === 'file' ? existing.content : '';
    const next = append ? old + content : content;
    const grow = next.length - old.length;
    if (grow > 0 && this.size() + grow > this.maxBytes) return 'budget';
    this.delta += grow;
    this.set(p, { kind: 'file', content: next });
    return 'ok';
  }

  exists(path: string): boolean {
    if (this.entries.size === 0) return this.memo ? this.inLive(path) !== undefined : this.live.exists(path);
    const p = norm(path);
    if (!this.hides && !this.entries.has(p))
      return this.memo ? this.inLive(p) !== undefined : this.live.exists(p);
    return this.resolve(p) !== undefined;
  }

  isDirectory(path: string): boolean {
    if (this.entries.size === 0)
      return this.memo ? this.inLive(path)?.kind === 'dir' : this.live.isDirectory(path);
    const p = norm(path);
    const own = this.entries.get(p);
    if (own === undefined && !this.hides)
      return this.memo ? this.inLive(p)?.kind === 'dir' : this.live.isDirectory(p);
    return this.resolve(p)?.kind === 'dir';
  }

  mkdir(path: string, parents: boolean): 'ok' | 'enoent' | 'eexist' | 'erofs' {
    const p = norm(path);
    if (this.live.readOnly?.(p) && !this.live.isDirectory(p)) return 'erofs';
    if (parents) {
      const parts = p.split('/').filter((x) => x !== '');
      let cur = '';
      for (const part of parts) {
        cur = `${cur}/${part}`;
        const r = this.resolve(cur);
        if (r === undefined) this.set(cur, { kind: 'dir' });
        else if (r.kind !== 'dir') return 'eexist';
      }
      return 'ok';
    }
    if (p === '/') return 'eexist';
    if (this.resolve(parentOf(p))?.kind !== 'dir') return 'enoent';
    if (this.resolve(p) !== undefined) return 'eexist';
    this.set(p, { kind: 'dir' });
    return 'ok';
  }

  remove(path: string, recursive: boolean): 'ok' | 'enoent' | 'eisdir' | 'erofs' {
    const p = norm(path);
    if (this.live.readOnly?.(p)) return 'erofs';
    // MemFileSystem: removing `/` is refused without -r and a no-op with it.
    if (p === '/') return recursive ? 'ok' : 'eisdir';
    if (this.resolve(parentOf(p))?.kind !== 'dir') return 'enoent';
    const r = this.resolve(p);
    if (r === undefined) return 'enoent';
    if (r.kind === 'dir' && !recursive) return 'eisdir';
    this.delta -= this.bytesUnder(p);
    const prefix = `${p}/`;
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
    this.set(p, { kind: 'gone' });
    return 'ok';
  }

  list(path: string): string[] | undefined {
    if (this.entries.size === 0) return this.live.list(path);
    const p = norm(path);
    if (this.resolve(p)?.kind !== 'dir') return undefined;
    return this.children(p);
  }

  size(): number {
    return this.live.size() + this.delta;
  }

  /** A live link, unless the overlay replaced or removed it (the overlay makes no links). */
  linkTarget(path: string): string | undefined {
    const p = norm(path);
    if (this.entries.has(p) || (this.hides && this.resolve(p) === undefined)) return undefined;
    return this.live.linkTarget?.(p);
  }

  /** Live bits; a file the overlay wrote has none of its own (ls shows the default). */
  modeOf(path: string): number | undefined {
    const p = norm(path);
    if (this.entries.has(p)) return undefined;
    return this.live.modeOf?.(p);
  }

  readOnly(path: string): boolean {
    return this.live.readOnly?.(norm(path)) === true;
  }
}

/** Memoised lookups of frozen trees (image content), shared by their overlays. */
const lookups = new WeakMap<FileSystem, Map<string, Resolved | null>>();

/** Each image's content, built once per budget and never written (only read through overlays). */
const bases = new WeakMap<Image, Map<number, FileSystem>>();

/**
 * A container's fresh filesystem (`Image.newFilesystem`): for the runtime's images, an overlay
 * over the image's content built once, so a container start copies nothing (a crash loop starts
 * thousands). Other filesystems (scripted test images) are built each time as before.
 */
export function freshFilesystem(image: Image, maxBytes: number): FileSystem {
  let byBudget = bases.get(image);
  const base = byBudget?.get(maxBytes);
  if (base) return new OverlayFileSystem(base, maxBytes, true);
  const fs = image.newFilesystem(maxBytes);
  if (!(fs instanceof MemFileSystem)) return fs;
  if (!byBudget) {
    byBudget = new Map();
    bases.set(image, byBudget);
  }
  byBudget.set(maxBytes, fs);
  return new OverlayFileSystem(fs, maxBytes, true);
}
