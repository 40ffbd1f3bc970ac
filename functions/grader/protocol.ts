/**
 * What the API function asks the grader function (functions/grader/lambda.ts) and how: one JSON
 * request per call, answered with the Grader method's result as JSON, or, when podlab itself
 * failed, with `{internalError: …}`: an internal failure crosses as such, never as a result.
 */
import { InternalError, type InternalStage } from '../../src/errors/internal.ts';
import type { GradeResult, Scenario } from '../service/grader.ts';

/** A call to the grader function: the Grader method and its arguments. */
export type GraderRequest =
  | { op: 'parse'; text: string; file: string }
  | { op: 'grade'; scenario: Scenario; version: string; submission: string }
  | { op: 'timeline'; scenario: Scenario; result: GradeResult; submission: string; checkIds: string[] };

/** An InternalError as JSON: everything the API's log line needs. */
export interface InternalFailureJson {
  stage: InternalStage;
  message: string;
  inputDigest?: string;
  scenario?: string;
  scenarioVersion?: string;
  /** The failure's own name (`TypeError`, …) and its stack, from the grader function. */
  causeName: string;
  detail: string;
}

/** The answer to a call: the method's result, or the internal failure it ended in. */
export type GraderResponse<T> = T | { internalError: InternalFailureJson };

/** The wire form of an internal failure. */
export function internalFailureJson(e: InternalError): { internalError: InternalFailureJson } {
  const j: InternalFailureJson = {
    stage: e.stage,
    message: e.message,
    causeName: e.causeName,
    detail: e.detail,
  };
  if (e.inputDigest !== undefined) j.inputDigest = e.inputDigest;
  if (e.scenario !== undefined) j.scenario = e.scenario;
  if (e.scenarioVersion !== undefined) j.scenarioVersion = e.scenarioVersion;
  return { internalError: j };
}

/** Whether an answer is an internal failure (no Grader result has an `internalError` member). */
export function isInternalFailure(v: unknown): v is { internalError: InternalFailureJson } {
  return typeof v === 'object' && v !== null && 'internalError' in v;
}

/** The InternalError of a wire failure, its cause standing for the grader function's error. */
export function internalErrorOf(j: InternalFailureJson): InternalError {
  const cause = new Error(j.message);
  cause.name = j.causeName;
  cause.stack = j.detail;
  return new InternalError(j.stage, j.message, {
    cause,
    ...(j.inputDigest !== undefined ? { inputDigest: j.inputDigest } : {}),
    ...(j.scenario !== undefined ? { scenario: j.scenario } : {}),
    ...(j.scenarioVersion !== undefined ? { scenarioVersion: j.scenarioVersion } : {}),
  });
}
