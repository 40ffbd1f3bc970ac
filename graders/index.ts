/**
 * The graders (pure): scenario parsing and validation, grading a submission into a
 * Gradescope-compatible result, and the student views of results and scenarios.
 */
export { InternalError } from '../src/errors/internal.ts';
export type { ScenarioWarning } from './admission.ts';
export { GRADE_WALL_TIME_MS } from './budgets.ts';
export { canonicalJson } from './canonical.ts';
export { formatAt, MAX_DURATION_MS, parseDuration } from './duration.ts';
export {
  type GradeOptions,
  gradeSubmission,
  type ImageResolver,
  inputDigest,
  replaySubmission,
} from './grade.ts';
export { type GradescopeResults, type GradescopeTest, toGradescope } from './gradescope.ts';
export { type ParseScenarioResult, parseScenario } from './scenario.ts';
export { digest, type Sha256Factory, sha256Hex } from './sha256.ts';
export type {
  Check,
  CheckSubject,
  ConcealedChecksEntry,
  ConcealedChecksSummary,
  GradeResult,
  ResultEvent,
  Scenario,
  ScenarioError,
  ScenarioPolicy,
  StudentGradeResult,
  TestResult,
} from './types.ts';
export { isConcealed, publicScenario, studentTotals, studentView } from './view.ts';
