/** Lambda: sends students' scores to their LMS (LTI AGS) from the passback queue. */
import { forEachJob, lmsService, type SqsEvent } from './lambda-context.ts';
import { yamlScorePolicy } from './score-policy.ts';

export const handler = (event: SqsEvent) =>
  forEachJob(event, (job) => lmsService(yamlScorePolicy).sync(job.ref));
