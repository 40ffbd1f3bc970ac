/** busybox `echo` and `printf` with their escapes and format texts (coreutils/echo.c, printf.c). */
import { err, out, sync } from '../applet.ts';

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

export const echo = sync((c, argv) => {
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

export const printf = sync((c, argv) => {
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
