import { describe, expect, it } from 'vitest';
import { type GradeResult, parseScenario, publicScenario, studentView } from '../../graders/index.ts';

const text = `apiVersion: podlab/v1
kind: Scenario
metadata: {name: views, title: Views}
spec:
  instructions: Write a Pod.
  duration: 60s
  policy: {dueDate: "2026-12-01T00:00:00Z", maxAttempts: 2}
  checks:
    - {id: open, title: Open check, at: 1s, pod: p, expect: {exists: true}}
    - {id: secret, title: Secret check, visibility: hidden, points: 2, hint: Think about it., at: 1s, pod: p, expect: {exists: true}}
    - {id: later, title: Later check, visibility: after_due_date, at: 1s, pod: p, expect: {exists: true}}
`;
const parsed = parseScenario(text, 'views.yaml');
if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
const { scenario } = parsed;

const result: GradeResult = {
  scenario: 'views',
  scenario_version: parsed.version,
  status: 'graded',
  score: 1,
  max_score: 4,
  output: 'Score 1/4',
  visibility: 'visible',
  tests: [
    {
      id: 'open',
      name: 'Open check',
      score: 1,
      max_score: 1,
      status: 'passed',
      visibility: 'visible',
      output: 'observed the Pod exists at 1s',
    },
    {
      id: 'secret',
      name: 'Secret check',
      score: 0,
      max_score: 2,
      status: 'failed',
      visibility: 'hidden',
      output: 'the secret output',
      hint: 'Think about it.',
    },
    {
      id: 'later',
      name: 'Later check',
      score: 0,
      max_score: 1,
      status: 'failed',
      visibility: 'after_due_date',
      output: 'the later output',
    },
  ],
  errors: [],
  warnings: [],
  transcript: '',
  events: [],
  simulator: { version: 'x', kubernetes: '1.33', digest: 'sha256:0' },
};

describe('studentView', () => {
  it('conceals hidden checks and, before the due date, after_due_date ones; keeps points, status and hint', () => {
    const v = studentView(result, scenario);
    expect(v.tests).toEqual([
      result.tests[0],
      {
        id: 'secret',
        score: 0,
        max_score: 2,
        status: 'failed',
        visibility: 'hidden',
        hint: 'Think about it.',
      },
      {
        id: 'later',
        score: 0,
        max_score: 1,
        status: 'failed',
        visibility: 'after_due_date',
      },
    ]);
    expect(v.score).toBe(1);
    expect(v.max_score).toBe(4);
    expect(JSON.stringify(v)).not.toMatch(/Secret|secret output|later output|Later check/);
  });
  it('shows after_due_date checks after the due date, never hidden ones', () => {
    const v = studentView(result, scenario, { afterDueDate: true });
    expect(v.tests[2]).toEqual(result.tests[2]);
    expect(v.tests[1]).not.toHaveProperty('name');
    expect(v.tests[1]).not.toHaveProperty('output');
  });
  it('does not change the full result', () => {
    studentView(result, scenario);
    expect(result.tests[1]!.name).toBe('Secret check');
  });
});

describe('publicScenario', () => {
  it('leaves hidden and after-due-date checks out entirely', () => {
    const p = publicScenario(scenario) as Record<string, unknown>;
    expect(JSON.stringify(p)).not.toMatch(/secret|Secret|Later check|"later"/);
    expect((p.checks as unknown[]).length).toBe(1);
    expect(p.hiddenChecks).toEqual({ count: 2, points: 3 });
    expect(p.maxScore).toBe(4);
    expect(p.policy).toEqual({ scorePolicy: 'best', maxAttempts: 2, dueDate: '2026-12-01T00:00:00Z' });
  });
});
