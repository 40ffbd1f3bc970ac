/**
 * Grading off the main thread for `podlab serve` (issue 20): a small pool of worker threads,
 * each running the grader function's handler (functions/grader/lambda.ts) on the same JSON
 * protocol the API function uses on AWS. The pool is a `GraderTransport`, so `remoteGrader`
 * over it is the server's Grader: health checks, reads and other students are answered while a
 * long grade runs. Each worker has a heap limit; a worker that dies or overruns is replaced and
 * its request fails as podlab's own error (HTTP 500), never as the student's.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { GRADE_WALL_TIME_MS } from '../../graders/index.ts';
import { internalError } from '../../src/errors/internal.ts';
import type { GraderTransport } from '../grader/remote.ts';
import { AppError } from '../service/errors.ts';

/** Options of a grader pool. */
export interface GraderPoolOptions {
  /** Worker threads (default: one per core but one, at least one, at most four). */
  size?: number;
  /** Requests waiting for a worker before new ones are refused with 503 (default 64 per worker). */
  maxQueue?: number;
  /** Heap limit of each worker in MB (default 512). */
  maxHeapMb?: number;
  /** Wall time after which a request's worker is terminated (default three grade time limits). */
  hardTimeoutMs?: number;
}

/** A running pool: its transport and how to stop it. */
export interface GraderPool {
  transport: GraderTransport;
  /** Workers running now and requests waiting (for tests and logs). */
  stats(): { workers: number; busy: number; queued: number };
  close(): Promise<void>;
}

interface Job {
  payload: string;
  resolve(answer: string): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
}

const WORKER_URL = new URL('./grader-worker.ts', import.meta.url);
const LOADER = fileURLToPath(new URL('../../bin/typescript.mjs', import.meta.url));

/** Starts `size` grading workers. */
export function startGraderPool(options: GraderPoolOptions = {}): GraderPool {
  const size = options.size ?? Math.min(4, Math.max(1, availableParallelism() - 1));
  const maxQueue = options.maxQueue ?? 64 * size;
  const maxHeapMb = options.maxHeapMb ?? 512;
  const hardTimeoutMs = options.hardTimeoutMs ?? 3 * GRADE_WALL_TIME_MS;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let closed = false;

  const spawn = (): Slot => {
    const worker = new Worker(WORKER_URL, {
      execArgv: ['--import', LOADER],
      resourceLimits: { maxOldGenerationSizeMb: maxHeapMb },
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, job: undefined, timer: undefined };
    worker.on('message', (answer: string) => finish(slot, (job) => job.resolve(answer)));
    worker.on('error', (err) => fail(slot, err));
    worker.on('exit', (code) => fail(slot, new Error(`grading worker exited with code ${code}`)));
    worker.unref();
    return slot;
  };

  const finish = (slot: Slot, settle: (job: Job) => void) => {
    const job = slot.job;
    slot.job = undefined;
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = undefined;
    if (job) settle(job);
    next(slot);
  };

  // A dead worker's request is podlab's failure (a 500 with a request id), and a fresh worker
  // takes its place.
  const fail = (slot: Slot, err: unknown) => {
    const i = slots.indexOf(slot);
    if (i < 0) return;
    const job = slot.job;
    slot.job = undefined;
    if (slot.timer) clearTimeout(slot.timer);
    void slot.worker.terminate();
    if (closed) {
      slots.splice(i, 1);
      job?.reject(new Error('the grader pool is closed'));
      return;
    }
    slots[i] = spawn();
    job?.reject(internalError('grader', err));
    next(slots[i]!);
  };

  const next = (slot: Slot) => {
    if (slot.job || closed) return;
    const job = queue.shift();
    if (!job) return;
    slot.job = job;
    slot.timer = setTimeout(
      () => fail(slot, new Error(`grading took more than ${hardTimeoutMs} ms; the worker was stopped`)),
      hardTimeoutMs,
    );
    slot.worker.postMessage(job.payload);
  };

  for (let i = 0; i < size; i++) slots.push(spawn());

  const transport: GraderTransport = (payload) =>
    new Promise<string>((resolve, reject) => {
      if (closed) return reject(new Error('the grader pool is closed'));
      if (queue.length >= maxQueue) {
        return reject(new AppError('unavailable', 'the grader is busy; retry shortly'));
      }
      queue.push({ payload, resolve, reject });
      const idle = slots.find((s) => !s.job);
      if (idle) next(idle);
    });

  return {
    transport,
    stats: () => ({
      workers: slots.length,
      busy: slots.filter((s) => s.job).length,
      queued: queue.length,
    }),
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('the grader pool is closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
