/**
 * The kubernetes.io pod-lifecycle examples graded (issue 15 §4): each scenario in
 * test/fixtures/docs-scenarios grades the published manifest (the golden case's
 * test/golden/<case>.yaml) to full marks and a plausible mistake to less.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { gradeSubmission, parseScenario } from '../../graders/index.ts';

const dir = fileURLToPath(new URL('../fixtures/docs-scenarios/', import.meta.url));
const golden = fileURLToPath(new URL('../golden/', import.meta.url));
const cases = readdirSync(dir)
  .filter((f) => f.endsWith('.scenario.yaml'))
  .map((f) => f.slice(0, -'.scenario.yaml'.length))
  .sort();

function grade(name: string, file: string, text: string) {
  const parsed = parseScenario(
    readFileSync(join(dir, `${name}.scenario.yaml`), 'utf8'),
    `${name}.scenario.yaml`,
  );
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return gradeSubmission(parsed.scenario, parsed.version, text, { file });
}

describe('docs examples graded', () => {
  it('has the docs scenarios', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });
  for (const name of cases) {
    it(`${name}: the published manifest scores full marks`, () => {
      const r = grade(name, `${name}.yaml`, readFileSync(join(golden, `${name}.yaml`), 'utf8'));
      expect(r.status).toBe('graded');
      expect(r.tests.filter((t) => t.status === 'failed').map((t) => `${t.id}: ${t.output}`)).toEqual([]);
      expect(r.score).toBe(r.max_score);
    });
    it(`${name}: the mistake scores less`, () => {
      const file = `${name}.mistake.yaml`;
      const r = grade(name, file, readFileSync(join(dir, file), 'utf8'));
      expect(r.status).toBe('graded');
      expect(r.score).toBeLessThan(r.max_score);
    });
  }
});
