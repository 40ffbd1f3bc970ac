/**
 * SHA-256 (FIPS 180-4) in plain TypeScript, for content digests in the pure core, which may not
 * import node:crypto. Strings are hashed as their UTF-8 bytes.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** The UTF-8 bytes of a string (TextEncoder is a pure, standard global). */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/**
 * An incremental SHA-256: `update` with strings (their UTF-8 bytes) or bytes, then `hex`. Lets a
 * digest cover a large value without building it as one string.
 */
export class Sha256 {
  private readonly h = new Int32Array([
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
  ]);
  private readonly block = new Uint8Array(64);
  private filled = 0;
  private length = 0;
  private readonly w = new Int32Array(64);
  private readonly encoder = new TextEncoder();

  /** Adds bytes, or a string's UTF-8 bytes, to the message. */
  update(input: string | Uint8Array): this {
    const data = typeof input === 'string' ? this.encoder.encode(input) : input;
    this.length += data.length;
    let i = 0;
    if (this.filled > 0) {
      const take = Math.min(64 - this.filled, data.length);
      this.block.set(data.subarray(0, take), this.filled);
      this.filled += take;
      i = take;
      if (this.filled < 64) return this;
      this.compress(this.block, 0);
      this.filled = 0;
    }
    for (; i + 64 <= data.length; i += 64) this.compress(data, i);
    if (i < data.length) {
      this.block.set(data.subarray(i), 0);
      this.filled = data.length - i;
    }
    return this;
  }

  /** The digest of everything added, as 64 lowercase hex digits (the hash is spent afterwards). */
  hex(): string {
    const bitLength = this.length * 8;
    // Padding: 0x80, zeros, then the 64-bit big-endian bit length; total a multiple of 64 bytes.
    const padLength = ((this.filled + 8) >> 6) * 64 + 64 - this.filled;
    const pad = new Uint8Array(padLength);
    pad[0] = 0x80;
    const hi = Math.floor(bitLength / 0x100000000);
    const lo = bitLength >>> 0;
    pad.set([hi >>> 24, (hi >>> 16) & 0xff, (hi >>> 8) & 0xff, hi & 0xff], padLength - 8);
    pad.set([lo >>> 24, (lo >>> 16) & 0xff, (lo >>> 8) & 0xff, lo & 0xff], padLength - 4);
    const length = this.length;
    this.update(pad);
    this.length = length;
    let out = '';
    for (const x of this.h) out += (x >>> 0).toString(16).padStart(8, '0');
    return out;
  }

  private compress(data: Uint8Array, offset: number): void {
    const w = this.w;
    for (let i = 0; i < 16; i++) {
      const j = offset + i * 4;
      w[i] = (data[j]! << 24) | (data[j + 1]! << 16) | (data[j + 2]! << 8) | data[j + 3]!;
    }
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!;
      const b = w[i - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
    }
    const H = this.h;
    let a = H[0]!;
    let b = H[1]!;
    let c = H[2]!;
    let d = H[3]!;
    let e = H[4]!;
    let f = H[5]!;
    let g = H[6]!;
    let h = H[7]!;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[i]! + w[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    H[0] = (H[0]! + a) | 0;
    H[1] = (H[1]! + b) | 0;
    H[2] = (H[2]! + c) | 0;
    H[3] = (H[3]! + d) | 0;
    H[4] = (H[4]! + e) | 0;
    H[5] = (H[5]! + f) | 0;
    H[6] = (H[6]! + g) | 0;
    H[7] = (H[7]! + h) | 0;
  }
}

/** SHA-256 of bytes or of a string's UTF-8 bytes, as 64 lowercase hex digits. */
export function sha256Hex(input: string | Uint8Array): string {
  return new Sha256().update(input).hex();
}

/** An incremental hash of strings (their UTF-8 bytes), read out as lowercase hex. */
export interface StringHash {
  update(text: string): unknown;
  hex(): string;
}

/**
 * Makes a fresh SHA-256 for `jsonDigest`. Adapters may pass a native one (node:crypto's): the
 * digest is the same, found a few times faster; the pure core defaults to `Sha256`.
 */
export type Sha256Factory = () => StringHash;

/**
 * `sha256:<hex>` of `JSON.stringify(value)`, streamed: arrays and objects down to `depth`
 * levels are written member by member and hashed in chunks of about 16 K characters, so a large
 * trace is never one string (issue 20), and a small one is not hashed in thousands of pieces.
 */
export function jsonDigest(value: unknown, options: JsonDigestOptions = {}): string {
  const hash = (options.sha256 ?? (() => new Sha256()))();
  let pending: string[] = [];
  let size = 0;
  const flush = () => {
    hash.update(pending.join(''));
    pending = [];
    size = 0;
  };
  writeJson(value, options.depth ?? 2, options.knownItems ?? noneKnown, (s) => {
    pending.push(s);
    size += s.length;
    if (size >= CHUNK_CHARS) flush();
  });
  if (size > 0) flush();
  return `sha256:${hash.hex()}`;
}

const CHUNK_CHARS = 16 * 1024;

/** How `jsonDigest` writes and hashes. */
export interface JsonDigestOptions {
  /** Levels of arrays and objects written member by member (default 2: a trace's entries). */
  depth?: number;
  /** The hash (default the pure `Sha256`). */
  sha256?: Sha256Factory;
  /** `JSON.stringify(list[i])` of an array's first items when already known (the trace meter's texts). */
  knownItems?: (list: readonly unknown[]) => readonly string[] | undefined;
}

const noneKnown = () => undefined;

/** Writes exactly `JSON.stringify(value)` in pieces (plain data: no toJSON, no cycles). */
function writeJson(
  value: unknown,
  depth: number,
  known: (list: readonly unknown[]) => readonly string[] | undefined,
  write: (s: string) => void,
): void {
  if (value === null || typeof value !== 'object') {
    write(JSON.stringify(value) ?? 'null');
    return;
  }
  if (depth <= 0) {
    write(JSON.stringify(value));
    return;
  }
  if (Array.isArray(value)) {
    write('[');
    const texts = known(value) ?? [];
    for (let i = 0; i < value.length; i++) {
      if (i > 0) write(',');
      const v = value[i];
      if (i < texts.length) {
        write(texts[i]!);
        continue;
      }
      // JSON.stringify writes null for undefined, functions and symbols in arrays.
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') write('null');
      else writeJson(v, depth - 1, known, write);
    }
    write(']');
    return;
  }
  write('{');
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    write(first ? `${JSON.stringify(k)}:` : `,${JSON.stringify(k)}:`);
    first = false;
    writeJson(v, depth - 1, known, write);
  }
  write('}');
}

/** `sha256:<hex>` of a string, the digest format used in grade results. */
export function digest(text: string): string {
  return `sha256:${sha256Hex(text)}`;
}
