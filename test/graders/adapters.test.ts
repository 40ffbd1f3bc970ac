import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Issue 17 §3: the graders reach the core (the loader, the simulator, its printers and runtime)
// only through graders/adapters.ts; the model's types and src/errors are shared vocabulary.
const dir = join(import.meta.dirname, '../../graders');
/** An import or re-export (of values or types, static or dynamic) from src/ outside model/ and errors/. */
const REACHES_CORE =
  /(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)'(?:\.\.\/)+src\/(?!(?:model|errors)\/)[^']*'/gm;

/** Every .ts file under graders/, subfolders included, but adapters.ts. */
function graderFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) => {
    const path = join(folder, e.name);
    if (e.isDirectory()) return graderFiles(path);
    return e.name.endsWith('.ts') && path !== join(dir, 'adapters.ts') ? [path] : [];
  });
}

describe('graders/adapters.ts is the only seam to the core', () => {
  const files = graderFiles(dir);
  it('scans the subfolders too', () => {
    expect(files.some((f) => f.includes(join('graders', 'checks')))).toBe(true);
  });
  for (const file of files) {
    it(`${relative(dir, file)} imports nothing from src/ but the model and errors`, () => {
      const text = readFileSync(file, 'utf8');
      expect(text.match(REACHES_CORE) ?? []).toEqual([]);
    });
  }

  const caught: [string, string][] = [
    ['a value import', "import { loadManifests } from '../src/manifest/index.ts';"],
    [
      'a type import from the simulator',
      "import type { JobSnapshot } from '../../src/sim/controllers/job.ts';",
    ],
    ['a re-export', "export { simulateWith } from '../src/sim/simulation.ts';"],
    ['a side-effect import', "import '../src/sim/index.ts';"],
    ['a dynamic import', "const m = await import('../src/sim/index.ts');"],
    [
      'a multi-line import',
      "import {\n  podColumns,\n  watchTranscript,\n} from '../src/sim/printers/index.ts';",
    ],
  ];
  for (const [name, sample] of caught)
    it(`the pattern finds ${name} (the check can fail)`, () => {
      expect(sample.match(REACHES_CORE)).toHaveLength(1);
    });

  const allowed: [string, string][] = [
    ['a model type', "import type { Pod } from '../src/model/k8s.ts';"],
    ['src/errors', "import { internalError } from '../../src/errors/internal.ts';"],
    ['a graders module', "import { formatAt } from '../duration.ts';"],
  ];
  for (const [name, sample] of allowed)
    it(`the pattern lets ${name} through`, () => {
      expect(sample.match(REACHES_CORE)).toBeNull();
    });
});
