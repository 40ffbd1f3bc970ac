/**
 * Executables in a container filesystem and how a name is found on PATH. An executable is
 * a file whose content starts with `EXE_MARK` followed by the program's name: `busybox` (a
 * multi-call binary that runs the applet named like the file), `nginx`, or a program the
 * image registers with the kernel (a scenario image's own server).
 */

import type { FileSystem } from '../../model/runtime.ts';
import { memoize } from '../util.ts';
import { type Applet, type Ctx, now } from './applet.ts';
import { normalizePath } from './fs.ts';
import { type Gen, type Kernel, nullProto } from './kernel.ts';

/** The first bytes of every simulated executable file. */
export const EXE_MARK = '\u007fELF ';

/** The content of an executable file for program `name`. */
export function exeContent(name: string): string {
  return `${EXE_MARK}${name}\n`;
}

/** A program: receives its argv and runs as a generator. */
export type Program = Applet;

/** Applets that ash runs as builtins: found even when /bin is gone, never forked. */
export const SHELL_BUILTIN_APPLETS = new Set([
  'echo',
  'printf',
  'test',
  '[',
  '[[',
  'true',
  'false',
  ':',
  'kill',
  'pwd',
]);

/** What one process tree can run: its busybox's applets and the image's own programs. */
interface ProgramTables {
  applets: Record<string, Applet>;
  programs: Record<string, Program> | undefined;
}

/**
 * The tables by kernel, installed when the image spawns the tree. They live here, not on the
 * kernel, so that the kernel knows nothing of applets (no import cycle through the contract).
 */
const tablesOf = new WeakMap<Kernel, ProgramTables>();

const NO_TABLES: ProgramTables = { applets: nullProto<Applet>({}), programs: undefined };

/** One tables object per (applets, programs) pair: lookups stay memoised across the trees of one image. */
const shared = new WeakMap<object, ProgramTables>();

function tables(k: Kernel): ProgramTables {
  return tablesOf.get(k) ?? NO_TABLES;
}

/** Installs what a new process tree can run: the busybox applet table, and the image's programs (nginx, a scenario server). */
export function installPrograms(
  k: Kernel,
  applets: Record<string, Applet>,
  programs: Record<string, Program> | undefined,
): void {
  const key = programs ?? applets;
  let t = shared.get(key);
  if (t === undefined || t.applets !== applets) {
    t = { applets, programs };
    shared.set(key, t);
  }
  tablesOf.set(k, t);
}

/** busybox's applet `name` in this process tree, if it has one. */
export function busyboxApplet(k: Kernel, name: string): Applet | undefined {
  return tables(k).applets[name];
}

/** Runs applet `name` of busybox with `argv`. */
export function runApplet(name: string, argv: string[], ctx: Ctx): Gen<number> {
  const a = busyboxApplet(ctx.k, name);
  if (!a) throw new Error(`no applet ${name}`);
  return a(ctx, argv);
}

/** What looking a command up found. */
export type Lookup =
  | { kind: 'program'; path: string; run: Program }
  | { kind: 'script'; path: string; text: string }
  | { kind: 'missing' }
  | { kind: 'denied'; path: string };

/** The `busybox` executable itself: runs the applet named by its first argument. */
const busyboxMain: Program = (ctx, argv) => {
  const applet = argv[1];
  const run = applet === undefined ? undefined : busyboxApplet(ctx.k, applet);
  if (run === undefined) {
    ctx.io.err.write(
      applet === undefined
        ? 'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n'
        : `${applet}: applet not found\n`,
    );
    return now(applet === undefined ? 0 : 127);
  }
  return run(ctx, argv.slice(1));
};

/**
 * The program name an executable's content names (after `EXE_MARK`, up to the line end);
 * memoised: a handful of distinct contents ever occur.
 */
const exeName = memoize((content) => content.slice(EXE_MARK.length).split('\n')[0]!, 256);

/** The program an executable file runs, if the file is executable. */
function programOf(k: Kernel, path: string, content: string): Program | undefined {
  const name = exeName(content);
  if (name === 'busybox') {
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (base === 'busybox') return busyboxMain;
    return busyboxApplet(k, base);
  }
  return tables(k).programs?.[name];
}

/** PATH values split into directories (a few distinct values per run). */
const splitPath = memoize((pathVar) => pathVar.split(':'), 256);

/** What `path` (normalised) is as a command: undefined when nothing is there. */
function checkCommand(k: Kernel, fs: FileSystem, path: string): Lookup | undefined {
  const content = fs.readFile(path);
  if (content === undefined) return fs.isDirectory(path) ? { kind: 'denied', path } : undefined;
  if (content.startsWith(EXE_MARK)) {
    const run = programOf(k, path, content);
    return run ? { kind: 'program', path, run } : { kind: 'denied', path };
  }
  if (content.startsWith('#!')) {
    const interp = content.slice(2).split('\n')[0]!.trim().split(/\s+/)[0] ?? '';
    if (/(^|\/)(ba|a|da)?sh$/.test(interp)) return { kind: 'script', path, text: content };
  }
  return { kind: 'denied', path };
}

/**
 * Lookups per filesystem by PATH, working directory and name, valid while the filesystem's
 * `version` and the process tree's program tables stay the same.
 */
const lookups = new WeakMap<
  FileSystem,
  { version: number; tables: ProgramTables; byPath: Map<string, Map<string, Map<string, Lookup>>> }
>();

/**
 * Looks `name` up the way execvp/ash do: by path if it has a slash, else along PATH;
 * remembered until the filesystem changes (an exec probe searches PATH every second).
 */
export function findCommand(k: Kernel, name: string, cwd: string, pathVar: string): Lookup {
  const fs = k.host.fs;
  const version = fs.version;
  if (version === undefined) return searchCommand(k, name, cwd, pathVar);
  let memo = lookups.get(fs);
  const current = tables(k);
  if (!memo || memo.version !== version || memo.tables !== current) {
    memo = { version, tables: current, byPath: new Map() };
    lookups.set(fs, memo);
  }
  // Nested maps, not a joined key: the same strings come back, their hashes already known.
  let byCwd = memo.byPath.get(pathVar);
  if (!byCwd) {
    if (memo.byPath.size >= 16) memo.byPath.clear();
    byCwd = new Map();
    memo.byPath.set(pathVar, byCwd);
  }
  let byName = byCwd.get(cwd);
  if (!byName) {
    if (byCwd.size >= 64) byCwd.clear();
    byName = new Map();
    byCwd.set(cwd, byName);
  }
  let found = byName.get(name);
  if (found === undefined) {
    found = searchCommand(k, name, cwd, pathVar);
    if (byName.size >= 256) byName.clear();
    byName.set(name, found);
  }
  return found;
}

function searchCommand(k: Kernel, name: string, cwd: string, pathVar: string): Lookup {
  const fs: FileSystem = k.host.fs;
  if (name.includes('/')) return checkCommand(k, fs, normalizePath(name, cwd)) ?? { kind: 'missing' };
  if (name === '') return { kind: 'missing' };
  for (const dir of splitPath(pathVar)) {
    const found = checkCommand(k, fs, normalizePath(`${dir || '.'}/${name}`, cwd));
    // ash skips non-executable matches and keeps searching PATH.
    if (found && found.kind !== 'denied') return found;
  }
  return { kind: 'missing' };
}
