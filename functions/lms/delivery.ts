/**
 * One outbound webhook delivery attempt, and the retry schedule around it (lms.md): 2xx is
 * success, 410 disables the endpoint, 429 honours Retry-After, anything else retries with
 * exponential back-off and jitter for about a day, then dead-letters. 3xx is a failure too:
 * redirects are not followed (a hop could lead past the SSRF guard; the instructor fixes the URL).
 */

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { type DeliveryGuard, describeRefusal, guarded, hostOf, isBlockedAddress, REFUSAL } from './ssrf.ts';

/** Per-attempt timeout (lms.md: 15 s). */
export const DELIVERY_TIMEOUT_MS = 15_000;

/**
 * Delays before attempts 2, 3, … (Standard Webhooks' suggested schedule: 5 s, 5 min, 30 min,
 * 2 h, 5 h, 10 h, 10 h — about 27 h in all). After the last, the message is dead-lettered.
 */
export const RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

/** What one attempt came to. */
export interface AttemptOutcome {
  /** HTTP status, absent when no response arrived. */
  status?: number;
  latencyMs: number;
  /** Network error or refusal, in words. */
  error?: string;
  /** delivered: 2xx; disable: 410; retry: try again later; */
  verdict: 'delivered' | 'disable' | 'retry';
  /** From a 429's Retry-After, in seconds. */
  retryAfterSeconds?: number;
}

/**
 * The delay before the next attempt after `attempt` (1-based) failed, or undefined when the
 * message must be dead-lettered. Jitter of ±10 % comes from `random` (injected, in [0, 1)).
 * A 429's Retry-After wins when it is longer.
 */
export function nextDelayMs(attempt: number, random: number, retryAfterSeconds?: number): number | undefined {
  const base = RETRY_DELAYS_MS[attempt - 1];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (0.9 + 0.2 * random));
  return retryAfterSeconds !== undefined ? Math.max(jittered, retryAfterSeconds * 1000) : jittered;
}

function parseRetryAfter(value: string | string[] | undefined, nowMs: number): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

/** Resolves a host name to every address it has (injected in tests; `dns.lookup` by default). */
export type Resolve = (host: string) => Promise<string[]>;

const systemResolve: Resolve = (host) =>
  new Promise((resolve, reject) =>
    dnsLookup(host, { all: true, verbatim: true }, (err, addresses) =>
      err ? reject(err) : resolve((addresses as LookupAddress[]).map((a) => a.address)),
    ),
  );

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * The DNS lookup of the delivery's socket: when the guard is on, every address the host
 * resolves to must be public, checked here at connect time so a host cannot re-resolve past
 * the check made at registration (DNS rebinding).
 */
function guardedLookup(checked: boolean, resolve: Resolve) {
  return (hostname: string, options: { all?: boolean }, callback: LookupCallback): void => {
    resolve(hostname).then(
      (found) => {
        const blocked = checked ? found.find(isBlockedAddress) : undefined;
        if (blocked) {
          const e: NodeJS.ErrnoException = new Error(
            `refused: ${hostname} resolves to ${describeRefusal(blocked)}, which ${REFUSAL}`,
          );
          e.code = 'EPODLABSSRF';
          return callback(e, '');
        }
        const list = found.map((address) => ({ address, family: isIP(address) }));
        if (options.all) return callback(null, list);
        const first = list[0];
        if (!first) return callback(new Error(`${hostname} does not resolve`), '');
        callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}

/** Why a URL cannot be delivered to before any connection is made, or undefined. */
function refusedBeforeConnect(target: URL, guard: DeliveryGuard): string | undefined {
  if (target.protocol !== 'https:' && target.protocol !== 'http:')
    return `refused: ${target.protocol} is not http or https`;
  const host = hostOf(target);
  // Node connects to an IP literal without a lookup, so literals are judged here.
  if (guarded(target, guard) && isIP(host) !== 0 && isBlockedAddress(host))
    return `refused: ${describeRefusal(host)} ${REFUSAL}`;
  return undefined;
}

/**
 * POSTs one signed message; never throws. Redirects are never followed (a 3xx is a failed
 * attempt naming its Location), so the guard judges the only host contacted.
 */
export function attemptDelivery(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: DeliveryGuard & { timeoutMs?: number; now?: () => number; resolve?: Resolve },
): Promise<AttemptOutcome> {
  const now = options.now ?? Date.now;
  const started = now();
  const done = (o: Omit<AttemptOutcome, 'latencyMs'>): AttemptOutcome => ({
    ...o,
    latencyMs: now() - started,
  });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve(done({ verdict: 'retry', error: 'not a valid URL' }));
  }
  const refused = refusedBeforeConnect(target, options);
  if (refused) return Promise.resolve(done({ verdict: 'retry', error: refused }));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'podlab-webhooks/1',
        },
        timeout: options.timeoutMs ?? DELIVERY_TIMEOUT_MS,
        lookup: guardedLookup(guarded(target, options), options.resolve ?? systemResolve) as never,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(done({ status, verdict: 'delivered' }));
          else if (status === 410) resolve(done({ status, verdict: 'disable' }));
          else if (status >= 300 && status < 400) {
            const location = String(res.headers.location ?? '').slice(0, 200);
            resolve(
              done({
                status,
                verdict: 'retry',
                error: `redirect${location ? ` to ${location}` : ''} not followed: webhook deliveries never follow redirects`,
              }),
            );
          } else {
            const retryAfterSeconds =
              status === 429 ? parseRetryAfter(res.headers['retry-after'], now()) : undefined;
            resolve(
              done({
                status,
                verdict: 'retry',
                ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
              }),
            );
          }
        });
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer within ${(options.timeoutMs ?? DELIVERY_TIMEOUT_MS) / 1000}s`)),
    );
    req.on('error', (err) => resolve(done({ verdict: 'retry', error: err.message })));
    req.end(body);
  });
}
