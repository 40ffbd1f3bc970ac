/**
 * A recursive-descent parser for the busybox-ash subset (POSIX shell grammar): lists,
 * and-or lists, pipelines, compound commands, words with quoting and expansions, redirections
 * and here-documents. Errors carry ash's texts (`syntax error: unexpected "done"`).
 */
import type { Command, List, Redir, Word } from './ast.ts';
import { LIST_END, NAME_RE, ParseError, WordParser } from './lexer.ts';

/** The outcome of parsing a script. */
export type ParseResult = { ok: true; list: List } | { ok: false; error: string; line: number };

/** Parses a whole script (`sh -c` text or a script file). */
export function parseScript(src: string): ParseResult {
  try {
    const p = new Parser(src);
    const list = p.list();
    p.ws();
    if (!p.eof()) p.unexpected();
    return { ok: true, list };
  } catch (e) {
    if (e instanceof ParseError) return { ok: false, error: `syntax error: ${e.message}`, line: e.line };
    if (e instanceof RangeError) return { ok: false, error: 'syntax error: nesting too deep', line: 1 };
    throw e;
  }
}

/** One step of reading a script the way ash does: a complete command line at a time. */
export type ReadStep =
  /** `last`: nothing but blanks and comments follows (ash parser_eof(): the command gets EV_EXIT). */
  | { kind: 'command'; list: List; last: boolean }
  | { kind: 'error'; error: string; line: number }
  | { kind: 'eof' };

/**
 * Reads a script one complete command (up to an unquoted newline) at a time, so commands
 * before a syntax error run first, as in ash's main loop (cmdloop: parsecmd then evaltree).
 */
export function scriptReader(src: string): () => ReadStep {
  const p = new Parser(src);
  let done = false;
  return () => {
    if (done) return { kind: 'eof' };
    try {
      const list = p.completeCommand();
      if (list === undefined) {
        done = true;
        return { kind: 'eof' };
      }
      return { kind: 'command', list, last: p.atEnd() };
    } catch (e) {
      done = true;
      if (e instanceof ParseError)
        return { kind: 'error', error: `syntax error: ${e.message}`, line: e.line };
      if (e instanceof RangeError) return { kind: 'error', error: 'syntax error: nesting too deep', line: 1 };
      throw e;
    }
  };
}

/** Scripts longer than this are parsed afresh each time rather than kept. */
const MAX_CACHED_SCRIPT = 64 * 1024;
/** How many distinct script texts are kept (the cache starts over when full). */
const MAX_CACHED_SCRIPTS = 256;

/** The commands read so far from one script text, shared by every run of that text. */
interface ReadCache {
  steps: ReadStep[];
  read: () => ReadStep;
  /** An `eof` or `error` step was read: nothing follows. */
  ended: boolean;
}

const readCaches = new Map<string, ReadCache>();

/**
 * `scriptReader(src)` whose parsed commands are shared by all readers of the same text: the
 * same container command, probe or hook script runs over and over. The steps are read as
 * lazily as `scriptReader` reads them; the syntax trees are never changed by the interpreter.
 */
export function cachedScriptReader(src: string): () => ReadStep {
  if (src.length > MAX_CACHED_SCRIPT) return scriptReader(src);
  let c = readCaches.get(src);
  if (c === undefined) {
    if (readCaches.size >= MAX_CACHED_SCRIPTS) readCaches.clear();
    c = { steps: [], read: scriptReader(src), ended: false };
    readCaches.set(src, c);
  }
  const cache = c;
  let i = 0;
  return () => {
    if (i < cache.steps.length) return cache.steps[i++]!;
    if (cache.ended) return { kind: 'eof' };
    let step: ReadStep;
    try {
      step = cache.read();
    } catch (e) {
      // Not a syntax error (a bug): the next run of this text starts from a fresh reader.
      readCaches.delete(src);
      throw e;
    }
    if (step.kind !== 'command') cache.ended = true;
    cache.steps.push(step);
    i++;
    return step;
  };
}

const parseCache = new Map<string, ParseResult>();

/** `parseScript(src)` memoised by text (trap handlers run the same text on every signal). */
export function cachedParseScript(src: string): ParseResult {
  if (src.length > MAX_CACHED_SCRIPT) return parseScript(src);
  let r = parseCache.get(src);
  if (r === undefined) {
    r = parseScript(src);
    if (parseCache.size >= MAX_CACHED_SCRIPTS) parseCache.clear();
    parseCache.set(src, r);
  }
  return r;
}

class Parser extends WordParser {
  private heredocs: { redir: Redir; delim: string; quoted: boolean; strip: boolean }[] = [];

  private newline(): void {
    this.pos++;
    const pending = this.heredocs;
    this.heredocs = [];
    for (const h of pending) this.readHeredoc(h);
  }

  private linebreaks(): void {
    while (this.peekOp() === '\n') this.newline();
  }

  list(): List {
    this.enter();
    const items: List['items'] = [];
    for (;;) {
      this.linebreaks();
      if (this.eof()) break;
      const op = this.peekOp();
      if (op === ')' || op === ';;') break;
      const raw = this.peekRaw();
      if (raw !== undefined && LIST_END.has(raw)) break;
      const cmd = this.andOr();
      const next = this.peekOp();
      if (next === ';' || next === '&') {
        this.pos++;
        items.push({ cmd, bg: next === '&' });
        continue;
      }
      items.push({ cmd, bg: false });
      if (next === '\n') {
        this.newline();
        continue;
      }
      break;
    }
    this.depth--;
    return { items };
  }

  /** Whether only blanks, newlines and comments remain. */
  atEnd(): boolean {
    const save = this.pos;
    for (;;) {
      this.ws();
      if (this.ch() === '\n') this.pos++;
      else break;
    }
    const end = this.eof();
    this.pos = save;
    return end;
  }

  /** The next complete command line (items up to an unquoted newline), or undefined at the end. */
  completeCommand(): List | undefined {
    this.linebreaks();
    if (this.eof()) return undefined;
    const items: List['items'] = [];
    for (;;) {
      const cmd = this.andOr();
      const next = this.peekOp();
      if (next === ';' || next === '&') {
        this.pos++;
        items.push({ cmd, bg: next === '&' });
        const after = this.peekOp();
        if (this.eof() || after === '\n') {
          if (after === '\n') this.newline();
          return { items };
        }
        continue;
      }
      items.push({ cmd, bg: false });
      if (next === '\n') {
        this.newline();
        return { items };
      }
      if (this.eof()) return { items };
      this.unexpected();
    }
  }

  private nonEmptyList(): List {
    const l = this.list();
    if (l.items.length === 0) this.unexpected();
    return l;
  }

  private andOr(): Command {
    const first = this.pipeline();
    const rest: { op: '&&' | '||'; cmd: Command }[] = [];
    for (;;) {
      const op = this.peekOp();
      if (op !== '&&' && op !== '||') break;
      this.pos += 2;
      this.linebreaks();
      rest.push({ op, cmd: this.pipeline() });
    }
    return rest.length === 0 ? first : { k: 'andor', first, rest };
  }

  private pipeline(): Command {
    let neg = false;
    while (this.isReserved('!')) {
      this.pos++;
      neg = !neg;
    }
    const cmds = [this.command()];
    for (;;) {
      const op = this.peekOp();
      if (op !== '|') break;
      this.pos++;
      this.linebreaks();
      cmds.push(this.command());
    }
    return cmds.length === 1 && !neg ? cmds[0]! : { k: 'pipeline', neg, cmds };
  }

  private command(): Command {
    this.enter();
    const c = this.commandInner();
    this.depth--;
    return c;
  }

  private commandInner(): Command {
    const op = this.peekOp();
    if (op === '(') {
      this.pos++;
      const body = this.nonEmptyList();
      if (this.peekOp() !== ')') this.unexpected(')');
      this.pos++;
      return { k: 'group', body, subshell: true, redirs: this.trailingRedirs() };
    }
    if (op !== undefined && !isRedirOp(op)) this.unexpected();
    const raw = this.peekRaw();
    switch (raw) {
      case '{': {
        this.pos++;
        const body = this.nonEmptyList();
        this.expectReserved('}');
        return { k: 'group', body, subshell: false, redirs: this.trailingRedirs() };
      }
      case 'if':
        return this.ifCommand();
      case 'while':
      case 'until': {
        this.pos += raw.length;
        const cond = this.nonEmptyList();
        this.expectReserved('do');
        const body = this.nonEmptyList();
        this.expectReserved('done');
        return { k: 'loop', until: raw === 'until', cond, body, redirs: this.trailingRedirs() };
      }
      case 'for':
        return this.forCommand();
      case 'case':
        return this.caseCommand();
      case 'then':
      case 'else':
      case 'elif':
      case 'fi':
      case 'do':
      case 'done':
      case 'esac':
      case '}':
      case 'in':
        this.unexpected();
    }
    // bash-style `function name [()] compound-command` (ash BASH_FUNCTION).
    if (raw === 'function') {
      this.pos += raw.length;
      this.ws();
      const name = this.peekRaw()?.replace(/\(\)$/, '');
      if (name === undefined || !NAME_RE.test(name)) this.unexpected();
      this.pos += name.length;
      this.ws();
      this.emptyParens();
      this.linebreaks();
      return { k: 'func', name, body: this.command() };
    }
    // Function definition: name() compound-command
    if (raw !== undefined && NAME_RE.test(raw)) {
      const save = this.pos;
      this.pos += raw.length;
      this.ws();
      if (this.emptyParens()) {
        this.linebreaks();
        return { k: 'func', name: raw, body: this.command() };
      }
      this.pos = save;
    }
    return this.simple();
  }

  /** Reads the `()` of a function definition if it comes next (blanks allowed inside). */
  private emptyParens(): boolean {
    if (this.ch() !== '(') return false;
    this.pos++;
    this.ws();
    if (this.ch() !== ')') this.unexpected(')');
    this.pos++;
    return true;
  }

  private ifCommand(): Command {
    this.pos += 2;
    const clauses: { cond: List; body: List }[] = [];
    const cond = this.nonEmptyList();
    this.expectReserved('then');
    clauses.push({ cond, body: this.nonEmptyList() });
    let otherwise: List | undefined;
    for (;;) {
      if (this.isReserved('elif')) {
        this.pos += 4;
        const c = this.nonEmptyList();
        this.expectReserved('then');
        clauses.push({ cond: c, body: this.nonEmptyList() });
        continue;
      }
      if (this.isReserved('else')) {
        this.pos += 4;
        otherwise = this.nonEmptyList();
      }
      break;
    }
    this.expectReserved('fi');
    const redirs = this.trailingRedirs();
    return otherwise ? { k: 'if', clauses, otherwise, redirs } : { k: 'if', clauses, redirs };
  }

  private forCommand(): Command {
    this.pos += 3;
    this.ws();
    const name = this.peekRaw();
    if (name === undefined || !NAME_RE.test(name)) this.fail('bad for loop variable');
    this.pos += name.length;
    this.linebreaks();
    let items: Word[] | undefined;
    if (this.isReserved('in')) {
      this.pos += 2;
      items = [];
      for (;;) {
        const op = this.peekOp();
        if (op === ';' || op === '\n') {
          if (op === ';') this.pos++;
          else this.newline();
          break;
        }
        if (op !== undefined || this.eof()) this.unexpected();
        items.push(this.word('normal'));
      }
    } else if (this.peekOp() === ';') this.pos++;
    this.linebreaks();
    this.expectReserved('do');
    const body = this.nonEmptyList();
    this.expectReserved('done');
    const redirs = this.trailingRedirs();
    return items ? { k: 'for', name, items, body, redirs } : { k: 'for', name, body, redirs };
  }

  private caseCommand(): Command {
    this.pos += 4;
    this.ws();
    if (this.eof() || this.peekOp() !== undefined) this.unexpected();
    const word = this.word('normal');
    this.linebreaks();
    this.expectReserved('in');
    const arms: { patterns: Word[]; body: List }[] = [];
    for (;;) {
      this.linebreaks();
      if (this.isReserved('esac')) break;
      if (this.peekOp() === '(') this.pos++;
      const patterns: Word[] = [];
      for (;;) {
        this.ws();
        if (this.eof() || this.peekOp() !== undefined) this.unexpected();
        patterns.push(this.word('normal'));
        const op = this.peekOp();
        if (op === '|') {
          this.pos++;
          continue;
        }
        if (op === ')') {
          this.pos++;
          break;
        }
        this.unexpected(')');
      }
      const body = this.list();
      arms.push({ patterns, body });
      if (this.peekOp() === ';;') {
        this.pos += 2;
        continue;
      }
      this.linebreaks();
      break;
    }
    this.expectReserved('esac');
    return { k: 'case', word, arms, redirs: this.trailingRedirs() };
  }

  private trailingRedirs(): Redir[] {
    const out: Redir[] = [];
    for (;;) {
      this.ws();
      const fd = this.ioNumber();
      const op = this.peekOp();
      if (op === undefined || !isRedirOp(op)) {
        if (fd !== undefined) this.pos -= String(fd).length;
        return out;
      }
      out.push(this.redir(fd));
    }
  }

  /** Digits directly followed by `<` or `>` are a descriptor number; consumed if so. */
  private ioNumber(): number | undefined {
    let i = this.pos;
    while (i < this.src.length && this.src[i]! >= '0' && this.src[i]! <= '9') i++;
    if (i === this.pos || i - this.pos > 2) return undefined;
    const next = this.src[i];
    if (next !== '<' && next !== '>') return undefined;
    const n = Number(this.src.slice(this.pos, i));
    this.pos = i;
    return n;
  }

  private redir(fd: number | undefined): Redir {
    const op = this.peekOp()!;
    this.pos += op.length;
    this.ws();
    if (this.eof() || (this.peekOp() !== undefined && this.peekOp() !== '\n') || this.ch() === '\n') {
      this.unexpected();
    }
    if (op === '<<' || op === '<<-') {
      const target = this.word('normal');
      const delimParts = target;
      const quoted = delimParts.some((p) => p.k === 'lit' && p.quoted);
      const delim = delimParts.map((p) => (p.k === 'lit' ? p.v : '')).join('');
      const r: Redir = { fd: fd ?? 0, op: '<<', target, body: [] };
      this.heredocs.push({ redir: r, delim, quoted, strip: op === '<<-' });
      return r;
    }
    const target = this.word('normal');
    const norm = op === '>|' ? '>' : (op as Redir['op']);
    const defFd = op.startsWith('<') ? 0 : 1;
    return { fd: fd ?? defFd, op: norm, target };
  }

  private readHeredoc(h: { redir: Redir; delim: string; quoted: boolean; strip: boolean }): void {
    const lines: string[] = [];
    for (;;) {
      if (this.eof()) break;
      let end = this.src.indexOf('\n', this.pos);
      if (end < 0) end = this.src.length;
      let line = this.src.slice(this.pos, end);
      this.pos = Math.min(end + 1, this.src.length);
      if (h.strip) line = line.replace(/^\t+/, '');
      if (line === h.delim) break;
      lines.push(`${line}\n`);
    }
    const text = lines.join('');
    h.redir.body = h.quoted ? [{ k: 'lit', v: text, quoted: true }] : new Parser(text).heredocWord();
  }

  private simple(): Command {
    this.ws();
    const line = this.line();
    const assigns: { name: string; value: Word }[] = [];
    const words: Word[] = [];
    const redirs: Redir[] = [];
    for (;;) {
      this.ws();
      if (this.eof()) break;
      const fd = this.ioNumber();
      const op = this.peekOp();
      if (op !== undefined) {
        if (isRedirOp(op)) {
          redirs.push(this.redir(fd));
          continue;
        }
        if (fd !== undefined) this.pos -= String(fd).length;
        break;
      }
      const w = this.word('normal');
      const first = w[0];
      if (words.length === 0 && first?.k === 'lit' && !first.quoted) {
        const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(first.v);
        if (m) {
          const rest: Word = [];
          const tail = first.v.slice(m[0].length);
          if (tail) rest.push({ k: 'lit', v: tail, quoted: false });
          rest.push(...w.slice(1));
          assigns.push({ name: m[1]!, value: rest });
          continue;
        }
      }
      words.push(w);
    }
    if (assigns.length === 0 && words.length === 0 && redirs.length === 0) this.unexpected();
    return { k: 'simple', assigns, words, redirs, line };
  }

  protected subParser(src: string, firstLine?: number): Parser {
    return new Parser(src, firstLine);
  }
}

function isRedirOp(op: string): boolean {
  return ['>>', '>&', '<&', '<<', '<<-', '>|', '<', '>'].includes(op);
}
