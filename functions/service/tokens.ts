/**
 * Bearer tokens: `plb_` + 32 random bytes (base64url). Only the SHA-256 of a token is stored,
 * with its role, user, course and, for tokens that expire (LTI sessions), their end.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Repository, Role, TokenRecord } from '../storage/types.ts';
import { AppError } from './errors.ts';

/** Who is calling: from a verified token. */
export interface Principal {
  role: Role;
  user: string;
  course: string;
}

/** User and course ids: short, printable, no separators that need escaping in URLs or CSV. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;
const TOKEN_PATTERN = /^plb_[A-Za-z0-9_-]{16,128}$/;

/** The label of the tokens an LTI launch creates. */
export const LTI_SESSION_LABEL = 'lti-session';

/** How long the token of an LTI launch lasts: a working day of lab, then the student launches again. */
export const LTI_SESSION_MS = 8 * 3600_000;

/** The stored form of a token. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates and stores a new token; returns its plaintext (shown once, never stored). */
export async function createToken(
  repo: Repository,
  args: { role: Role; user: string; course: string; label?: string; now: Date; expiresAt?: Date },
): Promise<{ token: string; record: TokenRecord }> {
  if (!ID_PATTERN.test(args.user)) throw new AppError('bad_request', `invalid user id "${args.user}"`);
  if (!ID_PATTERN.test(args.course)) throw new AppError('bad_request', `invalid course id "${args.course}"`);
  const token = `plb_${randomBytes(32).toString('base64url')}`;
  const record: TokenRecord = {
    tokenHash: hashToken(token),
    role: args.role,
    user: args.user,
    course: args.course,
    createdAt: args.now.toISOString(),
  };
  if (args.label) record.label = args.label;
  if (args.expiresAt) {
    if (!(args.expiresAt.getTime() > args.now.getTime()))
      throw new AppError('bad_request', 'a token must expire after it is created');
    record.expiresAt = args.expiresAt.toISOString();
  }
  await repo.putToken(record);
  return { token, record };
}

/** A verified token: who it speaks for, and until when (epoch ms) if it expires. */
interface Verified {
  principal: Principal;
  expiresAtMs?: number;
}

/**
 * An authenticate function that remembers verified tokens for `ttlMs`, never past their expiry
 * (tokens are immutable once created; unknown tokens are never cached). Saves one read per
 * request.
 */
export function cachedAuthenticator(
  repo: Repository,
  options: { ttlMs?: number; max?: number; now?: () => number } = {},
): (header: string | undefined) => Promise<Principal> {
  const ttl = options.ttlMs ?? 60_000;
  const max = options.max ?? 10_000;
  const now = options.now ?? (() => Date.now());
  const cache = new Map<string, { p: Promise<Verified>; until: number }>();
  return async (header) => {
    const hit = header ? cache.get(header) : undefined;
    if (hit && hit.until > now()) {
      const v = await hit.p;
      if (v.expiresAtMs === undefined || v.expiresAtMs > now()) return v.principal;
      if (header) cache.delete(header);
    }
    // Single flight: concurrent requests with one token share one read.
    const p = verify(repo, header, now());
    if (header) {
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(header, { p, until: now() + ttl });
      p.catch(() => cache.delete(header));
    }
    return (await p).principal;
  };
}

/** Verifies an `Authorization` header value at `now` (epoch ms); throws 401 AppErrors. */
export async function authenticate(
  repo: Repository,
  header: string | undefined,
  now: number = Date.now(),
): Promise<Principal> {
  return (await verify(repo, header, now)).principal;
}

async function verify(repo: Repository, header: string | undefined, now: number): Promise<Verified> {
  if (!header) throw new AppError('unauthorized', 'missing bearer token (Authorization: Bearer plb_…)');
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (!m) throw new AppError('unauthorized', 'malformed Authorization header: expected "Bearer <token>"');
  const token = m[1]!;
  if (!TOKEN_PATTERN.test(token)) throw new AppError('unauthorized', 'invalid token');
  const rec = await repo.getToken(hashToken(token));
  if (!rec) throw new AppError('unauthorized', 'invalid token');
  const principal: Principal = { role: rec.role, user: rec.user, course: rec.course };
  if (rec.expiresAt === undefined) return { principal };
  const expiresAtMs = Date.parse(rec.expiresAt);
  if (!(expiresAtMs > now))
    throw new AppError(
      'unauthorized',
      rec.label === LTI_SESSION_LABEL
        ? 'your session has expired: open the lab again from your course'
        : `token expired at ${rec.expiresAt}`,
    );
  return { principal, expiresAtMs };
}
