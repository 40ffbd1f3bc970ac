/**
 * The applet contract: what a busybox applet (or any program of an image) runs with, and the
 * small helpers every applet family shares. A leaf of the runtime: the shell, the program
 * lookup and the applet families import it; it needs only the kernel's and io's types.
 */
import { normalizePath } from './fs.ts';
import type { Io } from './io.ts';
import type { Gen, Kernel } from './kernel.ts';

/** What an applet runs with. */
export interface Ctx {
  k: Kernel;
  /** The shell that started it (absent for exec-form processes). */
  sh?: ParentShell;
  io: Io;
  env: Record<string, string>;
  cwd: string;
  /** The name busybox prefixes messages with when the applet runs as an ash builtin (`sh`). */
  msgName?: string;
}

/** What an applet may ask of the shell that started it (shell/interp.ts `Shell`). */
export interface ParentShell {
  readonly pid: number;
  readonly isMain: boolean;
  /** Runs a command through the shell's own lookup (builtins, functions, PATH). */
  external(argv: string[], io: Io, env: Record<string, string>): Gen<number>;
}

/** An applet: argv (argv[0] its name) in, exit status out. */
export type Applet = (ctx: Ctx, argv: string[]) => Gen<number>;

// biome-ignore lint/correctness/useYield: applets that never wait return at once
export function* now(code: number): Gen<number> {
  return code;
}

/** Wraps a synchronous applet body. */
export function sync(fn: (c: Ctx, argv: string[]) => number): Applet {
  return (c, argv) => now(fn(c, argv));
}

/** Writes to the applet's stdout. */
export const out = (c: Ctx, s: string) => c.io.out.write(s);

/** Writes to the applet's stderr. */
export const err = (c: Ctx, s: string) => c.io.err.write(s);

/** `p` as an absolute path from the applet's working directory. */
export const abs = (c: Ctx, p: string) => normalizePath(p, c.cwd);

/** How an applet's options look, for `flags`. */
export interface FlagSpec {
  /** Letters that take a value: attached (`-p8080`) or the next argument (`-p 8080`). */
  value?: string;
  /** Every letter the applet knows; when given, any other letter is an error (`unknown`). */
  known?: string;
  /** GNU getopt's permutation: operands may come between options (nc, curl); else options end at the first operand. */
  permute?: boolean;
  /** Long options as aliases of a letter (`--output` for `o`), a value in the next argument. Without it, `--xy` is the letters `-`, `x`, `y`. */
  long?: Record<string, string>;
}

/** What `flags` found. */
export interface ParsedFlags {
  /** Each letter seen, with its last value ('' for a letter without one). */
  opts: Map<string, string>;
  /** Every option in order, repeats included (`-H a -H b`, `-vv`). */
  seen: { flag: string; value: string }[];
  /** The operands. */
  rest: string[];
  /** The first unknown option (`x` for a letter, the whole argument for a long option); parsing stopped there. */
  unknown?: string;
}

/**
 * The one option parser of the runtime's applets and programs, getopt(3)-style as busybox's
 * getopt32 (libbb/getopt32.c) uses it: clustered letters (`-abc`), values attached or in the
 * next argument, `--` ends the options, a lone `-` is an operand. `spec` as a string lists the
 * letters that take a value (the usual busybox applet: no permutation, unknown letters ignored).
 */
export function flags(argv: string[], spec: string | FlagSpec = ''): ParsedFlags {
  const { value = '', known, permute = false, long } = typeof spec === 'string' ? { value: spec } : spec;
  const opts = new Map<string, string>();
  const seen: { flag: string; value: string }[] = [];
  const rest: string[] = [];
  const take = (flag: string, v: string) => {
    opts.set(flag, v);
    seen.push({ flag, value: v });
  };
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      if (!permute) break;
      rest.push(a);
      continue;
    }
    if (long && a.startsWith('--')) {
      const flag = Object.hasOwn(long, a) ? long[a] : undefined;
      if (flag === undefined) return { opts, seen, rest, unknown: a };
      take(flag, value.includes(flag) ? argv[++i] || '' : '');
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      if (known !== undefined && !known.includes(f)) return { opts, seen, rest, unknown: f };
      if (value.includes(f)) {
        take(f, a.slice(j + 1) || argv[++i] || '');
        break;
      }
      take(f, '');
    }
  }
  rest.push(...argv.slice(i));
  return { opts, seen, rest };
}
