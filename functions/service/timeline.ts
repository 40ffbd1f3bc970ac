/**
 * The timeline picture of a stored result: the submission is simulated again (the simulator is
 * deterministic) and drawn with the printers' timelineSvg. The re-run must reproduce the
 * stored trace digest (`result.simulator.digest`); a result graded by another simulator build
 * gets no picture rather than a wrong one.
 */

import type { GradeOptions, GradeResult, Scenario } from '../../graders/index.ts';
import { digest, replaySubmission } from '../../graders/index.ts';
import { type TimelineCheck, timelineSvg } from '../../src/sim/printers/index.ts';

/** Why there is no picture. */
export type TimelineOutcome = { ok: true; svg: string } | { ok: false; reason: string };

/**
 * The SVG timeline of `submission` graded as `result` against `scenario`. `checkIds` limits
 * the checks drawn (a student sees only the checks of their view).
 */
export function timelineOf(
  scenario: Scenario,
  result: GradeResult,
  submission: string,
  checkIds: Set<string>,
  options: Pick<GradeOptions, 'resolveImage'> = {},
): TimelineOutcome {
  if (result.status !== 'graded') return { ok: false, reason: 'the submission was rejected: nothing ran' };
  const run = replaySubmission(scenario, submission, options);
  if (!run) return { ok: false, reason: 'the submission no longer loads' };
  if (digest(JSON.stringify(run.trace)) !== result.simulator.digest) {
    return { ok: false, reason: 'this result came from another simulator version; regrade to draw it' };
  }
  const passed = new Map(result.tests.map((t) => [t.id, t.status === 'passed']));
  const checks: TimelineCheck[] = [];
  for (const c of scenario.checks) {
    if (!checkIds.has(c.id) || !c.when || !passed.has(c.id)) continue;
    checks.push(
      c.when.kind === 'at'
        ? { id: c.id, at: c.when.at, passed: passed.get(c.id)! }
        : { id: c.id, window: [c.when.from, c.when.to], passed: passed.get(c.id)! },
    );
  }
  return { ok: true, svg: timelineSvg(run.trace, run.pods, { checks }) };
}
