/**
 * What the API function asks the grader function (functions/grader/lambda.ts) and how: one JSON
 * request per call, answered with the Grader method's result as JSON.
 */
import type { GradeResult, Scenario } from '../service/grader.ts';

/** A call to the grader function: the Grader method and its arguments. */
export type GraderRequest =
  | { op: 'parse'; text: string; file: string }
  | { op: 'grade'; scenario: Scenario; version: string; submission: string }
  | { op: 'timeline'; scenario: Scenario; result: GradeResult; submission: string; checkIds: string[] };
