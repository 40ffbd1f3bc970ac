/**
 * The lexical half of the ash parser: positions and lines, blanks and comments, operators,
 * reserved words, and words with their quoting and expansions (`$x`, `${x%y}`, `$(...)`,
 * `$((...))`, backquotes). The grammar (parse.ts) extends it.
 */
import type { List, ParamOp, Word, WordPart } from './ast.ts';

/** A syntax error with ash's text and the line it is on. */
export class ParseError {
  constructor(
    readonly message: string,
    readonly line: number,
  ) {}
}

/** Operators, longest first. */
export const OPS = [
  '&&',
  '||',
  ';;',
  '<<-',
  '>>',
  '>&',
  '<&',
  '<<',
  '>|',
  ';',
  '&',
  '|',
  '(',
  ')',
  '<',
  '>',
  '\n',
];
/** Reserved words that end a list. */
export const LIST_END = new Set(['then', 'else', 'elif', 'fi', 'do', 'done', 'esac', '}']);
export const NAME_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Parser nesting depth limit: deeper input is rejected, never a stack overflow. */
export const MAX_DEPTH = 200;

/** How a word ends: at blanks and operators, at `}` inside `${...}`, or only at the end (here-documents). */
export type WordMode = 'normal' | 'brace' | 'raw';

/** Lexing and words; the grammar supplies lists (for `$(...)`) and nested parsers. */
export abstract class WordParser {
  pos = 0;

  protected depth = 0;
  protected readonly newlines: number[] = [];

  constructor(
    protected readonly src: string,
    /** The line of the source's first character (here-documents and backquotes inside a script). */
    protected readonly firstLine = 1,
  ) {
    for (let i = src.indexOf('\n'); i >= 0; i = src.indexOf('\n', i + 1)) this.newlines.push(i);
  }

  /** The line number at the current position. */
  line(at = this.pos): number {
    let lo = 0;
    let hi = this.newlines.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.newlines[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    return this.firstLine + lo;
  }

  protected fail(message: string): never {
    throw new ParseError(message, this.line());
  }

  eof(): boolean {
    return this.pos >= this.src.length;
  }

  protected ch(off = 0): string {
    return this.src[this.pos + off] ?? '';
  }

  /** Skips blanks, line continuations and comments (not newlines). */
  ws(): void {
    for (;;) {
      const c = this.ch();
      if (c === ' ' || c === '\t' || c === '\r') this.pos++;
      else if (c === '\\' && this.ch(1) === '\n') this.pos += 2;
      else if (c === '#') {
        while (!this.eof() && this.ch() !== '\n') this.pos++;
      } else return;
    }
  }

  protected peekOp(): string | undefined {
    this.ws();
    for (const op of OPS) if (this.src.startsWith(op, this.pos)) return op;
    return undefined;
  }

  protected tokenName(): string {
    this.ws();
    if (this.eof()) return 'end of file';
    const op = this.peekOp();
    if (op === '\n') return 'newline';
    if (op === '<<-' || op === '>>' || op === '>&' || op === '<&' || op === '<<' || op === '>|')
      return 'redirection';
    if (op === '<' || op === '>') return 'redirection';
    if (op !== undefined) return `"${op}"`;
    const raw = this.peekRaw();
    if (
      raw !== undefined &&
      (LIST_END.has(raw) || ['if', 'while', 'until', 'for', 'case', '{', '!', 'in'].includes(raw))
    )
      return `"${raw}"`;
    return 'word';
  }

  unexpected(expecting?: string): never {
    const t = this.tokenName();
    this.fail(`unexpected ${t}${expecting ? ` (expecting "${expecting}")` : ''}`);
  }

  /** The next word if it is a plain unquoted literal (for reserved-word checks). */
  protected peekRaw(): string | undefined {
    this.ws();
    const save = this.pos;
    let out = '';
    while (!this.eof()) {
      const c = this.ch();
      if (' \t\r\n;&|()<>'.includes(c)) break;
      if ('\'"\\$`'.includes(c)) {
        this.pos = save;
        return undefined;
      }
      out += c;
      this.pos++;
    }
    this.pos = save;
    return out === '' ? undefined : out;
  }

  protected isReserved(word: string): boolean {
    return this.peekRaw() === word;
  }

  protected expectReserved(word: string): void {
    if (!this.isReserved(word)) this.unexpected(word);
    this.pos += word.length;
  }

  protected enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail('nesting too deep');
  }

  /** Parses the whole input as the body of an unquoted here-document. */
  heredocWord(): Word {
    return this.expandingText('$`\\\n', false);
  }

  /** Reads one word; in `brace` mode (the argument of `${x:-...}`) only `}` ends it. */
  word(mode: WordMode): Word {
    const parts: WordPart[] = [];
    let lit = '';
    const flush = () => {
      if (lit) parts.push({ k: 'lit', v: lit, quoted: false });
      lit = '';
    };
    const start = this.pos;
    while (!this.eof()) {
      const c = this.ch();
      if (mode === 'brace' ? c === '}' : ' \t\r\n;&|()<>'.includes(c)) break;
      if (c === "'") {
        flush();
        const end = this.src.indexOf("'", this.pos + 1);
        if (end < 0) this.fail('unterminated quoted string');
        parts.push({ k: 'lit', v: this.src.slice(this.pos + 1, end), quoted: true });
        this.pos = end + 1;
      } else if (c === '"') {
        flush();
        this.pos++;
        parts.push(...this.doubleQuoted());
      } else if (c === '\\') {
        if (this.ch(1) === '\n') this.pos += 2;
        else if (this.pos + 1 >= this.src.length) {
          lit += '\\';
          this.pos++;
        } else {
          flush();
          parts.push({ k: 'lit', v: this.ch(1), quoted: true });
          this.pos += 2;
        }
      } else if (c === '$') {
        flush();
        parts.push(this.dollar(false));
      } else if (c === '`') {
        flush();
        parts.push(this.backquote(false));
      } else if (c === '~' && this.pos === start && mode === 'normal') {
        const next = this.ch(1);
        if (next === '' || next === '/' || ' \t\r\n;&|()<>'.includes(next)) {
          parts.push({ k: 'param', name: 'HOME', quoted: true });
          this.pos++;
        } else {
          lit += c;
          this.pos++;
        }
      } else {
        lit += c;
        this.pos++;
      }
    }
    flush();
    if (parts.length === 0 && mode !== 'brace') this.unexpected();
    return parts;
  }

  protected doubleQuoted(): WordPart[] {
    return this.expandingText('$`"\\\n', true);
  }

  /**
   * Text in which `$` and backquotes expand and a backslash escapes only the characters of
   * `escapes` (POSIX 2.2.3, 2.7.4): a double-quoted string, up to its closing `"`, or the body
   * of an unquoted here-document, up to the end of the input. In double quotes an empty leading
   * literal is kept, so `"$x"` stays a quoted word when $x is empty.
   */
  protected expandingText(escapes: string, doubleQuoted: boolean): WordPart[] {
    const parts: WordPart[] = [];
    let lit = '';
    let flushed = false;
    const flush = () => {
      if (lit || (doubleQuoted && !flushed)) parts.push({ k: 'lit', v: lit, quoted: true });
      flushed = true;
      lit = '';
    };
    for (;;) {
      if (this.eof()) {
        if (doubleQuoted) this.fail('unterminated quoted string');
        break;
      }
      const c = this.ch();
      if (doubleQuoted && c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\' && escapes.includes(this.ch(1))) {
        if (this.ch(1) !== '\n') lit += this.ch(1);
        this.pos += 2;
      } else if (c === '$') {
        flush();
        parts.push(this.dollar(true));
      } else if (c === '`') {
        flush();
        parts.push(this.backquote(true));
      } else {
        lit += c;
        this.pos++;
      }
    }
    if (lit || (doubleQuoted && parts.length === 0)) parts.push({ k: 'lit', v: lit, quoted: true });
    return parts;
  }

  protected dollar(quoted: boolean): WordPart {
    this.pos++; // '$'
    const c = this.ch();
    if (c === '(' && this.ch(1) === '(') {
      const start = this.pos + 2;
      let depth = 0;
      let i = start;
      for (; i < this.src.length; i++) {
        const d = this.src[i];
        if (d === '(') depth++;
        else if (d === ')') {
          if (depth === 0 && this.src[i + 1] === ')') break;
          depth--;
        }
      }
      if (i >= this.src.length) this.fail('unterminated arithmetic expression');
      const expr = this.subParser(this.src.slice(start, i)).heredocWord();
      this.pos = i + 2;
      return { k: 'arith', expr, quoted };
    }
    if (c === '(') {
      this.pos++;
      this.enter();
      const body = this.list();
      this.depth--;
      if (this.peekOp() !== ')') this.unexpected(')');
      this.pos++;
      return { k: 'cmdsub', body, quoted };
    }
    if (c === '{') {
      this.pos++;
      let op: ParamOp | undefined;
      if (this.ch() === '#' && this.ch(1) !== '}') {
        this.pos++;
        op = 'len';
      }
      const name = this.paramName();
      if (name === undefined) this.fail('bad substitution');
      if (op === 'len') {
        if (this.ch() !== '}') this.fail('bad substitution');
        this.pos++;
        return { k: 'param', name, quoted, op };
      }
      for (const o of [':-', ':=', ':+', ':?', '##', '%%', '-', '=', '+', '?', '#', '%'] as const) {
        if (this.src.startsWith(o, this.pos)) {
          op = o;
          this.pos += o.length;
          break;
        }
      }
      let arg: Word | undefined;
      if (op !== undefined) arg = this.word('brace');
      if (this.ch() !== '}') this.fail(this.eof() ? 'unterminated ${' : 'bad substitution');
      this.pos++;
      const part: WordPart = { k: 'param', name, quoted };
      if (op !== undefined) part.op = op;
      if (arg !== undefined) part.arg = arg;
      return part;
    }
    const name = this.paramName();
    if (name === undefined) return { k: 'lit', v: '$', quoted };
    return { k: 'param', name, quoted };
  }

  protected paramName(): string | undefined {
    const c = this.ch();
    if ('?$#@*!-0123456789'.includes(c) && c !== '') {
      this.pos++;
      return c;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos, this.pos + 256));
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }

  protected backquote(quoted: boolean): WordPart {
    this.pos++;
    let inner = '';
    for (;;) {
      if (this.eof()) this.fail('unterminated quoted string');
      const c = this.ch();
      if (c === '`') {
        this.pos++;
        break;
      }
      if (c === '\\' && '$`\\'.includes(this.ch(1))) {
        inner += this.ch(1);
        this.pos += 2;
      } else {
        inner += c;
        this.pos++;
      }
    }
    const sub = this.subParser(inner, this.line());
    sub.depth = this.depth + 1;
    if (sub.depth > MAX_DEPTH) this.fail('nesting too deep');
    const body = sub.list();
    sub.ws();
    if (!sub.eof()) sub.unexpected();
    return { k: 'cmdsub', body, quoted };
  }

  /** A list up to its terminator (the grammar). */
  abstract list(): List;

  /** A parser of the same grammar over `src` (backquotes, arithmetic). */
  protected abstract subParser(src: string, firstLine?: number): WordParser;
}
