/** What a student may see of a result and of a scenario. */
import type { GradeResult, Scenario, TestResult } from './types.ts';

/**
 * The student view of a result (scenario-format.md section 2): `hidden` checks (and
 * `after_due_date` ones before the due date) keep their id, score, points, status, visibility
 * and hint, but their `name` and `output` are dropped. The due date is decided by the caller
 * (the pure core has no clock).
 */
export function studentView(
  result: GradeResult,
  _scenario: Scenario,
  options: { afterDueDate?: boolean } = {},
): GradeResult {
  const tests: TestResult[] = result.tests.map((t) => {
    const concealed =
      t.visibility === 'hidden' || (t.visibility === 'after_due_date' && !options.afterDueDate);
    if (!concealed) return { ...t };
    return {
      id: t.id,
      score: t.score,
      max_score: t.max_score,
      status: t.status,
      visibility: t.visibility,
      ...(t.hint !== undefined ? { hint: t.hint } : {}),
    };
  });
  return { ...result, tests };
}

/**
 * What a student may see of a scenario: its instructions, submission rules, timeline of
 * actions and visible checks; hidden and after-due-date checks are left out entirely (only
 * their total points are given).
 */
export function publicScenario(scenario: Scenario): unknown {
  const spec = (scenario.source.spec ?? {}) as Record<string, unknown>;
  const rawChecks = Array.isArray(spec.checks) ? (spec.checks as Record<string, unknown>[]) : [];
  const visible = rawChecks.filter((c) => (c.visibility ?? 'visible') === 'visible');
  const concealed = scenario.checks.filter((c) => c.visibility !== 'visible');
  return {
    name: scenario.name,
    title: scenario.title,
    labels: scenario.labels,
    instructions: scenario.instructions,
    submission: scenario.submission,
    duration: spec.duration,
    actions: spec.actions ?? [],
    setup: spec.setup ?? [],
    checks: visible.map((c) => {
      const { hint: _hint, ...rest } = c;
      return rest;
    }),
    hiddenChecks: { count: concealed.length, points: concealed.reduce((s, c) => s + c.points, 0) },
    maxScore: scenario.checks.reduce((s, c) => s + c.points, 0),
    policy: scenario.policy,
  };
}
