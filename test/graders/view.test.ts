import { describe, expect, it } from 'vitest';
import {
  type GradeResult,
  isConcealed,
  parseScenario,
  publicScenario,
  studentTotals,
  studentView,
} from '../../graders/index.ts';

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

function withPolicy(policy: string) {
  const r = parseScenario(
    text.replace('{dueDate: "2026-12-01T00:00:00Z", maxAttempts: 2}', policy),
    'v.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}

/** Every string of a concealed check that must never reach a student. */
const SECRETS = /secret|Secret|Think about it|later output|Later check|"later"/;

describe('studentView', () => {
  it('holds no entry for hidden checks nor, before the due date, after_due_date ones: one summary entry instead', () => {
    const v = studentView(result, scenario);
    expect(v.tests).toEqual([
      result.tests[0],
      {
        name: '2 hidden checks',
        score: 0,
        max_score: 3,
        status: 'failed',
        visibility: 'visible',
        output: '2 hidden checks: 0/3 points (their checks are not shown).',
      },
    ]);
    expect(v.extra_data?.hidden_checks).toEqual({ count: 2, max_score: 3, score: 0, in_total: true });
    expect(v.score).toBe(1);
    expect(v.max_score).toBe(4);
    expect(v.output).toBe('Score 1/4: 1 of 1 visible checks passed; 2 hidden checks: 0/3 points.');
    expect(JSON.stringify(v)).not.toMatch(SECRETS);
  });

  it('shows after_due_date checks after the due date, never hidden ones', () => {
    const v = studentView(result, scenario, { afterDueDate: true });
    expect(v.tests.map((t) => ('id' in t ? t.id : t.name))).toEqual(['open', 'later', '1 hidden check']);
    expect(v.tests[1]).toEqual(result.tests[2]);
    expect(v.tests[2]).toMatchObject({ score: 0, max_score: 2, status: 'failed' });
    expect(JSON.stringify(v)).not.toMatch(/secret|Secret|Think about it/);
  });

  const hide = withPolicy('{hiddenScore: hide}');
  it.each([
    {
      name: 'graded',
      input: result,
      output: 'Score 1/1 on the visible checks: 1 of 1 passed; the score of 2 hidden checks is not shown.',
    },
    {
      name: 'rejected',
      input: {
        ...result,
        tests: result.tests.map((t) => ({ ...t, score: 0, status: 'failed' as const })),
        status: 'rejected' as const,
        score: 0,
        output: 'Your submission was rejected; kubectl would print:\nerror: x',
      },
      output: 'Your submission was rejected; kubectl would print:\nerror: x',
    },
  ])('hiddenScore: hide keeps even the summed score and status from a $name result', ({ input, output }) => {
    const passedAll: GradeResult = {
      ...input,
      tests: input.tests.map((t) => (t.id === 'open' ? t : { ...t, score: t.max_score, status: 'passed' })),
    };
    for (const r of [input, passedAll]) {
      const v = studentView(r, hide);
      expect(v.tests.at(-1)).toEqual({
        name: '2 hidden checks',
        visibility: 'visible',
        output:
          '2 hidden checks: graded, but their score is not shown; the total counts the visible checks only.',
      });
      expect(v.extra_data?.hidden_checks).toEqual({ count: 2, max_score: 3, in_total: false });
      // The totals count the visible check only: nothing of the hidden points can be deduced.
      expect({ score: v.score, max_score: v.max_score }).toEqual({
        score: input.status === 'graded' ? 1 : 0,
        max_score: 1,
      });
      expect(v.output).toBe(output);
      expect(JSON.stringify(v)).not.toMatch(SECRETS);
    }
  });

  it('gives a result without concealed checks as it is', () => {
    const open = { ...result, tests: [result.tests[0]!] };
    expect(studentView(open, scenario)).toEqual(open);
  });

  it('does not change the full result', () => {
    studentView(result, scenario);
    expect(result.tests[1]!.name).toBe('Secret check');
  });
});

describe('studentTotals', () => {
  const checks = result.tests.map((t) => ({
    id: t.id,
    score: t.id === 'secret' ? 2 : t.score,
    max_score: t.max_score,
  }));
  it.each([
    { name: 'all points by default', s: scenario, after: false, want: { score: 3, max_score: 4 } },
    {
      name: 'visible points only when hidden',
      s: hideScenario(),
      after: false,
      want: { score: 1, max_score: 1 },
    },
    {
      name: 'after the due date, after_due_date points too',
      s: hideScenario(),
      after: true,
      want: { score: 1, max_score: 2 },
    },
  ])('$name', ({ s, after, want }) => {
    expect(studentTotals(checks, s, { afterDueDate: after })).toEqual(want);
  });
});

function hideScenario() {
  return withPolicy('{hiddenScore: hide}');
}

describe('isConcealed', () => {
  it.each([
    { visibility: 'visible' as const, after: false, want: false },
    { visibility: 'hidden' as const, after: false, want: true },
    { visibility: 'hidden' as const, after: true, want: true },
    { visibility: 'after_due_date' as const, after: false, want: true },
    { visibility: 'after_due_date' as const, after: true, want: false },
  ])('$visibility, after the due date: $after -> $want', ({ visibility, after, want }) => {
    expect(isConcealed(visibility, after)).toBe(want);
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
  it('tells a scenario that hides the hidden score', () => {
    const p = publicScenario(hideScenario()) as { policy: Record<string, unknown> };
    expect(p.policy.hiddenScore).toBe('hide');
  });
});
