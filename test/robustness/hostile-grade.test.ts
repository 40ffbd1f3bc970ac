/** The grader on hostile submissions against a real lab, each case isolated in a child process. */
import { afterAll, describe, it } from 'vitest';
import { hostileSubmissions } from './corpus.ts';
import { expectBounded } from './expect.ts';
import { HANG_MS, Isolated } from './isolate.ts';

const grader = new Isolated();
afterAll(() => grader.close());

/** Shell bombs graded as the lab's container command (hostile-sim covers the others). */
const GRADED_BOMBS = new Set(['fork-bomb', 'yes-to-stdout', 'until-false']);

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
        expectBounded(await grader.run({ kind: 'grade', lab, name }, HANG_MS));
      },
      2 * HANG_MS,
    );
  }
});
