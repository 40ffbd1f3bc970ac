/**
 * Small deterministic helpers: stable hashes for uids and container IDs, Go duration text,
 * stable JSON for spec comparison.
 */

/** FNV-1a 32-bit hash of a string. */
export function fnv1a(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** `n` hex digits derived from `s` (deterministic, not cryptographic). */
export function hexDigest(s: string, n: number): string {
  let out = '';
  let seed = 0x811c9dc5;
  while (out.length < n) {
    seed = fnv1a(s, seed ^ out.length);
    out += seed.toString(16).padStart(8, '0');
  }
  return out.slice(0, n);
}

/** A UUID-shaped deterministic uid for an object (v4 layout, derived from its identity). */
export function objectUid(kind: string, namespace: string, name: string, serial: number): string {
  const h = hexDigest(`${kind}/${namespace}/${name}#${serial}`, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A containerd container ID: `containerd://` + 64 hex digits, new for every instance. */
export function containerId(podUid: string, container: string, attempt: number): string {
  return `containerd://${hexDigest(`${podUid}/${container}/${attempt}`, 64)}`;
}

/**
 * Go's `time.Duration.String()` for a whole number of milliseconds: `0s`, `1.5s`, `10s`,
 * `1m20s`, `5m0s`, `1h0m0s` (used in back-off messages and pull events).
 */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const frac = rest - s * 1000;
  let out: string;
  if (h === 0 && m === 0 && s === 0) {
    out = `${frac}ms`;
  } else {
    const secText = frac === 0 ? `${s}s` : `${s}.${String(frac).padStart(3, '0').replace(/0+$/, '')}s`;
    out = h > 0 ? `${h}h${m}m${secText}` : m > 0 ? `${m}m${secText}` : secText;
  }
  return neg ? `-${out}` : out;
}

/** JSON with object keys sorted, so that equal values give equal text. */
export function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : stableJson(x))).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
}

/** Go's `%q` of a string (double-quoted with escapes), enough for messages. */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/**
 * `compute`, remembered per key and forgotten all at once at `limit` keys: the simulator's hot
 * paths ask a pure function the same few questions every tick (paths, URIs, addresses).
 */
export function memoize<V>(compute: (key: string) => V, limit: number): (key: string) => V {
  const cache = new Map<string, V>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined && !cache.has(key)) {
      value = compute(key);
      if (cache.size >= limit) cache.clear();
      cache.set(key, value);
    }
    return value as V;
  };
}
