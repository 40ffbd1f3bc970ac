/** Shell pattern matching (fnmatch without FNM_PERIOD subtleties) and `$((...))` arithmetic. */

/** A piece of a pattern; quoted pieces match literally. */
export interface Seg {
  t: string;
  q: boolean;
}

const RE_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;

/** Whether unquoted pieces contain pattern characters. */
export function hasGlob(segs: Seg[]): boolean {
  return segs.some((s) => !s.q && /[*?[]/.test(s.t));
}

/** Compiles a pattern into an anchored regular expression. */
export function patternRegex(segs: Seg[], anchored = true): RegExp {
  let re = '';
  for (const s of segs) {
    if (s.q) {
      re += s.t.replace(RE_SPECIAL, '\\$&');
      continue;
    }
    const t = s.t;
    for (let i = 0; i < t.length; i++) {
      const c = t[i]!;
      if (c === '*') re += '[^]*';
      else if (c === '?') re += '[^]';
      else if (c === '\\' && i + 1 < t.length) re += t[++i]!.replace(RE_SPECIAL, '\\$&');
      else if (c === '[') {
        const close = t.indexOf(']', i + 2);
        if (close < 0) {
          re += '\\[';
          continue;
        }
        let body = t.slice(i + 1, close);
        let neg = false;
        if (body.startsWith('!') || body.startsWith('^')) {
          neg = true;
          body = body.slice(1);
        }
        body = body.replace(/[\\\]^]/g, '\\$&');
        re += `[${neg ? '^' : ''}${body}]`;
        i = close;
      } else re += c.replace(RE_SPECIAL, '\\$&');
    }
  }
  try {
    return new RegExp(anchored ? `^${re}$` : re, 's');
  } catch {
    return new RegExp(`^${segs.map((s) => s.t.replace(RE_SPECIAL, '\\$&')).join('')}$`, 's');
  }
}

/** Removes a prefix/suffix matching `pat` (`${x#p}`, `${x##p}`, `${x%p}`, `${x%%p}`). */
export function trimPattern(value: string, segs: Seg[], op: '#' | '##' | '%' | '%%'): string {
  const re = patternRegex(segs);
  if (op === '#' || op === '##') {
    const lens = [...Array(value.length + 1).keys()];
    if (op === '##') lens.reverse();
    for (const n of lens) if (re.test(value.slice(0, n))) return value.slice(n);
    return value;
  }
  const starts = [...Array(value.length + 1).keys()];
  if (op === '%') starts.reverse();
  for (const n of starts) if (re.test(value.slice(n))) return value.slice(0, n);
  return value;
}

/** The outcome of `$((expr))`: a number or ash's error text. */
export type ArithResult = { ok: true; value: number } | { ok: false; error: string };

const ARITH_TOKEN =
  /\s*(0[xX][0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\+\+|--|[-+*/%]=|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>!~&|^=?:])/g;
const LEVELS: string[][] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^'],
  ['&'],
  ['==', '!='],
  ['<', '>', '<=', '>='],
  ['<<', '>>'],
  ['+', '-'],
  ['*', '/', '%'],
  ['**'],
];
const tokenCache = new Map<string, string[] | undefined>();

function tokenize(expr: string): string[] | undefined {
  if (tokenCache.has(expr)) return tokenCache.get(expr);
  const toks = expr.match(ARITH_TOKEN) ?? [];
  const ok = toks.join('').replace(/\s/g, '') === expr.replace(/\s/g, '');
  const result = ok ? toks.map((t) => t.trim()) : undefined;
  if (tokenCache.size > 500) tokenCache.clear();
  tokenCache.set(expr, result);
  return result;
}

class ArithError {
  constructor(readonly message: string) {}
}

class Arith {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly ts: string[],
    private readonly get: (name: string) => string | undefined,
    private readonly set: (name: string, v: string) => void,
  ) {}

  run(): number {
    const v = this.ternary();
    if (this.i !== this.ts.length) throw new ArithError('arithmetic syntax error');
    return v;
  }

  private num(name: string): number {
    const v = this.get(name);
    if (v === undefined || v === '') return 0;
    const n = Number.parseInt(v, 10);
    return Number.isNaN(n) ? 0 : n;
  }

  private primary(): number {
    if (++this.depth > 200) throw new ArithError('arithmetic syntax error');
    const t = this.ts[this.i++];
    let v: number;
    if (t === undefined) throw new ArithError('arithmetic syntax error');
    if (t === '(') {
      v = this.ternary();
      if (this.ts[this.i++] !== ')') throw new ArithError('arithmetic syntax error');
    } else if (t === '-') v = -this.primary();
    else if (t === '+') v = this.primary();
    else if (t === '!') v = this.primary() ? 0 : 1;
    else if (t === '~') v = ~this.primary();
    else if (/^\d/.test(t)) v = Number(t);
    else if (t === '++' || t === '--') {
      // Pre-increment/decrement of a variable.
      const name = this.ts[this.i++];
      if (name === undefined || !/^[A-Za-z_]/.test(name)) throw new ArithError('arithmetic syntax error');
      v = this.num(name) + (t === '++' ? 1 : -1);
      this.set(name, String(v));
    } else if (/^[A-Za-z_]/.test(t)) {
      const next = this.ts[this.i];
      if (next === '=') {
        this.i++;
        v = this.ternary();
        this.set(t, String(v));
      } else if (next !== undefined && /^[-+*/%]=$/.test(next)) {
        this.i++;
        v = apply(next[0]!, this.num(t), this.ternary());
        this.set(t, String(v));
      } else if (next === '++' || next === '--') {
        this.i++;
        v = this.num(t);
        this.set(t, String(v + (next === '++' ? 1 : -1)));
      } else v = this.num(t);
    } else throw new ArithError('arithmetic syntax error');
    this.depth--;
    return v;
  }

  private binary(lvl: number): number {
    if (lvl >= LEVELS.length) return this.primary();
    let l = this.binary(lvl + 1);
    while (LEVELS[lvl]!.includes(this.ts[this.i] ?? '')) {
      const op = this.ts[this.i++]!;
      const r = this.binary(lvl + 1);
      l = apply(op, l, r);
    }
    return l;
  }

  private ternary(): number {
    const c = this.binary(0);
    if (this.ts[this.i] !== '?') return c;
    this.i++;
    const a = this.ternary();
    if (this.ts[this.i++] !== ':') throw new ArithError('arithmetic syntax error');
    const b = this.ternary();
    return c ? a : b;
  }
}

/**
 * Evaluates shell arithmetic on integers (JS numbers truncated to integers):
 * + - * / % ** comparisons, && || !, bit ops, parentheses, variables, assignment `=`.
 */
export function arith(
  expr: string,
  get: (name: string) => string | undefined,
  set: (name: string, v: string) => void,
): ArithResult {
  const ts = tokenize(expr);
  if (ts === undefined) return { ok: false, error: 'arithmetic syntax error' };
  if (ts.length === 0) return { ok: true, value: 0 };
  try {
    return { ok: true, value: new Arith(ts, get, set).run() };
  } catch (e) {
    if (e instanceof ArithError) return { ok: false, error: e.message };
    if (e instanceof Error && e.message === 'divide by zero') return { ok: false, error: 'divide by zero' };
    throw e;
  }
}

function apply(op: string, l: number, r: number): number {
  switch (op) {
    case '||':
      return l || r ? 1 : 0;
    case '&&':
      return l && r ? 1 : 0;
    case '|':
      return l | r;
    case '^':
      return l ^ r;
    case '&':
      return l & r;
    case '==':
      return l === r ? 1 : 0;
    case '!=':
      return l !== r ? 1 : 0;
    case '<':
      return l < r ? 1 : 0;
    case '>':
      return l > r ? 1 : 0;
    case '<=':
      return l <= r ? 1 : 0;
    case '>=':
      return l >= r ? 1 : 0;
    case '<<':
      return l << r;
    case '>>':
      return l >> r;
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
    case '%':
      if (r === 0) throw new Error('divide by zero');
      return op === '/' ? Math.trunc(l / r) : l % r;
    default:
      return l ** r;
  }
}
