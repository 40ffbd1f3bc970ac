/** Plain-JSON helpers of the manifest package. */

/** A deep copy of decoded JSON (plain objects, arrays, scalars). */
export function cloneJson(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const arr: unknown[] = [];
    for (let i = 0; i < v.length; i++) arr.push(cloneJson(v[i]));
    return arr;
  }
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const keys = Object.keys(src);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    if (k === '__proto__')
      Object.defineProperty(out, k, {
        value: cloneJson(src[k]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[k] = cloneJson(src[k]);
  }
  return out;
}
