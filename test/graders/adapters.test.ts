import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 17 §3: the graders reach the loader, the simulator, its printers and runtime only
// through graders/adapters.ts; the model's types and src/errors are shared vocabulary.
const dir = join(import.meta.dirname, '../../graders');
const REACHES_CORE = /^import\s+(?!type\s)[^;]*?from\s+'\.\.\/src\/(sim|manifest)\//gm;

describe('graders/adapters.ts is the only seam to the loader and the simulator', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'adapters.ts')) {
    it(`${file} imports no value from src/sim or src/manifest directly`, () => {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text.match(REACHES_CORE) ?? []).toEqual([]);
    });
  }

  it('the pattern finds a direct import (the check can fail)', () => {
    const sample =
      "import { loadManifests } from '../src/manifest/index.ts';\nimport type { Pod } from '../src/model/k8s.ts';\n";
    expect(sample.match(REACHES_CORE)).toHaveLength(1);
  });
});
