/**
 * AWS Lambda entry of the HTTP API (behind API Gateway HTTP API): the same app as
 * `podlab serve`, on the DynamoDB table named by PODLAB_TABLE, with one JSON log line per request,
 * and the web page from LAMBDA_TASK_ROOT/web. Grading runs in the grader function named by
 * PODLAB_GRADER_FUNCTION (functions/grader/), which keeps this bundle small and quick to load.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { handle } from 'hono/aws-lambda';
import { dynamodb, sendQueueMessage } from '../aws-sdk.ts';
import { remoteGrader } from '../grader/remote.ts';
import { lmsService } from '../lms/lambda-context.ts';
import { lmsRoutes } from '../lms/routes.ts';
import type { ScorePolicyOf } from '../lms/score-policy.ts';
import { lmsEvents } from '../lms/wiring.ts';
import { staticFiles } from '../local/static.ts';
import { createDynamoRepository } from '../storage/dynamo.ts';
import { createApp, type RouteModule } from './app.ts';

const tableName = process.env.PODLAB_TABLE;
if (!tableName) throw new Error('PODLAB_TABLE is not set: the API needs its DynamoDB table name');

/** The repository of this Lambda instance (one client, reused across invocations). */
export const repo = createDynamoRepository({ client: new dynamodb.DynamoDBClient({}), tableName });

const graderFunction = process.env.PODLAB_GRADER_FUNCTION;
if (!graderFunction)
  throw new Error('PODLAB_GRADER_FUNCTION is not set: the API grades through the grader function');

/** Parsing, grading and timelines: calls to the grader function. */
export const grader = remoteGrader(graderFunction);

/** A stored scenario's score policy, read through the grader (the API bundle has no YAML parser). */
const scorePolicyOf: ScorePolicyOf = async (yaml) => {
  const r = await grader.parse(yaml, 'scenario.yaml');
  return r.ok && r.scenario.policy.scorePolicy === 'latest' ? 'latest' : 'best';
};

/** The web page, copied next to the bundle (infra/podlab-function.ts), served at `/`. */
const webDir = join(process.env.LAMBDA_TASK_ROOT ?? process.cwd(), 'web');
const routes: RouteModule[] = [
  lmsRoutes(lmsService(scorePolicyOf)),
  ...(existsSync(webDir) ? [staticFiles(webDir)] : []),
];

/** Sends the first page message of a scenario's regrade to the regrade queue. */
function sendRegrade(queueUrl: string) {
  return (first: { course: string; scenario: string; limit?: number }) =>
    sendQueueMessage({ queueUrl, body: JSON.stringify(first) });
}

/** The app of this Lambda instance. */
export const app = createApp({
  routes,
  ...(process.env.PODLAB_REGRADE_QUEUE_URL
    ? { regradeQueue: sendRegrade(process.env.PODLAB_REGRADE_QUEUE_URL) }
    : {}),
  events: lmsEvents(lmsService(scorePolicyOf), {
    ...(process.env.PODLAB_PUBLIC_URL ? { publicUrl: process.env.PODLAB_PUBLIC_URL } : {}),
    onError: (err) =>
      console.error(JSON.stringify({ level: 'error', msg: 'lms hook failed', error: String(err) })),
  }),
  repo,
  grader,
  clock: () => new Date(),
  log: (entry) => console.log(JSON.stringify({ time: new Date().toISOString(), ...entry })),
});

/** The Lambda handler. */
export const handler = handle(app);
