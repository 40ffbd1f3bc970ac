/**
 * Document form ⇄ DynamoDB attribute values in the JSON wire form (binary as base64), the
 * conversion that `@aws-sdk/lib-dynamodb` makes with `removeUndefinedValues: true` and
 * `convertEmptyValues: false`: strings, numbers, booleans, null, bytes, lists, maps and sets.
 */

/** An attribute value in the wire form. */
export type WireValue = Record<string, unknown>;

/** One value in wire form; undefined for an undefined value (left out of its map or list). */
export function toWire(v: unknown): WireValue | undefined {
  switch (typeof v) {
    case 'string':
      return { S: v };
    case 'number':
      if (!Number.isFinite(v)) throw new TypeError(`cannot store the number ${v}`);
      return { N: String(v) };
    case 'boolean':
      return { BOOL: v };
    case 'bigint':
      return { N: v.toString() };
    case 'undefined':
      return undefined;
    case 'object': {
      if (v === null) return { NULL: true };
      if (v instanceof Uint8Array)
        return { B: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
      if (Array.isArray(v)) return { L: v.map(toWire).filter((x) => x !== undefined) };
      if (v instanceof Set) return setToWire(v);
      return { M: toWireItem(v as Record<string, unknown>) };
    }
    default:
      throw new TypeError(`cannot store a ${typeof v}`);
  }
}

function setToWire(s: Set<unknown>): WireValue {
  const values = [...s];
  if (values.every((x) => typeof x === 'string')) return { SS: values };
  if (values.every((x) => typeof x === 'number' || typeof x === 'bigint')) return { NS: values.map(String) };
  if (values.every((x) => x instanceof Uint8Array))
    return { BS: values.map((x) => Buffer.from(x as Uint8Array).toString('base64')) };
  throw new TypeError('a set holds strings, numbers or bytes only');
}

/** A map of values in wire form, undefined values left out. */
export function toWireItem(item: Record<string, unknown>): Record<string, WireValue> {
  const out: Record<string, WireValue> = {};
  for (const k of Object.keys(item)) {
    const w = toWire(item[k]);
    if (w !== undefined) out[k] = w;
  }
  return out;
}

/** Inverse of toWire. */
export function fromWire(w: WireValue): unknown {
  if ('S' in w) return w.S;
  if ('N' in w) return Number(w.N);
  if ('BOOL' in w) return w.BOOL;
  if ('NULL' in w) return null;
  if ('B' in w) return new Uint8Array(Buffer.from(w.B as string, 'base64'));
  if ('M' in w) return fromWireItem(w.M as Record<string, unknown>);
  if ('L' in w) return (w.L as WireValue[]).map(fromWire);
  if ('SS' in w) return new Set(w.SS as string[]);
  if ('NS' in w) return new Set((w.NS as string[]).map(Number));
  if ('BS' in w) return new Set((w.BS as string[]).map((b) => new Uint8Array(Buffer.from(b, 'base64'))));
  throw new TypeError(`unknown attribute value ${Object.keys(w).join(',')}`);
}

/** Inverse of toWireItem. */
export function fromWireItem(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(item)) out[k] = fromWire(item[k] as WireValue);
  return out;
}

/** The parts of a document-form request that hold attribute values. */
const VALUE_MAPS = ['Item', 'Key', 'ExclusiveStartKey', 'ExpressionAttributeValues'];

/** A document-form request (Get/Put/Update/Delete/Query input) in wire form. */
export function toWireInput(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(input)) {
    const v = input[k];
    if (v === undefined) continue;
    out[k] = VALUE_MAPS.includes(k) ? toWireItem(v as Record<string, unknown>) : v;
  }
  return out;
}
