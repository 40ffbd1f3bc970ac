/** The property every hostile case must have: an answer, in bounded time, the same twice. */
import { expect } from 'vitest';
import { type CaseOutcome, describeOutcome, PER_RUN_MS } from './isolate.ts';

/** Asserts: no throw, no crash, no hang; each run under the CPU safety net; both runs byte-identical; no internal error text. */
export function expectBounded(o: CaseOutcome): void {
  const what = describeOutcome(o);
  expect(o.kind, what).toBe('result');
  if (o.kind !== 'result') return;
  for (const r of o.runs) {
    expect(r.cpuMs, `over the ${PER_RUN_MS} ms CPU safety net: ${what}`).toBeLessThan(PER_RUN_MS);
    expect(r.summary, what).not.toMatch(/internal error/i);
  }
  expect(o.runs.length, what).toBe(2);
  expect(o.runs[1]!.sha, `two runs of the same input differ: ${what}`).toBe(o.runs[0]!.sha);
}
