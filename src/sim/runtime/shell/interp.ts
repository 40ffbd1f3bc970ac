/**
 * The busybox ash interpreter: runs a parsed script as a generator in virtual time. Commands
 * run one after another inside one kernel job; `&` starts a kernel job; pipelines run their
 * stages one after another, each stage's output being the next one's input.
 */
import type { Signal } from '../../../model/runtime.ts';
import { normalizePath } from '../fs.ts';
import { BufferSink, FileSink, Input, type Io, NULL_SINK } from '../io.ts';
import {
  BudgetExceeded,
  type Gen,
  type Kernel,
  nullProto,
  parseSignal,
  SIGNAL_NUMBERS,
  type TrapTable,
} from '../kernel.ts';
import { findCommand, runApplet, SHELL_BUILTIN_APPLETS } from '../programs.ts';
import type { Command, List, Redir, Word } from './ast.ts';
import { cachedParseScript, cachedScriptReader } from './parse.ts';
import { arith, hasGlob, patternRegex, type Seg, trimPattern } from './pattern.ts';

/** `exit N` (and fatal shell errors): unwinds to the shell's top level. */
class ExitNow {
  constructor(readonly code: number) {}
}
/** `break N` / `continue N`. */
class LoopCtl {
  constructor(
    readonly kind: 'break' | 'continue',
    public n: number,
  ) {}
}
/** `return N` from a function. */
class FuncReturn {
  constructor(readonly code: number) {}
}

const MAX_FUNC_DEPTH = 500;
/** Background jobs alive at once in one process tree (a pids limit). */
const MAX_JOBS = 1024;
/** The longest string a shell word may expand to (`X="$X$X"` in a loop doubles memory). */
const MAX_STRING = 1 << 24;

function checkSize(s: string): string {
  if (s.length > MAX_STRING) {
    // A real shell would exhaust the container's memory; podlab ends the run on its step budget.
    throw new BudgetExceeded('shellSteps', `a shell word grew beyond ${MAX_STRING} bytes`);
  }
  return s;
}
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface Field {
  segs: Seg[];
  quoted: boolean;
}

/** One shell: variables, functions, traps, positional parameters and working directory. */
export class Shell implements TrapTable {
  vars = new Map<string, string>();
  exported = new Set<string>();
  funcs = new Map<string, Command>();
  traps = new Map<string, string>();
  positional: string[] = [];
  cwd = '/';
  status = 0;
  errexit = false;
  /** `set -x`: print each simple command to stderr before running it. */
  xtrace = false;
  /** `set -u`: expanding an unset variable is an error. */
  nounset = false;
  /** ash's may_have_traps: some trap action was set at some point. */
  mayHaveTraps = false;
  /** Saved values of `local` variables, one frame per function call. */
  private locals: Map<string, string | undefined>[] = [];
  lastBg: number | undefined;
  /** Whether this shell is the main job's top shell, the one signals are delivered to. */
  isMain = false;
  /** ash's `commandname` outside builtins: the script file, or NAME of `sh -c CMD NAME`. */
  cmdName: string | undefined;
  /** The line of the command running now (for error messages). */
  lineno = 1;
  private seed: number | undefined;

  /** `$RANDOM`: 0..32767 from a generator seeded by the PID, so runs repeat exactly. */
  private random(): number {
    this.seed ??= (this.pid * 2654435761) >>> 0;
    // Numerical Recipes LCG; ash uses its own generator, any fixed one keeps runs identical.
    this.seed = (Math.imul(this.seed, 1664525) + 1013904223) >>> 0;
    return this.seed >>> 17;
  }

  /** busybox's applet_name for this shell (`sh`): the prefix of builtin applets' messages. */
  appletName = 'sh';
  private condDepth = 0;
  private funcDepth = 0;
  private loopDepth = 0;
  private lastSubStatus = 0;

  constructor(
    readonly k: Kernel,
    /** `$0` and the prefix of the shell's own error messages (`sh: foo: not found`). */
    public arg0: string,
    /** `$$`. */
    readonly pid: number,
  ) {}

  /** A new shell with the exported environment `env`. */
  static withEnv(k: Kernel, arg0: string, pid: number, env: Record<string, string>, cwd: string): Shell {
    const sh = new Shell(k, arg0, pid);
    for (const [n, v] of Object.entries(env)) {
      sh.vars.set(n, v);
      sh.exported.add(n);
    }
    if (!sh.vars.has('PATH')) {
      sh.vars.set('PATH', DEFAULT_PATH);
      sh.exported.add('PATH');
    }
    if (!sh.vars.has('IFS')) sh.vars.set('IFS', ' \t\n');
    if (!sh.vars.has('PS1')) sh.vars.set('PS1', '\\w \\$ ');
    sh.vars.set('PWD', cwd);
    sh.exported.add('PWD');
    sh.cwd = cwd;
    return sh;
  }

  trapFor(sig: Signal): string | undefined {
    return this.traps.get(sig);
  }

  /** The exported variables, as a child process's environment. */
  environment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const n of [...this.exported].sort()) {
      const v = this.vars.get(n);
      if (v !== undefined) env[n] = v;
    }
    return env;
  }

  /** A subshell: a copy of this shell's state; traps other than ignores are reset (POSIX). */
  private subshell(): Shell {
    const s = new Shell(this.k, this.arg0, this.pid);
    s.vars = new Map(this.vars);
    s.exported = new Set(this.exported);
    s.funcs = new Map(this.funcs);
    for (const [sig, h] of this.traps) if (h === '') s.traps.set(sig, '');
    s.positional = [...this.positional];
    s.cwd = this.cwd;
    s.status = this.status;
    s.errexit = this.errexit;
    s.mayHaveTraps = this.mayHaveTraps;
    s.xtrace = this.xtrace;
    s.nounset = this.nounset;
    s.lastBg = this.lastBg;
    s.funcDepth = this.funcDepth;
    s.cmdName = this.cmdName;
    s.lineno = this.lineno;
    s.appletName = this.appletName;
    return s;
  }

  /**
   * Prints a shell error as ash_vmsg() does: `$0: `, then, when a command name is set (a
   * builtin running, or a script file / `sh -c CMD NAME`), that name if it differs from `$0`
   * and `line N: `.
   */
  error(io: Io, msg: string, builtin?: string): void {
    const name = builtin ?? this.cmdName;
    let prefix = `${this.arg0}: `;
    if (name !== undefined) prefix += `${name !== this.arg0 ? `${name}: ` : ''}line ${this.lineno}: `;
    io.err.write(`${prefix}${msg}\n`);
  }

  /**
   * Runs a script text to its end, one complete command line at a time (commands before a
   * syntax error run); returns the exit status (after the EXIT trap).
   */
  *runScript(src: string, io: Io): Gen<number> {
    const read = cachedScriptReader(src);
    let code = 0;
    try {
      for (;;) {
        const step = read();
        if (step.kind === 'eof') break;
        if (step.kind === 'error') {
          this.lineno = step.line;
          this.error(io, step.error);
          code = 2;
          break;
        }
        // ash evalstring(): the script's last command is evaluated with EV_EXIT.
        code = yield* this.list(step.list, io, step.last);
      }
    } catch (e) {
      if (e instanceof ExitNow) code = e.code;
      else if (e instanceof LoopCtl || e instanceof FuncReturn) code = this.status;
      else throw e;
    }
    return yield* this.exitTrap(code, io);
  }

  private *exitTrap(code: number, io: Io): Gen<number> {
    const h = this.traps.get('EXIT');
    if (h === undefined || h === '') return code;
    this.traps.delete('EXIT');
    this.status = code;
    try {
      yield* this.evalString(h, io);
    } catch (e) {
      if (e instanceof ExitNow) return e.code;
      throw e;
    }
    return code;
  }

  private *evalString(src: string, io: Io): Gen<number> {
    const p = cachedParseScript(src);
    if (!p.ok) {
      this.error(io, p.error);
      return 2;
    }
    return yield* this.list(p.list, io);
  }

  /** Runs the handlers of trapped signals that arrived (ash: between commands). */
  private *runTraps(io: Io): Gen<void> {
    if (!this.isMain) return;
    while (this.k.pending.length > 0) {
      const sig = this.k.pending.shift()!;
      const h = this.traps.get(sig);
      if (h === undefined || h === '') continue;
      const saved = this.status;
      yield* this.evalString(h, io);
      this.status = saved;
    }
  }

  /** Runs a list; `tail`: it ends the script (ash EV_EXIT), its last command may be exec'd. */
  *list(l: List, io: Io, tail = false): Gen<number> {
    for (let i = 0; i < l.items.length; i++) {
      const item = l.items[i]!;
      if (item.bg) {
        if (this.k.runningBackground().length >= MAX_JOBS) {
          // The container's pids limit: fork fails, a non-interactive ash exits.
          this.error(io, "can't fork: Resource temporarily unavailable");
          throw new ExitNow(2);
        }
        const child = this.subshell();
        const bgIo: Io = { stdin: new Input(''), out: io.out, err: io.err };
        this.lastBg = this.k.spawn(child.background(item.cmd, bgIo));
        this.status = 0;
        continue;
      }
      const st = yield* this.cmd(item.cmd, io, tail && i === l.items.length - 1);
      this.status = st;
      yield* this.runTraps(io);
      if (this.errexit && st !== 0 && this.condDepth === 0 && !isCondition(item.cmd)) throw new ExitNow(st);
    }
    return this.status;
  }

  private *background(c: Command, io: Io, tail = false): Gen<number> {
    try {
      return yield* this.cmd(c, io, tail);
    } catch (e) {
      if (e instanceof ExitNow) return e.code;
      if (e instanceof LoopCtl || e instanceof FuncReturn) return this.status;
      throw e;
    }
  }

  private *inCondition(l: List, io: Io): Gen<number> {
    this.condDepth++;
    try {
      return yield* this.list(l, io);
    } finally {
      this.condDepth--;
    }
  }

  *cmd(c: Command, io: Io, tail = false): Gen<number> {
    switch (c.k) {
      case 'simple':
        return yield* this.simple(c, io, tail);
      case 'andor': {
        this.condDepth++;
        let st: number;
        try {
          st = yield* this.cmd(c.first, io);
        } finally {
          this.condDepth--;
        }
        for (let i = 0; i < c.rest.length; i++) {
          const r = c.rest[i]!;
          if ((r.op === '&&') !== (st === 0)) continue;
          const last = i === c.rest.length - 1;
          if (!last) this.condDepth++;
          try {
            st = yield* this.cmd(r.cmd, io, tail && last);
          } finally {
            if (!last) this.condDepth--;
          }
          // POSIX set -e: only the last command of an && / || list can end the shell.
          if (last && st !== 0 && this.errexit && this.condDepth === 0) throw new ExitNow(st);
        }
        return st;
      }
      case 'pipeline': {
        let st = 0;
        if (c.neg) this.condDepth++;
        try {
          st = yield* this.pipeline(c.cmds, io);
        } finally {
          if (c.neg) this.condDepth--;
        }
        return c.neg ? (st === 0 ? 1 : 0) : st;
      }
      case 'func':
        this.funcs.set(c.name, c.body);
        return 0;
    }
    const rio = yield* this.redirect(c.redirs, io);
    if (rio === undefined) return 1;
    switch (c.k) {
      case 'group': {
        // Without redirections a group keeps EV_EXIT (ash: no NREDIR node; a subshell does not fork).
        const keep = tail && c.redirs.length === 0;
        if (!c.subshell) return yield* this.list(c.body, rio, keep);
        if (keep) {
          const own = this.subshell();
          own.isMain = this.isMain;
          return yield* own.background({ k: 'group', body: c.body, subshell: false, redirs: [] }, rio, true);
        }
        const sub = this.subshell();
        return yield* sub.background({ k: 'group', body: c.body, subshell: false, redirs: [] }, rio);
      }
      case 'if': {
        for (const cl of c.clauses) {
          if ((yield* this.inCondition(cl.cond, rio)) === 0) return yield* this.list(cl.body, rio, tail);
        }
        return c.otherwise ? yield* this.list(c.otherwise, rio, tail) : 0;
      }
      case 'loop': {
        let st = 0;
        this.loopDepth++;
        try {
          for (;;) {
            this.k.step();
            const cond = yield* this.inCondition(c.cond, rio);
            if (c.until ? cond === 0 : cond !== 0) break;
            const r = yield* this.loopBody(c.body, rio);
            st = r.status;
            if (r.ctl === 'break') break;
          }
        } finally {
          this.loopDepth--;
        }
        return st;
      }
      case 'for': {
        const items = c.items === undefined ? [...this.positional] : yield* this.expandFields(c.items, rio);
        let st = 0;
        this.loopDepth++;
        try {
          for (const it of items) {
            this.k.step();
            this.vars.set(c.name, it);
            const r = yield* this.loopBody(c.body, rio);
            st = r.status;
            if (r.ctl === 'break') break;
          }
        } finally {
          this.loopDepth--;
        }
        return st;
      }
      case 'case': {
        const w = yield* this.expandString(c.word, rio);
        for (const arm of c.arms) {
          for (const p of arm.patterns) {
            const segs = yield* this.expandSegs(p, rio);
            if (patternRegex(segs).test(w)) return yield* this.list(arm.body, rio, tail);
          }
        }
        return 0;
      }
    }
  }

  private *loopBody(body: List, io: Io): Gen<{ status: number; ctl?: 'break' }> {
    try {
      return { status: yield* this.list(body, io) };
    } catch (e) {
      if (!(e instanceof LoopCtl)) throw e;
      if (e.n > 1) {
        e.n--;
        throw e;
      }
      return e.kind === 'break' ? { status: 0, ctl: 'break' } : { status: 0 };
    }
  }

  private *pipeline(cmds: Command[], io: Io): Gen<number> {
    if (cmds.length === 1) return yield* this.cmd(cmds[0]!, io);
    let input = io.stdin;
    let st = 0;
    let stuck = false;
    for (let i = 0; i < cmds.length; i++) {
      const last = i === cmds.length - 1;
      const buf = last ? undefined : new BufferSink(this.k);
      const stageIo: Io = { stdin: input, out: buf ?? io.out, err: io.err };
      // ash runs every stage of a pipeline in a subshell.
      const stage = this.subshell().background(cmds[i]!, stageIo);
      for (;;) {
        const r = stage.next();
        if (r.done) {
          st = r.value;
          break;
        }
        // A stage waiting forever (`tail -f`, `nc -l`) will write nothing more: the next
        // stages run on what it wrote, and the pipeline as a whole never completes.
        if (r.value.kind === 'forever' && !last) {
          stuck = true;
          stage.return(0);
          break;
        }
        yield r.value;
      }
      if (buf) input = new Input(buf.text());
    }
    if (stuck) {
      yield { kind: 'forever' };
    }
    return st;
  }

  /** Applies redirections to a copy of `io`; undefined after printing an error. */
  private *redirect(rs: Redir[], io: Io): Gen<Io | undefined> {
    if (rs.length === 0) return io;
    const out: Io = { ...io };
    const fs = this.k.host.fs;
    for (const r of rs) {
      if (r.op === '<<') {
        const text = yield* this.expandString(r.body ?? [], io);
        if (r.fd === 0) out.stdin = new Input(text);
        continue;
      }
      const target = yield* this.expandString(r.target, io);
      if (r.op === '>&' || r.op === '<&') {
        if (target === '-') this.setFd(out, r.fd, NULL_SINK);
        else if (target === '1') this.setFd(out, r.fd, out.out);
        else if (target === '2') this.setFd(out, r.fd, out.err);
        else if (target === '0') continue;
        else {
          this.error(io, `${target}: bad file descriptor`);
          return undefined;
        }
        continue;
      }
      const path = normalizePath(target, this.cwd);
      if (r.op === '<') {
        if (path === '/dev/null') {
          out.stdin = new Input('');
          continue;
        }
        const text = fs.readFile(path);
        if (text === undefined && !fs.isDirectory(path)) {
          this.error(io, `can't open ${target}: no such file`);
          return undefined;
        }
        if (r.fd === 0) out.stdin = new Input(text ?? '');
        continue;
      }
      if (path === '/dev/null') {
        this.setFd(out, r.fd, NULL_SINK);
        continue;
      }
      if (path === '/dev/stdout' || path === '/proc/self/fd/1') {
        this.setFd(out, r.fd, out.out);
        continue;
      }
      if (path === '/dev/stderr' || path === '/proc/self/fd/2') {
        this.setFd(out, r.fd, out.err);
        continue;
      }
      if (path === '/proc/1/fd/1' || path === '/proc/1/fd/2') {
        // PID 1's stdout/stderr: the container log, also from hooks and kubectl exec.
        this.setFd(out, r.fd, this.k.pid1Sink(path.endsWith('1') ? 'stdout' : 'stderr'));
        continue;
      }
      if (fs.isDirectory(path)) {
        this.error(io, `can't create ${target}: Is a directory`);
        return undefined;
      }
      if (r.op === '>' || !fs.exists(path)) {
        const res = fs.writeFile(path, '', false);
        if (res === 'enoent') {
          this.error(io, `can't create ${target}: nonexistent directory`);
          return undefined;
        }
      }
      this.setFd(out, r.fd, new FileSink(fs, path, this.k.host.limits.maxFsBytes));
    }
    return out;
  }

  private setFd(io: Io, fd: number, sink: Io['out']): void {
    if (fd === 1) io.out = sink;
    else if (fd === 2) io.err = sink;
  }

  private *simple(c: Extract<Command, { k: 'simple' }>, io: Io, tail = false): Gen<number> {
    this.k.step();
    this.lineno = c.line;
    this.lastSubStatus = 0;
    const argv = yield* this.expandFields(c.words, io);
    const assigns: [string, string][] = [];
    for (const a of c.assigns) assigns.push([a.name, yield* this.expandString(a.value, io)]);
    if (this.xtrace) {
      const shown = [...assigns.map(([n, v]) => `${n}=${shellQuote(v)}`), ...argv.map(shellQuote)];
      io.err.write(`+ ${shown.join(' ')}\n`);
    }
    const rio = yield* this.redirect(c.redirs, io);
    if (rio === undefined) return 1;
    if (argv.length === 0) {
      for (const [n, v] of assigns) this.vars.set(n, v);
      return this.lastSubStatus;
    }
    const name = argv[0]!;
    const builtin = BUILTINS[name];
    if (builtin && SPECIAL.has(name)) {
      for (const [n, v] of assigns) this.vars.set(n, v);
      return yield* builtin(this, argv, rio);
    }
    const fn = this.funcs.get(name);
    if (fn) {
      for (const [n, v] of assigns) this.vars.set(n, v);
      return yield* this.callFunction(fn, argv, rio);
    }
    if (builtin) return yield* builtin(this, argv, rio);
    // Builtin applets (echo, test, ...) read no environment: skip building it.
    if (SHELL_BUILTIN_APPLETS.has(name))
      return yield* runApplet(name, argv, {
        k: this.k,
        sh: this,
        io: rio,
        env: {},
        cwd: this.cwd,
        msgName: this.appletName,
      });
    const env = this.environment();
    for (const [n, v] of assigns) env[n] = v;
    // ash evalcommand(): with EV_EXIT and no trap ever set, the program replaces the shell
    // (no fork), so in the main shell it becomes the process PID 1's signals go to.
    if (tail && this.isMain && !this.mayHaveTraps) {
      this.k.execHandoff = true;
      try {
        return yield* this.external(argv, rio, env);
      } finally {
        this.k.execHandoff = false;
      }
    }
    return yield* this.external(argv, rio, env);
  }

  /** Runs a program found on PATH (or by path) as a child process of this shell. */
  *external(argv: string[], io: Io, env: Record<string, string>): Gen<number> {
    const name = argv[0]!;
    const found = findCommand(this.k, name, this.cwd, this.vars.get('PATH') ?? DEFAULT_PATH);
    if (found.kind === 'missing') {
      this.error(io, `${name}: not found`);
      return 127;
    }
    if (found.kind === 'denied') {
      this.error(io, `${name}: Permission denied`);
      return 126;
    }
    if (found.kind === 'script') {
      const child = Shell.withEnv(this.k, name, this.pid, env, this.cwd);
      child.positional = argv.slice(1);
      child.cmdName = name;
      if (this.k.execHandoff) {
        this.k.execHandoff = false;
        child.isMain = true;
        this.k.traps = child;
      }
      return yield* child.runScript(found.text, io);
    }
    return yield* found.run({ k: this.k, sh: this, io, env, cwd: this.cwd }, argv);
  }

  private *callFunction(fn: Command, argv: string[], io: Io): Gen<number> {
    if (this.funcDepth >= MAX_FUNC_DEPTH) throw new RangeError('function nesting');
    const saved = this.positional;
    this.positional = argv.slice(1);
    this.funcDepth++;
    this.locals.push(new Map());
    try {
      return yield* this.cmd(fn, io);
    } catch (e) {
      if (e instanceof FuncReturn) return e.code;
      throw e;
    } finally {
      this.funcDepth--;
      this.positional = saved;
      for (const [n, v] of this.locals.pop() ?? []) {
        if (v === undefined) this.vars.delete(n);
        else this.vars.set(n, v);
      }
    }
  }

  // ---- expansion ----

  private param(name: string): string | undefined {
    switch (name) {
      case '?':
        return String(this.status);
      case '$':
        return String(this.pid);
      case '#':
        return String(this.positional.length);
      case '@':
      case '*':
        return this.positional.join(' ');
      case '!':
        return this.lastBg === undefined ? '' : String(this.lastBg);
      case '-':
        return `${this.errexit ? 'e' : ''}${this.nounset ? 'u' : ''}${this.xtrace ? 'x' : ''}`;
      case '0':
        return this.arg0;
      case 'LINENO':
        return String(this.lineno);
      case 'RANDOM':
        if (!this.vars.has('RANDOM')) return String(this.random());
        break;
      case 'PPID':
        if (!this.vars.has('PPID')) return this.pid === 1 ? '0' : '1';
        break;
    }
    if (/^\d$/.test(name)) return this.positional[Number(name) - 1];
    return this.vars.get(name);
  }

  private *expandParam(p: Extract<Word[number], { k: 'param' }>, io: Io): Gen<string | undefined> {
    const v = this.param(p.name);
    const op = p.op;
    if (
      v === undefined &&
      this.nounset &&
      (op === undefined || op === 'len' || op.startsWith('#') || op.startsWith('%'))
    ) {
      if (p.name !== '@' && p.name !== '*') {
        this.error(io, `${p.name}: parameter not set`);
        throw new ExitNow(2);
      }
    }
    if (op === undefined) return v;
    if (op === 'len') return String((v ?? '').length);
    const colon = op.startsWith(':');
    const unset = v === undefined || (colon && v === '');
    switch (op) {
      case ':-':
      case '-':
        return unset ? yield* this.expandString(p.arg ?? [], io) : v;
      case ':=':
      case '=': {
        if (!unset) return v;
        const nv = yield* this.expandString(p.arg ?? [], io);
        this.vars.set(p.name, nv);
        return nv;
      }
      case ':+':
      case '+':
        return unset ? '' : yield* this.expandString(p.arg ?? [], io);
      case ':?':
      case '?': {
        if (!unset) return v;
        const msg = yield* this.expandString(p.arg ?? [], io);
        this.error(io, `${p.name}: ${msg || 'parameter not set'}`);
        throw new ExitNow(2);
      }
      default: {
        const segs = yield* this.expandSegs(p.arg ?? [], io);
        return trimPattern(v ?? '', segs, op);
      }
    }
  }

  private *commandSubst(body: List, io: Io): Gen<string> {
    const buf = new BufferSink(this.k);
    const sub = this.subshell();
    this.lastSubStatus = yield* sub.background(
      { k: 'group', body, subshell: false, redirs: [] },
      {
        stdin: new Input(''),
        out: buf,
        err: io.err,
      },
    );
    return buf.text().replace(/\n+$/, '');
  }

  private *arithmetic(expr: Word, io: Io): Gen<string> {
    const text = yield* this.expandString(expr, io);
    const r = arith(
      text,
      (n) => this.vars.get(n),
      (n, v) => this.vars.set(n, v),
    );
    if (!r.ok) {
      this.error(io, r.error);
      throw new ExitNow(2);
    }
    return String(r.value);
  }

  /** Expands a word without field splitting or globbing (assignments, redirections, case). */
  *expandString(w: Word, io: Io): Gen<string> {
    let s = '';
    for (const p of w) {
      if (p.k === 'lit') s += p.v;
      else if (p.k === 'param') s += (yield* this.expandParam(p, io)) ?? '';
      else if (p.k === 'cmdsub') s += yield* this.commandSubst(p.body, io);
      else s += yield* this.arithmetic(p.expr, io);
    }
    return checkSize(s);
  }

  /** Expands a word into pattern pieces (case patterns, `${x#pat}`). */
  private *expandSegs(w: Word, io: Io): Gen<Seg[]> {
    const segs: Seg[] = [];
    for (const p of w) {
      if (p.k === 'lit') segs.push({ t: p.v, q: p.quoted });
      else if (p.k === 'param') segs.push({ t: (yield* this.expandParam(p, io)) ?? '', q: p.quoted });
      else if (p.k === 'cmdsub') segs.push({ t: yield* this.commandSubst(p.body, io), q: p.quoted });
      else segs.push({ t: yield* this.arithmetic(p.expr, io), q: p.quoted });
    }
    return segs;
  }

  /** Expands words into fields: parameters, command substitution, splitting, globbing. */
  *expandFields(words: Word[], io: Io): Gen<string[]> {
    const out: string[] = [];
    for (const w of words) {
      // Fast path: one unquoted literal without pattern characters is one field as is.
      const only = w.length === 1 ? w[0]! : undefined;
      if (only?.k === 'lit' && (only.quoted || !/[*?[]/.test(only.v))) {
        if (only.v !== '' || only.quoted) out.push(only.v);
        continue;
      }
      const fields: Field[] = [];
      let cur: Field | undefined;
      const add = (t: string, q: boolean) => {
        cur ??= { segs: [], quoted: false };
        cur.segs.push({ t, q });
        if (q) cur.quoted = true;
      };
      const end = () => {
        if (cur && (cur.quoted || cur.segs.some((s) => s.t !== ''))) fields.push(cur);
        cur = undefined;
      };
      const split = (value: string) => {
        const ifs = this.vars.get('IFS') ?? ' \t\n';
        if (ifs === '') {
          if (value !== '') add(value, false);
          return;
        }
        const ws = [...ifs].filter((ch) => ' \t\n'.includes(ch)).join('');
        const other = [...ifs].filter((ch) => !' \t\n'.includes(ch)).join('');
        const esc = (s: string) => s.replace(/[\\\]^-]/g, '\\$&');
        const re = other
          ? new RegExp(`[${esc(ws)}]*[${esc(other)}][${esc(ws)}]*|[${esc(ws) || '\\s'}]+`)
          : new RegExp(`[${esc(ws)}]+`);
        const pieces = value.split(re);
        pieces.forEach((piece, i) => {
          if (i > 0) end();
          if (piece !== '') add(piece, false);
        });
      };
      for (const p of w) {
        if (p.k === 'lit') add(p.v, p.quoted);
        else if (p.k === 'param' && (p.name === '@' || p.name === '*') && p.op === undefined) {
          if (p.quoted && p.name === '@') {
            this.positional.forEach((a, i) => {
              if (i > 0) end();
              add(a, true);
            });
          } else if (p.quoted) add(this.positional.join(' '), true);
          else for (const a of this.positional) split(` ${a} `);
        } else {
          let v: string;
          if (p.k === 'param') v = (yield* this.expandParam(p, io)) ?? '';
          else if (p.k === 'cmdsub') v = yield* this.commandSubst(p.body, io);
          else v = yield* this.arithmetic(p.expr, io);
          if (p.quoted) add(v, true);
          else split(v);
        }
      }
      end();
      for (const f of fields) {
        if (hasGlob(f.segs)) {
          const matches = this.glob(f.segs);
          if (matches.length > 0) {
            out.push(...matches);
            continue;
          }
        }
        out.push(checkSize(f.segs.map((s) => s.t).join('')));
      }
    }
    return out;
  }

  /** Pathname expansion against the container filesystem, sorted like ash (byte order). */
  private glob(segs: Seg[]): string[] {
    // Split the pattern on unquoted and quoted slashes into path components.
    const comps: Seg[][] = [[]];
    for (const s of segs) {
      const pieces = s.t.split('/');
      pieces.forEach((piece, i) => {
        if (i > 0) comps.push([]);
        if (piece !== '') comps.at(-1)!.push({ t: piece, q: s.q });
      });
    }
    const absolute = segs
      .map((s) => s.t)
      .join('')
      .startsWith('/');
    let paths: string[] = [absolute ? '/' : ''];
    const fs = this.k.host.fs;
    for (const comp of comps) {
      if (comp.length === 0) continue;
      const next: string[] = [];
      for (const base of paths) {
        const dir = normalizePath(base === '' ? '.' : base, this.cwd);
        const join = (n: string) => (base === '' ? n : base.endsWith('/') ? base + n : `${base}/${n}`);
        if (!hasGlob(comp)) {
          const n = comp.map((s) => s.t).join('');
          if (fs.exists(normalizePath(join(n), this.cwd))) next.push(join(n));
          continue;
        }
        const re = patternRegex(comp);
        const dotOk = comp[0]!.t.startsWith('.');
        for (const name of fs.list(dir) ?? []) {
          if (name.startsWith('.') && !dotOk) continue;
          if (re.test(name)) next.push(join(name));
        }
      }
      paths = next;
      if (paths.length === 0) return [];
    }
    return paths.sort();
  }

  // ---- builtins used by BUILTINS ----

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
  private *execMain(argv: string[], io: Io): Gen<number> {
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
}

type Builtin = (sh: Shell, argv: string[], io: Io) => Gen<number>;

// biome-ignore lint/correctness/useYield: builtins that never block are still generators
function* sync(n: number): Gen<number> {
  return n;
}

/** Builtins of ash that are not separate programs. */
const BUILTINS: Record<string, Builtin> = nullProto<Builtin>({
  cd: (sh, a, io) => sync(sh.cd(a, io)),
  exit: (sh, a, io) => sh.exit(a, io),
  export: (sh, a, io) => sync(sh.exportVars(a, io, true)),
  readonly: (sh, a, io) => sync(sh.exportVars(a, io, false)),
  local: (sh, a, io) => sync(sh.local(a, io)),
  unset: (sh, a) => {
    for (const n of a.slice(1).filter((x) => !x.startsWith('-'))) {
      sh.vars.delete(n);
      sh.funcs.delete(n);
    }
    return sync(0);
  },
  set: (sh, a, io) => sync(sh.set(a, io)),
  shift: (sh, a, io) => sync(sh.shift(a, io)),
  trap: (sh, a, io) => sync(sh.trap(a, io)),
  wait: (sh, a) => sh.wait(a),
  eval: (sh, a, io) => sh.eval(a, io),
  '.': (sh, a, io) => sh.source(a, io),
  source: (sh, a, io) => sh.source(a, io),
  read: (sh, a, io) => sync(sh.read(a, io)),
  break: (sh, a) => sync(sh.loopCtl('break', a)),
  continue: (sh, a) => sync(sh.loopCtl('continue', a)),
  return: (sh, a) => sh.ret(a),
  exec: (sh, a, io) => sh.exec(a, io),
  command: (sh, a, io) => {
    if (a[1] === '-v' || a[1] === '-V') return sync(sh.describe(a, io, 'v'));
    const rest = a.slice(1);
    if (rest.length === 0) return sync(0);
    const env = sh.environment();
    return SHELL_BUILTIN_APPLETS.has(rest[0]!)
      ? runApplet(rest[0]!, rest, { k: sh.k, sh, io, env, cwd: sh.cwd, msgName: sh.appletName })
      : sh.external(rest, io, env);
  },
  type: (sh, a, io) => sync(sh.describe(a, io, 'type')),
  umask: (_sh, a, io) => {
    if (a.length === 1) io.out.write('0022\n');
    return sync(0);
  },
});

/** POSIX special builtins: their assignments persist, errors are fatal. */
const SPECIAL = new Set([
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
function shellQuote(w: string): string {
  if (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'"'"'`)}'`;
}

/** busybox single_quote(): always quoted, `'` as `'"'"'`. */
function shellQuoteAlways(w: string): string {
  return `'${w.replace(/'/g, `'"'"'`)}'`;
}

function isCondition(c: Command): boolean {
  return c.k === 'andor' || (c.k === 'pipeline' && c.neg);
}

/** Runs `sh` the program: `sh -c SCRIPT [NAME [ARGS]]`, `sh FILE [ARGS]`, or a script on stdin. */
export function* runShell(
  k: Kernel,
  argv: string[],
  io: Io,
  env: Record<string, string>,
  cwd: string,
  isMain: boolean,
): Gen<number> {
  const name = argv[0] ?? 'sh';
  let i = 1;
  let script: string | undefined;
  let fromC = false;
  const flagArgs: string[] = [];
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      i++;
      break;
    }
    if (!/^[-+][a-zA-Z]+$/.test(a)) break;
    if (a.startsWith('-') && a.includes('c')) fromC = true;
    flagArgs.push(a.replace('c', ''));
  }
  // After `exec sh …` in the main shell, the new shell replaces it as the signals' target.
  if (k.execHandoff) {
    k.execHandoff = false;
    isMain = true;
  }
  const pid = isMain ? k.currentPid() : k.peekPid();
  let arg0 = name;
  let positional: string[] = [];
  if (fromC) {
    script = argv[i];
    if (script === undefined) {
      io.err.write(`${name}: -c requires an argument\n`);
      return 2;
    }
    if (argv[i + 1] !== undefined) arg0 = argv[i + 1]!;
    positional = argv.slice(i + 2);
  } else if (argv[i] !== undefined) {
    const file = argv[i]!;
    const text = k.host.fs.readFile(normalizePath(file, cwd));
    if (text === undefined) {
      io.err.write(`${name}: can't open '${file}': No such file or directory\n`);
      return 2;
    }
    script = text;
    arg0 = file;
    positional = argv.slice(i + 1);
  } else {
    script = io.stdin.readAll();
  }
  const sh = Shell.withEnv(k, arg0, pid, env, cwd);
  sh.positional = positional;
  sh.appletName = name.split('/').pop() || 'sh';
  // ash procargs(): `sh -c CMD NAME` and `sh FILE` set commandname (messages gain `line N:`).
  if (arg0 !== name) sh.cmdName = arg0;
  for (const f of flagArgs) sh.setFlags(f);
  if (isMain) {
    sh.isMain = true;
    k.traps = sh;
  }
  return yield* sh.runScript(script, io);
}
