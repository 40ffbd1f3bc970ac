/**
 * The scenario file's YAML with a source map, and zod issues turned into errors that carry
 * their path in the document and their line and column in the file.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { flowNestingOffset } from './adapters.ts';
import type * as z from './zod.ts';

/** A YAML document with a way to find where a path stands in the file. */
export interface SourceMap {
  /** 1-based line and column of the node at `path`, or of the key `key` inside it. */
  locate(path: (string | number)[], key?: string): { line: number; column: number } | undefined;
  /** Same, for the first character of the node's content (a block scalar's first content line). */
  node(path: (string | number)[]): Node | undefined;
  lineOf(offset: number): { line: number; column: number };
}

/** Deepest YAML nesting a scenario file may have (a real one needs about 8 levels). */
const MAX_YAML_NESTING = 64;

/**
 * Offset of the first compact block indicator (`- - - x`, `? ? x`, `: - x` on one line) past
 * `maxDepth` on a line, or -1.
 */
export function compactNestingOffset(text: string, maxDepth: number): number {
  const blank = (c: string | undefined) =>
    c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    let count = 0;
    while ((text[i] === '-' || text[i] === '?' || text[i] === ':') && blank(text[i + 1])) {
      if (++count > maxDepth) return i;
      i++;
      while (text[i] === ' ' || text[i] === '\t') i++;
    }
    const nl = text.indexOf('\n', i);
    if (nl === -1) break;
    i = nl + 1;
  }
  return -1;
}

/** Parses YAML text into plain data, keeping a source map; YAML errors carry line and column. */
export function parseYamlDocument(
  text: string,
):
  | { ok: true; data: unknown; map: SourceMap }
  | { ok: false; errors: { message: string; line?: number; column?: number }[] } {
  const lineCounter = new LineCounter();
  // The yaml package recurses once per nesting level: 10^5 `[` take seconds and give
  // stack-depth-dependent (non-deterministic) errors, and thousands of compact `- - -` can
  // abort the process. A linear scan refuses such nesting before parsing.
  const deep = Math.max(
    flowNestingOffset(text, MAX_YAML_NESTING),
    compactNestingOffset(text, MAX_YAML_NESTING),
  );
  if (deep !== -1) {
    const before = text.slice(0, deep);
    const pos = { line: before.split('\n').length, col: deep - before.lastIndexOf('\n') };
    return {
      ok: false,
      errors: [
        {
          message: `YAML: the document is nested too deeply (more than ${MAX_YAML_NESTING} levels)`,
          line: pos.line,
          column: pos.col,
        },
      ],
    };
  }
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { message: `YAML: ${e.message.split('\n')[0]}`, line: pos.line, column: pos.col };
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, errors: [{ message: `YAML: ${(err as Error).message}` }] };
  }
  const find = (path: (string | number)[]): Node | undefined => {
    let node: unknown = doc.contents;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
        );
        node = pair?.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
      } else {
        return undefined;
      }
    }
    return (node ?? undefined) as Node | undefined;
  };
  const lineOf = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const map: SourceMap = {
    node: find,
    lineOf,
    locate(path, key) {
      // Walk up to the deepest existing node, so a missing field points at its parent.
      for (let n = path.length; n >= 0; n--) {
        const node = find(path.slice(0, n));
        if (!node) continue;
        if (key !== undefined && n === path.length && isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
          const keyNode = pair?.key as Node | undefined;
          if (keyNode?.range) return lineOf(keyNode.range[0]);
        }
        if (node.range) return lineOf(node.range[0]);
      }
      return undefined;
    },
  };
  return { ok: true, data, map };
}

/** Renders a zod/validation path as `spec.checks[2].expect.phase`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** Turns zod issues into scenario errors with paths and source positions. */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  map: SourceMap,
): { message: string; path: string; line?: number; column?: number }[] {
  const out: { message: string; path: string; line?: number; column?: number }[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const pos = map.locate(path, key);
        out.push({ message: `unknown field "${key}"`, path: formatPath([...path, key]), ...pos });
      }
      continue;
    }
    let message = issue.message;
    if (issue.code === 'invalid_type' && valueAt(data, path) === undefined) {
      message = 'required field is missing';
    } else if (issue.code === 'invalid_union') {
      message = 'invalid value: see the scenario format for the accepted forms';
    } else if (message.startsWith('Invalid input: ')) {
      message = `invalid value: ${message.slice('Invalid input: '.length)}`;
    }
    const pos = map.locate(path);
    out.push({ message, path: formatPath(path), ...pos });
  }
  return out;
}
