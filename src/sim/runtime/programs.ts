/**
 * Executables in a container filesystem and how a name is found on PATH. An executable is
 * a file whose content starts with `EXE_MARK` followed by the program's name: `busybox` (a
 * multi-call binary that runs the applet named like the file), `nginx`, or a program the
 * image registers with the kernel (a scenario image's own server).
 */
import type { FileSystem } from '../../model/runtime.ts';
import { APPLETS, type Applet, type Ctx } from './applets.ts';
import { normalizePath } from './fs.ts';
import type { Gen, Kernel } from './kernel.ts';

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

/** Runs applet `name` of busybox with `argv`. */
export function runApplet(name: string, argv: string[], ctx: Ctx): Gen<number> {
  const a = APPLETS[name];
  if (!a) throw new Error(`no applet ${name}`);
  return a(ctx, argv);
}

/** What looking a command up found. */
export type Lookup =
  | { kind: 'program'; path: string; run: Program }
  | { kind: 'script'; path: string; text: string }
  | { kind: 'missing' }
  | { kind: 'denied'; path: string };

const programsOf = new WeakMap<Kernel, Record<string, Program>>();

/** Registers programs beyond busybox for one process tree (nginx, a scenario server). */
export function registerPrograms(k: Kernel, programs: Record<string, Program>): void {
  programsOf.set(k, { ...(programsOf.get(k) ?? {}), ...programs });
}

/** The program an executable file runs, if the file is executable. */
function programOf(k: Kernel, path: string, content: string): Program | undefined {
  const name = content.slice(EXE_MARK.length).split('\n')[0]!;
  if (name === 'busybox') {
    const base = path.split('/').pop()!;
    if (base === 'busybox') {
      return (ctx, argv) => {
        const applet = argv[1];
        if (applet === undefined || !APPLETS[applet]) {
          ctx.io.err.write(
            applet === undefined
              ? 'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n'
              : `${applet}: applet not found\n`,
          );
          return failed(applet === undefined ? 0 : 127);
        }
        return APPLETS[applet]!(ctx, argv.slice(1));
      };
    }
    return APPLETS[base];
  }
  return programsOf.get(k)?.[name];
}

// biome-ignore lint/correctness/useYield: a program that ends before doing anything
function* failed(code: number): Gen<number> {
  return code;
}

/** Looks `name` up the way execvp/ash do: by path if it has a slash, else along PATH. */
export function findCommand(k: Kernel, name: string, cwd: string, pathVar: string): Lookup {
  const fs: FileSystem = k.host.fs;
  const check = (path: string): Lookup | undefined => {
    if (!fs.exists(path)) return undefined;
    if (fs.isDirectory(path)) return { kind: 'denied', path };
    const content = fs.readFile(path) ?? '';
    if (content.startsWith(EXE_MARK)) {
      const run = programOf(k, path, content);
      return run ? { kind: 'program', path, run } : { kind: 'denied', path };
    }
    if (content.startsWith('#!')) {
      const interp = content.slice(2).split('\n')[0]!.trim().split(/\s+/)[0] ?? '';
      if (/(^|\/)(ba|a|da)?sh$/.test(interp)) return { kind: 'script', path, text: content };
    }
    return { kind: 'denied', path };
  };
  if (name.includes('/')) return check(normalizePath(name, cwd)) ?? { kind: 'missing' };
  if (name === '') return { kind: 'missing' };
  for (const dir of pathVar.split(':')) {
    const found = check(normalizePath(`${dir || '.'}/${name}`, cwd));
    // ash skips non-executable matches and keeps searching PATH.
    if (found && found.kind !== 'denied') return found;
  }
  return { kind: 'missing' };
}
