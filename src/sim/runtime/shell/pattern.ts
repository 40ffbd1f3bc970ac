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

/**
 * Evaluates shell arithmetic on 64-bit-like integers (JS numbers truncated to integers):
 * + - * / % ** comparisons, && || !, bit ops, parentheses, variables, assignment `=`.
 */
export function arith(
  expr: string,
  get: (name: string) => string | undefined,
  set: (name: string, v: string) => void,
): ArithResult {
  const toks = expr.match(
    /\s*(0[xX][0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>!~&|^=?:])/g,
  );
  const joined = (toks ?? []).join('');
  if (joined.replace(/\s/g, '') !== expr.replace(/\s/g, ''))
    return { ok: false, error: 'arithmetic syntax error' };
  const ts = (toks ?? []).map((t) => t.trim());
  let i = 0;
  let depth = 0;
  const peek = () => ts[i];
  const num = (name: string): number => {
    const v = get(name);
    if (v === undefined || v === '') return 0;
    const n = Number.parseInt(v, 10);
    return Number.isNaN(n) ? 0 : n;
  };
  const fail = (): never => {
    throw new Error('arithmetic syntax error');
  };
  const primary = (): number => {
    if (++depth > 200) fail();
    const t = ts[i++];
    let v: number;
    if (t === undefined) fail();
    else if (t === '(') {
      v = ternary();
      if (ts[i++] !== ')') fail();
    } else if (t === '-') v = -primary();
    else if (t === '+') v = primary();
    else if (t === '!') v = primary() ? 0 : 1;
    else if (t === '~') v = ~primary();
    else if (/^\d/.test(t!)) v = Number(t);
    else if (/^[A-Za-z_]/.test(t!)) {
      if (peek() === '=' && ts[i + 1] !== '=') {
        i++;
        v = ternary();
        set(t!, String(v));
      } else v = num(t!);
    } else return fail();
    depth--;
    return v!;
  };
  const levels: string[][] = [
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
  const binary = (lvl: number): number => {
    if (lvl >= levels.length) return primary();
    let l = binary(lvl + 1);
    while (levels[lvl]!.includes(peek() ?? '')) {
      const op = ts[i++]!;
      const r = binary(lvl + 1);
      l = apply(op, l, r);
    }
    return l;
  };
  const ternary = (): number => {
    const c = binary(0);
    if (peek() !== '?') return c;
    i++;
    const a = ternary();
    if (ts[i++] !== ':') fail();
    const b = ternary();
    return c ? a : b;
  };
  try {
    if (ts.length === 0) return { ok: true, value: 0 };
    const v = ternary();
    if (i !== ts.length) fail();
    return { ok: true, value: v };
  } catch (e) {
    return {
      ok: false,
      error:
        e instanceof Error && e.message === 'divide by zero' ? 'divide by zero' : 'arithmetic syntax error',
    };
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
