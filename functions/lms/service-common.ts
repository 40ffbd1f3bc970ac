/**
 * What the LMS use cases share: their dependencies, the job queue and grade source they are
 * given, the refusal they throw, and small helpers.
 */
import { createHash } from 'node:crypto';
import type { Fetch } from './lti.ts';
import type { DeliveryGuard } from './ssrf.ts';
import type { JobKind, LmsStore } from './store.ts';

/** Where jobs wait: SQS in AWS, the store-backed poller locally. */
export interface JobQueue {
  enqueue(kind: JobKind, ref: string, delayMs: number): Promise<void>;
}

/** What passback needs to know of grades, from the submissions store. */
export interface GradeSource {
  /** Every result of a student for a scenario (current results, after regrades). */
  results(
    course: string,
    scenario: string,
    student: string,
  ): Promise<
    {
      submissionId: string;
      score: number;
      maxScore: number;
      createdAt: string;
      status: 'graded' | 'rejected';
    }[]
  >;
  /** The scenario's title and score policy (best by default). */
  scenario(
    course: string,
    scenario: string,
  ): Promise<{ title: string; scorePolicy: 'best' | 'latest' } | undefined>;
}

/** A refusal the HTTP layer turns into 4xx with these words. */
export class LmsError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LmsDeps {
  store: LmsStore;
  queue: JobQueue;
  grades: GradeSource;
  /** Epoch ms; injected. */
  now: () => number;
  /** In [0, 1); for retry jitter. */
  random: () => number;
  /** Allow deliveries to private and loopback addresses (local servers and tests only). */
  allowPrivate: boolean;
  /** Origins delivered to even though the guard is on (a test receiver on loopback). */
  allowedOrigins?: readonly string[];
  fetch?: Fetch;
}

/** An ISO 8601 instant of epoch ms. */
export const iso = (ms: number) => new Date(ms).toISOString();

/** The hex SHA-256 of `s`. */
export const digest = (s: string) => createHash('sha256').update(s).digest('hex');

/** The SSRF guard of registrations and deliveries. */
export function deliveryGuard(deps: LmsDeps): DeliveryGuard {
  return {
    allowPrivate: deps.allowPrivate,
    ...(deps.allowedOrigins ? { allowedOrigins: deps.allowedOrigins } : {}),
  };
}
