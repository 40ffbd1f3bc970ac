/**
 * Determinism across processes and orders: `podlab grade --json --instructor` in two separate
 * node processes prints byte-identical JSON, equal to the in-process result; grading lab A then
 * B or B then A in one process gives the same bytes.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { gradeSubmission, parseScenario } from '../../graders/index.ts';
import { ROOT } from './corpus.ts';

const run = promisify(execFile);

/** [lab, submission path relative to the repository root]. */
const CASES: [string, string][] = [
  ['liveness-exec', 'scenarios/liveness-exec/solution.yaml'],
  ['init-containers', 'scenarios/init-containers/mistakes/init-order-swapped.yaml'],
  ['readiness-service', 'scenarios/readiness-service/solution.yaml'],
];

function gradeHere(lab: string, file: string): string {
  const parsed = parseScenario(
    readFileSync(join(ROOT, 'scenarios', lab, 'scenario.yaml'), 'utf8'),
    'scenario.yaml',
  );
  if (!parsed.ok) throw new Error(`${lab} does not parse`);
  const result = gradeSubmission(parsed.scenario, parsed.version, readFileSync(join(ROOT, file), 'utf8'), {
    file,
  });
  return `${JSON.stringify(result, null, 2)}\n`;
}

async function gradeInProcessOfItsOwn(lab: string, file: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['bin/podlab.mjs', 'grade', `scenarios/${lab}`, file, '--json', '--instructor'],
    { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  );
  return stdout;
}

describe('determinism', () => {
  it('two node processes print byte-identical grade JSON, equal to the in-process result', async () => {
    const spawned = CASES.slice(0, 2);
    const outputs = await Promise.all(
      spawned.flatMap(([lab, file]) => [
        gradeInProcessOfItsOwn(lab, file),
        gradeInProcessOfItsOwn(lab, file),
      ]),
    );
    spawned.forEach(([lab, file], i) => {
      const [a, b] = [outputs[2 * i]!, outputs[2 * i + 1]!];
      expect(a.length, `${lab}: empty output`).toBeGreaterThan(100);
      expect(b, `${lab}: process 2 differs from process 1`).toBe(a);
      expect(JSON.parse(a).status, lab).toBe('graded');
      expect(gradeHere(lab, file), `${lab}: in-process result differs from the CLI's`).toBe(a);
    });
  }, 120_000);

  it('grading A then B gives the same bytes as B then A (no state leaks between runs)', () => {
    const [a, b, c] = CASES;
    const forward = [gradeHere(...a!), gradeHere(...b!), gradeHere(...c!)];
    const backward = [gradeHere(...c!), gradeHere(...b!), gradeHere(...a!)].reverse();
    expect(backward).toEqual(forward);
    expect(new Set(forward).size).toBe(3);
  }, 60_000);
});
