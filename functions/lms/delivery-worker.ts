/** Lambda: delivers outbound webhook messages from the webhook queue (one attempt per message). */
import { forEachJob, lmsService, type SqsEvent } from './lambda-context.ts';
import { yamlScorePolicy } from './score-policy.ts';

export const handler = (event: SqsEvent) =>
  forEachJob(event, (job) => lmsService(yamlScorePolicy).deliver(job.ref));
