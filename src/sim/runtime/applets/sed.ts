/** busybox `sed`: the script subset podlab runs (editors/sed.c). */
import { abs, err, out, sync } from '../applet.ts';
import { breToJs, lines, readInputs } from './filters.ts';

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

export const sed = sync((c, argv) => {
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
      const w = c.k.host.fs.writeFile(p, edit(t), false);
      if (w === 'budget') {
        err(c, `sed: write error: No space left on device\n`);
        return 4;
      }
      if (w === 'erofs') {
        // busybox sed -i first creates its temporary file beside the file (xmkstemp).
        err(c, `sed: can't create temp file '${f}XXXXXX': Read-only file system\n`);
        return 4;
      }
    }
    return st;
  }
  const r = readInputs(c, 'sed', files);
  out(c, edit(r.texts.map((t) => t.text).join('')));
  return r.st;
});
