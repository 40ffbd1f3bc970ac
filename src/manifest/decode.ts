/**
 * The API server's JSON decoding of a Pod, Service, ConfigMap or Secret with field validation `Strict`
 * (sigs.k8s.io/json, a fork of Go's encoding/json): case-sensitive field names, unknown fields
 * collected as strict errors with their full path (`spec.containers[0].foo`), and the first JSON
 * type mismatch reported as Go's `json: cannot unmarshal X into Go struct field S.f.g of type T`.
 * The schema is the generated Kubernetes 1.33 one (scripts/gen-k8s-schema.ts).
 */

import { base64ErrorOffset } from './base64.ts';
import schemaJson from './k8s-schema.generated.json' with { type: 'json' };
import { childPath, indexPath } from './yaml.ts';

/** The generated schema document. */
export interface K8sSchema {
  source: string;
  roots: Record<string, string>;
  types: Record<string, Record<string, string>>;
  kinds: Record<string, string[]>;
}

/** The Kubernetes 1.33 schema podlab decodes against. */
export const SCHEMA: K8sSchema = schemaJson as K8sSchema;

/** Outcome of decoding one object. */
export interface DecodeResult {
  /** The decoded object: nulls dropped (Go leaves the zero value), otherwise the input. */
  value: Record<string, unknown>;
  /** Unknown field paths in document order (strict decoding errors). */
  unknownFields: string[];
  /** The decoding error that rejects the object (type mismatch), with the path of the value. */
  typeError?: { message: string; path: string };
}

interface Ctx {
  unknown: string[];
  /** The keys (strings) and list indexes (numbers) from the root to the value being decoded. */
  keys: (string | number)[];
  /** Per entry of `keys`: true for a struct field (part of Go's field name), false for a map key. */
  isField: boolean[];
  saved?: { message: string; path: string };
  fatal?: { message: string; path: string };
}

class Abort {}

/** Go's name of a JSON value's kind in UnmarshalTypeError (`string`, `number`, `bool`, ...). */
function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

/** Go's printed type for a schema type. */
export function goType(t: string): string {
  if (t.startsWith('[]')) return `[]${goType(t.slice(2))}`;
  if (t.startsWith('map[string]')) return `map[string]${goType(t.slice(11))}`;
  switch (t) {
    case 'string':
    case 'bool':
    case 'int32':
    case 'int64':
    case 'float64':
      return t;
    case 'bytes':
      return '[]uint8';
    case 'intstr':
      return 'intstr.IntOrString';
    case 'quantity':
      return 'resource.Quantity';
    case 'time':
      return 'v1.Time';
    case 'any':
      return 'v1.FieldsV1';
    default:
      return `v1.${t}`;
  }
}

const INT_RANGE: Record<string, [number, number]> = {
  int32: [-2147483648, 2147483647],
  // 2^63 is not exactly representable; YAML numbers beyond 2^53 are already rounded anyway.
  int64: [-(2 ** 63), 2 ** 63 - 1],
};

// k8s.io/apimachinery/pkg/api/resource/quantity.go: splitREString, ErrFormatWrong, ErrSuffix.
const QUANTITY_RE = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const QUANTITY_FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const QUANTITY_SUFFIXES = new Set([
  '',
  'Ki',
  'Mi',
  'Gi',
  'Ti',
  'Pi',
  'Ei',
  'n',
  'u',
  'm',
  'k',
  'M',
  'G',
  'T',
  'P',
  'E',
]);

/** The error ParseQuantity returns for `s`, or undefined when it parses. */
export function quantityError(s: string): string | undefined {
  const m = QUANTITY_RE.exec(s.trim());
  if (!m) return QUANTITY_FORMAT_ERROR;
  if (!/^[0-9]*\.?[0-9]*$/.test(m[1]!.replace(/^[+-]/, '')) || m[1]!.replace(/^[+-]/, '') === '.') {
    return 'unable to parse numeric part of quantity';
  }
  const suffix = m[2]!;
  if (!QUANTITY_SUFFIXES.has(suffix) && !/^[eE][-+]?[0-9]+$/.test(suffix))
    return "unable to parse quantity's suffix";
  return undefined;
}

// RFC 3339 as time.Parse(time.RFC3339) accepts it (metav1.Time.UnmarshalJSON).
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** The field path of the value being decoded (`spec.containers[0].image`); built only for errors. */
function pathOf(ctx: Ctx): string {
  let path = '';
  for (const k of ctx.keys) path = typeof k === 'number' ? indexPath(path, k) : childPath(path, k);
  return path;
}

/** Go's dotted struct field name of the value being decoded (`spec.containers.image`). */
function goFieldOf(ctx: Ctx): string {
  let field = '';
  for (let i = 0; i < ctx.keys.length; i++) {
    if (ctx.isField[i]) field = field === '' ? (ctx.keys[i] as string) : `${field}.${ctx.keys[i]}`;
  }
  return field;
}

function fatal(ctx: Ctx, message: string): never {
  ctx.fatal = { message, path: pathOf(ctx) };
  throw new Abort();
}

function typeError(ctx: Ctx, value: string, struct: string, type: string): void {
  if (ctx.saved) return;
  ctx.saved = {
    message: `json: cannot unmarshal ${value} into Go struct field ${struct}.${goFieldOf(ctx)} of type ${type}`,
    path: pathOf(ctx),
  };
}

function saveError(ctx: Ctx, message: string): void {
  if (ctx.saved) return;
  ctx.saved = { message, path: pathOf(ctx) };
}

/** Zero value of a schema type, for `null` list items (Go decodes null as the zero value). */
function zero(t: string): unknown {
  if (t === 'string' || t === 'bytes' || t === 'time' || t === 'quantity') return '';
  if (t === 'bool') return false;
  if (t === 'int32' || t === 'int64' || t === 'float64' || t === 'intstr') return 0;
  if (t.startsWith('[]')) return [];
  if (t.startsWith('map[')) return {};
  return {};
}

function decodeValue(
  v: unknown,
  t: string,
  struct: string,
  ctx: Ctx,
  types: Record<string, Record<string, string>>,
): unknown {
  switch (t) {
    case 'any':
      return v;
    case 'string':
      if (typeof v !== 'string') typeError(ctx, jsonKind(v), struct, 'string');
      return v;
    case 'bool':
      if (typeof v !== 'boolean') typeError(ctx, jsonKind(v), struct, 'bool');
      return v;
    case 'bytes': {
      // encoding/json literalStore for []byte: base64.StdEncoding.Decode, its error saved.
      if (typeof v !== 'string') {
        typeError(ctx, jsonKind(v), struct, '[]uint8');
        return v;
      }
      const at = base64ErrorOffset(v);
      if (at >= 0) saveError(ctx, `illegal base64 data at input byte ${at}`);
      return v;
    }
    case 'float64':
      if (typeof v !== 'number') typeError(ctx, jsonKind(v), struct, 'float64');
      return v;
    case 'int32':
    case 'int64': {
      if (typeof v !== 'number') {
        typeError(ctx, jsonKind(v), struct, t);
      } else {
        const [lo, hi] = INT_RANGE[t]!;
        if (!Number.isInteger(v) || v < lo || v > hi) typeError(ctx, `number ${v}`, struct, t);
      }
      return v;
    }
    case 'intstr': {
      // intstr.IntOrString.UnmarshalJSON: a JSON string is a string, anything else is
      // json.Unmarshal'd into an int32 by the standard library (no struct field context).
      if (typeof v === 'string') return v;
      if (typeof v === 'number') {
        if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return v;
        fatal(ctx, `json: cannot unmarshal number ${v} into Go value of type int32`);
      }
      fatal(ctx, `json: cannot unmarshal ${jsonKind(v)} into Go value of type int32`);
      break;
    }
    case 'quantity': {
      // resource.Quantity.UnmarshalJSON: quotes stripped, then ParseQuantity on the raw text.
      const text =
        typeof v === 'string'
          ? v
          : typeof v === 'number' || typeof v === 'boolean'
            ? String(v)
            : JSON.stringify(v);
      const err = text.trim() === '' ? QUANTITY_FORMAT_ERROR : quantityError(text);
      if (err) fatal(ctx, err);
      return v;
    }
    case 'time': {
      // metav1.Time.UnmarshalJSON: json.Unmarshal into a string, then time.Parse(RFC3339).
      if (typeof v !== 'string')
        fatal(ctx, `json: cannot unmarshal ${jsonKind(v)} into Go value of type string`);
      if (!RFC3339.test(v)) {
        fatal(
          ctx,
          `parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(v)} as "2006"`,
        );
      }
      return v;
    }
  }
  if (t.startsWith('[]')) {
    const elem = t.slice(2);
    if (!Array.isArray(v)) {
      typeError(ctx, jsonKind(v), struct, goType(t));
      return v;
    }
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      if (item === null) out.push(zero(elem));
      else {
        ctx.keys.push(i);
        ctx.isField.push(false);
        out.push(decodeValue(item, elem, struct, ctx, types));
        ctx.keys.pop();
        ctx.isField.pop();
      }
    }
    return out;
  }
  if (t.startsWith('map[string]')) {
    const elem = t.slice(11);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      typeError(ctx, jsonKind(v), struct, goType(t));
      return v;
    }
    const out: Record<string, unknown> = {};
    const m = v as Record<string, unknown>;
    for (const k of Object.keys(m)) {
      const item = m[k];
      let decoded: unknown;
      if (item === null) decoded = zero(elem);
      else {
        ctx.keys.push(k);
        ctx.isField.push(false);
        decoded = decodeValue(item, elem, struct, ctx, types);
        ctx.keys.pop();
        ctx.isField.pop();
      }
      if (k === '__proto__')
        Object.defineProperty(out, k, {
          value: decoded,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[k] = decoded;
    }
    return out;
  }
  const fields = types[t];
  if (!fields) return v;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    typeError(ctx, jsonKind(v), struct, goType(t));
    return v;
  }
  return decodeStruct(v as Record<string, unknown>, t, ctx, types);
}

function decodeStruct(
  obj: Record<string, unknown>,
  struct: string,
  ctx: Ctx,
  types: Record<string, Record<string, string>>,
): Record<string, unknown> {
  const fields = types[struct]!;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    const ft = Object.hasOwn(fields, k) ? fields[k] : undefined;
    if (ft === undefined) {
      ctx.unknown.push(childPath(pathOf(ctx), k));
      continue;
    }
    if (v === null) continue;
    ctx.keys.push(k);
    ctx.isField.push(true);
    out[k] = decodeValue(v, ft, struct, ctx, types);
    ctx.keys.pop();
    ctx.isField.pop();
  }
  return out;
}

/** Decodes `obj` as the root type `kind` (`Pod` or `Service`) of the schema. */
export function decodeObject(
  obj: Record<string, unknown>,
  kind: string,
  schema: K8sSchema = SCHEMA,
): DecodeResult {
  const ctx: Ctx = { unknown: [], keys: [], isField: [] };
  const root = schema.roots[kind] ?? kind;
  let value: Record<string, unknown> = {};
  try {
    value = decodeStruct(obj, root, ctx, schema.types);
  } catch (err) {
    if (!(err instanceof Abort)) throw err;
  }
  const typeErr = ctx.fatal ?? ctx.saved;
  if (typeErr) return { value, unknownFields: ctx.unknown, typeError: typeErr };
  return { value, unknownFields: ctx.unknown };
}
