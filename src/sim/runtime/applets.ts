/**
 * busybox 1.32 applets with their output texts and exit codes. Each applet is a generator
 * that yields only when it waits (sleep, a network timeout); everything else takes 0 s.
 */
import type { FileSystem } from '../../model/runtime.ts';
import { normalizePath } from './fs.ts';
import type { Io } from './io.ts';
import { type Gen, type Kernel, nullProto, parseSignal, SIGNAL_NUMBERS } from './kernel.ts';
import { httpdApplet, ncApplet, nslookupApplet, wgetApplet } from './net.ts';
import type { Shell } from './shell/interp.ts';
import { runShell } from './shell/interp.ts';
import { patternRegex } from './shell/pattern.ts';
import { formatDate, VIRTUAL_EPOCH_S } from './time.ts';

/** What an applet runs with. */
export interface Ctx {
  k: Kernel;
  /** The shell that started it (absent for exec-form processes). */
  sh?: Shell;
  io: Io;
  env: Record<string, string>;
  cwd: string;
  /** The name busybox prefixes messages with when the applet runs as an ash builtin (`sh`). */
  msgName?: string;
}

/** An applet: argv (argv[0] its name) in, exit status out. */
export type Applet = (ctx: Ctx, argv: string[]) => Gen<number>;

// biome-ignore lint/correctness/useYield: applets that never wait return at once
function* now(code: number): Gen<number> {
  return code;
}

/** Wraps a synchronous applet body. */
function sync(fn: (c: Ctx, argv: string[]) => number): Applet {
  return (c, argv) => now(fn(c, argv));
}

const out = (c: Ctx, s: string) => c.io.out.write(s);
const err = (c: Ctx, s: string) => c.io.err.write(s);
const abs = (c: Ctx, p: string) => normalizePath(p, c.cwd);

/** Splits `-abc` style flags (until `--` or the first operand). */
function flags(argv: string[], withValue = ''): { opts: Map<string, string>; rest: string[] } {
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

/** busybox `sleep` durations: N, N.N, with suffix s/m/h/d; several arguments add up. */
export function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(s);
  if (!m) return undefined;
  const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * mult * 1000);
}

function* sleep(c: Ctx, argv: string[]): Gen<number> {
  if (argv.length < 2) {
    err(
      c,
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: sleep [N]...\n\nPause for a time equal to the total of the args given, where each arg can\nhave an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays\n',
    );
    return 1;
  }
  // coreutils/sleep.c: "inf", "infinity" (any case) sleep forever.
  if (argv[1]!.toLowerCase().startsWith('inf')) {
    yield { kind: 'forever' };
    return 0;
  }
  let total = 0;
  for (const a of argv.slice(1)) {
    const ms = parseDuration(a);
    if (ms === undefined) {
      err(c, `sleep: invalid number '${a}'\n`);
      return 1;
    }
    total += ms;
  }
  yield { kind: 'sleep', until: c.k.clock + total };
  return 0;
}

function echoEscapes(s: string): { text: string; stop: boolean } {
  let text = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\' || i + 1 >= s.length) {
      text += ch;
      continue;
    }
    const n = s[++i]!;
    const map: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
      '\\': '\\',
      e: '\x1b',
    };
    if (n === 'c') return { text, stop: true };
    if (map[n] !== undefined) text += map[n];
    else if (n === '0') {
      const m = /^[0-7]{0,3}/.exec(s.slice(i + 1))![0];
      text += String.fromCharCode(Number.parseInt(m || '0', 8));
      i += m.length;
    } else text += `\\${n}`;
  }
  return { text, stop: false };
}

const echo = sync((c, argv) => {
  let i = 1;
  let newline = true;
  let escapes = false;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!/^-[neE]+$/.test(a)) break;
    for (const f of a.slice(1)) {
      if (f === 'n') newline = false;
      else if (f === 'e') escapes = true;
      else escapes = false;
    }
  }
  let text = argv.slice(i).join(' ');
  if (escapes) {
    const r = echoEscapes(text);
    text = r.text;
    if (r.stop) newline = false;
  }
  out(c, newline ? `${text}\n` : text);
  return 0;
});

/** `printf FORMAT ARGS`: %s %d %i %u %x %X %o %c %f %e %g %b %%, widths and flags. */
export function printfFormat(fmt: string, args: string[]): { text: string; errors: string[] } {
  let text = '';
  const errors: string[] = [];
  let ai = 0;
  let first = true;
  const stop = { v: false };
  while (first || (ai < args.length && ai > 0)) {
    first = false;
    const before = ai;
    for (let i = 0; i < fmt.length && !stop.v; i++) {
      const ch = fmt[i]!;
      if (ch === '\\') {
        const r = echoEscapes(fmt.slice(i, i + 2) + (fmt[i + 1] === '0' ? fmt.slice(i + 2, i + 5) : ''));
        if (fmt[i + 1] === '0') {
          const m = /^[0-7]{0,3}/.exec(fmt.slice(i + 2))![0];
          text += String.fromCharCode(Number.parseInt(m || '0', 8));
          i += 1 + m.length;
        } else {
          text += r.text;
          i++;
        }
        continue;
      }
      if (ch !== '%') {
        text += ch;
        continue;
      }
      const m = /^%([-+ 0#]*)(\d+|\*)?(?:\.(\d+|\*))?([a-zA-Z%])/.exec(fmt.slice(i));
      if (!m) {
        text += ch;
        continue;
      }
      i += m[0].length - 1;
      const conv = m[4]!;
      if (conv === '%') {
        text += '%';
        continue;
      }
      let width = m[2] === '*' ? Number.parseInt(args[ai++] ?? '0', 10) || 0 : m[2] ? Number(m[2]) : 0;
      const precRaw =
        m[3] === '*' ? Number.parseInt(args[ai++] ?? '0', 10) : m[3] !== undefined ? Number(m[3]) : undefined;
      const prec =
        precRaw === undefined || Number.isNaN(precRaw) ? undefined : Math.min(Math.max(precRaw, 0), 1 << 20);
      const fl = m[1] ?? '';
      const arg = args[ai++];
      let s: string;
      const num = (): number => {
        if (arg === undefined || arg === '') return 0;
        if (/^['"]/.test(arg)) return arg.codePointAt(1) ?? 0;
        const n = Number(arg.trim());
        if (Number.isNaN(n)) {
          const lead = Number.parseFloat(arg);
          errors.push(`invalid number '${arg}'`);
          return Number.isNaN(lead) ? 0 : lead;
        }
        return n;
      };
      switch (conv) {
        case 'd':
        case 'i':
        case 'u': {
          const n = Math.trunc(num());
          s = String(Math.abs(n));
          if (prec !== undefined) s = s.padStart(prec, '0');
          s = (n < 0 ? '-' : fl.includes('+') ? '+' : fl.includes(' ') ? ' ' : '') + s;
          break;
        }
        case 'x':
        case 'X':
        case 'o': {
          const n = Math.trunc(num());
          s = (n >>> 0).toString(conv === 'o' ? 8 : 16);
          if (conv === 'X') s = s.toUpperCase();
          if (prec !== undefined) s = s.padStart(prec, '0');
          break;
        }
        case 'c':
          s = (arg ?? '').slice(0, 1);
          break;
        case 'f':
        case 'F':
          s = num().toFixed(Math.min(prec ?? 6, 100));
          break;
        case 'e':
        case 'E':
          s = num()
            .toExponential(Math.min(prec ?? 6, 100))
            .replace(/e([+-])(\d)$/, 'e$10$2');
          if (conv === 'E') s = s.toUpperCase();
          break;
        case 'g':
        case 'G':
          s = String(Number(num().toPrecision(Math.min(prec || 6, 100))));
          break;
        case 'b': {
          const r = echoEscapes(arg ?? '');
          s = r.text;
          if (r.stop) stop.v = true;
          break;
        }
        default:
          s = arg ?? '';
          if (prec !== undefined) s = s.slice(0, prec);
      }
      if (width < 0) width = -width;
      // Widths beyond any output budget would only exhaust memory.
      width = Math.min(width, 1 << 20);
      if (s.length < width) {
        if (fl.includes('-')) s = s.padEnd(width);
        else if (fl.includes('0') && /[dixXofFeEgG]/.test(conv)) {
          const sign = /^[-+ ]/.test(s) ? s[0]! : '';
          s = sign + s.slice(sign.length).padStart(width - sign.length, '0');
        } else s = s.padStart(width);
      }
      text += s;
    }
    if (ai === before) break;
    if (stop.v) break;
  }
  return { text, errors };
}

const printf = sync((c, argv) => {
  if (argv.length < 2) {
    err(
      c,
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: printf FORMAT [ARG]...\n\nFormat and print ARG(s) according to FORMAT (a-la C printf)\n',
    );
    return 1;
  }
  const r = printfFormat(argv[1]!, argv.slice(2));
  out(c, r.text);
  for (const e of r.errors) err(c, `${c.msgName ?? 'printf'}: ${e}\n`);
  return r.errors.length > 0 ? 1 : 0;
});

const touch = sync((c, argv) => {
  const { rest } = flags(argv, 'dtr');
  let st = 0;
  for (const f of rest) {
    const p = abs(c, f);
    if (c.k.host.fs.exists(p)) continue;
    const r = c.k.host.fs.writeFile(p, '', false);
    if (r === 'enoent') {
      err(c, `touch: ${f}: No such file or directory\n`);
      st = 1;
    }
  }
  return st;
});

const rm = sync((c, argv) => {
  const { opts, rest } = flags(argv);
  const force = opts.has('f');
  const rec = opts.has('r') || opts.has('R');
  const fs = c.k.host.fs;
  let st = 0;
  for (const f of rest) {
    const p = abs(c, f);
    if (!fs.exists(p)) {
      if (!force) {
        err(c, `rm: can't remove '${f}': No such file or directory\n`);
        st = 1;
      }
      continue;
    }
    if (p === '/' && rec) {
      err(c, "rm: can't remove '/'\n");
      st = 1;
      continue;
    }
    if (fs.remove(p, rec) === 'eisdir') {
      err(c, `rm: '${f}' is a directory\n`);
      st = 1;
    }
  }
  if (rest.length === 0 && !force) {
    err(
      c,
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: rm [-irf] FILE...\n\nRemove (unlink) FILEs\n',
    );
    return 1;
  }
  return st;
});

const rmdir = sync((c, argv) => {
  const { rest } = flags(argv);
  const fs = c.k.host.fs;
  let st = 0;
  for (const f of rest) {
    const p = abs(c, f);
    const list = fs.list(p);
    if (list === undefined) {
      err(c, `rmdir: '${f}': ${fs.exists(p) ? 'Not a directory' : 'No such file or directory'}\n`);
      st = 1;
    } else if (list.length > 0) {
      err(c, `rmdir: '${f}': Directory not empty\n`);
      st = 1;
    } else fs.remove(p, true);
  }
  return st;
});

const mkdir = sync((c, argv) => {
  const { opts, rest } = flags(argv, 'm');
  const fs = c.k.host.fs;
  let st = 0;
  for (const f of rest) {
    const r = fs.mkdir(abs(c, f), opts.has('p'));
    if (r === 'eexist' && !(opts.has('p') && fs.isDirectory(abs(c, f)))) {
      err(c, `mkdir: can't create directory '${f}': File exists\n`);
      st = 1;
    } else if (r === 'enoent') {
      err(c, `mkdir: can't create directory '${f}': No such file or directory\n`);
      st = 1;
    }
  }
  return st;
});

/** Reads operands (or stdin for none or `-`), reporting unreadable ones like busybox. */
function readInputs(
  c: Ctx,
  name: string,
  files: string[],
): { texts: { name: string; text: string }[]; st: number } {
  const texts: { name: string; text: string }[] = [];
  let st = 0;
  if (files.length === 0) files = ['-'];
  for (const f of files) {
    if (f === '-') {
      texts.push({ name: f, text: c.io.stdin.readAll() });
      continue;
    }
    const p = abs(c, f);
    const t = p === '/dev/null' ? '' : c.k.host.fs.readFile(p);
    if (t === undefined) {
      if (c.k.host.fs.isDirectory(p)) err(c, `${name}: read error: Is a directory\n`);
      else err(c, `${name}: can't open '${f}': No such file or directory\n`);
      st = 1;
      continue;
    }
    texts.push({ name: f, text: t });
  }
  return { texts, st };
}

const cat = sync((c, argv) => {
  const { rest } = flags(argv);
  const r = readInputs(c, 'cat', rest);
  for (const t of r.texts) out(c, t.text);
  return r.st;
});

const ls = sync((c, argv) => {
  const { opts, rest } = flags(argv);
  const fs = c.k.host.fs;
  const targets = rest.length > 0 ? rest : ['.'];
  let st = 0;
  const long = opts.has('l');
  const all = opts.has('a');
  const line = (name: string, path: string) => {
    if (!long) return `${name}\n`;
    const dir = fs.isDirectory(path);
    const size = dir ? 4096 : (fs.readFile(path) ?? '').length;
    const exe = (fs.readFile(path) ?? '').startsWith('\u007fELF');
    const mode = dir ? 'drwxr-xr-x' : exe ? '-rwxr-xr-x' : '-rw-r--r--';
    const date = formatDate(c.k.clock, '%b %e %H:%M');
    return `${mode}    ${dir ? 2 : 1} root     root     ${String(size).padStart(9)} ${date} ${name}\n`;
  };
  const files: string[] = [];
  const dirs: string[] = [];
  for (const t of targets) {
    const p = abs(c, t);
    if (!fs.exists(p)) {
      err(c, `ls: ${t}: No such file or directory\n`);
      st = 1;
    } else if (fs.isDirectory(p) && !opts.has('d')) dirs.push(t);
    else files.push(t);
  }
  for (const f of files) out(c, line(f, abs(c, f)));
  dirs.forEach((d, i) => {
    const p = abs(c, d);
    if (targets.length > 1) out(c, `${files.length > 0 || i > 0 ? '\n' : ''}${d}:\n`);
    let names = fs.list(p) ?? [];
    if (!all) names = names.filter((n) => !n.startsWith('.'));
    else names = ['.', '..', ...names];
    if (long) out(c, `total ${names.length * 4}\n`);
    for (const n of names) out(c, line(n, normalizePath(n, p)));
  });
  return st;
});

/** busybox `test` / `[` / `[[`; returns 0, 1, or 2 with a message on a syntax error. */
export function evalTest(c: Ctx, args: string[]): number {
  if (args.length === 0) return 1;
  const t = new TestEval(c, args);
  const v = t.orExpr();
  if (t.i < args.length) throw new TestError(`${args[t.i]}: unknown operand`);
  return v ? 0 : 1;
}

const TEST_BINOPS = new Set([
  '=',
  '==',
  '!=',
  '-eq',
  '-ne',
  '-lt',
  '-le',
  '-gt',
  '-ge',
  '<',
  '>',
  '-nt',
  '-ot',
  '-ef',
]);

/** The recursive-descent evaluation of one `test` expression (methods, not per-call closures). */
class TestEval {
  /** Index of the next argument. */
  i = 0;
  private readonly fs: FileSystem;

  constructor(
    private readonly c: Ctx,
    private readonly args: string[],
  ) {
    this.fs = c.k.host.fs;
  }

  private p(f: string): string {
    return abs(this.c, f);
  }

  private int(s: string): number {
    // coreutils/test.c getn(): "%s: bad number"
    if (!/^\s*[-+]?\d+\s*$/.test(s)) throw new TestError(`${s}: bad number`);
    return Number(s);
  }

  private unary(op: string, a: string): boolean {
    const fs = this.fs;
    switch (op) {
      case '-e':
        return fs.exists(this.p(a));
      case '-f':
        return fs.exists(this.p(a)) && !fs.isDirectory(this.p(a));
      case '-d':
        return fs.isDirectory(this.p(a));
      case '-s':
        return fs.isDirectory(this.p(a)) || (fs.readFile(this.p(a)) ?? '').length > 0;
      case '-r':
      case '-w':
        return fs.exists(this.p(a));
      case '-x':
        return (
          fs.isDirectory(this.p(a)) ||
          (fs.readFile(this.p(a)) ?? '').startsWith('\u007fELF') ||
          (fs.readFile(this.p(a)) ?? '').startsWith('#!')
        );
      case '-L':
      case '-h':
      case '-p':
      case '-S':
      case '-b':
      case '-c':
        return a === '/dev/null' && op === '-c';
      case '-z':
        return a === '';
      case '-n':
        return a !== '';
      case '-t':
        return false;
      default:
        throw new TestError(`${op}: unknown operand`);
    }
  }

  private binary(a: string, op: string, b: string): boolean {
    switch (op) {
      case '=':
      case '==':
        return a === b;
      case '!=':
        return a !== b;
      case '<':
        return a < b;
      case '>':
        return a > b;
      case '-eq':
        return this.int(a) === this.int(b);
      case '-ne':
        return this.int(a) !== this.int(b);
      case '-lt':
        return this.int(a) < this.int(b);
      case '-le':
        return this.int(a) <= this.int(b);
      case '-gt':
        return this.int(a) > this.int(b);
      case '-ge':
        return this.int(a) >= this.int(b);
      default:
        return false;
    }
  }

  private primary(): boolean {
    const args = this.args;
    const i = this.i;
    const a = args[i];
    if (a === undefined) throw new TestError('argument expected');
    if (a === '!') {
      this.i++;
      return !this.primary();
    }
    if (a === '(' && args.length - i > 1) {
      this.i++;
      const v = this.orExpr();
      if (args[this.i] !== ')') throw new TestError("')' expected");
      this.i++;
      return v;
    }
    if (args[i + 1] !== undefined && TEST_BINOPS.has(args[i + 1]!) && args[i + 2] !== undefined) {
      const r = this.binary(a, args[i + 1]!, args[i + 2]!);
      this.i += 3;
      return r;
    }
    if (/^-[a-zA-Z]$/.test(a) && args[i + 1] !== undefined) {
      const r = this.unary(a, args[i + 1]!);
      this.i += 2;
      return r;
    }
    this.i++;
    return a !== '';
  }

  private andExpr(): boolean {
    let v = this.primary();
    while (this.args[this.i] === '-a') {
      this.i++;
      const r = this.primary();
      v = v && r;
    }
    return v;
  }

  /** The whole expression from the current argument: `-o` binds loosest. */
  orExpr(): boolean {
    let v = this.andExpr();
    while (this.args[this.i] === '-o') {
      this.i++;
      const r = this.andExpr();
      v = v || r;
    }
    return v;
  }
}

class TestError {
  constructor(readonly message: string) {}
}

function testApplet(c: Ctx, argv: string[]): Gen<number> {
  const name = baseName(argv[0]!);
  let args = argv.slice(1);
  if (name === '[' || name === '[[') {
    const close = name === '[' ? ']' : ']]';
    if (args.at(-1) !== close) {
      err(c, `${c.msgName ?? name}: missing ${close}\n`);
      return now(2);
    }
    args = args.slice(0, -1);
  }
  try {
    return now(evalTest(c, args));
  } catch (e) {
    if (!(e instanceof TestError)) throw e;
    err(c, `${c.msgName ?? name}: ${e.message}\n`);
    return now(2);
  }
}

/** The last component of a path (`/bin/[` -> `[`). */
function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

const kill = sync((c, argv) => {
  const args = argv.slice(1);
  let sig: ReturnType<typeof parseSignal> = 'SIGTERM';
  if (args[0] === '-l') {
    out(
      c,
      `${Object.keys(SIGNAL_NUMBERS)
        .map((s) => s.slice(3))
        .join('\n')}\n`,
    );
    return 0;
  }
  if (args[0] === '-s') {
    args.shift();
    sig = parseSignal(args.shift() ?? '');
  } else if (args[0]?.startsWith('-') && args[0] !== '--') {
    sig = parseSignal(args.shift()!.slice(1));
  }
  if (args[0] === '--') args.shift();
  // `kill -0 PID`: no signal, only whether the process exists.
  if (sig === 'EXIT' && (argv[1] === '-0' || argv[2] === '0')) {
    // PID 1 (the container's main process) exists while anything runs in the container.
    const gone = args.filter(
      (a) => Number(a) !== 1 && !c.k.alive(Number(a)) && !(c.sh && Number(a) === c.sh.pid),
    );
    for (const a of gone) err(c, `${c.msgName ?? 'kill'}: can't kill pid ${a}: No such process\n`);
    return gone.length > 0 ? 1 : 0;
  }
  if (sig === undefined || sig === 'EXIT') {
    err(c, `${c.msgName ?? 'kill'}: bad signal name '${argv[1]}'\n`);
    return 1;
  }
  if (args.length === 0) {
    err(c, `${c.msgName ?? 'kill'}: usage: kill [-s SIGNAL | -SIGNAL] PID...\n`);
    return 1;
  }
  let st = 0;
  for (const a of args) {
    const pid = Number(a);
    if (pid === 1 && c.k.role === 'exec') {
      // PID 1 of the container, seen from an exec'd process in the same PID namespace.
      c.k.signalMain(sig);
      continue;
    }
    const self = c.k.role === 'main' ? pid === 1 : false;
    if (self || (c.sh && pid === c.sh.pid && c.sh.isMain)) {
      c.k.signal(sig, c.k.clock);
      continue;
    }
    if (!Number.isInteger(pid) || !c.k.alive(pid)) {
      err(c, `${c.msgName ?? 'kill'}: can't kill pid ${a}: No such process\n`);
      st = 1;
      continue;
    }
    if (
      sig === 'SIGKILL' ||
      sig === 'SIGTERM' ||
      sig === 'SIGINT' ||
      sig === 'SIGHUP' ||
      sig === 'SIGQUIT' ||
      sig.startsWith('SIGUSR')
    ) {
      c.k.terminate(pid, 128 + SIGNAL_NUMBERS[sig]);
    }
  }
  return st;
});

const date = sync((c, argv) => {
  const { opts, rest } = flags(argv, 'dDrI');
  const fmt = rest.find((a) => a.startsWith('+'));
  let t = c.k.clock;
  if (opts.has('d')) {
    const v = opts.get('d')!;
    const m = /^@(\d+)$/.exec(v);
    if (!m) {
      err(c, `date: invalid date '${v}'\n`);
      return 1;
    }
    t = (Number(m[1]) - VIRTUAL_EPOCH_S) * 1000;
  }
  out(c, `${formatDate(t, fmt ? fmt.slice(1) : '%a %b %e %H:%M:%S %Z %Y')}\n`);
  return 0;
});

function lines(text: string): string[] {
  const ls = text.split('\n');
  if (ls.at(-1) === '') ls.pop();
  return ls;
}

interface CountArgs {
  n: number;
  bytes: boolean;
  fromEnd: boolean;
  follow: boolean;
  rest: string[];
}

function countArg(argv: string[]): CountArgs | string {
  const r: CountArgs = { n: 10, bytes: false, fromEnd: true, follow: false, rest: [] };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (/^-[nc]/.test(a)) {
      const flag = a[1]!;
      let v = a.length === 2 ? argv[++i] : a.slice(2);
      if (v === undefined) return `option requires an argument -- ${flag}`;
      if (v.startsWith('+')) {
        r.fromEnd = false;
        v = v.slice(1);
      }
      if (v.startsWith('-')) v = v.slice(1);
      if (!/^\d+$/.test(v)) return `invalid number '${v}'`;
      r.n = Number(v);
      r.bytes = flag === 'c';
    } else if (/^-\d+$/.test(a)) r.n = Number(a.slice(1));
    else if (a === '-f' || a === '-F') r.follow = true;
    else if (a === '-q' || a === '-v') continue;
    else r.rest.push(a);
  }
  return r;
}

function* headTailRun(which: 'head' | 'tail', c: Ctx, argv: string[]): Gen<number> {
  const ca = countArg(argv);
  if (typeof ca === 'string') {
    err(c, `${which}: ${ca}\n`);
    return 1;
  }
  const r = readInputs(c, which, ca.rest);
  r.texts.forEach((t, i) => {
    if (r.texts.length > 1)
      out(c, `${i > 0 ? '\n' : ''}==> ${t.name === '-' ? 'standard input' : t.name} <==\n`);
    if (ca.bytes) {
      const b = t.text;
      out(
        c,
        which === 'head'
          ? b.slice(0, ca.n)
          : !ca.fromEnd
            ? b.slice(Math.max(0, ca.n - 1))
            : ca.n === 0
              ? ''
              : b.slice(-ca.n),
      );
      return;
    }
    const ls = lines(t.text);
    let sel: string[];
    if (which === 'head') sel = ls.slice(0, ca.n);
    else if (!ca.fromEnd) sel = ls.slice(Math.max(0, ca.n - 1));
    else sel = ca.n === 0 ? [] : ls.slice(-ca.n);
    out(c, sel.map((l) => `${l}\n`).join(''));
  });
  // `tail -f` keeps following its files: nothing in the simulation appends to them from
  // outside, so it waits forever (the classic `tail -f /dev/null` keep-alive).
  if (which === 'tail' && ca.follow && (ca.rest.length > 0 || r.texts.length > 0)) {
    yield { kind: 'forever' };
  }
  return r.st;
}

function headTail(which: 'head' | 'tail'): Applet {
  return (c, argv) => headTailRun(which, c, argv);
}

/** Converts a POSIX basic regular expression to a JavaScript one (common subset). */
function breToJs(re: string, extended: boolean): string {
  if (extended) return re;
  let outRe = '';
  for (let i = 0; i < re.length; i++) {
    const ch = re[i]!;
    if (ch === '\\' && i + 1 < re.length) {
      const n = re[++i]!;
      outRe += '+?(){}|'.includes(n) ? n : `\\${n}`;
    } else if ('+?(){}|'.includes(ch)) outRe += `\\${ch}`;
    else outRe += ch;
  }
  return outRe;
}

const grep = sync((c, argv) => {
  const { opts, rest } = flags(argv, 'em');
  const patterns: string[] = [];
  if (opts.has('e')) patterns.push(opts.get('e')!);
  else if (rest.length > 0) patterns.push(rest.shift()!);
  else {
    err(
      c,
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: grep [-HhnlLoqvsriwFE] [-m N] [-A/B/C N] PATTERN/-e PATTERN.../-f FILE [FILE]...\n',
    );
    return 2;
  }
  let re: RegExp;
  try {
    const src = opts.has('F')
      ? patterns[0]!.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
      : breToJs(patterns[0]!, opts.has('E'));
    re = new RegExp(
      opts.has('w') ? `\\b(?:${src})\\b` : opts.has('x') ? `^(?:${src})$` : src,
      opts.has('i') ? 'i' : '',
    );
  } catch {
    err(c, `grep: bad regex '${patterns[0]}'\n`);
    return 2;
  }
  const r = readInputs(c, 'grep', rest);
  let matched = 0;
  const many = r.texts.length > 1;
  for (const t of r.texts) {
    let count = 0;
    lines(t.text).forEach((l, idx) => {
      const hit = re.test(l) !== opts.has('v');
      if (!hit) return;
      count++;
      matched++;
      if (opts.has('q') || opts.has('c') || opts.has('l')) return;
      const prefix = `${many ? `${t.name}:` : ''}${opts.has('n') ? `${idx + 1}:` : ''}`;
      if (opts.has('o') && !opts.has('v')) {
        const g = new RegExp(re.source, `${re.flags}g`);
        for (const m of l.matchAll(g)) if (m[0] !== '') out(c, `${prefix}${m[0]}\n`);
      } else out(c, `${prefix}${l}\n`);
    });
    if (opts.has('c') && !opts.has('q')) out(c, `${many ? `${t.name}:` : ''}${count}\n`);
    if (opts.has('l') && count > 0 && !opts.has('q'))
      out(c, `${t.name === '-' ? '(standard input)' : t.name}\n`);
  }
  if (r.st !== 0 && !opts.has('s') && matched === 0) return 2;
  return matched > 0 ? 0 : 1;
});

const wc = sync((c, argv) => {
  const { opts, rest } = flags(argv);
  const r = readInputs(c, 'wc', rest);
  const which = ['l', 'w', 'c'].filter((f) => opts.has(f) || (f === 'c' && opts.has('m')));
  const sel = which.length > 0 ? which : ['l', 'w', 'c'];
  const totals = [0, 0, 0];
  const row = (t: string) => [
    (t.match(/\n/g) ?? []).length,
    t.split(/\s+/).filter((w) => w !== '').length,
    t.length,
  ];
  // coreutils/wc.c: "%9u" columns, but a lone count for at most one file is unpadded.
  const lone = sel.length === 1 && rest.length <= 1;
  const fmt = (nums: number[], name: string) => {
    const picked = sel.map((f) => nums[['l', 'w', 'c'].indexOf(f)]!);
    const body = picked
      .map((n, i) => (i === 0 && lone ? String(n) : `${i > 0 ? ' ' : ''}${String(n).padStart(9)}`))
      .join('');
    return `${body}${name ? ` ${name}` : ''}\n`;
  };
  for (const t of r.texts) {
    const nums = row(t.text);
    nums.forEach((n, i) => {
      totals[i]! += n;
    });
    out(c, fmt(nums, t.name === '-' ? '' : t.name));
  }
  if (r.texts.length > 1) out(c, fmt(totals, 'total'));
  return r.st;
});

/** `yes`: writes forever in 4 KiB chunks (one shell step each) until a budget ends it. */
const yes = sync((c, argv) => {
  const line = `${argv.length > 1 ? argv.slice(1).join(' ') : 'y'}\n`;
  const chunk = line.repeat(Math.max(1, Math.floor(4096 / line.length)));
  for (;;) {
    c.k.step();
    out(c, chunk);
  }
});

const seq = sync((c, argv) => {
  const nums = argv.slice(1).filter((a) => !/^-[sw]/.test(a));
  const bad = nums.find((n) => Number.isNaN(Number(n)) || n.trim() === '');
  if (nums.length === 0 || nums.length > 3 || bad !== undefined) {
    if (bad !== undefined) err(c, `seq: invalid number '${bad}'\n`);
    else
      err(
        c,
        'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: seq [-w] [-s SEP] [FIRST [INC]] LAST\n',
      );
    return 1;
  }
  const [first, inc, last] =
    nums.length === 1
      ? [1, 1, Number(nums[0])]
      : nums.length === 2
        ? [Number(nums[0]), 1, Number(nums[1])]
        : [Number(nums[0]), Number(nums[1]), Number(nums[2])];
  if (inc === 0) return 1;
  let buf = '';
  for (let x = first; inc > 0 ? x <= last : x >= last; x += inc) {
    c.k.step();
    buf += `${x}\n`;
    if (buf.length > 4096) {
      out(c, buf);
      buf = '';
    }
  }
  out(c, buf);
  return 0;
});

const expr = sync((c, argv) => {
  const args = argv.slice(1);
  let i = 0;
  const isInt = (s: string) => /^-?\d+$/.test(s);
  class ExprError {
    constructor(readonly m: string) {}
  }
  const atom = (): string => {
    const a = args[i++];
    if (a === undefined) throw new ExprError('syntax error');
    if (a === '(') {
      const v = orE();
      if (args[i++] !== ')') throw new ExprError('syntax error');
      return v;
    }
    if (a === 'length') return String((args[i++] ?? '').length);
    return a;
  };
  const match = (): string => {
    let l = atom();
    while (args[i] === ':') {
      i++;
      const pat = atom();
      let re: RegExp;
      try {
        re = new RegExp(`^(?:${breToJs(pat, false)})`);
      } catch {
        throw new ExprError('syntax error');
      }
      const m = re.exec(l);
      l = m ? (m[1] !== undefined ? m[1] : String(m[0].length)) : re.source.includes('(') ? '' : '0';
    }
    return l;
  };
  const arith = (ops: string[], next: () => string) => (): string => {
    let l = next();
    while (ops.includes(args[i] ?? '')) {
      const op = args[i++]!;
      const r = next();
      if (!isInt(l) || !isInt(r)) throw new ExprError('non-numeric argument');
      const a = Number(l);
      const b = Number(r);
      if ((op === '/' || op === '%') && b === 0) throw new ExprError('division by zero');
      l = String(
        op === '*' ? a * b : op === '/' ? Math.trunc(a / b) : op === '%' ? a % b : op === '+' ? a + b : a - b,
      );
    }
    return l;
  };
  const mul = arith(['*', '/', '%'], match);
  const add = arith(['+', '-'], mul);
  const cmp = (): string => {
    let l = add();
    while (['<', '<=', '=', '==', '!=', '>=', '>'].includes(args[i] ?? '')) {
      const op = args[i++]!;
      const r = add();
      const both = isInt(l) && isInt(r);
      const a: number | string = both ? Number(l) : l;
      const b: number | string = both ? Number(r) : r;
      const res =
        op === '<'
          ? a < b
          : op === '<='
            ? a <= b
            : op === '>'
              ? a > b
              : op === '>='
                ? a >= b
                : op === '!='
                  ? a !== b
                  : a === b;
      l = res ? '1' : '0';
    }
    return l;
  };
  const andE = (): string => {
    let l = cmp();
    while (args[i] === '&') {
      i++;
      const r = cmp();
      l = l !== '' && l !== '0' && r !== '' && r !== '0' ? l : '0';
    }
    return l;
  };
  const orE = (): string => {
    let l = andE();
    while (args[i] === '|') {
      i++;
      const r = andE();
      l = l !== '' && l !== '0' ? l : r !== '' && r !== '0' ? r : '0';
    }
    return l;
  };
  try {
    if (args.length === 0) throw new ExprError('syntax error');
    const v = orE();
    if (i < args.length) throw new ExprError('syntax error');
    out(c, `${v}\n`);
    return v === '' || v === '0' ? 1 : 0;
  } catch (e) {
    if (!(e instanceof ExprError)) throw e;
    err(c, `expr: ${e.m}\n`);
    return 2;
  }
});

const env = (c: Ctx, argv: string[]): Gen<number> => {
  const vars = { ...c.env };
  let i = 1;
  if (argv[i] === '-i' || argv[i] === '-') {
    for (const k of Object.keys(vars)) delete vars[k];
    i++;
  }
  for (; i < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!); i++) {
    const a = argv[i]!;
    vars[a.slice(0, a.indexOf('='))] = a.slice(a.indexOf('=') + 1);
  }
  if (i >= argv.length) {
    out(
      c,
      Object.entries(vars)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    return now(0);
  }
  return runCommand({ ...c, env: vars }, argv.slice(i));
};

/** Runs a command from an applet (`env CMD`, `timeout`): through the shell's lookup. */
function runCommand(c: Ctx, argv: string[]): Gen<number> {
  if (c.sh) return c.sh.external(argv, c.io, c.env);
  const a = APPLETS[baseName(argv[0]!)];
  if (!a) {
    err(c, `${argv[0]}: can't execute '${argv[0]}': No such file or directory\n`);
    return now(127);
  }
  return a(c, argv);
}

const printenv = sync((c, argv) => {
  if (argv.length === 1) {
    for (const [k, v] of Object.entries(c.env)) out(c, `${k}=${v}\n`);
    return 0;
  }
  let st = 0;
  for (const n of argv.slice(1)) {
    if (!Object.hasOwn(c.env, n)) st = 1;
    else out(c, `${c.env[n]}\n`);
  }
  return st;
});

const uname = sync((c, argv) => {
  const { opts } = flags(argv);
  const fields: [string, string][] = [
    ['s', 'Linux'],
    ['n', c.k.host.hostname],
    ['r', '5.15.0'],
    ['v', '#1 SMP'],
    ['m', 'x86_64'],
    ['o', 'GNU/Linux'],
  ];
  const all = opts.has('a');
  const sel = fields.filter(([f]) => all || opts.has(f));
  out(c, `${(sel.length > 0 ? sel : [fields[0]!]).map(([, v]) => v).join(' ')}\n`);
  return 0;
});

const basename = sync((c, argv) => {
  const a = argv[1];
  if (a === undefined) return 1;
  let b = a.replace(/\/+$/, '').split('/').pop() || '/';
  if (argv[2] && b.endsWith(argv[2]) && b !== argv[2]) b = b.slice(0, -argv[2].length);
  out(c, `${b}\n`);
  return 0;
});

const dirname = sync((c, argv) => {
  const a = argv[1];
  if (a === undefined) return 1;
  const t = a.replace(/\/+$/, '');
  const i = t.lastIndexOf('/');
  out(c, `${i < 0 ? '.' : i === 0 ? '/' : t.slice(0, i)}\n`);
  return 0;
});

function copyMove(move: boolean): Applet {
  const name = move ? 'mv' : 'cp';
  return sync((c, argv) => {
    const { opts, rest } = flags(argv);
    const fs = c.k.host.fs;
    if (rest.length < 2) {
      err(
        c,
        `BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: ${name} [OPTIONS] SOURCE... DEST\n`,
      );
      return 1;
    }
    const dest = rest.pop()!;
    const destP = abs(c, dest);
    let st = 0;
    const copy = (from: string, to: string): boolean => {
      if (fs.isDirectory(from)) {
        if (!move && !opts.has('r') && !opts.has('R') && !opts.has('a')) {
          err(c, `cp: omitting directory '${from}'\n`);
          return false;
        }
        fs.mkdir(to, true);
        for (const n of fs.list(from) ?? []) copy(`${from}/${n}`, `${to}/${n}`);
        return true;
      }
      const r = fs.writeFile(to, fs.readFile(from) ?? '', false);
      if (r === 'budget') throw new FsFull();
      if (r !== 'ok') {
        err(
          c,
          `${name}: can't create '${to}': ${r === 'eisdir' ? 'Is a directory' : 'No such file or directory'}\n`,
        );
        return false;
      }
      return true;
    };
    for (const s of rest) {
      const sp = abs(c, s);
      if (!fs.exists(sp)) {
        err(c, `${name}: can't stat '${s}': No such file or directory\n`);
        st = 1;
        continue;
      }
      const target = fs.isDirectory(destP) ? normalizePath(sp.split('/').pop()!, destP) : destP;
      try {
        if (!copy(sp, target)) st = 1;
        else if (move) fs.remove(sp, true);
      } catch (e) {
        if (e instanceof FsFull) {
          err(c, `${name}: write error: No space left on device\n`);
          return 1;
        }
        throw e;
      }
    }
    return st;
  });
}

class FsFull {}

const tee = sync((c, argv) => {
  const { opts, rest } = flags(argv);
  const text = c.io.stdin.readAll();
  let st = 0;
  for (const f of rest) {
    const r = c.k.host.fs.writeFile(abs(c, f), text, opts.has('a'));
    if (r !== 'ok') {
      err(c, `tee: ${f}: ${r === 'budget' ? 'No space left on device' : 'No such file or directory'}\n`);
      st = 1;
    }
  }
  out(c, text);
  return st;
});

const sort = sync((c, argv) => {
  const { opts, rest } = flags(argv, 'tk');
  const r = readInputs(c, 'sort', rest);
  let ls = r.texts.flatMap((t) => lines(t.text));
  if (opts.has('n'))
    ls.sort(
      (a, b) => (Number.parseFloat(a) || 0) - (Number.parseFloat(b) || 0) || (a < b ? -1 : a > b ? 1 : 0),
    );
  else ls.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (opts.has('r')) ls.reverse();
  if (opts.has('u')) ls = ls.filter((l, i) => i === 0 || l !== ls[i - 1]);
  out(c, ls.map((l) => `${l}\n`).join(''));
  return r.st;
});

const uniq = sync((c, argv) => {
  const { opts, rest } = flags(argv);
  const r = readInputs(c, 'uniq', rest.slice(0, 1));
  const ls = lines(r.texts[0]?.text ?? '');
  const groups: { l: string; n: number }[] = [];
  for (const l of ls) {
    const g = groups.at(-1);
    if (g && g.l === l) g.n++;
    else groups.push({ l, n: 1 });
  }
  for (const g of groups) out(c, opts.has('c') ? `${String(g.n).padStart(7)} ${g.l}\n` : `${g.l}\n`);
  return r.st;
});

function expandSet(s: string): string {
  let o = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i + 1] === '-' && i + 2 < s.length) {
      for (let x = s.charCodeAt(i); x <= s.charCodeAt(i + 2); x++) o += String.fromCharCode(x);
      i += 2;
    } else if (s[i] === '\\' && s[i + 1] === 'n') {
      o += '\n';
      i++;
    } else o += s[i];
  }
  return o;
}

const tr = sync((c, argv) => {
  const { opts, rest } = flags(argv);
  const text = c.io.stdin.readAll();
  const a = expandSet(rest[0] ?? '');
  const b = expandSet(rest[1] ?? '');
  let o = '';
  for (const ch of text) {
    const i = a.indexOf(ch);
    if (opts.has('d')) {
      if (i < 0) o += ch;
    } else o += i < 0 ? ch : (b[Math.min(i, b.length - 1)] ?? ch);
  }
  out(c, o);
  return 0;
});

const cut = sync((c, argv) => {
  const { opts, rest } = flags(argv, 'dfc');
  const r = readInputs(c, 'cut', rest);
  const d = opts.get('d') ?? '\t';
  const spec = opts.get('f') ?? opts.get('c') ?? '';
  const want = (n: number) =>
    spec.split(',').some((p) => {
      const [lo, hi] = p.includes('-')
        ? p.split('-').map((x) => (x === '' ? undefined : Number(x)))
        : [Number(p), Number(p)];
      return n >= (lo ?? 1) && n <= (hi ?? Number.POSITIVE_INFINITY);
    });
  for (const t of r.texts) {
    for (const l of lines(t.text)) {
      if (opts.has('c')) out(c, `${[...l].filter((_, i) => want(i + 1)).join('')}\n`);
      else if (!l.includes(d)) out(c, `${l}\n`);
      else
        out(
          c,
          `${l
            .split(d)
            .filter((_, i) => want(i + 1))
            .join(d)}\n`,
        );
    }
  }
  return r.st;
});

const which = sync((c, argv) => {
  let st = 0;
  for (const n of argv.slice(1)) {
    const dirs = (c.env.PATH ?? '/bin').split(':');
    const hit = dirs
      .map((d) => normalizePath(`${d}/${n}`))
      .find((p) => (c.k.host.fs.readFile(p) ?? '').startsWith('\u007fELF'));
    if (hit) out(c, `${hit}\n`);
    else st = 1;
  }
  return st;
});

const ps = sync((c) => {
  out(c, 'PID   USER     TIME  COMMAND\n');
  const pids = [c.k.role === 'main' ? 1 : (c.sh?.pid ?? 1), ...c.k.runningBackground()];
  for (const p of [...new Set(pids)].sort((a, b) => a - b))
    out(c, `${String(p).padStart(5)} root      0:00 ${p === 1 ? 'sh' : 'sleep'}\n`);
  return 0;
});

function* timeout(c: Ctx, argv: string[]): Gen<number> {
  const { opts, rest } = flags(argv, 'st');
  const sig = parseSignal(opts.get('s') ?? 'TERM');
  const limit = parseDuration(rest[0] ?? '');
  if (limit === undefined || rest.length < 2) {
    err(
      c,
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: timeout [-s SIG] SECS PROG ARGS\n',
    );
    return 1;
  }
  const deadline = c.k.clock + limit;
  const g = runCommand(c, rest.slice(1));
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    const req = r.value;
    if (req.kind === 'sleep' && req.until <= deadline) {
      yield req;
      continue;
    }
    yield { kind: 'sleep', until: deadline };
    g.return(0);
    // busybox timeout execs the command, which then dies of the signal (128+N).
    return 128 + (sig !== undefined && sig !== 'EXIT' ? SIGNAL_NUMBERS[sig] : 15);
  }
}

/** A parsed sed command: optional address, then `s`, `d`, `p` or `q`. */
interface SedCmd {
  addr?: { line?: number; last?: boolean; re?: RegExp };
  op: 's' | 'd' | 'p' | 'q';
  re?: RegExp;
  rep?: string;
  print?: boolean;
}

/** Parses the common subset of sed scripts: `[addr]s/re/rep/[gpI]`, `[addr]d`, `[addr]p`, `[addr]q`. */
function parseSed(script: string, extended: boolean): SedCmd[] | string {
  const cmds: SedCmd[] = [];
  let i = 0;
  const delimited = (d: string): string | undefined => {
    let outS = '';
    for (; i < script.length; i++) {
      const ch = script[i]!;
      if (ch === '\\' && script[i + 1] === d) {
        outS += d;
        i++;
      } else if (ch === '\\' && i + 1 < script.length) {
        outS += ch + script[++i]!;
      } else if (ch === d) {
        i++;
        return outS;
      } else outS += ch;
    }
    return undefined;
  };
  const regex = (src: string, flags: string): RegExp | undefined => {
    try {
      return new RegExp(breToJs(src, extended), flags);
    } catch {
      return undefined;
    }
  };
  while (i < script.length) {
    while (i < script.length && /[\s;]/.test(script[i]!)) i++;
    if (i >= script.length) break;
    const cmd: Partial<SedCmd> = {};
    if (/\d/.test(script[i]!)) {
      const m = /^\d+/.exec(script.slice(i))![0];
      cmd.addr = { line: Number(m) };
      i += m.length;
    } else if (script[i] === '$') {
      cmd.addr = { last: true };
      i++;
    } else if (script[i] === '/') {
      i++;
      const src = delimited('/');
      const re = src === undefined ? undefined : regex(src, '');
      if (!re) return `unmatched '/'`;
      cmd.addr = { re };
    }
    const op = script[i++];
    if (op === 's') {
      const d = script[i++];
      if (d === undefined) return "unterminated `s' command";
      const src = delimited(d);
      const rep = src === undefined ? undefined : delimited(d);
      if (src === undefined || rep === undefined) return "unterminated `s' command";
      const fl = /^[gpI0-9]*/.exec(script.slice(i))![0];
      i += fl.length;
      const re = regex(src, `${fl.includes('g') ? 'g' : ''}${fl.includes('I') ? 'i' : ''}`);
      if (!re) return `bad regex '${src}'`;
      cmds.push({ ...cmd, op: 's', re, rep: sedReplacement(rep), print: fl.includes('p') });
    } else if (op === 'd' || op === 'p' || op === 'q') cmds.push({ ...cmd, op });
    else return `unsupported command ${op ?? ''}`;
  }
  return cmds;
}

/** sed's replacement (`&`, `\1`, `\n`) in JavaScript's replace syntax. */
function sedReplacement(rep: string): string {
  let outS = '';
  for (let i = 0; i < rep.length; i++) {
    const ch = rep[i]!;
    if (ch === '\\' && i + 1 < rep.length) {
      const n = rep[++i]!;
      outS += /\d/.test(n) ? `$${n}` : n === 'n' ? '\n' : n === '&' ? '&' : n === '$' ? '$$' : n;
    } else if (ch === '&') outS += '$&';
    else if (ch === '$') outS += '$$';
    else outS += ch;
  }
  return outS;
}

const sed = sync((c, argv) => {
  const scripts: string[] = [];
  const files: string[] = [];
  let quiet = false;
  let inPlace = false;
  let extended = false;
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-n') quiet = true;
    else if (a === '-i') inPlace = true;
    else if (a === '-E' || a === '-r') extended = true;
    else if (a === '-e') scripts.push(argv[++i] ?? '');
    else if (/^-[nirE]+$/.test(a)) {
      quiet ||= a.includes('n');
      inPlace ||= a.includes('i');
      extended ||= a.includes('E') || a.includes('r');
    } else if (scripts.length === 0) scripts.push(a);
    else files.push(a);
  }
  if (scripts.length === 0) {
    err(
      c,
      'BusyBox v1.32.0 (2020-07-27 18:31:20 UTC) multi-call binary.\n\nUsage: sed [-i[SFX]] [-nrE] [-f FILE]... [-e CMD]... [FILE]...\n',
    );
    return 1;
  }
  const cmds = parseSed(scripts.join('\n'), extended);
  if (typeof cmds === 'string') {
    err(c, `sed: ${cmds}\n`);
    return 1;
  }
  const edit = (text: string): string => {
    const ls = lines(text);
    let o = '';
    for (let n = 0; n < ls.length; n++) {
      c.k.step();
      let line = ls[n]!;
      let deleted = false;
      let quit = false;
      for (const cmd of cmds) {
        const a = cmd.addr;
        if (a && !(a.line !== undefined ? a.line === n + 1 : a.last ? n === ls.length - 1 : a.re!.test(line)))
          continue;
        if (cmd.op === 'd') {
          deleted = true;
          break;
        }
        if (cmd.op === 'p') o += `${line}\n`;
        if (cmd.op === 'q') {
          quit = true;
          break;
        }
        if (cmd.op === 's') {
          const before = line;
          cmd.re!.lastIndex = 0;
          line = line.replace(cmd.re!, cmd.rep!);
          if (cmd.print && line !== before) o += `${line}\n`;
        }
      }
      if (!deleted && !quiet) o += `${line}\n`;
      if (quit) break;
    }
    return o;
  };
  if (inPlace) {
    let st = 0;
    for (const f of files) {
      const p = abs(c, f);
      const t = c.k.host.fs.readFile(p);
      if (t === undefined) {
        err(c, `sed: can't read ${f}: No such file or directory\n`);
        st = 1;
        continue;
      }
      if (c.k.host.fs.writeFile(p, edit(t), false) === 'budget') {
        err(c, `sed: write error: No space left on device\n`);
        return 4;
      }
    }
    return st;
  }
  const r = readInputs(c, 'sed', files);
  out(c, edit(r.texts.map((t) => t.text).join('')));
  return r.st;
});

const find = sync((c, argv) => {
  const paths: string[] = [];
  let i = 1;
  for (; i < argv.length && !argv[i]!.startsWith('-') && argv[i] !== '!' && argv[i] !== '('; i++)
    paths.push(argv[i]!);
  if (paths.length === 0) paths.push('.');
  const preds: ((path: string, name: string, depth: number) => boolean)[] = [];
  let maxDepth = Number.POSITIVE_INFINITY;
  let minDepth = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    const v = argv[i + 1];
    if ((a === '-name' || a === '-iname') && v !== undefined) {
      const re = patternRegex([{ t: v, q: false }]);
      const ire = new RegExp(re.source, 'si');
      preds.push((_p, n) => (a === '-name' ? re : ire).test(n));
      i++;
    } else if (a === '-type' && v !== undefined) {
      preds.push((p) =>
        v === 'd' ? c.k.host.fs.isDirectory(p) : v === 'f' ? !c.k.host.fs.isDirectory(p) : false,
      );
      i++;
    } else if (a === '-maxdepth' && v !== undefined) {
      maxDepth = Number(v);
      i++;
    } else if (a === '-mindepth' && v !== undefined) {
      minDepth = Number(v);
      i++;
    } else if (a === '-print') continue;
    else {
      err(c, `find: unrecognized: ${a}\n`);
      return 1;
    }
  }
  let st = 0;
  const walk = (shown: string, path: string, depth: number) => {
    c.k.step();
    const name = depth === 0 ? shown : shown.split('/').pop()!;
    if (depth >= minDepth && preds.every((p) => p(path, name, depth))) out(c, `${shown}\n`);
    if (depth >= maxDepth) return;
    for (const n of c.k.host.fs.list(path) ?? [])
      walk(`${shown.replace(/\/$/, '')}/${n}`, normalizePath(n, path), depth + 1);
  };
  for (const p of paths) {
    const ap = abs(c, p);
    if (!c.k.host.fs.exists(ap)) {
      err(c, `find: ${p}: No such file or directory\n`);
      st = 1;
      continue;
    }
    walk(p, ap, 0);
  }
  return st;
});

function* xargs(c: Ctx, argv: string[]): Gen<number> {
  let i = 1;
  let perCall = Number.POSITIVE_INFINITY;
  let replace: string | undefined;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const a = argv[i]!;
    if (a === '-n') perCall = Math.max(1, Number(argv[++i]) || 1);
    else if (a.startsWith('-n')) perCall = Math.max(1, Number(a.slice(2)) || 1);
    else if (a === '-I') replace = argv[++i];
    else if (a.startsWith('-I')) replace = a.slice(2);
    else if (a === '-r' || a === '-t' || a === '-0') continue;
  }
  const cmd = argv.length > i ? argv.slice(i) : ['echo'];
  const input = c.io.stdin.readAll();
  const items = replace !== undefined ? lines(input) : input.split(/\s+/).filter((w) => w !== '');
  if (items.length === 0) return argv.includes('-r') ? 0 : yield* runCommand(c, cmd);
  let st = 0;
  const step = replace !== undefined ? 1 : perCall;
  for (let k = 0; k < items.length; k += step) {
    c.k.step();
    const chunk = items.slice(k, k + step);
    const full =
      replace !== undefined ? cmd.map((a) => a.split(replace!).join(chunk[0]!)) : [...cmd, ...chunk];
    const r = yield* runCommand(c, full);
    if (r !== 0) st = r === 127 || r === 126 ? r : 123;
  }
  return st;
}

const noop = sync(() => 0);

/** Every applet podlab's busybox has, by name. */
export const APPLETS: Record<string, Applet> = nullProto<Applet>({
  sh: (c, argv) => runShell(c.k, argv, c.io, c.env, c.cwd, false),
  ash: (c, argv) => runShell(c.k, argv, c.io, c.env, c.cwd, false),
  sleep,
  usleep: (c, argv) => sleep(c, ['sleep', `${Number(argv[1] ?? 0) / 1e6}`]),
  echo,
  printf,
  touch,
  rm,
  rmdir,
  mkdir,
  cat,
  ls,
  test: testApplet,
  '[': testApplet,
  '[[': testApplet,
  true: noop,
  ':': noop,
  false: sync(() => 1),
  kill,
  date,
  hostname: sync((c) => {
    out(c, `${c.k.host.hostname}\n`);
    return 0;
  }),
  env,
  printenv,
  pwd: sync((c) => {
    out(c, `${c.cwd}\n`);
    return 0;
  }),
  id: sync((c) => {
    out(c, 'uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
    return 0;
  }),
  whoami: sync((c) => {
    out(c, 'root\n');
    return 0;
  }),
  uname,
  head: headTail('head'),
  tail: headTail('tail'),
  grep,
  egrep: (c, argv) => grep(c, ['grep', '-E', ...argv.slice(1)]),
  fgrep: (c, argv) => grep(c, ['grep', '-F', ...argv.slice(1)]),
  wc,
  yes,
  seq,
  expr,
  basename,
  dirname,
  cp: copyMove(false),
  mv: copyMove(true),
  tee,
  sort,
  uniq,
  tr,
  cut,
  which,
  ps,
  timeout,
  sync: noop,
  chmod: noop,
  chown: noop,
  sed,
  find,
  xargs,
  nslookup: nslookupApplet,
  wget: wgetApplet,
  nc: ncApplet,
  httpd: httpdApplet,
});
