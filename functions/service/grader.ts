/**
 * The one seam between the service and grading: the service calls a Grader. `realGrader` runs
 * the pure graders module in this process (`podlab serve`, the regrade worker); on AWS the API
 * function reaches the same code in the grader function (functions/grader/). Grading is
 * deterministic, so a retry regrades to the same bytes.
 */
import { performance } from 'node:perf_hooks';
import {
  GRADE_WALL_TIME_MS,
  type GradeOptions,
  type GradeResult,
  gradeSubmission,
  type ImageResolver,
  type ParseScenarioResult,
  parseScenario,
  type Scenario,
  type StudentGradeResult,
} from '../../graders/index.ts';
import { publicScenario, studentView } from '../../graders/view.ts';
import { nodeSha256 } from '../node-sha256.ts';
import { type TimelineOutcome, timelineOf } from './timeline.ts';

export type { GradeResult, ParseScenarioResult, Scenario, StudentGradeResult, TimelineOutcome };

/** What the service needs from grading. */
export interface Grader {
  /** Parses and validates a scenario file; the version is its `sha256:` digest. */
  parse(text: string, file: string): Promise<ParseScenarioResult>;
  /** Grades a submission (full instructor view); a failure of podlab rejects with an `InternalError`. */
  grade(scenario: Scenario, version: string, submission: string): Promise<GradeResult>;
  /** The timeline picture of a graded submission, with the checks `checkIds` drawn. */
  timeline(
    scenario: Scenario,
    result: GradeResult,
    submission: string,
    checkIds: readonly string[],
  ): Promise<TimelineOutcome>;
  /** The student view of a result (concealed checks reduced to one summary entry). */
  studentView(
    result: GradeResult,
    scenario: Scenario,
    options?: { afterDueDate?: boolean },
  ): StudentGradeResult;
  /** The scenario as students may see it. */
  publicScenario(scenario: Scenario): unknown;
}

/** Options of an in-process Grader. */
export interface LocalGraderOptions {
  /** The simulator's image catalogue (default: the runtime's; tests pass scripted or faulty images). */
  resolveImage?: ImageResolver;
}

/** A `shouldStop` for one grade: true once `ms` of wall time have passed (the adapter's clock). */
export function wallClockGuard(ms: number): () => boolean {
  const end = performance.now() + ms;
  return () => performance.now() > end;
}

/**
 * A Grader backed by graders/, in this process. A failure of podlab while grading rejects with
 * the `InternalError` of graders/ (with the input's digest): never a `rejected` result.
 */
export function localGrader(options: LocalGraderOptions = {}): Grader {
  const sim: GradeOptions = options.resolveImage ? { resolveImage: options.resolveImage } : {};
  return {
    parse: async (text, file) => parseScenario(text, file),
    grade: async (scenario, version, submission) =>
      gradeSubmission(scenario, version, submission, {
        ...sim,
        file: 'submission.yaml',
        sha256: nodeSha256,
        // A run past the grade time limit ends and is rejected, naming the limit.
        shouldStop: wallClockGuard(GRADE_WALL_TIME_MS),
      }),
    timeline: async (scenario, result, submission, checkIds) =>
      timelineOf(scenario, result, submission, new Set(checkIds), sim),
    studentView: (result, scenario, options) => studentView(result, scenario, options),
    publicScenario: (scenario) => publicScenario(scenario),
  };
}

/** The Grader backed by graders/, in this process, with the runtime's images and the grade time limit. */
export const realGrader: Grader = localGrader();
