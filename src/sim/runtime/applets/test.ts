/** busybox `test`/`[`/`[[` and `expr`: their grammar, texts and exit codes (coreutils/test.c, expr.c). */
import type { FileSystem } from '../../../model/runtime.ts';
import { abs, type Ctx, err, now, out, sync } from '../applet.ts';
import type { Gen } from '../kernel.ts';
import { breToJs } from './filters.ts';
import { baseName } from './process.ts';

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

export function testApplet(c: Ctx, argv: string[]): Gen<number> {
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

export const expr = sync((c, argv) => {
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
