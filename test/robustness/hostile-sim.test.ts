/** The simulator on hostile shell scripts (default budgets), each case isolated in a child process. */
import { afterAll, describe, it } from 'vitest';
import { SHELL_BOMBS } from './corpus.ts';
import { expectBounded } from './expect.ts';
import { HANG_MS, Isolated } from './isolate.ts';

const sim = new Isolated();
afterAll(() => sim.close());

describe('simulate: a busybox Pod running a hostile script ends by horizon or budget, bounded and deterministic', () => {
  for (const name of Object.keys(SHELL_BOMBS)) {
    it(
      name,
      async () => {
        // 200 s: the longest course lab.
        expectBounded(await sim.run({ kind: 'simulate', name, horizonMs: 200_000 }, HANG_MS));
      },
      2 * HANG_MS,
    );
  }
});
