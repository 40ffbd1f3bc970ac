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

/** Splits `-abc` style flags (until `--` or the first operand). */
export function flags(argv: string[], withValue = ''): { opts: Map<string, string>; rest: string[] } {
  const opts = new Map<string, string>();
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!a.startsWith('-') || a === '-') break;
    for (let j = 1; j < a.length; j++) {
      const f = a[j]!;
      if (withValue.includes(f)) {
        const v = a.slice(j + 1) || argv[++i] || '';
        opts.set(f, v);
        break;
      }
      opts.set(f, '');
    }
  }
  return { opts, rest: argv.slice(i) };
}
