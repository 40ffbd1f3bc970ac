/**
 * Golden transcripts (test/golden): each case's output must match `<case>.txt` byte for byte
 * (`UPDATE_GOLDEN=1` rewrites), and each case asserts the outcome the course or the upstream
 * e2e test states (kubernetes-semantics.md, "Upstream e2e cases").
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, goldenCases, runGolden } from './golden-harness.ts';
import { OUTCOMES } from './golden-outcomes.ts';
import { APPS_OUTCOMES } from './golden-outcomes-apps.ts';

describe('golden transcripts', () => {
  for (const name of goldenCases()) {
    it(name, () => {
      const g = runGolden(name);
      const file = join(GOLDEN_DIR, `${name}.txt`);
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, g.text);
      expect(g.text).toBe(readFileSync(file, 'utf8'));
      const outcome = OUTCOMES[name] ?? APPS_OUTCOMES[name];
      expect(outcome, `no stated outcome for golden case ${name}`).toBeDefined();
      outcome!(g.trace);
    });
  }
});
