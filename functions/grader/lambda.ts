/**
 * AWS Lambda entry of the grader: parses scenarios, grades submissions and draws timelines for
 * the API function (functions/grader/remote.ts), with the same graders as `podlab serve`. It
 * holds no state and reaches no AWS service: everything it needs comes in the request.
 */
import { realGrader } from '../service/grader.ts';
import type { GraderRequest } from './protocol.ts';

/** The Lambda handler: one Grader call, its result as the response. */
export async function handler(request: GraderRequest): Promise<unknown> {
  switch (request.op) {
    case 'parse':
      return realGrader.parse(request.text, request.file);
    case 'grade':
      return realGrader.grade(request.scenario, request.version, request.submission);
    case 'timeline':
      return realGrader.timeline(request.scenario, request.result, request.submission, request.checkIds);
    default:
      throw new Error(`unknown grader request ${JSON.stringify((request as { op?: unknown }).op)}`);
  }
}
