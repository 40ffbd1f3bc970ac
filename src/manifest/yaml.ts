/**
 * YAML -> JSON with source positions, the way kubectl reads a manifest: documents split on
 * `---`, each converted to JSON with YAML 1.1 scalars (sigs.k8s.io/yaml is go-yaml v2 based:
 * `yes`/`no`/`on`/`off` are booleans, `0755` is octal), `<<` merge keys resolved, empty
 * documents skipped. Limits on aliases, nesting depth, scalar length and total nodes keep time
 * and memory bounded for any input.
 */
import {
  type Alias,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  parseAllDocuments,
  type Document as YamlDocument,
} from 'yaml';
import { fastReadYaml } from './fastyaml.ts';
import type { JsonDocument, Pos, YamlLimits, YamlResult } from './yaml-types.ts';

export type { JsonDocument, Pos, YamlLimits, YamlProblem, YamlResult } from './yaml-types.ts';

class LimitError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

const DROPPED_TAGS = new Set([
  'tag:yaml.org,2002:binary',
  'tag:yaml.org,2002:omap',
  'tag:yaml.org,2002:pairs',
  'tag:yaml.org,2002:set',
  'tag:yaml.org,2002:timestamp',
]);

/** Appends a map key to a field path (`a` + `b` -> `a.b`). */
export function childPath(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Appends a list index to a field path (`a` + 0 -> `a[0]`). */
export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/**
 * Reads every document of `text`. Documents after the first syntax error or exceeded limit are
 * not read (kubectl's stream decoder stops at the first error too).
 */
export function readYaml(text: string, limits: YamlLimits): YamlResult {
  return readYamlWith(text, limits, true);
}

/** `readYaml`, with the fast reader (`fast`) or with the yaml package alone (for tests). */
export function readYamlWith(text: string, limits: YamlLimits, fast: boolean): YamlResult {
  const at = positionFinder(text);
  // Most manifests are plain block YAML: a small reader handles them several times faster.
  if (fast) {
    const documents = fastReadYaml(text, limits, at);
    if (documents) return { documents };
  }
  const early = prescan(text, limits);
  if (early) {
    return {
      documents: [],
      problem: { kind: 'limit', message: early.message, document: 0, pos: at(early.offset) },
    };
  }
  let docs: YamlDocument.Parsed[];
  try {
    const parsed = parseAllDocuments(text, {
      version: '1.1',
      prettyErrors: false,
      // kubectl (1.27+) converts YAML with duplicate keys silently, the last value winning.
      uniqueKeys: false,
      merge: true,
      customTags: (tags) =>
        tags.filter(
          (t) =>
            typeof t === 'string' ||
            (!DROPPED_TAGS.has(t.tag) && (t as { format?: string }).format !== 'TIME'),
        ),
    });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (err) {
    // The yaml package does not throw for syntax errors; a stack overflow on pathological
    // nesting is the one thing that can escape it. Anything else is a bug, not the input's fault.
    if (!(err instanceof RangeError)) throw err;
    return {
      documents: [],
      problem: { kind: 'limit', message: nestingMessage(limits), document: 0, pos: at(0) },
    };
  }
  const documents: JsonDocument[] = [];
  let budget = { aliases: 0, nodes: 0 };
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i]!;
    // The document's first content line (after a `---` marker), else where the document begins.
    const start = at(doc.contents?.range?.[0] ?? doc.range[0]);
    const error = doc.errors[0];
    if (error) {
      const pos = at(error.pos[0]);
      if (/call stack/i.test(error.message)) {
        return {
          documents,
          problem: { kind: 'limit', message: nestingMessage(limits), document: i, pos },
        };
      }
      return {
        documents,
        problem: {
          kind: 'syntax',
          message: goYamlMessage(error.code, firstLine(error.message)),
          document: i,
          pos,
        },
      };
    }
    if (i >= limits.maxDocuments) {
      return {
        documents,
        problem: {
          kind: 'limit',
          message: `too many documents: more than ${limits.maxDocuments} in one file`,
          document: i,
          pos: start,
        },
      };
    }
    if (doc.contents === null) continue;
    budget = { aliases: budget.aliases, nodes: 0 };
    const positions = new Map<string, Pos>();
    const duplicates: { path: string; pos: Pos }[] = [];
    try {
      const value = toJson(doc, doc.contents, '', 0, { positions, duplicates }, limits, budget, at);
      if (value === null || value === undefined) continue;
      positions.set('', start);
      documents.push({ index: i, value, start, positions, duplicates });
    } catch (err) {
      if (err instanceof LimitError) {
        return {
          documents,
          problem: { kind: 'limit', message: err.message, document: i, pos: at(err.offset) },
        };
      }
      // A stack overflow is the nesting limit; any other exception is a bug of podlab.
      if (!(err instanceof RangeError)) throw err;
      return {
        documents,
        problem: { kind: 'limit', message: nestingMessage(limits), document: i, pos: start },
      };
    }
  }
  return { documents };
}

/**
 * A cheap scan before parsing for the limits the yaml package would take long (or, for
 * thousands of nested `[`, exhaust memory fatally) to run into: flow nesting deeper than
 * `maxDepth`, compact `- - -` / `? ? ?` nesting deeper than `maxDepth`, more than `maxAliases` alias
 * tokens. Quoted scalars and comments are skipped; the scan is conservative (a bracket inside
 * a plain scalar counts), which only matters past the limits.
 */
export function prescan(text: string, limits: YamlLimits): { message: string; offset: number } | undefined {
  const tooDeep = `the document is nested too deeply (more than ${limits.maxDepth} levels)`;
  let depth = 0;
  let aliases = 0;
  let prev = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const atTokenStart =
      prev === '\n' ||
      prev === ' ' ||
      prev === '\t' ||
      prev === '[' ||
      prev === '{' ||
      prev === ',' ||
      prev === ':';
    if (prev === '\n') {
      let k = i;
      while (text[k] === ' ') k++;
      let dashes = 0;
      // `- `, `? ` and `: ` indicators all nest compactly (`? ? ? x`, `- ? - x`).
      while (
        (text[k] === '-' || text[k] === '?' || text[k] === ':') &&
        (text[k + 1] === ' ' || text[k + 1] === '\t' || text[k + 1] === '\n' || k + 1 === text.length)
      ) {
        dashes++;
        k += 2;
        while (text[k] === ' ' || text[k] === '\t') k++;
      }
      if (dashes > limits.maxDepth) return { message: tooDeep, offset: i };
    }
    if (c === '#' && (prev === ' ' || prev === '\t' || prev === '\n')) {
      while (i < text.length && text[i] !== '\n') i++;
      prev = '\n';
      continue;
    }
    if ((c === '"' || c === "'") && atTokenStart) {
      for (i++; i < text.length; i++) {
        const d = text[i]!;
        if (c === '"' && d === '\\') i++;
        else if (d === c) {
          if (c === "'" && text[i + 1] === "'") i++;
          else break;
        }
      }
      prev = c;
      continue;
    }
    if (c === '*' && atTokenStart && i + 1 < text.length && !' \n\t,[]{}'.includes(text[i + 1]!)) {
      if (++aliases > limits.maxAliases) {
        return { message: `too many YAML aliases: more than ${limits.maxAliases} in one file`, offset: i };
      }
    }
    if (c === '[' || c === '{') {
      if (++depth > limits.maxDepth) return { message: tooDeep, offset: i };
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    }
    prev = c;
  }
  return undefined;
}

/**
 * Offset of the first `[`/`{` that opens flow nesting deeper than `maxDepth`, or -1 (quoted
 * scalars and comments skipped). Kept for callers that guard their own YAML parsing.
 */
export function flowNestingOffset(text: string, maxDepth: number): number {
  const p = prescan(text, {
    maxDepth,
    maxAliases: Number.POSITIVE_INFINITY,
    maxDocuments: 0,
    maxScalarLength: 0,
    maxNodes: 0,
  });
  return p && /nested/.test(p.message) && (text[p.offset] === '[' || text[p.offset] === '{') ? p.offset : -1;
}

/** Offset -> 1-based line and column (columns count UTF-16 code units, as editors mostly do). */
export function positionFinder(text: string): (offset: number) => Pos {
  // The line starts are found on the first call: most loads need a position or two, if any.
  let starts: number[] | undefined;
  return (offset: number): Pos => {
    if (starts === undefined) {
      starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    }
    const o = Math.max(0, Math.min(offset, text.length));
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - starts[lo]! + 1 };
  };
}

function nestingMessage(limits: YamlLimits): string {
  return `the document is nested too deeply (more than ${limits.maxDepth} levels)`;
}

/**
 * go-yaml v2's words (what kubectl prints) for the syntax errors students make most, keyed by
 * the yaml package's error code; other errors keep the yaml package's message. The mapping is
 * podlab's reading of go-yaml's scanner/parser messages, not verified case by case.
 */
function goYamlMessage(code: string, message: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'found character that cannot start any token';
    case 'BLOCK_AS_IMPLICIT_KEY':
      return message.startsWith('Nested mappings')
        ? 'mapping values are not allowed in this context'
        : 'did not find expected key';
    case 'MULTILINE_IMPLICIT_KEY':
      return "could not find expected ':'";
    case 'MISSING_CHAR':
      return /quote/.test(message) ? 'found unexpected end of stream' : message;
    case 'BAD_INDENT':
      if (message.startsWith('Flow sequence')) return "did not find expected ',' or ']'";
      if (message.startsWith('Flow map')) return "did not find expected ',' or '}'";
      if (message.startsWith('All mapping items')) return 'did not find expected key';
      return message;
    default:
      return message;
  }
}

function firstLine(message: string): string {
  const nl = message.indexOf('\n');
  const line = nl === -1 ? message : message.slice(0, nl);
  return line.replace(/ at line \d+, column \d+:?$/, '');
}

function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

function keyString(key: unknown, offset: number): string {
  if (key === null || key === undefined) return 'null';
  if (typeof key === 'string') return key;
  if (typeof key === 'number' || typeof key === 'boolean') return String(key);
  throw new LimitError(
    'error converting YAML to JSON: yaml: invalid map key (a collection is used as a key)',
    offset,
  );
}

function toJson(
  doc: YamlDocument.Parsed,
  node: Node | null | undefined,
  path: string,
  depth: number,
  out: { positions: Map<string, Pos>; duplicates: { path: string; pos: Pos }[] },
  limits: YamlLimits,
  budget: { aliases: number; nodes: number },
  at: (offset: number) => Pos,
): unknown {
  if (node === null || node === undefined) return null;
  const offset = node.range?.[0] ?? 0;
  if (depth > limits.maxDepth) {
    throw new LimitError(`the document is nested too deeply (more than ${limits.maxDepth} levels)`, offset);
  }
  if (++budget.nodes > limits.maxNodes) {
    throw new LimitError(`the document has too many values (more than ${limits.maxNodes})`, offset);
  }
  if (isAlias(node)) {
    if (++budget.aliases > limits.maxAliases) {
      throw new LimitError(`too many YAML aliases: more than ${limits.maxAliases} in one file`, offset);
    }
    const target = (node as Alias).resolve(doc);
    if (!target) throw new LimitError(`unknown YAML alias *${(node as Alias).source}`, offset);
    return toJson(doc, target, path, depth + 1, out, limits, budget, at);
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') {
      if (v.length > limits.maxScalarLength) {
        throw new LimitError(`a string is too long: more than ${limits.maxScalarLength} characters`, offset);
      }
      return v;
    }
    if (typeof v === 'number' || typeof v === 'boolean' || v === null) return v;
    if (typeof v === 'bigint') return Number(v);
    return v === undefined ? null : String(v);
  }
  if (isSeq(node)) {
    const arr: unknown[] = [];
    node.items.forEach((item, i) => {
      const p = indexPath(path, i);
      const itemNode = item as Node | null;
      if (itemNode?.range) out.positions.set(p, at(itemNode.range[0]));
      arr.push(toJson(doc, itemNode, p, depth + 1, out, limits, budget, at));
    });
    return arr;
  }
  if (isMap(node)) {
    const map: Record<string, unknown> = {};
    const merged: Record<string, unknown>[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const keyOffset = keyNode?.range?.[0] ?? offset;
      if (isScalar(keyNode) && keyNode.source === '<<' && keyNode.type === 'PLAIN') {
        // YAML 1.1 merge key: the merged maps' keys apply where the map does not set them.
        const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const s of sources) {
          const v = toJson(doc, s as Node, path, depth + 1, out, limits, budget, at);
          if (v !== null && typeof v === 'object' && !Array.isArray(v))
            merged.push(v as Record<string, unknown>);
        }
        continue;
      }
      const keyValue = isScalar(keyNode) ? keyNode.value : isAlias(keyNode) ? keyNode.source : keyNode;
      const key = keyString(keyValue, keyOffset);
      const p = childPath(path, key);
      if (Object.hasOwn(map, key)) out.duplicates.push({ path: p, pos: at(keyOffset) });
      out.positions.set(p, at(keyOffset));
      setKey(map, key, toJson(doc, pair.value as Node | null, p, depth + 1, out, limits, budget, at));
    }
    if (merged.length === 0) return map;
    const result: Record<string, unknown> = {};
    for (const m of merged) for (const [k, v] of Object.entries(m)) if (!(k in result)) setKey(result, k, v);
    for (const [k, v] of Object.entries(map)) setKey(result, k, v);
    return result;
  }
  return null;
}
