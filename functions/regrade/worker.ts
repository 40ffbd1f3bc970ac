/**
 * The regrade worker (AWS Lambda on SQS). A message is either one submission
 * (`{"submissionId": "s_…"}`) or one page of a scenario's submissions
 * (`{"course": "c", "scenario": "lab", "cursor"?: "…", "limit"?: 100}`), after which the next
 * page's message is sent to PODLAB_REGRADE_QUEUE_URL (a chain walks all pages); failed messages are
 * reported as batch item failures so SQS retries only them. Regrading is idempotent: a
 * submission already graded against the current version is left unchanged.
 */
import { dynamodb, sendQueueMessage } from '../aws-sdk.ts';
import { lmsService } from '../lms/lambda-context.ts';
import { yamlScorePolicy } from '../lms/score-policy.ts';
import { lmsEvents } from '../lms/wiring.ts';
import { realGrader } from '../service/grader.ts';
import { createService, type ServiceEvents } from '../service/service.ts';
import { createDynamoRepository } from '../storage/dynamo.ts';
import type { Repository } from '../storage/types.ts';

/** The SQS event shape this worker reads. */
export interface SqsEvent {
  Records: { messageId: string; body: string }[];
}

/** Partial batch response (ReportBatchItemFailures). */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

/** A page message of the regrade queue. */
export interface RegradePageMessage {
  course: string;
  scenario: string;
  cursor?: string;
  limit?: number;
}

/**
 * Creates the regrade functions over a repository (used by the handler and by tests).
 * `enqueue` sends the next page's message after a page is done, so one message starts a
 * chain that walks every submission of a scenario.
 */
export function createRegrader(
  repo: Repository,
  clock: () => Date = () => new Date(),
  enqueue?: (next: RegradePageMessage) => Promise<void>,
  events?: ServiceEvents,
) {
  const service = createService({ repo, grader: realGrader, clock, ...(events ? { events } : {}) });
  return {
    /** Regrades one submission against its scenario's current version. */
    regradeSubmission: (id: string) => service.regradeSubmission(id),
    /** Regrades one page of a scenario's submissions; returns the report (with the next cursor). */
    regradePage: (course: string, scenario: string, page: { cursor?: string; limit?: number }) =>
      service.regradePage({ role: 'instructor', user: 'regrade-worker', course }, scenario, page),
    /** Handles an SQS batch. */
    async handle(event: SqsEvent): Promise<SqsBatchResponse> {
      const failures: { itemIdentifier: string }[] = [];
      for (const record of event.Records) {
        try {
          const msg = JSON.parse(record.body) as Record<string, unknown>;
          if (typeof msg.submissionId === 'string') {
            await service.regradeSubmission(msg.submissionId);
          } else if (typeof msg.course === 'string' && typeof msg.scenario === 'string') {
            const page: { cursor?: string; limit?: number } = {};
            if (typeof msg.cursor === 'string') page.cursor = msg.cursor;
            if (typeof msg.limit === 'number') page.limit = msg.limit;
            const report = await service.regradePage(
              { role: 'instructor', user: 'regrade-worker', course: msg.course },
              msg.scenario,
              page,
            );
            if (report.failed.length > 0) throw new Error(`${report.failed.length} submissions failed`);
            console.log(
              JSON.stringify({ level: 'info', msg: 'regrade page', ...report, failed: report.failed.length }),
            );
            if (report.cursor && enqueue) {
              await enqueue({
                course: msg.course,
                scenario: msg.scenario,
                cursor: report.cursor,
                ...(page.limit ? { limit: page.limit } : {}),
              });
            }
          } else {
            // A malformed message can never succeed: log it and let it go rather than retry forever.
            console.log(
              JSON.stringify({
                level: 'error',
                msg: 'malformed regrade message',
                body: record.body.slice(0, 500),
              }),
            );
          }
        } catch (err) {
          console.log(
            JSON.stringify({
              level: 'error',
              msg: 'regrade failed',
              messageId: record.messageId,
              error: String(err),
            }),
          );
          failures.push({ itemIdentifier: record.messageId });
        }
      }
      return { batchItemFailures: failures };
    },
  };
}

let instance: ReturnType<typeof createRegrader> | undefined;

function worker(): ReturnType<typeof createRegrader> {
  if (!instance) {
    const tableName = process.env.PODLAB_TABLE;
    if (!tableName)
      throw new Error('PODLAB_TABLE is not set: the regrade worker needs its DynamoDB table name');
    const queueUrl = process.env.PODLAB_REGRADE_QUEUE_URL;
    instance = createRegrader(
      createDynamoRepository({ client: new dynamodb.DynamoDBClient({}), tableName }),
      () => new Date(),
      queueUrl ? (next) => sendQueueMessage({ queueUrl, body: JSON.stringify(next) }) : undefined,
      // Regraded grades reach the LMS (passback, webhooks) as they do from the API.
      lmsEvents(lmsService(yamlScorePolicy), {
        ...(process.env.PODLAB_PUBLIC_URL ? { publicUrl: process.env.PODLAB_PUBLIC_URL } : {}),
        onError: (err) =>
          console.error(JSON.stringify({ level: 'error', msg: 'lms hook failed', error: String(err) })),
      }),
    );
  }
  return instance;
}

/** Regrades one submission (for callers in the same process, e.g. another worker). */
export function regradeSubmission(id: string): Promise<'regraded' | 'unchanged' | 'missing'> {
  return worker().regradeSubmission(id);
}

/** The Lambda handler. */
export const handler = (event: SqsEvent): Promise<SqsBatchResponse> => worker().handle(event);
