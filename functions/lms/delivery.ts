/**
 * One outbound webhook delivery attempt, and the retry schedule around it (lms.md): 2xx is
 * success, 410 disables the endpoint, 429 honours Retry-After, anything else retries with
 * exponential back-off and jitter for about a day, then dead-letters.
 */

import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isBlockedAddress } from './ssrf.ts';

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

/** A DNS lookup that refuses blocked addresses, so a host cannot re-resolve past the guard between check and connect. */
function guardedLookup(allowPrivate: boolean) {
  return (
    hostname: string,
    options: object,
    callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ): void => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '');
      const list = addresses as LookupAddress[];
      const blocked = allowPrivate ? undefined : list.find((a) => isBlockedAddress(a.address));
      if (blocked) {
        const e: NodeJS.ErrnoException = new Error(
          `refused: ${hostname} resolves to ${blocked.address}, a private address`,
        );
        e.code = 'EPODLABSSRF';
        return callback(e, '');
      }
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`${hostname} does not resolve`), '');
      callback(null, first.address, first.family);
    });
  };
}

/** POSTs one signed message; never throws. */
export function attemptDelivery(
  url: string,
  headers: Record<string, string>,
  body: string,
  options: { allowPrivate: boolean; timeoutMs?: number; now?: () => number },
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
  if (
    !options.allowPrivate &&
    /^[\d.]+$|^\[/.test(target.hostname) &&
    isBlockedAddress(target.hostname.replace(/^\[|\]$/g, ''))
  ) {
    return Promise.resolve(
      done({ verdict: 'retry', error: `refused: ${target.hostname} is a private address` }),
    );
  }
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
        lookup: guardedLookup(options.allowPrivate) as never,
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(done({ status, verdict: 'delivered' }));
          else if (status === 410) resolve(done({ status, verdict: 'disable' }));
          else {
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
