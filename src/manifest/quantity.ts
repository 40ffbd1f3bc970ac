/**
 * Just enough of k8s.io/apimachinery's resource.Quantity for validation messages: exact
 * comparison and the canonical string (`quantity.String()`: `0.5` -> `500m`, `1024Mi` ->
 * `1Gi`, `2000` -> `2k`). Values are exact rationals (BigInt numerator, power-of-ten and
 * power-of-two scale); inputs are assumed to have passed `quantityError` already.
 */

/** An exact quantity: `num * 10^exp10 * 2^exp2`, and the format its suffix implies. */
export interface Quantity {
  num: bigint;
  exp10: number;
  exp2: number;
  format: 'DecimalSI' | 'BinarySI' | 'DecimalExponent';
}

const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

const PARTS = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(.*)$/;
const EXPONENT_SUFFIX = /^[eE][-+]?[0-9]+$/;

/** Parses a quantity (as ParseQuantity), or returns undefined. */
export function parseQuantity(input: string | number): Quantity | undefined {
  const s = String(input).trim();
  const m = PARTS.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  const suffix = m[4] ?? '';
  // Trailing zeros of the digits go to the exponent (the value is kept normalised).
  const digits = `${intPart}${frac}`;
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 48) end--;
  let exp10 = -frac.length + (digits.length - end);
  let exp2 = 0;
  let format: Quantity['format'] = 'DecimalSI';
  if (Object.hasOwn(BINARY, suffix)) {
    exp2 = BINARY[suffix]!;
    format = 'BinarySI';
  } else if (Object.hasOwn(DECIMAL, suffix)) {
    exp10 += DECIMAL[suffix]!;
  } else if (EXPONENT_SUFFIX.test(suffix)) {
    exp10 += Number(suffix.slice(1));
    format = 'DecimalExponent';
  } else {
    return undefined;
  }
  if (end === 0) return { num: 0n, exp10: 0, exp2: 0, format };
  return { num: BigInt(digits.slice(0, end)) * sign, exp10, exp2, format };
}

/** Compares two quantities exactly (-1, 0, 1). */
export function compareQuantity(a: Quantity, b: Quantity): number {
  // Bring both to a common integer scale: multiply by 10^-minExp10 and 2^-minExp2.
  const e10 = Math.min(a.exp10, b.exp10);
  const e2 = Math.min(a.exp2, b.exp2);
  const x = scaled(a, e10, e2);
  const y = scaled(b, e10, e2);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `q`'s value times 10^-e10 * 2^-e2 (both at most q's exponents): an integer. */
function scaled(q: Quantity, e10: number, e2: number): bigint {
  let v = q.num;
  if (q.exp10 !== e10) v *= 10n ** BigInt(q.exp10 - e10);
  if (q.exp2 !== e2) v *= 2n ** BigInt(q.exp2 - e2);
  return v;
}

/** quantity.String(): the canonical form. Sub-nano values round up to 1n, as upstream does. */
export function canonicalQuantity(q: Quantity): string {
  if (q.num === 0n) return '0';
  let format = q.format;
  // Value as num * 10^exp10 (binary scale folded in; 2^k = 10^k * 5^-k is not integral, so
  // multiply instead: value = num * 2^exp2 * 10^exp10).
  let num = q.num * 2n ** BigInt(q.exp2);
  const exp10 = q.exp10;
  if (format === 'BinarySI') {
    // CanonicalizeBytes: a fractional value, or |value| < 1024, is written as DecimalSI.
    const divisor = exp10 < 0 ? 10n ** BigInt(-exp10) : 1n;
    const scaled = exp10 > 0 ? num * 10n ** BigInt(exp10) : num;
    const abs = scaled < 0n ? -scaled : scaled;
    if (scaled % divisor === 0n && abs / divisor >= 1024n) {
      let value = scaled / divisor;
      let k = 0;
      while (k < 6 && value % 1024n === 0n) {
        value /= 1024n;
        k++;
      }
      return `${value}${['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][k]}`;
    }
    format = 'DecimalSI';
  }
  // DecimalSI / DecimalExponent: mantissa * 10^e with e a multiple of 3, at least -9.
  let e = exp10;
  while (e < -9) {
    // Round up to nano (upstream rounds away from zero at scale -9).
    const neg = num < 0n;
    const abs = neg ? -num : num;
    num = (neg ? -1n : 1n) * ((abs + 9n) / 10n);
    e++;
  }
  while (((e % 3) + 3) % 3 !== 0) {
    num *= 10n;
    e--;
  }
  while (num % 1000n === 0n && e < 18) {
    num /= 1000n;
    e += 3;
  }
  if (format === 'DecimalExponent') return e === 0 ? `${num}` : `${num}e${e}`;
  const suffix: Record<number, string> = {
    [-9]: 'n',
    [-6]: 'u',
    [-3]: 'm',
    0: '',
    3: 'k',
    6: 'M',
    9: 'G',
    12: 'T',
    15: 'P',
    18: 'E',
  };
  return `${num}${suffix[e] ?? `e${e}`}`;
}
