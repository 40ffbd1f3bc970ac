/**
 * The ash shell's state (variables, functions, traps, positional parameters, working directory)
 * and word expansion: parameters, command substitution, arithmetic, field splitting and
 * globbing. Builtins (builtins.ts) and execution (interp.ts) extend it.
 */
import type { Signal } from '../../../model/runtime.ts';
import { normalizePath } from '../fs.ts';
import { BufferSink, Input, type Io } from '../io.ts';
import { BudgetExceeded, type Gen, type Kernel, type TrapTable } from '../kernel.ts';
import type { Command, List, Word } from './ast.ts';
import { arith, hasGlob, patternRegex, type Seg, trimPattern } from './pattern.ts';

/** `exit N` (and fatal shell errors): unwinds to the shell's top level. */
export class ExitNow {
  constructor(readonly code: number) {}
}
/** `break N` / `continue N`. */
export class LoopCtl {
  constructor(
    readonly kind: 'break' | 'continue',
    public n: number,
  ) {}
}
/** `return N` from a function. */
export class FuncReturn {
  constructor(readonly code: number) {}
}

export const MAX_FUNC_DEPTH = 500;
/** Background jobs alive at once in one process tree (a pids limit). */
export const MAX_JOBS = 1024;
/** The longest string a shell word may expand to (`X="$X$X"` in a loop doubles memory). */
export const MAX_STRING = 1 << 24;

export function checkSize(s: string): string {
  if (s.length > MAX_STRING) {
    // A real shell would exhaust the container's memory; podlab ends the run on its step budget.
    throw new BudgetExceeded('shellSteps', `a shell word grew beyond ${MAX_STRING} bytes`);
  }
  return s;
}
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface Field {
  segs: Seg[];
  quoted: boolean;
}

/** One shell: variables, functions, traps, positional parameters and working directory. */

/** One shell's state and its word expansion; the interpreter runs the lists. */
export abstract class ExpandingShell implements TrapTable {
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
  protected locals: Map<string, string | undefined>[] = [];
  lastBg: number | undefined;
  /** Whether this shell is the main job's top shell, the one signals are delivered to. */
  isMain = false;
  /** ash's `commandname` outside builtins: the script file, or NAME of `sh -c CMD NAME`. */
  cmdName: string | undefined;
  /** The line of the command running now (for error messages). */
  lineno = 1;
  protected seed: number | undefined;

  /** `$RANDOM`: 0..32767 from a generator seeded by the PID, so runs repeat exactly. */
  protected random(): number {
    this.seed ??= (this.pid * 2654435761) >>> 0;
    // Numerical Recipes LCG; ash uses its own generator, any fixed one keeps runs identical.
    this.seed = (Math.imul(this.seed, 1664525) + 1013904223) >>> 0;
    return this.seed >>> 17;
  }

  /** busybox's applet_name for this shell (`sh`): the prefix of builtin applets' messages. */
  appletName = 'sh';
  protected condDepth = 0;
  protected funcDepth = 0;
  protected loopDepth = 0;
  protected lastSubStatus = 0;

  constructor(
    readonly k: Kernel,
    /** `$0` and the prefix of the shell's own error messages (`sh: foo: not found`). */
    public arg0: string,
    /** `$$`. */
    readonly pid: number,
  ) {}

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

  protected param(name: string): string | undefined {
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

  protected *expandParam(p: Extract<Word[number], { k: 'param' }>, io: Io): Gen<string | undefined> {
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

  protected *commandSubst(body: List, io: Io): Gen<string> {
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

  protected *arithmetic(expr: Word, io: Io): Gen<string> {
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
  protected *expandSegs(w: Word, io: Io): Gen<Seg[]> {
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
  protected glob(segs: Seg[]): string[] {
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

  /** Runs a command as a subshell job does (`$(...)`: interp.ts). */
  protected abstract background(c: Command, io: Io, tail?: boolean): Gen<number>;

  /** A subshell: a copy of this shell's state (interp.ts). */
  protected abstract subshell(): ExpandingShell;
}
