/**
 * The two job queues behind LMS work: in AWS, SQS (one queue per kind, delays capped at
 * SQS's 15 minutes and re-armed by the worker); locally, the store itself, polled by the
 * server process, so pending deliveries survive a restart.
 */
import { sendQueueMessage } from '../aws-sdk.ts';
import type { JobQueue } from './service.ts';
import type { JobKind, LmsStore } from './store.ts';

/** SQS's longest message delay. */
const SQS_MAX_DELAY_SECONDS = 900;

/** A message on an SQS job queue. */
export interface JobMessage {
  kind: JobKind;
  ref: string;
}

/** Sends jobs to SQS: `urls` maps each kind to its queue. */
export class SqsJobQueue implements JobQueue {
  constructor(private readonly urls: Record<JobKind, string | undefined>) {}

  async enqueue(kind: JobKind, ref: string, delayMs: number): Promise<void> {
    const url = this.urls[kind];
    if (!url) throw new Error(`no ${kind} queue is configured (PODLAB_${kind.toUpperCase()}_QUEUE_URL)`);
    const body: JobMessage = { kind, ref };
    await sendQueueMessage({
      queueUrl: url,
      body: JSON.stringify(body),
      // A longer wait is re-armed by the worker when the message arrives early.
      delaySeconds: Math.min(SQS_MAX_DELAY_SECONDS, Math.max(0, Math.ceil(delayMs / 1000))),
    });
  }
}

/**
 * The local queue: due times live in the store (the queue index); `enqueue` only wakes the
 * poller early. `run` processes every due job; `start` polls every `intervalMs`.
 */
export class StoreJobQueue implements JobQueue {
  private timer: NodeJS.Timeout | undefined;
  private wake: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;
  handler: ((kind: JobKind, ref: string) => Promise<unknown>) | undefined;

  constructor(
    private readonly store: LmsStore,
    private readonly now: () => number = Date.now,
    private readonly onError: (err: unknown) => void = () => {},
  ) {}

  async enqueue(_kind: JobKind, _ref: string, delayMs: number): Promise<void> {
    if (this.stopped || !this.timer) return;
    if (delayMs <= 0) {
      this.wake ??= setTimeout(() => {
        this.wake = undefined;
        void this.run();
      }, 0);
    }
  }

  /** Processes every job due now (one pass at a time); returns how many ran. */
  run(): Promise<number> {
    this.running ??= (async () => {
      let done = 0;
      try {
        for (let round = 0; round < 20; round++) {
          const due = await this.store.dueJobs(this.now());
          if (due.length === 0) break;
          for (const job of due) {
            try {
              await this.handler?.(job.kind, job.ref);
            } catch (err) {
              this.onError(err);
            }
            done++;
          }
        }
      } finally {
        this.running = undefined;
      }
      return done;
    })();
    return this.running;
  }

  /** Polls every `intervalMs` until `stop`. */
  start(intervalMs = 1000): void {
    this.stopped = false;
    this.timer ??= setInterval(() => void this.run(), intervalMs);
    this.timer.unref();
  }

  /** Stops polling and waits for the pass under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.wake) clearTimeout(this.wake);
    this.timer = undefined;
    this.wake = undefined;
    await this.running;
  }
}
