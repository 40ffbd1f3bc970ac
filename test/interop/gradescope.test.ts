/**
 * podlab's results against Gradescope's published results.json rules (the "Autograder
 * Specifications" page of gradescope-autograders.readthedocs.io), written as JSON Schema and
 * checked with ajv: `podlab grade --format gradescope` must be exactly that document (no field
 * Gradescope does not name), and the result JSON a superset of it (podlab's own fields beside).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { gradeSubmission, parseScenario, studentView, toGradescope } from '../../graders/index.ts';
import { podlab, ROOT } from '../contract/helpers.ts';

const FORMAT = { enum: ['text', 'html', 'simple_format', 'md', 'ansi'] };
const VISIBILITY = { enum: ['hidden', 'after_due_date', 'after_published', 'visible'] };

/** Gradescope's results.json; `strict` refuses fields the specification does not name. */
function resultsSchema(strict: boolean) {
  const test = {
    type: 'object',
    properties: {
      score: { type: 'number' },
      max_score: { type: 'number', minimum: 0 },
      status: { enum: ['passed', 'failed'] },
      name: { type: 'string' },
      name_format: FORMAT,
      number: { type: 'string' },
      output: { type: 'string' },
      output_format: FORMAT,
      tags: { type: 'array', items: { type: 'string' } },
      visibility: VISIBILITY,
      extra_data: { type: 'object' },
    },
    additionalProperties: !strict,
  };
  return {
    type: 'object',
    properties: {
      score: { type: 'number' },
      execution_time: { type: 'integer', minimum: 0 },
      output: { type: 'string' },
      output_format: FORMAT,
      test_output_format: FORMAT,
      test_name_format: FORMAT,
      visibility: VISIBILITY,
      stdout_visibility: VISIBILITY,
      extra_data: { type: 'object' },
      tests: { type: 'array', items: test },
      leaderboard: {
        type: 'array',
        items: {
          type: 'object',
          required: ['name', 'value'],
          properties: {
            name: { type: 'string' },
            value: { type: ['number', 'string'] },
            order: { enum: ['asc', 'desc'] },
          },
        },
      },
    },
    // "score: optional, but required if not on each test case"; "tests: optional, but required if no top-level score".
    anyOf: [
      { required: ['score'] },
      {
        required: ['tests'],
        properties: { tests: { type: 'array', items: { type: 'object', required: ['score'] } } },
      },
    ],
    additionalProperties: !strict,
  };
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const strictly = ajv.compile(resultsSchema(true));
const asSuperset = ajv.compile(resultsSchema(false));

const root = join(ROOT, 'scenarios');
const labs = readdirSync(root)
  .filter((n) => existsSync(join(root, n, 'scenario.yaml')))
  .sort();
const cases = labs.flatMap((lab) => {
  const mistakes = existsSync(join(root, lab, 'mistakes'))
    ? readdirSync(join(root, lab, 'mistakes')).sort()
    : [];
  return ['solution.yaml', ...mistakes.map((m) => `mistakes/${m}`)].map((file) => [lab, file] as const);
});

describe("Gradescope's results.json rules", () => {
  it('the schema refuses what Gradescope refuses (the check can fail)', () => {
    expect(strictly({ score: 1, tests: [{ score: 1, status: 'ok' }] })).toBe(false);
    expect(strictly({ score: 1, execution_time: 1.5 })).toBe(false);
    expect(strictly({ score: 1, visibility: 'students' })).toBe(false);
    expect(strictly({ score: 1, output_format: 'markdown' })).toBe(false);
    expect(strictly({ score: 1, scenario: 'x' })).toBe(false);
    expect(strictly({ output: 'no score anywhere' })).toBe(false);
    expect(strictly({ score: 1 })).toBe(true);
  });

  it.each(cases)(
    '%s %s: --format gradescope is a strict results.json; the result JSON, student and instructor views, a superset',
    (lab, file) => {
      const parsed = parseScenario(
        readFileSync(join(root, lab, 'scenario.yaml'), 'utf8'),
        `${lab}/scenario.yaml`,
      );
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
      const result = gradeSubmission(
        parsed.scenario,
        parsed.version,
        readFileSync(join(root, lab, file), 'utf8'),
        { file },
      );
      const gradescope = toGradescope(result, { executionSeconds: 0.2 });
      expect(strictly(gradescope), JSON.stringify(strictly.errors)).toBe(true);
      expect(gradescope.score).toBe(result.score);
      expect(gradescope.tests.reduce((s, t) => s + t.max_score, 0)).toBe(result.max_score);
      for (const view of [result, studentView(result, parsed.scenario)])
        expect(asSuperset(view), JSON.stringify(asSuperset.errors)).toBe(true);
    },
  );

  it('GIVEN a lab WHEN `podlab grade --format gradescope` runs THEN stdout is the results.json, hidden checks marked hidden for Gradescope to hide', async () => {
    const run = await podlab([
      'grade',
      'liveness-exec',
      'scenarios/liveness-exec/mistakes/wrong-file.yaml',
      '--format',
      'gradescope',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(strictly(doc), JSON.stringify(strictly.errors)).toBe(true);
    expect(doc.tests.some((t: { visibility: string }) => t.visibility === 'hidden')).toBe(true);
    expect(Number.isInteger(doc.execution_time)).toBe(true);
  });

  it('refuses an unknown --format', async () => {
    const run = await podlab([
      'grade',
      'liveness-exec',
      'scenarios/liveness-exec/solution.yaml',
      '--format',
      'xml',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--format must be text, json or gradescope/);
  });
});
