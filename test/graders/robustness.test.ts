import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradeSubmission, parseScenario } from '../../graders/index.ts';

const read = (p: string) => readFileSync(new URL(`../../scenarios/${p}`, import.meta.url), 'utf8');

/** Deletes, duplicates or re-indents one line: the kind of damage a hand-edited file suffers. */
const mutation = (text: string) => {
  const lines = text.split('\n');
  return fc
    .record({
      i: fc.nat({ max: lines.length - 1 }),
      op: fc.constantFrom('delete', 'duplicate', 'indent', 'dedent', 'truncate'),
    })
    .map(({ i, op }) => {
      const out = [...lines];
      if (op === 'delete') out.splice(i, 1);
      else if (op === 'duplicate') out.splice(i, 0, out[i]!);
      else if (op === 'indent') out[i] = `  ${out[i]}`;
      else if (op === 'dedent') out[i] = out[i]!.replace(/^ {2}/, '');
      else out[i] = out[i]!.slice(0, Math.floor(out[i]!.length / 2));
      return out.join('\n');
    });
};

describe('bad input is normal input', () => {
  const parsed = parseScenario(read('termination-grace/scenario.yaml'), 'scenario.yaml');
  if (!parsed.ok) throw new Error('scenario');
  const solution = read('termination-grace/solution.yaml');

  it('a damaged submission is graded or rejected, never thrown', () => {
    fc.assert(
      fc.property(mutation(solution), (text) => {
        const r = gradeSubmission(parsed.scenario, parsed.version, text);
        expect(['graded', 'rejected']).toContain(r.status);
        expect(r.score).toBeLessThanOrEqual(r.max_score);
        if (r.status === 'rejected') expect(r.errors.length).toBeGreaterThan(0);
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('arbitrary text is graded or rejected, never thrown', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        expect(['graded', 'rejected']).toContain(
          gradeSubmission(parsed.scenario, parsed.version, text).status,
        );
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('a damaged scenario file gives a scenario or errors with paths, never an exception', () => {
    const text = read('init-containers/scenario.yaml');
    fc.assert(
      fc.property(mutation(text), (t) => {
        const r = parseScenario(t, 'scenario.yaml');
        if (!r.ok) for (const e of r.errors) expect(typeof e.message).toBe('string');
      }),
      { numRuns: 80, seed: 3 },
    );
  });
});
