/** What a student may see of a result and of a scenario. */
import type { Check, ConcealedChecksEntry, GradeResult, Scenario, StudentGradeResult } from './types.ts';

/** Points summed the way grading sums them (no float noise in a total). */
function sumPoints(values: number[]): number {
  return Math.round(values.reduce((s, x) => s + x, 0) * 1e6) / 1e6;
}

/**
 * Whether a check of this visibility is concealed from a student: `hidden` always, as in
 * Gradescope ("never shown"); `after_due_date` until the due date (decided by the caller: the
 * pure core has no clock).
 */
export function isConcealed(visibility: Check['visibility'], afterDueDate: boolean): boolean {
  return visibility === 'hidden' || (visibility === 'after_due_date' && !afterDueDate);
}

/** `1 hidden check`, `2 hidden checks`. */
function hiddenChecksName(count: number): string {
  return `${count} hidden check${count === 1 ? '' : 's'}`;
}

/**
 * The totals a student is shown of per-check scores (a stored result's check summaries): all
 * points, or, when the scenario hides the concealed checks' score, the visible checks' only.
 * A check the scenario no longer knows counts as concealed.
 */
export function studentTotals(
  checks: readonly { id: string; score: number; max_score: number }[],
  scenario: Scenario,
  options: { afterDueDate?: boolean } = {},
): { score: number; max_score: number } {
  const visibility = new Map(scenario.checks.map((c) => [c.id, c.visibility]));
  const counted =
    scenario.policy.hiddenScore === 'hide'
      ? checks.filter((c) => !isConcealed(visibility.get(c.id) ?? 'hidden', options.afterDueDate ?? false))
      : checks;
  return {
    score: sumPoints(counted.map((c) => c.score)),
    max_score: sumPoints(counted.map((c) => c.max_score)),
  };
}

/**
 * The student view of a result (issue 14; Gradescope's `hidden`, "never shown"): no entry per
 * concealed check (hidden ones, and `after_due_date` ones before the due date): no id, name,
 * hint, output, expected value or instant. They become ONE `tests[]` entry without an id,
 * `N hidden checks` with their summed score, status and points, and Gradescope's free
 * `extra_data.hidden_checks` says the same. Their points count in `score`, unless the scenario
 * sets `policy.hiddenScore: hide`: then the entry carries no score or status, and
 * `score`/`max_score` count the visible checks only, so nothing of the hidden points can be
 * deduced. The instructor (full) result and the
 * LMS keep every point. This deliberately departs from scenario-format.md section 1.4, which
 * shows a hidden check's hint on failure: no hint of a hidden check reaches a student.
 */
export function studentView(
  result: GradeResult,
  scenario: Scenario,
  options: { afterDueDate?: boolean } = {},
): StudentGradeResult {
  const afterDueDate = options.afterDueDate ?? false;
  const { tests: all, ...rest } = result;
  const shown = all.filter((t) => !isConcealed(t.visibility, afterDueDate)).map((t) => ({ ...t }));
  const concealed = all.filter((t) => isConcealed(t.visibility, afterDueDate));
  if (concealed.length === 0) return { ...rest, tests: shown };

  const name = hiddenChecksName(concealed.length);
  const hiddenScore = sumPoints(concealed.map((t) => t.score));
  const hiddenMax = sumPoints(concealed.map((t) => t.max_score));
  const showScore = scenario.policy.hiddenScore !== 'hide';
  const score = showScore ? result.score : sumPoints(shown.map((t) => t.score));
  const maxScore = showScore ? result.max_score : sumPoints(shown.map((t) => t.max_score));
  const passed = shown.filter((t) => t.status === 'passed').length;
  const entry: ConcealedChecksEntry = showScore
    ? {
        name,
        score: hiddenScore,
        max_score: hiddenMax,
        status: concealed.every((t) => t.status === 'passed') ? 'passed' : 'failed',
        visibility: 'visible',
        output: `${name}: ${hiddenScore}/${hiddenMax} points (their checks are not shown).`,
      }
    : {
        name,
        visibility: 'visible',
        output: `${name}: graded, but their score is not shown; the total counts the visible checks only.`,
      };
  const output =
    result.status !== 'graded'
      ? result.output
      : showScore
        ? `Score ${score}/${maxScore}: ${passed} of ${shown.length} visible checks passed; ${name}: ${hiddenScore}/${hiddenMax} points.`
        : `Score ${score}/${maxScore} on the visible checks: ${passed} of ${shown.length} passed; the score of ${name} is not shown.`;
  return {
    ...rest,
    score,
    max_score: maxScore,
    output,
    tests: [...shown, entry],
    extra_data: {
      hidden_checks: {
        count: concealed.length,
        max_score: hiddenMax,
        ...(showScore ? { score: hiddenScore } : {}),
        in_total: showScore,
      },
    },
  };
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
