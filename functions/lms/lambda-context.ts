/** The LMS service as the Lambda workers build it from their environment (once per container). */
import { dynamodb } from '../aws-sdk.ts';
import { createDynamoRepository } from '../storage/dynamo.ts';
import { repositoryGrades } from './grades.ts';
import { type JobMessage, SqsJobQueue } from './queues.ts';
import type { ScorePolicyOf } from './score-policy.ts';
import { LmsService } from './service.ts';
import { LmsStore } from './store.ts';

let service: LmsService | undefined;

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`environment variable ${name} is not set`);
  return v;
}

/**
 * The service wired to the table and queues named by PODLAB_TABLE and PODLAB_*_QUEUE_URL, made
 * on the first call (`scorePolicyOf` then reads stored scenarios' score policies).
 */
export function lmsService(scorePolicyOf: ScorePolicyOf): LmsService {
  if (service) return service;
  const client = new dynamodb.DynamoDBClient({});
  const table = env('PODLAB_TABLE');
  const store = new LmsStore(client, table);
  const queue = new SqsJobQueue({
    webhook: process.env.PODLAB_WEBHOOK_QUEUE_URL,
    passback: process.env.PODLAB_PASSBACK_QUEUE_URL,
  });
  service = new LmsService({
    store,
    queue,
    grades: repositoryGrades(createDynamoRepository({ client, tableName: table }), scorePolicyOf),
    now: Date.now,
    random: Math.random,
    allowPrivate: false,
  });
  return service;
}

/** The shape of the SQS events the workers receive. */
export interface SqsEvent {
  Records: { messageId: string; body: string }[];
}

/**
 * Runs `job` for every record; failed records are reported back so SQS retries only those
 * (ReportBatchItemFailures), and reach the dead-letter queue after the redrive limit.
 */
export async function forEachJob(
  event: SqsEvent,
  job: (message: JobMessage) => Promise<unknown>,
): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      await job(JSON.parse(record.body) as JobMessage);
    } catch (err) {
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'job failed',
          messageId: record.messageId,
          error: (err as Error).message,
        }),
      );
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
}
