/**
 * The stateless stack: the five functions, the HTTP API in front of the API function, the SQS
 * queues between them (each with a dead-letter queue) and the alarms. Everything here can be
 * destroyed and recreated without losing data; the table comes from PodlabDataStack.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { RecursiveLoop } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { PodlabAlarms } from './alarms.ts';
import type { PodlabConfig } from './config.ts';
import { TABLE_SCHEMA } from './data-stack.ts';
import { entryOf } from './entries.ts';
import { FUNCTION_LOG_RETENTION, PodlabFunction } from './podlab-function.ts';
import { WorkQueue } from './queues.ts';

/** Environment variable names the functions read. */
export const ENV = {
  table: 'PODLAB_TABLE',
  regradeQueueUrl: 'PODLAB_REGRADE_QUEUE_URL',
  passbackQueueUrl: 'PODLAB_PASSBACK_QUEUE_URL',
  webhookQueueUrl: 'PODLAB_WEBHOOK_QUEUE_URL',
  stage: 'PODLAB_STAGE',
  publicUrl: 'PODLAB_PUBLIC_URL',
  graderFunction: 'PODLAB_GRADER_FUNCTION',
} as const;

/**
 * Memory, timeout and queue settings per function. Memory buys CPU on Lambda (1,769 MB = one
 * vCPU); the simulator is CPU-bound (the grader and regrade worker), the API waits on the
 * grader and DynamoDB, the LMS workers on the network.
 */
export const FUNCTION_SIZING = {
  api: { memorySize: 512, timeout: Duration.seconds(25) },
  // Within the API's timeout, so that a slow grading is the API's clean error, not a hang.
  grader: { memorySize: 1769, timeout: Duration.seconds(20) },
  regrade: { memorySize: 1024, timeout: Duration.minutes(5) },
  // A batch of 5 jobs runs one after the other, each HTTP attempt up to 15 s (lms.md).
  passback: { memorySize: 256, timeout: Duration.seconds(120) },
  delivery: { memorySize: 256, timeout: Duration.seconds(120) },
} as const;

/** Props of {@link PodlabApiStack}. */
export interface PodlabApiStackProps extends StackProps {
  readonly config: PodlabConfig;
  readonly table: ITable;
}

/** Functions, HTTP API, queues and alarms of one podlab stage. */
export class PodlabApiStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<'api' | 'grader' | 'regrade' | 'passback' | 'delivery', PodlabFunction>;
  readonly queues: Record<'regrade' | 'passback' | 'webhook', WorkQueue>;
  readonly alarms: PodlabAlarms;

  constructor(scope: Construct, id: string, props: PodlabApiStackProps) {
    super(scope, id, props);
    const { config, table } = props;

    const sixTimes = (d: Duration) => Duration.seconds(d.toSeconds() * 6);
    this.queues = {
      regrade: new WorkQueue(this, 'Regrade', {
        visibilityTimeout: sixTimes(FUNCTION_SIZING.regrade.timeout),
        maxReceiveCount: 5,
      }),
      passback: new WorkQueue(this, 'Passback', {
        visibilityTimeout: sixTimes(FUNCTION_SIZING.passback.timeout),
        maxReceiveCount: 10,
      }),
      // Retries are new messages re-armed by the workers (delays <= 15 min, functions/lms/queues.ts),
      // so maxReceiveCount only counts crashed or failed receipts of one message.
      webhook: new WorkQueue(this, 'Webhook', {
        visibilityTimeout: sixTimes(FUNCTION_SIZING.delivery.timeout),
        maxReceiveCount: 10,
        retentionPeriod: Duration.days(4),
      }),
    };
    const urls = {
      [ENV.regradeQueueUrl]: this.queues.regrade.queue.queueUrl,
      [ENV.passbackQueueUrl]: this.queues.passback.queue.queueUrl,
      [ENV.webhookQueueUrl]: this.queues.webhook.queue.queueUrl,
    };
    const common = { [ENV.table]: table.tableName, [ENV.stage]: config.stage };
    const logGroupName = (what: string) => `/podlab/${config.stage}/${what}`;

    const api = new PodlabFunction(this, 'Api', {
      entry: entryOf('api'),
      logGroupName: logGroupName('api'),
      ...FUNCTION_SIZING.api,
      environment: { ...common, ...urls },
      includeWeb: true,
    });
    // Stateless: everything it needs comes in the API's request; no table, no queue.
    const grader = new PodlabFunction(this, 'Grader', {
      entry: entryOf('grader'),
      logGroupName: logGroupName('grader'),
      ...FUNCTION_SIZING.grader,
      environment: { [ENV.stage]: config.stage },
    });
    api.fn.addEnvironment(ENV.graderFunction, grader.fn.functionName);
    // The API invokes the unqualified function only: no `:*` for versions and aliases, which
    // `grantInvoke` would add.
    api.fn.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [grader.fn.functionArn] }),
    );
    // Page chains (functions/regrade/worker.ts) run one hop per page of submissions: more than
    // 16 pages is a normal course, so loop detection must not cut the chain.
    const regrade = new PodlabFunction(this, 'RegradeWorker', {
      entry: entryOf('regrade'),
      recursiveLoop: RecursiveLoop.ALLOW,
      logGroupName: logGroupName('regrade'),
      ...FUNCTION_SIZING.regrade,
      environment: { ...common, ...urls },
    });
    // The LMS workers wait out back-offs longer than SQS's 15-minute delay by sending the job
    // back to their own queue (functions/lms/queues.ts): a legitimate chain of dozens of hops
    // that Lambda's loop detection would cut after 16.
    const passback = new PodlabFunction(this, 'PassbackWorker', {
      entry: entryOf('passback'),
      logGroupName: logGroupName('passback'),
      ...FUNCTION_SIZING.passback,
      recursiveLoop: RecursiveLoop.ALLOW,
      environment: {
        ...common,
        [ENV.passbackQueueUrl]: urls[ENV.passbackQueueUrl],
        [ENV.webhookQueueUrl]: urls[ENV.webhookQueueUrl],
      },
    });
    const delivery = new PodlabFunction(this, 'DeliveryWorker', {
      entry: entryOf('delivery'),
      logGroupName: logGroupName('delivery'),
      ...FUNCTION_SIZING.delivery,
      recursiveLoop: RecursiveLoop.ALLOW,
      environment: { ...common, [ENV.webhookQueueUrl]: urls[ENV.webhookQueueUrl] },
    });
    this.functions = { api, grader, regrade, passback, delivery };

    // Least privilege: data access on the one table; each producer may only send to the queues
    // it feeds (the workers re-arm or chain their own jobs: retries and next pages are new messages);
    // consuming (receive/delete) is granted by the event source mappings below.
    for (const f of [api, regrade, passback, delivery]) f.fn.addToRolePolicy(tableDataAccess(table));
    // The regrade worker walks a scenario's pages by sending the next page's message to its own queue.
    for (const producer of [api, regrade]) this.queues.regrade.queue.grantSendMessages(producer.fn);
    for (const producer of [api, regrade, passback])
      this.queues.passback.queue.grantSendMessages(producer.fn);
    for (const producer of [api, regrade, passback, delivery]) {
      this.queues.webhook.queue.grantSendMessages(producer.fn);
    }

    // One message per page of submissions: one page per invocation, so a failure retries one page.
    regrade.fn.addEventSource(
      new SqsEventSource(this.queues.regrade.queue, {
        batchSize: 1,
        maxConcurrency: 5,
        reportBatchItemFailures: true,
      }),
    );
    passback.fn.addEventSource(
      new SqsEventSource(this.queues.passback.queue, {
        batchSize: 5,
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );
    delivery.fn.addEventSource(
      new SqsEventSource(this.queues.webhook.queue, {
        batchSize: 5,
        maxConcurrency: 2,
        reportBatchItemFailures: true,
      }),
    );

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: `podlab-${config.stage}`,
      description: `podlab ${config.stage}: HTTP API and web page`,
      createDefaultStage: false,
      defaultIntegration: new HttpLambdaIntegration('ApiIntegration', api.fn, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
      ...(config.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...config.corsOrigins],
              allowMethods: [
                CorsHttpMethod.GET,
                CorsHttpMethod.PUT,
                CorsHttpMethod.POST,
                CorsHttpMethod.OPTIONS,
              ],
              allowHeaders: ['authorization', 'content-type', 'accept', 'idempotency-key'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG4',
      reason:
        'the app authorizes every request itself (bearer tokens stored as SHA-256 hashes, roles and courses: functions/service/tokens.ts); the web page, JWKS, LTI login/launch and signed inbound webhooks must be reachable without a token',
    });
    // Links in webhooks and LTI messages point here (no trailing slash).
    const publicUrl = config.publicUrl ?? this.api.apiEndpoint;
    for (const f of [api, regrade]) f.fn.addEnvironment(ENV.publicUrl, publicUrl);

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      logGroupName: logGroupName('api-access'),
      retention: FUNCTION_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: config.throttleRateLimit, burstLimit: config.throttleBurstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTimeEpoch',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            bytes: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationLatencyMs: '$context.integrationLatency',
            error: '$context.error.message',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });

    const topic = config.alarmEmail
      ? new Topic(this, 'AlarmTopic', { displayName: `podlab ${config.stage} alarms`, enforceSSL: true })
      : undefined;
    if (topic && config.alarmEmail) topic.addSubscription(new EmailSubscription(config.alarmEmail));
    this.alarms = new PodlabAlarms(this, 'Alarms', {
      stage: config.stage,
      functions: {
        api: api.fn,
        grader: grader.fn,
        regrade: regrade.fn,
        passback: passback.fn,
        delivery: delivery.fn,
      },
      deadLetterQueues: {
        regrade: this.queues.regrade.deadLetterQueue,
        passback: this.queues.passback.deadLetterQueue,
        webhook: this.queues.webhook.deadLetterQueue,
      },
      api: this.api,
      ...(topic ? { topic } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'podlab API and web page' });
    new CfnOutput(this, 'TableName', { value: table.tableName, description: 'podlab DynamoDB table' });
    if (topic) new CfnOutput(this, 'AlarmTopicArn', { value: topic.topicArn });
  }
}

/**
 * The DynamoDB calls podlab's storage makes (functions/storage/dynamo.ts, functions/lms/store.ts),
 * on the table and on each of its named indexes: no `index/*` wildcard and no stream, scan,
 * batch, describe or table-management action, which `grantReadWriteData` would also give.
 */
export const TABLE_DATA_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
] as const;

function tableDataAccess(table: ITable): PolicyStatement {
  return new PolicyStatement({
    actions: [...TABLE_DATA_ACTIONS],
    resources: [
      table.tableArn,
      ...TABLE_SCHEMA.globalSecondaryIndexes.map((g) => `${table.tableArn}/index/${g.indexName}`),
    ],
  });
}
