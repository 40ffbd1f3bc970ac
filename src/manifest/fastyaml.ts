/**
 * A fast reader for the plain YAML most manifests are written in: block mappings and sequences,
 * one-line flow collections, single-line plain and quoted scalars, comments and `---`. It gives
 * exactly what `readYaml` gives (values, key positions, duplicates) or `undefined` as soon as it
 * meets anything else (anchors, tags, block scalars, multi-line scalars, tabs, errors, limits),
 * and the caller then uses the full `yaml` package. A differential test keeps the two equal.
 */
import type { JsonDocument, Pos, YamlLimits } from './yaml-types.ts';

class Bail {}
const BAIL = new Bail();

function bail(): never {
  throw BAIL;
}

interface Line {
  /** Offset of the line's first character in the text. */
  start: number;
  /** Column (0-based) of the first non-space character. */
  indent: number;
  /** The line from `indent` on, without a trailing comment-only part. */
  text: string;
}

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE_RE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE_RE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const SIMPLE_INT_RE = /^-?(?:0|[1-9][0-9]{0,14})$/;
// The YAML 1.1 number forms of the yaml package's schema (int: binary, octal, decimal, hex;
// float: nan/inf, exponent, fraction). Plain scalars matching one, other than a simple decimal
// integer, are left to the yaml package; anything else (`500m`, `128Mi`, `1.17.10`) is a string.
const NUMBER_FORMS = [
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
];

function resolvePlain(s: string): unknown {
  // Every null and boolean form has at most 5 characters; a simple integer starts with a digit or `-`.
  if (s.length <= 5) {
    if (NULL_RE.test(s)) return null;
    if (TRUE_RE.test(s)) return true;
    if (FALSE_RE.test(s)) return false;
  }
  const c = s.charCodeAt(0);
  if (((c >= 48 && c <= 57) || c === 45) && SIMPLE_INT_RE.test(s)) return Number(s);
  if (s === '<<') bail();
  // Every number form starts with a digit, a sign, a dot or (`e5`, a float to the yaml package) an e.
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 101 || c === 69) {
    for (const re of NUMBER_FORMS) if (re.test(s)) bail();
  }
  return s;
}

/** Reads `text`, or returns undefined when it is not in the simple subset. */
export function fastReadYaml(
  text: string,
  limits: YamlLimits,
  at: (offset: number) => Pos,
): JsonDocument[] | undefined {
  if (text.includes('\t') || text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  try {
    return new Reader(text, limits, at).read();
  } catch (err) {
    if (err === BAIL) return undefined;
    throw err;
  }
}

/**
 * The positioned nodes of one document, in the order the eager table set them: node `n` is key
 * (or list index) `keys[n]` under node `parents[n]` (-1: the document root), at `offsets[n]`.
 * The path -> position map is only built when someone asks for it (most loads never do).
 */
class PositionLog {
  readonly parents: number[] = [];
  readonly keys: (string | number)[] = [];
  readonly offsets: number[] = [];

  add(parent: number, key: string | number, offset: number): number {
    this.parents.push(parent);
    this.keys.push(key);
    this.offsets.push(offset);
    return this.parents.length - 1;
  }

  /** The field path of node `n` (`''` for the root, -1). */
  pathOf(n: number): string {
    if (n === -1) return '';
    return join(this.pathOf(this.parents[n]!), this.keys[n]!);
  }

  /** The path -> position table, then `''` -> `start`. */
  build(at: (offset: number) => Pos, start: Pos): Map<string, Pos> {
    const positions = new Map<string, Pos>();
    const paths: string[] = new Array(this.parents.length);
    for (let n = 0; n < this.parents.length; n++) {
      const parent = this.parents[n]!;
      const path = join(parent === -1 ? '' : paths[parent]!, this.keys[n]!);
      paths[n] = path;
      positions.set(path, at(this.offsets[n]!));
    }
    positions.set('', start);
    return positions;
  }
}

/** `a` + `b` -> `a.b`, `a` + 0 -> `a[0]` (as childPath and indexPath do). */
function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** A document whose `positions` table is built on first use. */
class LazyDocument implements JsonDocument {
  private table: Map<string, Pos> | undefined;
  constructor(
    readonly index: number,
    readonly value: unknown,
    readonly start: Pos,
    private readonly log: PositionLog,
    readonly duplicates: { path: string; pos: Pos }[],
    private readonly at: (offset: number) => Pos,
  ) {}

  /** Field path -> position of its key (or of the list item). */
  get positions(): Map<string, Pos> {
    this.table ??= this.log.build(this.at, this.start);
    return this.table;
  }
}

class Reader {
  private lines: Line[] = [];
  private i = 0;
  private nodes = 0;
  private log = new PositionLog();
  private duplicates: { path: string; pos: Pos }[] = [];

  constructor(
    private readonly src: string,
    private readonly limits: YamlLimits,
    private readonly at: (offset: number) => Pos,
  ) {}

  read(): JsonDocument[] {
    const docs: JsonDocument[] = [];
    // Split into documents on `---` lines.
    const groups: Line[][] = [[]];
    let offset = 0;
    const src = this.src;
    while (offset <= src.length) {
      let end = src.indexOf('\n', offset);
      if (end === -1) end = src.length;
      const raw = src.slice(offset, end);
      if (raw.startsWith('---') && (raw.length === 3 || raw[3] === ' ')) {
        const rest = raw.slice(3).trim();
        if (rest !== '' && !rest.startsWith('#')) bail();
        groups.push([]);
      } else if (raw.startsWith('...') || raw.startsWith('%')) {
        bail();
      } else {
        let indent = 0;
        while (indent < raw.length && raw.charCodeAt(indent) === 32) indent++;
        const content = raw.slice(indent);
        if (content !== '' && !content.startsWith('#'))
          groups[groups.length - 1]!.push({ start: offset, indent, text: content });
      }
      if (end === src.length) break;
      offset = end + 1;
    }
    // The first group holds what precedes the first `---`; it is a document only if not empty.
    let index = 0;
    for (let g = 0; g < groups.length; g++) {
      const lines = groups[g]!;
      if (g === 0 && lines.length === 0) continue;
      if (index >= this.limits.maxDocuments) bail();
      if (lines.length > 0) {
        this.lines = lines;
        this.i = 0;
        this.log = new PositionLog();
        this.duplicates = [];
        this.nodes = 0;
        const first = lines[0]!;
        const value = this.block(first.indent, -1, 0);
        if (this.i < lines.length) bail();
        if (value === null || typeof value !== 'object') bail();
        const start = this.at(first.start + first.indent);
        docs.push(new LazyDocument(index, value, start, this.log, this.duplicates, this.at));
      }
      index++;
    }
    return docs;
  }

  private count(depth: number): void {
    if (++this.nodes > this.limits.maxNodes || depth > this.limits.maxDepth) bail();
  }

  /** A block node whose first line is the current one, at exactly `indent`. */
  private block(indent: number, parent: number, depth: number): unknown {
    this.count(depth);
    const line = this.lines[this.i];
    if (!line || line.indent !== indent) bail();
    if (line.text === '-' || line.text.startsWith('- ')) return this.sequence(indent, parent, depth);
    if (keyEnd(line.text) !== -1) return this.mapping(indent, parent, depth);
    bail();
  }

  private sequence(indent: number, parent: number, depth: number): unknown[] {
    const out: unknown[] = [];
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      if (line.indent < indent) break;
      if (line.indent > indent) bail();
      // A key at the sequence's indentation ends it (`key:` followed by `- item` lines).
      if (!(line.text === '-' || line.text.startsWith('- '))) break;
      const index = out.length;
      let skip = 1;
      while (line.text[skip] === ' ') skip++;
      const rest = line.text.slice(skip);
      if (rest === '' || rest.startsWith('#')) bail(); // an item on the next lines: left to the yaml package
      const column = indent + skip;
      const item = this.log.add(parent, index, line.start + column);
      if (rest === '-' || rest.startsWith('- ') || keyEnd(rest) !== -1) {
        // A compact nested collection: the rest of the line is its first line.
        this.lines[this.i] = { start: line.start, indent: column, text: rest };
        out.push(this.block(column, item, depth + 1));
      } else {
        this.i++;
        out.push(this.inline(rest, line.start + column, item, depth + 1));
        this.noContinuation(indent);
      }
    }
    return out;
  }

  private mapping(indent: number, parent: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    while (this.i < this.lines.length) {
      const line = this.lines[this.i]!;
      if (line.indent < indent) break;
      if (line.indent > indent) bail();
      if (line.text === '-' || line.text.startsWith('- ')) break;
      const end = keyEnd(line.text);
      if (end === -1) bail();
      const key = parseKey(line.text.slice(0, end));
      const keyNode = this.log.add(parent, key, line.start + indent);
      if (Object.hasOwn(out, key))
        this.duplicates.push({ path: this.log.pathOf(keyNode), pos: this.at(line.start + indent) });
      let skip = end + 1;
      while (line.text[skip] === ' ') skip++;
      const rest = line.text.slice(skip);
      this.i++;
      let value: unknown;
      if (rest === '' || rest.startsWith('#')) {
        const next = this.lines[this.i];
        if (
          next &&
          (next.indent > indent ||
            (next.indent === indent && (next.text === '-' || next.text.startsWith('- '))))
        ) {
          value = this.block(next.indent, keyNode, depth + 1);
        } else {
          this.count(depth + 1);
          value = null;
        }
      } else {
        value = this.inline(rest, line.start + indent + skip, keyNode, depth + 1);
        this.noContinuation(indent);
      }
      set(out, key, value);
    }
    return out;
  }

  /** After an inline value, a more indented line would continue it: not handled here. */
  private noContinuation(indent: number): void {
    const next = this.lines[this.i];
    if (next && next.indent > indent) bail();
  }

  /** A value on the rest of a line: a flow collection, a quoted or a plain scalar. */
  private inline(text: string, offset: number, parent: number, depth: number): unknown {
    const c = text[0]!;
    if (c === '[' || c === '{') {
      const p = new FlowParser(text, offset, this);
      const v = p.value(parent, depth);
      p.end();
      return v;
    }
    if (c === '"' || c === "'") {
      this.count(depth);
      const [value, end] = quoted(text, 0);
      this.checkLength(value);
      const tail = text.slice(end).trimStart();
      // A comment must be separated from the scalar by a space.
      if (tail !== '' && (!tail.startsWith('#') || text[end] !== ' ')) bail();
      return value;
    }
    if ('&*!|>%@`?:,]}#'.includes(c) || (c === '-' && (text.length === 1 || text[1] === ' '))) bail();
    this.count(depth);
    const plain = stripComment(text);
    if (plain.includes(': ') || plain.endsWith(':')) bail();
    this.checkLength(plain);
    return resolvePlain(plain);
  }

  checkLength(s: string): void {
    if (s.length > this.limits.maxScalarLength) bail();
  }

  /** For the flow parser: node counting and positions. */
  node(depth: number): void {
    this.count(depth);
  }
  /** Records node `key` under `parent` at `offset`; returns its id. */
  position(parent: number, key: string | number, offset: number, dup: boolean): number {
    const n = this.log.add(parent, key, offset);
    if (dup) this.duplicates.push({ path: this.log.pathOf(n), pos: this.at(offset) });
    return n;
  }
}

function set(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** Index of the `:` that ends a block mapping key on this line, or -1. */
function keyEnd(text: string): number {
  const c = text[0];
  if (c === '"' || c === "'") {
    const [, end] = quoted(text, 0);
    return text[end] === ':' && (end + 1 === text.length || text[end + 1] === ' ') ? end : -1;
  }
  if (
    c === undefined ||
    '[]{}&*!|>%@`?#,\'"'.includes(c) ||
    (c === '-' && (text[1] === ' ' || text.length === 1))
  )
    return -1;
  for (let k = 0; k < text.length; k++) {
    const ch = text[k];
    if (ch === ':' && (k + 1 === text.length || text[k + 1] === ' ')) return k;
    if (ch === ' ' && text[k + 1] === '#') return -1;
  }
  return -1;
}

function parseKey(raw: string): string {
  const c = raw[0];
  if (c === '"' || c === "'") {
    const [v, end] = quoted(raw, 0);
    if (end !== raw.length) bail();
    return v;
  }
  const key = raw.trimEnd();
  if (key === '<<' || key.includes(' #')) bail();
  const v = resolvePlain(key);
  // Non-string keys become strings as in YAML -> JSON; null keys are left to the yaml package.
  if (v === null) bail();
  return String(v);
}

function stripComment(text: string): string {
  const k = text.indexOf(' #');
  return (k === -1 ? text : text.slice(0, k)).trimEnd();
}

/** A quoted scalar starting at `from`: its value and the index after the closing quote. */
function quoted(text: string, from: number): [string, number] {
  const q = text[from];
  let out = '';
  let k = from + 1;
  for (;;) {
    if (k >= text.length) bail();
    const ch = text[k]!;
    if (q === "'") {
      if (ch === "'") {
        if (text[k + 1] === "'") {
          out += "'";
          k += 2;
          continue;
        }
        return [out, k + 1];
      }
      out += ch;
      k++;
      continue;
    }
    if (ch === '"') return [out, k + 1];
    if (ch === '\\') {
      const e = text[k + 1];
      const simple: Record<string, string> = {
        '\\': '\\',
        '"': '"',
        '/': '/',
        n: '\n',
        t: '\t',
        r: '\r',
        '0': '\0',
      };
      if (e !== undefined && Object.hasOwn(simple, e)) {
        out += simple[e];
        k += 2;
        continue;
      }
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(k + 2, k + 6))) {
        const code = Number.parseInt(text.slice(k + 2, k + 6), 16);
        if (code >= 0xd800 && code <= 0xdfff) bail();
        out += String.fromCharCode(code);
        k += 6;
        continue;
      }
      bail();
    }
    out += ch;
    k++;
  }
}

/** One-line flow collections: `[a, "b", {c: d}]`. */
class FlowParser {
  private k = 0;
  constructor(
    private readonly text: string,
    private readonly offset: number,
    private readonly reader: Reader,
  ) {}

  private ws(): void {
    while (this.text[this.k] === ' ') this.k++;
  }

  end(): void {
    this.ws();
    if (this.k < this.text.length && this.text[this.k] !== '#') bail();
    if (this.text[this.k] === '#' && this.text[this.k - 1] !== ' ') bail();
  }

  value(parent: number, depth: number): unknown {
    this.reader.node(depth);
    this.ws();
    const c = this.text[this.k];
    if (c === '[') return this.seq(parent, depth);
    if (c === '{') return this.map(parent, depth);
    if (c === '"' || c === "'") {
      const [v, end] = quoted(this.text, this.k);
      this.k = end;
      this.reader.checkLength(v);
      return v;
    }
    return resolvePlain(this.plain());
  }

  private plain(): string {
    const start = this.k;
    const c = this.text[start];
    if (
      c === undefined ||
      '[]{},&*!|>%@`?#\'"'.includes(c) ||
      ((c === ':' || c === '-') && this.text[start + 1] === ' ')
    )
      bail();
    while (this.k < this.text.length) {
      const ch = this.text[this.k]!;
      if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{') break;
      if (
        ch === ':' &&
        (this.text[this.k + 1] === ' ' ||
          this.text[this.k + 1] === ',' ||
          this.text[this.k + 1] === ']' ||
          this.text[this.k + 1] === '}' ||
          this.k + 1 === this.text.length)
      )
        break;
      if (ch === '#' && this.text[this.k - 1] === ' ') bail();
      this.k++;
    }
    const s = this.text.slice(start, this.k).trimEnd();
    if (s === '') bail();
    this.reader.checkLength(s);
    return s;
  }

  private seq(parent: number, depth: number): unknown[] {
    this.k++;
    const out: unknown[] = [];
    this.ws();
    if (this.text[this.k] === ']') {
      this.k++;
      return out;
    }
    for (;;) {
      this.ws();
      const item = this.reader.position(parent, out.length, this.offset + this.k, false);
      const c = this.text[this.k];
      const v = this.value(item, depth + 1);
      this.ws();
      // `[a: b]` (an implicit single-pair map) is left to the yaml package.
      if (this.text[this.k] === ':' && c !== '[' && c !== '{') bail();
      out.push(v);
      const sep = this.text[this.k];
      this.k++;
      if (sep === ']') return out;
      if (sep !== ',') bail();
      this.ws();
      if (this.text[this.k] === ']') bail();
    }
  }

  private map(parent: number, depth: number): Record<string, unknown> {
    this.k++;
    const out: Record<string, unknown> = {};
    this.ws();
    if (this.text[this.k] === '}') {
      this.k++;
      return out;
    }
    for (;;) {
      this.ws();
      const keyOffset = this.offset + this.k;
      const c = this.text[this.k];
      let key: string;
      if (c === '"' || c === "'") {
        const [v, end] = quoted(this.text, this.k);
        this.k = end;
        key = v;
      } else {
        const raw = this.plain();
        if (raw === '<<') bail();
        const v = resolvePlain(raw);
        if (v === null) bail();
        key = String(v);
      }
      this.ws();
      if (this.text[this.k] !== ':') bail();
      this.k++;
      if (this.text[this.k] !== ' ') bail();
      const keyNode = this.reader.position(parent, key, keyOffset, Object.hasOwn(out, key));
      this.ws();
      const next = this.text[this.k];
      if (next === ',' || next === '}') bail();
      set(out, key, this.value(keyNode, depth + 1));
      this.ws();
      const sep = this.text[this.k];
      this.k++;
      if (sep === '}') return out;
      if (sep !== ',') bail();
      this.ws();
      if (this.text[this.k] === '}') bail();
    }
  }
}
