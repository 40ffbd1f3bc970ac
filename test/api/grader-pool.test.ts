/**
 * The grading pool of `podlab serve` (issue 20 §1): worker threads behind the grader protocol.
 * It answers byte for byte what in-process grading does, turns a dead or overrunning worker into
 * podlab's own failure and replaces it, and refuses work beyond its queue with 503.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { remoteGrader } from '../../functions/grader/remote.ts';
import { startGraderPool } from '../../functions/local/grader-pool.ts';
import { AppError } from '../../functions/service/errors.ts';
import { realGrader } from '../../functions/service/grader.ts';
import { InternalError } from '../../graders/index.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const lab = (name: string, file: string) => readFileSync(join(ROOT, 'scenarios', name, file), 'utf8');

const pool = startGraderPool({ size: 1 });
const pooled = remoteGrader(pool.transport);
afterAll(() => pool.close());

describe('grader pool', () => {
  it('grades a lab as in-process grading does, byte for byte', async () => {
    const parsed = await pooled.parse(lab('liveness-exec', 'scenario.yaml'), 'scenario.yaml');
    if (!parsed.ok) throw new Error('the lab does not parse');
    const submission = lab('liveness-exec', 'solution.yaml');
    const here = await realGrader.grade(parsed.scenario, parsed.version, submission);
    const there = await pooled.grade(parsed.scenario, parsed.version, submission);
    expect(JSON.stringify(there)).toBe(JSON.stringify(here));
  });

  it('a worker that dies fails its request as an internal error and is replaced', async () => {
    // An unknown operation makes the handler throw outside its internal-error guard: the worker ends.
    await expect(pool.transport(JSON.stringify({ op: 'explode' }))).rejects.toBeInstanceOf(InternalError);
    expect(pool.stats().workers).toBe(1);
    const parsed = await pooled.parse(lab('pod-phases', 'scenario.yaml'), 'scenario.yaml');
    expect(parsed.ok).toBe(true);
  });

  it('a grade past the hard time limit stops its worker; the next request is served', async () => {
    const strict = startGraderPool({ size: 1, hardTimeoutMs: 1 });
    try {
      const grader = remoteGrader(strict.transport);
      const request = grader.parse(lab('restart-backoff', 'scenario.yaml'), 'scenario.yaml');
      await expect(request).rejects.toThrow(/more than 1 ms/);
      expect(strict.stats()).toMatchObject({ workers: 1, busy: 0 });
    } finally {
      await strict.close();
    }
  });

  it('refuses requests beyond its queue with 503 unavailable', async () => {
    const small = startGraderPool({ size: 1, maxQueue: 1 });
    try {
      const text = lab('pod-phases', 'scenario.yaml');
      const first = small.transport(JSON.stringify({ op: 'parse', text, file: 'a' }));
      const second = small.transport(JSON.stringify({ op: 'parse', text, file: 'b' }));
      const third = small.transport(JSON.stringify({ op: 'parse', text, file: 'c' }));
      await expect(third).rejects.toSatisfy((e) => e instanceof AppError && e.code === 'unavailable');
      await Promise.all([first, second]);
    } finally {
      await small.close();
    }
  });
});
