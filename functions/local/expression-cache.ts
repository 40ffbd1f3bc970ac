/**
 * dynalite parses every ConditionExpression, UpdateExpression, KeyConditionExpression,
 * FilterExpression and ProjectionExpression with its PEG parsers on every request; the
 * repository and the LMS store send the same few expressions again and again. This wraps the
 * parsers' `parse` so that each distinct (expression, attribute names, placeholder value types)
 * is parsed once: the parsed tree is kept as a template with the value placeholders marked, and
 * a hit returns a fresh copy with the request's own values (dynalite mutates parsed trees, e.g.
 * in key conditions) and marks the same names and values used as the parser would
 * (docs/performance.md, issue 18 §2, "Expression cache").
 *
 * Identical behaviour: only successful parses are kept (every error comes from the parser
 * itself), and the key holds everything a successful parse depends on: the parser, the
 * expression, the attribute names (name → path) and, per value placeholder, its type (the
 * parsers check operand types). The two checks that look at a value's content (BETWEEN's
 * bounds, attribute_type's type name) are never cached.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

interface Context {
  attrNames?: Record<string, string>;
  attrVals?: Record<string, Record<string, unknown>>;
  unusedAttrNames?: Record<string, true>;
  unusedAttrVals?: Record<string, true>;
}
interface Parser {
  parse(str: string, options: { context: Context }): unknown;
  __podlabCached?: true;
}

interface Entry {
  template: unknown;
  usedNames: string[];
  usedVals: string[];
}

/** A value placeholder in a template. */
class Val {
  constructor(readonly key: string) {}
}

const CONTENT_DEPENDENT = /between|attribute_type/i;
const MAX_ENTRIES = 1000;

function typeSig(vals: Record<string, Record<string, unknown>> | undefined): string {
  if (!vals) return '';
  let s = '';
  for (const k of Object.keys(vals)) {
    const v = vals[k];
    s += `${k}=${v && typeof v === 'object' ? Object.keys(v).join('+') : typeof v};`;
  }
  return s;
}

/** A deep copy of a parsed tree; the request's value objects become placeholders. */
function toTemplate(node: unknown, valKeys: Map<unknown, string>): unknown {
  if (node === null || typeof node !== 'object') return node;
  const key = valKeys.get(node);
  if (key !== undefined) return new Val(key);
  if (Array.isArray(node)) return node.map((x) => toTemplate(x, valKeys));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(node)) out[k] = toTemplate((node as Record<string, unknown>)[k], valKeys);
  return out;
}

/** A fresh tree from a template with the request's values in place. */
function fromTemplate(node: unknown, vals: Record<string, unknown>): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (node instanceof Val) return vals[node.key];
  if (Array.isArray(node)) return node.map((x) => fromTemplate(x, vals));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(node)) out[k] = fromTemplate((node as Record<string, unknown>)[k], vals);
  return out;
}

/** Is any object in the tree not a plain object, array or value (then it is not cached)? */
function plain(node: unknown, valKeys: Map<unknown, string>): boolean {
  if (node === null || typeof node !== 'object') return typeof node !== 'function';
  if (valKeys.has(node)) return true;
  if (Array.isArray(node)) return node.every((x) => plain(x, valKeys));
  const proto = Object.getPrototypeOf(node);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.keys(node).every((k) => plain((node as Record<string, unknown>)[k], valKeys));
}

export interface ExpressionCacheStats {
  hits: number;
  misses: number;
}
export const expressionCacheStats: ExpressionCacheStats = { hits: 0, misses: 0 };

function wrap(parser: Parser): void {
  if (parser.__podlabCached) return;
  const parse = parser.parse.bind(parser);
  const cache = new Map<string, Entry>();
  parser.parse = (str, options) => {
    const ctx = options.context;
    if (typeof str !== 'string' || CONTENT_DEPENDENT.test(str)) return parse(str, options);
    const key = `${str}\u0000${ctx.attrNames ? JSON.stringify(ctx.attrNames) : ''}\u0000${typeSig(ctx.attrVals)}`;
    const hit = cache.get(key);
    if (hit) {
      expressionCacheStats.hits++;
      if (ctx.unusedAttrNames) for (const n of hit.usedNames) delete ctx.unusedAttrNames[n];
      if (ctx.unusedAttrVals) for (const v of hit.usedVals) delete ctx.unusedAttrVals[v];
      return fromTemplate(hit.template, ctx.attrVals ?? {});
    }
    expressionCacheStats.misses++;
    // The parser only deletes from the unused sets: parse with fresh ones to learn the names
    // and values THIS expression uses, then mark them used in the request's context.
    const allNames = ctx.attrNames ? Object.keys(ctx.attrNames) : [];
    const allVals = ctx.attrVals ? Object.keys(ctx.attrVals) : [];
    const unusedAttrNames: Record<string, true> = {};
    const unusedAttrVals: Record<string, true> = {};
    for (const n of allNames) unusedAttrNames[n] = true;
    for (const v of allVals) unusedAttrVals[v] = true;
    const result = parse(str, { ...options, context: { ...ctx, unusedAttrNames, unusedAttrVals } }); // throws on every error: nothing kept
    const usedNames = allNames.filter((n) => !unusedAttrNames[n]);
    const usedVals = allVals.filter((v) => !unusedAttrVals[v]);
    if (ctx.unusedAttrNames) for (const n of usedNames) delete ctx.unusedAttrNames[n];
    if (ctx.unusedAttrVals) for (const v of usedVals) delete ctx.unusedAttrVals[v];
    const valKeys = new Map<unknown, string>();
    let distinct = true;
    for (const k of allVals) {
      const v = ctx.attrVals?.[k];
      if (!v || typeof v !== 'object' || valKeys.has(v)) distinct = false;
      else valKeys.set(v, k);
    }
    if (distinct && plain(result, valKeys)) {
      if (cache.size >= MAX_ENTRIES) cache.clear();
      cache.set(key, { template: toTemplate(result, valKeys), usedNames, usedVals });
    }
    return result;
  };
  parser.__podlabCached = true;
}

/** Installs the cache on dynalite's three expression parsers (once per process). */
export function installExpressionCache(): void {
  wrap(require('dynalite/db/conditionParser.js') as Parser);
  wrap(require('dynalite/db/updateParser.js') as Parser);
  wrap(require('dynalite/db/projectionParser.js') as Parser);
}
