/**
 * The Grader of the API function on AWS: parsing, grading and timelines run in the grader
 * function (one synchronous invocation each), so the API's bundle carries neither the simulator
 * nor the scenario and manifest parsers. Student views stay here: they only filter a result.
 */
import { publicScenario, studentView } from '../../graders/view.ts';
import { invokeFunction } from '../aws-sdk.ts';
import type { Grader } from '../service/grader.ts';
import { type GraderRequest, type GraderResponse, internalErrorOf, isInternalFailure } from './protocol.ts';

/** Calls the grader function: how a request reaches it (`invokeFunction` on AWS). */
export type GraderTransport = (payload: string) => Promise<string>;

/** A Grader backed by the function `functionName` (or any transport that runs its handler). */
export function remoteGrader(transport: GraderTransport | string): Grader {
  const send = typeof transport === 'string' ? (p: string) => invokeFunction(transport, p) : transport;
  const call = async <T>(request: GraderRequest): Promise<T> => {
    const answer = JSON.parse(await send(JSON.stringify(request))) as GraderResponse<T>;
    // The grader function's internal failure is this process's too (HTTP 500, no attempt).
    if (isInternalFailure(answer)) throw internalErrorOf(answer.internalError);
    return answer;
  };
  return {
    parse: (text, file) => call({ op: 'parse', text, file }),
    grade: (scenario, version, submission) => call({ op: 'grade', scenario, version, submission }),
    timeline: (scenario, result, submission, checkIds) =>
      call({ op: 'timeline', scenario, result, submission, checkIds: [...checkIds] }),
    studentView: (result, scenario, options) => studentView(result, scenario, options),
    publicScenario: (scenario) => publicScenario(scenario),
  };
}
