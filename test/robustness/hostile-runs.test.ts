/**
 * The simulator and the grader on hostile shell scripts and submissions (default budgets, a
 * real lab), each case isolated in a child process.
 */
import { afterAll, describe, it } from 'vitest';
import { hostileSubmissions, SHELL_BOMBS } from './corpus.ts';
import { expectBounded } from './expect.ts';
import { Isolated, PER_RUN_MS } from './isolate.ts';

const sim = new Isolated();
const grader = new Isolated();
afterAll(() => {
  sim.close();
  grader.close();
});

describe('simulate: a busybox Pod running a hostile script ends by horizon or budget, bounded and deterministic', () => {
  for (const name of Object.keys(SHELL_BOMBS)) {
    it(
      name,
      async () => {
        expectBounded(await sim.run({ kind: 'simulate', name, horizonMs: 300_000 }, 2 * PER_RUN_MS));
      },
      4 * PER_RUN_MS,
    );
  }
});

/** The shell bombs graded as a lab answer (the others are covered by `simulate` above). */
const GRADED_BOMBS = new Set(['busy-loop', 'fork-bomb', 'yes-to-stdout', 'sleep-forever', 'until-false']);

describe('gradeSubmission (liveness-exec): every hostile submission is graded or rejected, bounded and deterministic', () => {
  for (const [lab, name] of hostileSubmissions()) {
    if (
      name.startsWith('shell-') ||
      (name.startsWith('solution-running-') && !GRADED_BOMBS.has(name.slice(17)))
    )
      continue;
    it(
      name,
      async () => {
        expectBounded(await grader.run({ kind: 'grade', lab, name }, 2 * PER_RUN_MS));
      },
      4 * PER_RUN_MS,
    );
  }
});
