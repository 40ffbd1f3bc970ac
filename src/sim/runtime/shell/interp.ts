/**
 * The busybox ash interpreter: runs a parsed script as a generator in virtual time. Commands
 * run one after another inside one kernel job; `&` starts a kernel job; pipelines run their
 * stages one after another, each stage's output being the next one's input.
 */
import { normalizePath } from '../fs.ts';
import { BufferSink, FileSink, Input, type Io, NULL_SINK } from '../io.ts';
import type { Gen, Kernel } from '../kernel.ts';
import { findCommand, runApplet, SHELL_BUILTIN_APPLETS } from '../programs.ts';
import type { Command, List, Redir } from './ast.ts';
import { BUILTINS, BuiltinShell, SPECIAL, shellQuote } from './builtins.ts';
import { DEFAULT_PATH, ExitNow, FuncReturn, LoopCtl, MAX_FUNC_DEPTH, MAX_JOBS } from './expand.ts';
import { cachedParseScript, cachedScriptReader } from './parse.ts';
import { patternRegex } from './pattern.ts';

/** One shell: variables, functions, traps, positional parameters and working directory. */
export class Shell extends BuiltinShell {
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

  /** A subshell: a copy of this shell's state; traps other than ignores are reset (POSIX). */
  protected subshell(): Shell {
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

  protected *evalString(src: string, io: Io): Gen<number> {
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

  protected *background(c: Command, io: Io, tail = false): Gen<number> {
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
      // ash openredirect: errmsg(errno, "nonexistent directory") for ENOENT, else strerror.
      if (fs.readOnly?.(path)) {
        this.error(io, `can't create ${target}: Read-only file system`);
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
