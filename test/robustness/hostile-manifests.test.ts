/** loadManifests and parseScenario on the hostile corpus, each case isolated in a child process. */
import { afterAll, describe, it } from 'vitest';
import { MANIFESTS, SCENARIOS } from './corpus.ts';
import { expectBounded } from './expect.ts';
import { HANG_MS, Isolated } from './isolate.ts';

const iso = new Isolated();
afterAll(() => iso.close());

describe('loadManifests: every hostile file gets objects or kubectl errors, bounded and deterministic', () => {
  for (const name of Object.keys(MANIFESTS)) {
    for (const maxBytes of [undefined, 262_144]) {
      it(
        `${name} (maxBytes ${maxBytes ?? 'default'})`,
        async () => {
          expectBounded(
            await iso.run({ kind: 'manifest', name, ...(maxBytes ? { maxBytes } : {}) }, HANG_MS),
          );
        },
        2 * HANG_MS,
      );
    }
  }
});

describe('parseScenario: every hostile scenario file gets a scenario or errors, bounded and deterministic', () => {
  for (const name of Object.keys(SCENARIOS)) {
    it(
      name,
      async () => {
        expectBounded(await iso.run({ kind: 'scenario', name }, HANG_MS));
      },
      2 * HANG_MS,
    );
  }
});
