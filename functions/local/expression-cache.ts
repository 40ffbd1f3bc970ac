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

/** An attribute name's value (one class of equal values) in a template. */
class Name {
  constructor(readonly index: number) {}
}

/** The sentinel path string standing for the name class `i` while parsing a template. */
const SENTINEL = '\u0000podlab-name-';

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
  if (typeof node === 'string' && node.startsWith(SENTINEL))
    return new Name(Number(node.slice(SENTINEL.length)));
  if (node === null || typeof node !== 'object') return node;
  const key = valKeys.get(node);
  if (key !== undefined) return new Val(key);
  if (Array.isArray(node)) return node.map((x) => toTemplate(x, valKeys));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(node)) out[k] = toTemplate((node as Record<string, unknown>)[k], valKeys);
  return out;
}

/** A fresh tree from a template with the request's values in place. */
function fromTemplate(node: unknown, vals: Record<string, unknown>, names: string[]): unknown {
  if (node === null || typeof node !== 'object') return node;
  if (node instanceof Val) return vals[node.key];
  if (node instanceof Name) return names[node.index];
  if (Array.isArray(node)) return node.map((x) => fromTemplate(x, vals, names));
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(node)) out[k] = fromTemplate((node as Record<string, unknown>)[k], vals, names);
  return out;
}

/** Is any object in the tree not a plain object, array or value (then it is not cached)? */
function plain(node: unknown, valKeys: Map<unknown, string>): boolean {
  if (typeof node === 'string') return !node.includes('\u0000') || /^\u0000podlab-name-[0-9]+$/.test(node);
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

/** Marks in the request's context the names and values one parse used; returns `result`. */
function markUsed(
  ctx: Context,
  nameKeys: string[],
  valKeys: string[],
  unusedNames: Record<string, true>,
  unusedVals: Record<string, true>,
  result: unknown,
): unknown {
  if (ctx.unusedAttrNames) for (const n of nameKeys) if (!unusedNames[n]) delete ctx.unusedAttrNames[n];
  if (ctx.unusedAttrVals) for (const v of valKeys) if (!unusedVals[v]) delete ctx.unusedAttrVals[v];
  return result;
}

/** Does any string in the tree contain a NUL (a real path that looks like a sentinel)? */
function hasSentinel(node: unknown): boolean {
  if (typeof node === 'string') return node.includes('\u0000');
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(hasSentinel);
  return Object.keys(node).some((k) => hasSentinel((node as Record<string, unknown>)[k]));
}

function wrap(parser: Parser): void {
  if (parser.__podlabCached) return;
  const parse = parser.parse.bind(parser);
  const cache = new Map<string, Entry>();
  parser.parse = (str, options) => {
    const ctx = options.context;
    if (typeof str !== 'string' || CONTENT_DEPENDENT.test(str)) return parse(str, options);
    // Attribute names: a successful parse depends on which placeholders are defined and on
    // which of their paths are equal (to each other: overlapping or conflicting paths, distinct
    // operands; to a literal name of the expression likewise). So the key holds the classes of
    // equal values, and the template is parsed with one sentinel path per class, unless a value
    // is empty or equals a literal word of the expression: then the key holds the values.
    const names = ctx.attrNames;
    const nameKeys = names ? Object.keys(names) : [];
    const classValues: string[] = [];
    let symbolic = !!names;
    let nameSig = '';
    if (names) {
      const literals = new Set(str.replace(/[#:][0-9A-Za-z_]+/g, ' ').match(/[0-9A-Za-z_]+/g) ?? []);
      for (const k of nameKeys) {
        const v = names[k];
        if (typeof v !== 'string' || v === '' || v.includes('\u0000') || literals.has(v)) {
          symbolic = false;
          break;
        }
        let c = classValues.indexOf(v);
        if (c < 0) c = classValues.push(v) - 1;
        nameSig += `${k}>${c};`;
      }
      if (!symbolic) {
        nameSig = JSON.stringify(names);
        classValues.length = 0;
      }
    }
    const key = `${symbolic ? 's' : 'x'}\u0000${str}\u0000${nameSig}\u0000${typeSig(ctx.attrVals)}`;
    const hit = cache.get(key);
    if (hit) {
      expressionCacheStats.hits++;
      if (ctx.unusedAttrNames) for (const n of hit.usedNames) delete ctx.unusedAttrNames[n];
      if (ctx.unusedAttrVals) for (const v of hit.usedVals) delete ctx.unusedAttrVals[v];
      return fromTemplate(hit.template, ctx.attrVals ?? {}, classValues);
    }
    expressionCacheStats.misses++;
    const allVals = ctx.attrVals ? Object.keys(ctx.attrVals) : [];
    const valKeys = new Map<unknown, string>();
    let distinct = true;
    for (const k of allVals) {
      const v = ctx.attrVals?.[k];
      if (!v || typeof v !== 'object' || valKeys.has(v)) distinct = false;
      else valKeys.set(v, k);
    }
    // The parser only deletes from the unused sets: parse with fresh ones to learn the names
    // and values THIS expression uses.
    const unusedAttrNames: Record<string, true> = {};
    const unusedAttrVals: Record<string, true> = {};
    for (const n of nameKeys) unusedAttrNames[n] = true;
    for (const v of allVals) unusedAttrVals[v] = true;
    let attrNames = names;
    if (symbolic && names) {
      attrNames = {};
      for (const k of nameKeys) attrNames[k] = SENTINEL + classValues.indexOf(names[k] as string);
    }
    let result: unknown;
    try {
      result = parse(str, { ...options, context: { ...ctx, attrNames, unusedAttrNames, unusedAttrVals } });
    } catch (err) {
      if (!symbolic) throw err;
      return parse(str, options); // the error with the request's own names
    }
    if (!distinct || !plain(result, valKeys) || (!symbolic && hasSentinel(result))) {
      return symbolic
        ? parse(str, options)
        : markUsed(ctx, nameKeys, allVals, unusedAttrNames, unusedAttrVals, result);
    }
    const template = toTemplate(result, valKeys);
    const usedNames = nameKeys.filter((n) => !unusedAttrNames[n]);
    const usedVals = allVals.filter((v) => !unusedAttrVals[v]);
    if (cache.size >= MAX_ENTRIES) cache.clear();
    cache.set(key, { template, usedNames, usedVals });
    markUsed(ctx, nameKeys, allVals, unusedAttrNames, unusedAttrVals, undefined);
    return symbolic ? fromTemplate(template, ctx.attrVals ?? {}, classValues) : result;
  };
  parser.__podlabCached = true;
}

/** Installs the cache on dynalite's three expression parsers (once per process). */
export function installExpressionCache(): void {
  wrap(require('dynalite/db/conditionParser.js') as Parser);
  wrap(require('dynalite/db/updateParser.js') as Parser);
  wrap(require('dynalite/db/projectionParser.js') as Parser);
}
