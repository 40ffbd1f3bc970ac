/**
 * Standard Webhooks 1.0 (lms.md): `whsec_` secrets, `v1,<base64 HMAC-SHA256>` signatures over
 * `id.timestamp.body`, constant-time verification with a 5-minute timestamp tolerance.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const PREFIX = 'whsec_';
/** Timestamps further than this from now are rejected (lms.md: 5 minutes). */
export const TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

/** A new endpoint secret: `whsec_` + base64 of 32 random bytes (the spec allows 24 to 64). */
export function newWebhookSecret(): string {
  return PREFIX + randomBytes(32).toString('base64');
}

function secretKey(secret: string): Buffer {
  const body = secret.startsWith(PREFIX) ? secret.slice(PREFIX.length) : secret;
  const key = Buffer.from(body, 'base64');
  if (key.length < 24 || key.length > 64) throw new Error('a webhook secret holds 24 to 64 bytes');
  return key;
}

/** The `v1,<base64>` signature of one message under one secret. */
export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The three Standard Webhooks headers; several secrets (during a rotation) give space-separated signatures. */
export function signedHeaders(
  secrets: string[],
  id: string,
  timestamp: number,
  body: string,
): Record<string, string> {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((s) => signature(s, id, timestamp, body)).join(' '),
  };
}

/** Why a signed request was refused. */
export type VerifyFailure = 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'bad-signature';

/**
 * Verifies a signed request against any of `secrets` (constant-time compare of each candidate
 * signature); `nowSeconds` is injected so tests control time.
 */
export function verifyWebhook(
  secrets: string[],
  headers: { id?: string | null; timestamp?: string | null; signature?: string | null },
  body: string,
  nowSeconds: number,
): { ok: true; id: string; timestamp: number } | { ok: false; reason: VerifyFailure } {
  const { id, timestamp, signature: header } = headers;
  if (!id || !timestamp || !header) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  const ts = Number(timestamp);
  if (Math.abs(nowSeconds - ts) > TIMESTAMP_TOLERANCE_SECONDS)
    return { ok: false, reason: 'stale-timestamp' };
  const candidates = header
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  let matched = false;
  for (const secret of secrets) {
    const expected = Buffer.from(signature(secret, id, ts, body).slice(3), 'base64');
    for (const candidate of candidates) {
      // Every pair is compared, matched or not, so the time taken does not reveal which one matched.
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) matched = true;
    }
  }
  return matched ? { ok: true, id, timestamp: ts } : { ok: false, reason: 'bad-signature' };
}
