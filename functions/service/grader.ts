/**
 * The one seam between the service and grading: the service calls a Grader. `realGrader` runs
 * the pure graders module in this process (`podlab serve`, the regrade worker); on AWS the API
 * function reaches the same code in the grader function (functions/grader/). Grading is
 * deterministic, so a retry regrades to the same bytes.
 */
import {
  type GradeResult,
  gradeSubmission,
  type ParseScenarioResult,
  parseScenario,
  type Scenario,
  type StudentGradeResult,
} from '../../graders/index.ts';
import { publicScenario, studentView } from '../../graders/view.ts';
import { type TimelineOutcome, timelineOf } from './timeline.ts';

export type { GradeResult, ParseScenarioResult, Scenario, StudentGradeResult, TimelineOutcome };

/** What the service needs from grading. */
export interface Grader {
  /** Parses and validates a scenario file; the version is its `sha256:` digest. */
  parse(text: string, file: string): Promise<ParseScenarioResult>;
  /** Grades a submission (full instructor view). */
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

/** The Grader backed by graders/, in this process. */
export const realGrader: Grader = {
  parse: async (text, file) => parseScenario(text, file),
  grade: async (scenario, version, submission) =>
    gradeSubmission(scenario, version, submission, { file: 'submission.yaml' }),
  timeline: async (scenario, result, submission, checkIds) =>
    timelineOf(scenario, result, submission, new Set(checkIds)),
  studentView: (result, scenario, options) => studentView(result, scenario, options),
  publicScenario: (scenario) => publicScenario(scenario),
};
