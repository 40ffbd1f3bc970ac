/**
 * Encodings shared by the storage adapter: gzip for large text, safe key parts, and opaque
 * paging cursors bound to the query that produced them.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { KEY_ATTRIBUTES } from './schema.ts';
import { BadCursorError } from './types.ts';

/** Gzips UTF-8 text or JSON into bytes (stored as a DynamoDB Binary attribute). */
export function gzipText(text: string): Uint8Array {
  return new Uint8Array(gzipSync(Buffer.from(text, 'utf8'), { level: 6 }));
}

/** Inverse of gzipText. */
export function gunzipText(bytes: Uint8Array): string {
  return gunzipSync(bytes).toString('utf8');
}

/** Hex SHA-256 of bytes or UTF-8 text. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** One key component: `#` (the separator) and `%` escaped, so `a#b` never collides with `a`,`b`. */
export function keyPart(s: string): string {
  return s.replace(/%/g, '%25').replace(/#/g, '%23');
}

/** Joins key components with `#`. */
export function key(...parts: string[]): string {
  return parts.map(keyPart).join('#');
}

const KEY_NAMES: ReadonlySet<string> = new Set(KEY_ATTRIBUTES);

/** Encodes a LastEvaluatedKey as an opaque cursor tied to `scope` (the query's partition). */
export function encodeCursor(
  scope: string,
  lastKey: Record<string, unknown> | undefined,
): string | undefined {
  if (!lastKey) return undefined;
  const body = JSON.stringify({ s: sha256Hex(scope).slice(0, 16), k: lastKey });
  return Buffer.from(body, 'utf8').toString('base64url');
}

/** Decodes a cursor for `scope`; throws BadCursorError for anything this query did not produce. */
export function decodeCursor(scope: string, cursor: string | undefined): Record<string, string> | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  if (cursor.length > 2048 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw new BadCursorError('invalid cursor');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadCursorError('invalid cursor');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new BadCursorError('invalid cursor');
  const { s, k } = parsed as { s?: unknown; k?: unknown };
  if (s !== sha256Hex(scope).slice(0, 16)) throw new BadCursorError('cursor belongs to another query');
  if (typeof k !== 'object' || k === null || Array.isArray(k)) throw new BadCursorError('invalid cursor');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(k)) {
    if (!KEY_NAMES.has(name) || typeof value !== 'string') throw new BadCursorError('invalid cursor');
    out[name] = value;
  }
  if (!out.pk || !out.sk) throw new BadCursorError('invalid cursor');
  return out;
}
