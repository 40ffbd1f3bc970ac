/**
 * Request reading helpers of the API: media types, byte limits before parsing, strict UTF-8,
 * paging parameters, CSV.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as z from '../../graders/zod.ts';
import { AppError } from '../service/errors.ts';
import { MAX_LIMIT_PARAM } from '../storage/paging.ts';

/** Media types accepted for YAML bodies. */
export const YAML_TYPES = new Set([
  'text/yaml',
  'application/yaml',
  'application/x-yaml',
  'text/x-yaml',
  'text/plain',
]);

/** The media type of a request (lowercase, without parameters), or '' when absent. */
export function mediaType(c: Context): string {
  return (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function charsetOk(c: Context): boolean {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(c.req.header('content-type') ?? '');
  return !m || /^utf-?8$/i.test(m[1]!);
}

/**
 * Rejects a wrong content type (415) and a body over the limit (413) before anything reads
 * it; the limit counts streamed bytes too, so a chunked body without Content-Length is cut
 * off at the limit. `limits` maps a media type to its byte limit.
 */
export function guardBody(limits: Record<string, number>, what: string): MiddlewareHandler {
  return async (c, next) => {
    // Checked in the same tick as bodyLimit's first look at the body: a request whose client
    // already left (Node destroyed it) is answered 400, not an internal error of the body stream.
    if (nodeRequest(c)?.destroyed === true) throw cutOff();
    const type = mediaType(c);
    const max = limits[type];
    if (max === undefined || !charsetOk(c)) {
      throw new AppError(
        'unsupported_media_type',
        `${what} must be sent as ${Object.keys(limits).join(', ')} (UTF-8); got "${c.req.header('content-type') ?? 'no Content-Type'}"`,
      );
    }
    return bodyLimit({
      maxSize: max,
      onError: () => {
        throw new AppError('payload_too_large', `request body over the limit of ${max} bytes for ${type}`, {
          limit: max,
        });
      },
    })(c, next);
  };
}

/** Node's request under the app (`podlab serve`: @hono/node-server's `c.env.incoming`), if any. */
function nodeRequest(c: Context): { complete?: unknown; destroyed?: unknown } | undefined {
  return (c.env as { incoming?: { complete?: unknown; destroyed?: unknown } } | undefined)?.incoming;
}

function cutOff(): AppError {
  return new AppError(
    'bad_request',
    'the request body was cut off: the connection closed before it was complete',
  );
}

/**
 * The request body's bytes; 400 when the connection closed before the app had the whole body.
 * On Node (`podlab serve`) the parser's verdict decides: the message must be complete, and its
 * Content-Length (if any) must be the number of bytes read; a read that fails because the
 * client went away is the client's error, not an internal one.
 */
export async function readBody(c: Context): Promise<ArrayBuffer> {
  const incoming = nodeRequest(c);
  let bytes: ArrayBuffer;
  try {
    bytes = await c.req.arrayBuffer();
  } catch (err) {
    if (incoming && (incoming.complete === false || incoming.destroyed === true)) throw cutOff();
    throw err;
  }
  if (incoming) {
    const declared = c.req.header('content-length');
    const chunked = c.req.header('transfer-encoding') !== undefined;
    if (incoming.complete === false) throw cutOff();
    if (declared !== undefined && !chunked && Number(declared) !== bytes.byteLength) throw cutOff();
  }
  return bytes;
}

/** Decodes bytes as strict UTF-8 (400 on invalid sequences). */
export function decodeUtf8(bytes: ArrayBuffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new AppError('invalid_encoding', 'the request body is not valid UTF-8');
  }
}

/** Paging query parameters. */
export const PageQuery = z.object({
  limit: z.optional(z.coerce.number().check(z.int(), z.gte(1), z.lte(MAX_LIMIT_PARAM))),
  cursor: z.optional(z.string().check(z.maxLength(4096))),
});

/** Reads `limit` and `cursor` from the query string (400 on invalid values). */
export function pageParams(c: Context): { limit?: number; cursor?: string } {
  const r = PageQuery.safeParse({ limit: c.req.query('limit'), cursor: c.req.query('cursor') });
  if (!r.success) {
    throw new AppError(
      'bad_request',
      'invalid paging parameters',
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const out: { limit?: number; cursor?: string } = {};
  if (r.data.limit !== undefined) out.limit = r.data.limit;
  if (r.data.cursor) out.cursor = r.data.cursor;
  return out;
}

/** One CSV field (RFC 4180), with spreadsheet formula prefixes neutralised. */
export function csvField(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV document from a header and rows. */
export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
