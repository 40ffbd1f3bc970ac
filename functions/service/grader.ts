/**
 * The one seam between the service and grading: the service calls a Grader, whose real
 * implementation is the pure graders module. Grading is deterministic, so a retry regrades
 * to the same bytes.
 */
import {
  type GradeResult,
  gradeSubmission,
  type ParseScenarioResult,
  parseScenario,
  publicScenario,
  type Scenario,
  studentView,
} from '../../graders/index.ts';

export type { GradeResult, Scenario };

/** What the service needs from grading. */
export interface Grader {
  /** Parses and validates a scenario file; the version is its `sha256:` digest. */
  parse(text: string, file: string): ParseScenarioResult;
  /** Grades a submission (full instructor view). */
  grade(scenario: Scenario, version: string, submission: string): GradeResult;
  /** The student view of a result (hidden checks stripped). */
  studentView(result: GradeResult, scenario: Scenario, options?: { afterDueDate?: boolean }): GradeResult;
  /** The scenario as students may see it. */
  publicScenario(scenario: Scenario): unknown;
}

/** The Grader backed by graders/. */
export const realGrader: Grader = {
  parse: (text, file) => parseScenario(text, file),
  grade: (scenario, version, submission) =>
    gradeSubmission(scenario, version, submission, { file: 'submission.yaml' }),
  studentView: (result, scenario, options) => studentView(result, scenario, options),
  publicScenario: (scenario) => publicScenario(scenario),
};
