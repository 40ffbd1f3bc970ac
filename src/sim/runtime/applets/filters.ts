/** busybox text filters: cat, head/tail, grep, wc, sort, uniq, tr, cut, tee, seq, yes. */

import { type Applet, abs, type Ctx, err, flags, out, sync } from '../applet.ts';
import { BufferSink } from '../io.ts';
import type { Gen } from '../kernel.ts';

/** Reads operands (or stdin for none or `-`), reporting unreadable ones like busybox. */
export function readInputs(
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

export const cat = sync((c, argv) => {
  const { rest } = flags(argv);
  const r = readInputs(c, 'cat', rest);
  for (const t of r.texts) out(c, t.text);
  return r.st;
});

export function lines(text: string): string[] {
  const ls = text.split('\n');
  if (ls.at(-1) === '') ls.pop();
  return ls;
}

interface CountArgs {
  n: number;
  bytes: boolean;
  fromEnd: boolean;
  follow: boolean;
  /** `-F`: reopen files that are missing or replaced (FOLLOW_RETRY). */
  retry: boolean;
  rest: string[];
}

function countArg(argv: string[]): CountArgs | string {
  const r: CountArgs = { n: 10, bytes: false, fromEnd: true, follow: false, retry: false, rest: [] };
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
    else if (a === '-f') r.follow = true;
    else if (a === '-F') {
      r.follow = true;
      r.retry = true;
    } else if (a === '-q' || a === '-v') continue;
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
  if (which === 'tail' && ca.follow && (ca.rest.length > 0 || r.texts.length > 0)) {
    // Without -F a file that cannot be opened is dropped; none left: `tail: no files`, exit 1.
    const files = ca.rest.filter(
      (f) =>
        f !== '-' && abs(c, f) !== '/dev/null' && (ca.retry || c.k.host.fs.readFile(abs(c, f)) !== undefined),
    );
    if (!ca.retry && r.texts.length === 0) {
      err(c, 'tail: no files\n');
      return 1;
    }
    // Only /dev/null or stdin: nothing ever comes (the classic `tail -f /dev/null` keep-alive).
    // Inside a pipeline the next stage runs on what tail wrote so far (the shell runs the
    // stages one after another: shell/interp.ts pipeline), so tail stops there as well.
    if (files.length === 0 || c.io.out instanceof BufferSink) yield { kind: 'forever' };
    return yield* follow(c, files, ca.retry, ca.rest.length > 1);
  }
  return r.st;
}

/**
 * busybox `tail -f`/`-F` (coreutils/tail.c): wakes every second (`sleep(1)`) and prints what
 * was appended to each file since; after truncation it reads from the start again. With `-F`
 * (FOLLOW_RETRY) a file that was missing is opened when it appears, with `<file> has appeared;
 * following end of new file` on stderr, and read from its start.
 */
function* follow(c: Ctx, files: string[], retry: boolean, headers: boolean): Gen<number> {
  const offsets = files.map((f) => {
    const t = c.k.host.fs.readFile(abs(c, f));
    return t === undefined ? -1 : t.length;
  });
  let last = files.length - 1;
  for (;;) {
    yield { kind: 'sleep', until: c.k.clock + 1000 };
    files.forEach((f, i) => {
      const t = c.k.host.fs.readFile(abs(c, f));
      if (t === undefined) {
        if (offsets[i]! >= 0 && retry)
          err(c, `tail: ${f} has become inaccessible: No such file or directory\n`);
        if (retry) offsets[i] = -1;
        return;
      }
      if (offsets[i]! < 0) {
        if (!retry) return;
        err(c, `tail: ${f} has appeared; following end of new file\n`);
        offsets[i] = 0;
      }
      if (t.length < offsets[i]!) offsets[i] = 0;
      if (t.length === offsets[i]) return;
      if (headers && last !== i) out(c, `\n==> ${f} <==\n`);
      last = i;
      out(c, t.slice(offsets[i]));
      offsets[i] = t.length;
    });
  }
}

export function headTail(which: 'head' | 'tail'): Applet {
  return (c, argv) => headTailRun(which, c, argv);
}

/** Converts a POSIX basic regular expression to a JavaScript one (common subset). */
export function breToJs(re: string, extended: boolean): string {
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

export const grep = sync((c, argv) => {
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

export const wc = sync((c, argv) => {
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
export const yes = sync((c, argv) => {
  const line = `${argv.length > 1 ? argv.slice(1).join(' ') : 'y'}\n`;
  const chunk = line.repeat(Math.max(1, Math.floor(4096 / line.length)));
  for (;;) {
    c.k.step();
    out(c, chunk);
  }
});

export const seq = sync((c, argv) => {
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

export const tee = sync((c, argv) => {
  const { opts, rest } = flags(argv);
  const text = c.io.stdin.readAll();
  let st = 0;
  for (const f of rest) {
    const r = c.k.host.fs.writeFile(abs(c, f), text, opts.has('a'));
    if (r !== 'ok') {
      const why =
        r === 'budget'
          ? 'No space left on device'
          : r === 'erofs'
            ? 'Read-only file system'
            : 'No such file or directory';
      err(c, `tee: ${f}: ${why}\n`);
      st = 1;
    }
  }
  out(c, text);
  return st;
});

export const sort = sync((c, argv) => {
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

export const uniq = sync((c, argv) => {
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

export const tr = sync((c, argv) => {
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

export const cut = sync((c, argv) => {
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
