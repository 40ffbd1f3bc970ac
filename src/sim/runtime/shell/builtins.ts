/** ash's builtins: cd, trap, wait, eval, ., read, set, local, shift, export, exit, break, return, exec, command -v/type. */
import type { Signal } from '../../../model/runtime.ts';
import { now } from '../applet.ts';
import { normalizePath } from '../fs.ts';
import type { Io } from '../io.ts';
import { type Gen, nullProto, parseSignal, SIGNAL_NUMBERS } from '../kernel.ts';
import { findCommand, runApplet, SHELL_BUILTIN_APPLETS } from '../programs.ts';
import { DEFAULT_PATH, ExitNow, ExpandingShell, FuncReturn, LoopCtl } from './expand.ts';

/** The shell with its builtins; the interpreter (interp.ts) runs commands. */
export abstract class BuiltinShell extends ExpandingShell {
  /** `cd DIR`. */
  cd(argv: string[], io: Io): number {
    const target = argv[1] ?? this.vars.get('HOME') ?? '/';
    const dir = target === '-' ? (this.vars.get('OLDPWD') ?? this.cwd) : target;
    const path = normalizePath(dir, this.cwd);
    if (!this.k.host.fs.isDirectory(path)) {
      const why = this.k.host.fs.exists(path) ? 'Not a directory' : 'No such file or directory';
      this.error(io, `can't cd to ${target}: ${why}`, 'cd');
      return 2;
    }
    this.vars.set('OLDPWD', this.cwd);
    this.cwd = path;
    this.vars.set('PWD', path);
    if (target === '-') io.out.write(`${path}\n`);
    return 0;
  }

  /** `trap [-p] ['handler'|-|''] SIG...`. */
  trap(argv: string[], io: Io): number {
    const args = argv.slice(1);
    if (args[0] === '--') args.shift();
    if (args.length === 0 || args[0] === '-p') {
      // trapcmd(): by signal number, `trap -- 'action' NAME`.
      const num = (sig: string) => (sig === 'EXIT' ? 0 : SIGNAL_NUMBERS[sig as Signal]);
      for (const [sig, h] of [...this.traps].sort((a, b) => num(a[0]) - num(b[0]))) {
        io.out.write(`trap -- ${shellQuoteAlways(h)} ${sig.replace(/^SIG/, '')}\n`);
      }
      return 0;
    }
    // "trap NUM [sig2]..." and a lone operand are resets, as "trap - ...".
    let handler: string | undefined;
    let sigs = args;
    if (args.length > 1 && !/^\d+$/.test(args[0]!)) {
      handler = args[0]!;
      sigs = args.slice(1);
    }
    if (handler === '-') handler = undefined;
    let st = 0;
    for (const s of sigs) {
      const sig = parseSignal(s);
      if (sig === undefined) {
        // ash mimics bash here, and goes on with the next operand.
        this.error(io, `${s}: invalid signal specification`, 'trap');
        st = 1;
        continue;
      }
      if (handler === undefined) this.traps.delete(sig);
      else {
        this.traps.set(sig, handler);
        if (handler !== '') this.mayHaveTraps = true;
      }
    }
    return st;
  }

  /** `wait [PID...]`: for background jobs; a trapped signal interrupts it (128+N). */
  *wait(argv: string[]): Gen<number> {
    const pids =
      argv.length > 1 ? argv.slice(1).map((a) => Number.parseInt(a, 10)) : this.k.runningBackground();
    const live = pids.filter((p) => this.k.alive(p));
    if (live.length > 0) {
      yield { kind: 'wait', pids: live };
      if (this.k.takeInterrupt()) {
        const sig = this.k.pending[0];
        return 128 + (sig ? SIGNAL_NUMBERS[sig] : 15);
      }
    }
    if (argv.length > 1) return this.k.statusOf(pids.at(-1)!);
    return 0;
  }

  /** `eval ARGS`. */
  *eval(argv: string[], io: Io): Gen<number> {
    return yield* this.evalString(argv.slice(1).join(' '), io);
  }

  /** `. FILE` / `source FILE`. */
  *source(argv: string[], io: Io): Gen<number> {
    const f = argv[1];
    if (f === undefined) return 0;
    const text = this.k.host.fs.readFile(normalizePath(f, this.cwd));
    if (text === undefined) {
      this.error(io, `can't open '${f}': No such file or directory`, argv[0]);
      throw new ExitNow(2);
    }
    return yield* this.evalString(text, io);
  }

  /** `read [-r] VAR...`. */
  read(argv: string[], io: Io): number {
    const names = argv.slice(1).filter((a) => !a.startsWith('-'));
    const raw = argv.includes('-r');
    let line = io.stdin.readLine();
    if (line === undefined) {
      for (const n of names) this.vars.set(n, '');
      return 1;
    }
    if (!raw) line = line.replace(/\\(.)/g, '$1');
    const targets = names.length > 0 ? names : ['REPLY'];
    const parts = line.trim().split(/[ \t]+/);
    targets.forEach((n, i) => {
      const last = i === targets.length - 1;
      this.vars.set(n, last ? parts.slice(i).join(' ') : (parts[i] ?? ''));
    });
    return 0;
  }

  /** `set [-e|+e] [-- args]`. */
  set(argv: string[], io: Io): number {
    if (argv.length === 1) {
      for (const [n, v] of [...this.vars].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        io.out.write(`${n}='${v.replace(/'/g, `'"'"'`)}'\n`);
      }
      return 0;
    }
    let i = 1;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (!/^[-+][a-zA-Z]+$/.test(a)) break;
      this.setFlags(a);
    }
    if (i < argv.length || argv.includes('--')) this.positional = argv.slice(i);
    return 0;
  }

  /** Applies `-e`/`+e`, `-u`, `-x` (`set`, and `sh` options). */
  setFlags(a: string): void {
    const on = a.startsWith('-');
    if (a.includes('e')) this.errexit = on;
    if (a.includes('u')) this.nounset = on;
    if (a.includes('x')) this.xtrace = on;
  }

  /** `local NAME[=VALUE]...`: the old value comes back when the function returns. */
  local(argv: string[], io: Io): number {
    const frame = this.locals.at(-1);
    if (frame === undefined) {
      this.error(io, 'not in a function', 'local');
      return 2;
    }
    for (const a of argv.slice(1)) {
      const n = a.split('=')[0]!;
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(n) && !frame.has(n)) frame.set(n, this.vars.get(n));
    }
    return this.exportVars(argv, io, false);
  }

  /** `shift [N]`. */
  shift(argv: string[], io: Io): number {
    const n = argv[1] === undefined ? 1 : Number.parseInt(argv[1], 10);
    if (Number.isNaN(n) || n < 0) {
      this.error(io, `Illegal number: ${argv[1]}`, 'shift');
      throw new ExitNow(2);
    }
    if (n > this.positional.length) return 1;
    this.positional = this.positional.slice(n);
    return 0;
  }

  /** `export`/`readonly`/`local NAME[=VALUE]...`. */
  exportVars(argv: string[], io: Io, mark: boolean): number {
    const args = argv.slice(1).filter((a) => a !== '-p' && a !== '-n');
    if (args.length === 0 && mark) {
      for (const n of [...this.exported].sort()) {
        const v = this.vars.get(n);
        if (v !== undefined) io.out.write(`export ${n}='${v.replace(/'/g, `'"'"'`)}'\n`);
      }
      return 0;
    }
    for (const a of args) {
      const eq = a.indexOf('=');
      const n = eq < 0 ? a : a.slice(0, eq);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(n)) {
        this.error(io, `${a}: bad variable name`, argv[0]);
        throw new ExitNow(2);
      }
      if (eq >= 0) this.vars.set(n, a.slice(eq + 1));
      if (mark) this.exported.add(n);
    }
    return 0;
  }

  /** `exit [N]`. */
  exit(argv: string[], io: Io): never {
    const a = argv[1];
    if (a === undefined) throw new ExitNow(this.status);
    if (!/^-?\d+$/.test(a)) {
      this.error(io, `Illegal number: ${a}`, 'exit');
      throw new ExitNow(2);
    }
    throw new ExitNow(Number(a) & 255);
  }

  /** `break`/`continue` [N]. */
  loopCtl(kind: 'break' | 'continue', argv: string[]): number {
    if (this.loopDepth === 0) return 0;
    const n = Math.min(Math.max(1, Number.parseInt(argv[1] ?? '1', 10) || 1), this.loopDepth);
    throw new LoopCtl(kind, n);
  }

  /** `return [N]`. */
  ret(argv: string[]): never {
    throw new FuncReturn(argv[1] === undefined ? this.status : Number.parseInt(argv[1], 10) & 255);
  }

  /** `exec CMD...`: runs CMD and the shell ends with its status. */
  *exec(argv: string[], io: Io): Gen<number> {
    if (argv.length === 1) return 0;
    const rest = argv.slice(1);
    const st = SHELL_BUILTIN_APPLETS.has(rest[0]!)
      ? yield* runApplet(rest[0]!, rest, {
          k: this.k,
          sh: this,
          io,
          env: this.environment(),
          cwd: this.cwd,
          msgName: this.appletName,
        })
      : this.isMain
        ? yield* this.execMain(rest, io)
        : yield* this.external(rest, io, this.environment());
    throw new ExitNow(st);
  }

  /** `exec` in the main shell: a shell started by it becomes the process signals go to. */
  protected *execMain(argv: string[], io: Io): Gen<number> {
    this.k.execHandoff = true;
    try {
      return yield* this.external(argv, io, this.environment());
    } finally {
      this.k.execHandoff = false;
    }
  }

  /** `command [-v] NAME...` and `type NAME...`. */
  describe(argv: string[], io: Io, style: 'v' | 'type'): number {
    let st = 0;
    for (const n of argv.slice(1).filter((a) => !a.startsWith('-'))) {
      if (BUILTINS[n] || SHELL_BUILTIN_APPLETS.has(n)) {
        io.out.write(style === 'v' ? `${n}\n` : `${n} is a shell builtin\n`);
        continue;
      }
      if (this.funcs.has(n)) {
        io.out.write(style === 'v' ? `${n}\n` : `${n} is a function\n`);
        continue;
      }
      const f = findCommand(this.k, n, this.cwd, this.vars.get('PATH') ?? DEFAULT_PATH);
      if (f.kind === 'program' || f.kind === 'script')
        io.out.write(style === 'v' ? `${f.path}\n` : `${n} is ${f.path}\n`);
      else {
        if (style === 'type') io.out.write(`${n}: not found\n`);
        st = 127;
      }
    }
    return st;
  }

  /** Runs a command through the shell's lookup (interp.ts). */
  abstract external(argv: string[], io: Io, env: Record<string, string>): Gen<number>;

  /** Runs a script text in this shell (interp.ts). */
  protected abstract evalString(src: string, io: Io): Gen<number>;
}

type Builtin = (sh: BuiltinShell, argv: string[], io: Io) => Gen<number>;

/** Builtins of ash that are not separate programs. */
export const BUILTINS: Record<string, Builtin> = nullProto<Builtin>({
  cd: (sh, a, io) => now(sh.cd(a, io)),
  exit: (sh, a, io) => sh.exit(a, io),
  export: (sh, a, io) => now(sh.exportVars(a, io, true)),
  readonly: (sh, a, io) => now(sh.exportVars(a, io, false)),
  local: (sh, a, io) => now(sh.local(a, io)),
  unset: (sh, a) => {
    for (const n of a.slice(1).filter((x) => !x.startsWith('-'))) {
      sh.vars.delete(n);
      sh.funcs.delete(n);
    }
    return now(0);
  },
  set: (sh, a, io) => now(sh.set(a, io)),
  shift: (sh, a, io) => now(sh.shift(a, io)),
  trap: (sh, a, io) => now(sh.trap(a, io)),
  wait: (sh, a) => sh.wait(a),
  eval: (sh, a, io) => sh.eval(a, io),
  '.': (sh, a, io) => sh.source(a, io),
  source: (sh, a, io) => sh.source(a, io),
  read: (sh, a, io) => now(sh.read(a, io)),
  break: (sh, a) => now(sh.loopCtl('break', a)),
  continue: (sh, a) => now(sh.loopCtl('continue', a)),
  return: (sh, a) => sh.ret(a),
  exec: (sh, a, io) => sh.exec(a, io),
  command: (sh, a, io) => {
    if (a[1] === '-v' || a[1] === '-V') return now(sh.describe(a, io, 'v'));
    const rest = a.slice(1);
    if (rest.length === 0) return now(0);
    const env = sh.environment();
    return SHELL_BUILTIN_APPLETS.has(rest[0]!)
      ? runApplet(rest[0]!, rest, { k: sh.k, sh, io, env, cwd: sh.cwd, msgName: sh.appletName })
      : sh.external(rest, io, env);
  },
  type: (sh, a, io) => now(sh.describe(a, io, 'type')),
  umask: (_sh, a, io) => {
    if (a.length === 1) io.out.write('0022\n');
    return now(0);
  },
});

/** POSIX special builtins: their assignments persist, errors are fatal. */
export const SPECIAL = new Set([
  'exit',
  'export',
  'readonly',
  'set',
  'shift',
  'trap',
  'eval',
  '.',
  'return',
  'break',
  'continue',
  'exec',
  'unset',
  'local',
]);

/** ash's quoting in `set -x` traces: words with special characters in single quotes. */
export function shellQuote(w: string): string {
  if (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'"'"'`)}'`;
}

/** busybox single_quote(): always quoted, `'` as `'"'"'`. */
export function shellQuoteAlways(w: string): string {
  return `'${w.replace(/'/g, `'"'"'`)}'`;
}
