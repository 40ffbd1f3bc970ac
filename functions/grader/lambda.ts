/**
 * AWS Lambda entry of the grader: parses scenarios, grades submissions and draws timelines for
 * the API function (functions/grader/remote.ts), with the same graders as `podlab serve`. It
 * holds no state and reaches no AWS service: everything it needs comes in the request. A
 * failure of podlab answers `{internalError: …}` (protocol.ts), which the API turns back into
 * an InternalError (HTTP 500, no attempt): never a rejected result.
 */
import { internalError } from '../../src/errors/internal.ts';
import { type Grader, realGrader } from '../service/grader.ts';
import { type GraderRequest, internalFailureJson } from './protocol.ts';

/** Runs one request on `grader`; an unknown op is a function error (a caller's bug). */
export function graderHandler(grader: Grader) {
  return async (request: GraderRequest): Promise<unknown> => {
    const run = (): Promise<unknown> => {
      switch (request.op) {
        case 'parse':
          return grader.parse(request.text, request.file);
        case 'grade':
          return grader.grade(request.scenario, request.version, request.submission);
        case 'timeline':
          return grader.timeline(request.scenario, request.result, request.submission, request.checkIds);
        default:
          throw new Error(`unknown grader request ${JSON.stringify((request as { op?: unknown }).op)}`);
      }
    };
    if (!['parse', 'grade', 'timeline'].includes(request.op)) return run();
    try {
      return await run();
    } catch (err) {
      return internalFailureJson(internalError('grader', err));
    }
  };
}

/** The Lambda handler: one Grader call, its result (or internal failure) as the response. */
export const handler = graderHandler(realGrader);
