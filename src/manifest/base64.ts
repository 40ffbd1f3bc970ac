/**
 * Base64 as Go's encoding/base64 StdEncoding does it, for the `[]byte` fields of the API
 * (Secret.data, ConfigMap.binaryData): JSON carries them as padded base64 text.
 */

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * The byte offset Go's base64.StdEncoding.Decode reports as `illegal base64 data at input byte
 * N` for `text` (its UTF-8 bytes), or -1 when it decodes: padded, `\r`/`\n` skipped anywhere,
 * nothing after the padding (encoding/base64 decodeQuantum).
 */
export function base64ErrorOffset(text: string): number {
  const src = new TextEncoder().encode(text);
  const isNewline = (b: number | undefined): boolean => b === 0x0a || b === 0x0d;
  let si = 0;
  while (si < src.length) {
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return -1;
        return si - j;
      }
      const c = src[si]!;
      si++;
      if (c < 0x80 && BASE64_ALPHABET.includes(String.fromCharCode(c))) continue;
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d || j < 2) return si - 1;
      if (j === 2) {
        // "==" is expected: the first "=" is consumed, newlines may sit between them.
        while (si < src.length && isNewline(src[si])) si++;
        if (si === src.length) return src.length;
        if (src[si] !== 0x3d) return si - 1;
        si++;
      }
      while (si < src.length && isNewline(src[si])) si++;
      return si < src.length ? si : -1;
    }
  }
  return -1;
}

/** The bytes of valid base64 `text` (call `base64ErrorOffset` first; `\r`/`\n` are skipped). */
export function base64Decode(text: string): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of text) {
    const v = BASE64_ALPHABET.indexOf(ch);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Padded StdEncoding base64 of `bytes` (Go's json encoding of a `[]byte`). */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64_ALPHABET[(n >> 18) & 63]! + BASE64_ALPHABET[(n >> 12) & 63]!;
    out += i + 1 < bytes.length ? BASE64_ALPHABET[(n >> 6) & 63]! : '=';
    out += i + 2 < bytes.length ? BASE64_ALPHABET[n & 63]! : '=';
  }
  return out;
}

/** UTF-8 bytes of a string (Go's []byte(s)). */
export function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** A string from UTF-8 bytes (invalid sequences become U+FFFD, as Go's string() prints them). */
export function utf8Text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
