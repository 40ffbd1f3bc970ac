import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV, FUNCTION_SIZING } from '../../infra/api-stack.ts';
import { type Synthesized, synth } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };

let s: Synthesized;
let fnIds: Record<'api' | 'grader' | 'regrade' | 'passback' | 'delivery', string>;
let queueIds: Record<'regrade' | 'passback' | 'webhook', { queue: string; dlq: string }>;
beforeAll(() => {
  s = synth();
  const id = (c: { node: { defaultChild?: unknown } }) =>
    s.stacks.api.getLogicalId(c.node.defaultChild as Parameters<typeof s.stacks.api.getLogicalId>[0]);
  const f = s.stacks.api.functions;
  fnIds = {
    api: id(f.api.fn),
    grader: id(f.grader.fn),
    regrade: id(f.regrade.fn),
    passback: id(f.passback.fn),
    delivery: id(f.delivery.fn),
  };
  const q = s.stacks.api.queues;
  queueIds = {
    regrade: { queue: id(q.regrade.queue), dlq: id(q.regrade.deadLetterQueue) },
    passback: { queue: id(q.passback.queue), dlq: id(q.passback.deadLetterQueue) },
    webhook: { queue: id(q.webhook.queue), dlq: id(q.webhook.deadLetterQueue) },
  };
});

/** Every IAM action granted to the role of the function with logical id `fnId`, by resource. */
function grants(t: Template, fnId: string): { action: string; resource: string }[] {
  const fn = t.findResources('AWS::Lambda::Function')[fnId] as Resource;
  const roleId = ((fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'] ?? [])[0];
  const out: { action: string; resource: string }[] = [];
  for (const p of Object.values(t.findResources('AWS::IAM::Policy')) as Resource[]) {
    const roles = p.Properties.Roles as { Ref: string }[];
    if (!roles.some((r) => r.Ref === roleId)) continue;
    const doc = p.Properties.PolicyDocument as {
      Statement: { Action: string | string[]; Resource: unknown }[];
    };
    for (const st of doc.Statement) {
      const actions = Array.isArray(st.Action) ? st.Action : [st.Action];
      const resources = Array.isArray(st.Resource) ? st.Resource : [st.Resource];
      for (const a of actions)
        for (const r of resources) out.push({ action: a, resource: JSON.stringify(r) });
    }
  }
  return out;
}

const sqsActionsOn = (g: { action: string; resource: string }[], queueId: string) =>
  [
    ...new Set(
      g
        .filter((x) => x.action.startsWith('sqs:') && x.resource.includes(`"${queueId}"`))
        .map((x) => x.action),
    ),
  ].sort();

describe('GIVEN the API stack of stage dev with default context', () => {
  it('WHEN synthesized THEN it has five functions, each Node.js 22 on arm64 with the index.handler ESM bundle', () => {
    s.api.resourceCountIs('AWS::Lambda::Function', 5);
    for (const [key, id] of Object.entries(fnIds)) {
      const fn = s.api.findResources('AWS::Lambda::Function')[id] as Resource;
      expect(fn.Properties, key).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        MemorySize: FUNCTION_SIZING[key as keyof typeof FUNCTION_SIZING].memorySize,
        Timeout: FUNCTION_SIZING[key as keyof typeof FUNCTION_SIZING].timeout.toSeconds(),
      });
    }
  });

  it.each([
    ['api', 'Terminate'],
    ['grader', 'Terminate'],
    ['regrade', 'Allow'],
    ['passback', 'Allow'],
    ['delivery', 'Allow'],
  ] as const)(
    'THEN recursive loop detection for the %s function is %s (workers chain or re-arm their own jobs)',
    (key, mode) => {
      const fn = s.api.findResources('AWS::Lambda::Function')[fnIds[key]] as Resource;
      expect(fn.Properties.RecursiveLoop).toBe(mode);
    },
  );

  it('THEN every function logs structured JSON into its own named log group kept one month', () => {
    s.api.resourceCountIs('AWS::Logs::LogGroup', 6); // five functions + API access logs
    s.api.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    const names = Object.values(s.api.findResources('AWS::Logs::LogGroup')).map(
      (g) => (g as Resource).Properties.LogGroupName,
    );
    expect(names.sort()).toEqual([
      '/podlab/dev/api',
      '/podlab/dev/api-access',
      '/podlab/dev/delivery',
      '/podlab/dev/grader',
      '/podlab/dev/passback',
      '/podlab/dev/regrade',
    ]);
    for (const id of Object.values(fnIds)) {
      const fn = s.api.findResources('AWS::Lambda::Function')[id] as Resource;
      expect(fn.Properties.LoggingConfig).toMatchObject({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'INFO',
        LogGroup: { Ref: expect.any(String) },
      });
    }
  });

  it.each([
    [
      'api',
      [
        ENV.table,
        ENV.regradeQueueUrl,
        ENV.passbackQueueUrl,
        ENV.webhookQueueUrl,
        ENV.publicUrl,
        ENV.graderFunction,
      ],
    ],
    ['grader', []],
    ['regrade', [ENV.table, ENV.regradeQueueUrl, ENV.passbackQueueUrl, ENV.webhookQueueUrl, ENV.publicUrl]],
    ['passback', [ENV.table, ENV.passbackQueueUrl, ENV.webhookQueueUrl]],
    ['delivery', [ENV.table, ENV.webhookQueueUrl]],
  ] as const)('THEN the %s function gets exactly the variables it needs: %j', (key, vars) => {
    const fn = s.api.findResources('AWS::Lambda::Function')[fnIds[key]] as Resource;
    const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(Object.keys(env).sort()).toEqual([...vars, ENV.stage, 'NODE_OPTIONS'].sort());
    expect(env.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(env[ENV.stage]).toBe('dev');
    if (vars.includes(ENV.webhookQueueUrl as never)) {
      expect(env[ENV.webhookQueueUrl]).toEqual({ Ref: queueIds.webhook.queue });
    }
    if (vars.includes(ENV.publicUrl as never)) {
      // The HTTP API's own endpoint, https://<api-id>.execute-api.<region>.<suffix>, no trailing slash.
      expect(env[ENV.publicUrl]).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/^HttpApi[0-9A-F]{8}$/), 'ApiEndpoint'],
      });
    }
  });

  it.each([
    ['regrade', 1800, 5, 345600],
    ['passback', 720, 10, 345600],
    ['webhook', 720, 10, 345600],
  ] as const)(
    'THEN the %s queue (visibility %is, 6x the worker timeout) dead-letters after %i receives',
    (key, visibility, receives, retention) => {
      const ids = queueIds[key];
      const queue = s.api.findResources('AWS::SQS::Queue')[ids.queue] as Resource;
      expect(queue.Properties).toEqual({
        VisibilityTimeout: visibility,
        MessageRetentionPeriod: retention,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [ids.dlq, 'Arn'] }, maxReceiveCount: receives },
      });
      const dlq = s.api.findResources('AWS::SQS::Queue')[ids.dlq] as Resource;
      expect(dlq.Properties).toEqual({ MessageRetentionPeriod: 1209600, SqsManagedSseEnabled: true });
    },
  );

  it('THEN the logical ids of the queues are pinned (a replaced queue would drop the messages in flight)', () => {
    expect(Object.keys(s.api.findResources('AWS::SQS::Queue')).sort()).toEqual([
      'PassbackDeadLetterQueue88BF2699',
      'PassbackQueue6D02F99B',
      'RegradeDeadLetterQueue301D18E4',
      'RegradeQueueE789EFE8',
      'WebhookDeadLetterQueueBA1474CF',
      'WebhookQueueCB2A9A4E',
    ]);
  });

  it('THEN every queue refuses requests without TLS', () => {
    s.api.resourceCountIs('AWS::SQS::QueuePolicy', 6);
    s.api.allResourcesProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it.each([
    ['regrade', 'regrade', 1, 5],
    ['passback', 'passback', 5, 2],
    ['delivery', 'webhook', 5, 2],
  ] as const)(
    'THEN the %s worker consumes the %s queue (batch %i, at most %i concurrent) reporting partial failures',
    (fnKey, queueKey, batch, concurrency) => {
      s.api.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: fnIds[fnKey] },
        EventSourceArn: { 'Fn::GetAtt': [queueIds[queueKey].queue, 'Arn'] },
        BatchSize: batch,
        ScalingConfig: { MaximumConcurrency: concurrency },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    },
  );

  it('THEN the API function is triggered by no queue, and no function consumes a dead-letter queue', () => {
    s.api.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
    const esms = Object.values(s.api.findResources('AWS::Lambda::EventSourceMapping')) as Resource[];
    for (const e of esms) {
      expect(e.Properties.FunctionName).not.toEqual({ Ref: fnIds.api });
      for (const q of Object.values(queueIds)) {
        expect(e.Properties.EventSourceArn).not.toEqual({ 'Fn::GetAtt': [q.dlq, 'Arn'] });
      }
    }
  });

  it('THEN one HTTP API sends every route ($default) to the API function as a Lambda proxy, payload 2.0', () => {
    s.api.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    s.api.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP', Name: 'podlab-dev' });
    s.api.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
    s.api.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: '$default',
      AuthorizationType: 'NONE',
      Target: { 'Fn::Join': ['', ['integrations/', { Ref: Match.stringLikeRegexp('ApiIntegration') }]] },
    });
    s.api.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: { 'Fn::GetAtt': [fnIds.api, 'Arn'] },
      PayloadFormatVersion: '2.0',
    });
    s.api.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnIds.api, 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
    });
  });

  it('THEN the auto-deployed $default stage throttles every route (50 req/s, burst 100) and writes access logs', () => {
    s.api.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    s.api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.stringLikeRegexp('\\$context\\.requestId'),
      },
    });
  });

  it('THEN there is no CORS configuration: the web page is served by the API on the same origin', () => {
    s.api.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
  });

  it('THEN the outputs give the API URL of the $default stage and the table name', () => {
    s.api.hasOutput('ApiUrl', {
      Value: {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: Match.stringLikeRegexp('^HttpApi') },
            Match.anyValue(),
            Match.anyValue(),
            Match.anyValue(),
            Match.anyValue(),
            '/',
          ],
        ],
      },
    });
    s.api.hasOutput('TableName', { Value: Match.objectLike({ 'Fn::GetStackOutput': Match.anyValue() }) });
  });
});

describe('GIVEN the alarms of stage dev without an alarm e-mail', () => {
  it('WHEN synthesized THEN each function has an errors and a throttles alarm (> 0 in 5 minutes)', () => {
    for (const [key, id] of Object.entries(fnIds)) {
      for (const metric of ['Errors', 'Throttles']) {
        s.api.hasResourceProperties('AWS::CloudWatch::Alarm', {
          AlarmName: `podlab-dev-${key}-${metric.toLowerCase()}`,
          Namespace: 'AWS/Lambda',
          MetricName: metric,
          Dimensions: [{ Name: 'FunctionName', Value: { Ref: id } }],
          Statistic: 'Sum',
          Period: 300,
          ComparisonOperator: 'GreaterThanThreshold',
          Threshold: 0,
          TreatMissingData: 'notBreaching',
        });
      }
    }
  });

  it('THEN each dead-letter queue alarms as soon as one message is visible', () => {
    for (const [key, ids] of Object.entries(queueIds)) {
      s.api.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `podlab-dev-${key}-dead-letters`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [ids.dlq, 'QueueName'] } }],
        Statistic: 'Maximum',
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
      });
    }
  });

  it('THEN the API alarms when more than 5% of requests in 5 minutes got a 5xx', () => {
    s.api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'podlab-dev-api-5xx-rate',
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(requests > 0, 100 * errors / requests, 0)', ReturnData: true }),
        Match.objectLike({
          Id: 'errors',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: '5xx', Namespace: 'AWS/ApiGateway' }),
          }),
        }),
        Match.objectLike({
          Id: 'requests',
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({ MetricName: 'Count', Namespace: 'AWS/ApiGateway' }),
          }),
        }),
      ]),
    });
  });

  it('THEN there are 14 alarms and, with no topic, none has an action', () => {
    s.api.resourceCountIs('AWS::CloudWatch::Alarm', 14);
    s.api.resourceCountIs('AWS::SNS::Topic', 0);
    s.api.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: Match.absent(),
      OKActions: Match.absent(),
    });
  });
});

describe('GIVEN the IAM roles of the functions (least privilege)', () => {
  it('WHEN synthesized THEN every function but the grader reads and writes the table and its indexes, and nothing else in DynamoDB', () => {
    for (const [key, id] of Object.entries(fnIds)) {
      if (key === 'grader') continue;
      const dynamo = grants(s.api, id).filter((g) => g.action.startsWith('dynamodb:'));
      expect(
        dynamo.map((g) => g.action),
        key,
      ).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ]),
      );
      for (const g of dynamo) {
        expect(g.resource, key).toMatch(/PublishOutputFnGetAttTableCD117FA1Arn/);
        expect(g.action, key).not.toMatch(/\*|CreateTable|DeleteTable|UpdateTable/);
      }
    }
  });

  it('THEN no role carries an AWS managed policy, and table access names the table and its two indexes, never index/*', () => {
    for (const role of Object.values(s.api.findResources('AWS::IAM::Role')) as Resource[])
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    for (const [key, id] of Object.entries(fnIds)) {
      const resources = new Set(
        grants(s.api, id)
          .filter((g) => g.action.startsWith('dynamodb:'))
          .map((g) => g.resource),
      );
      if (key === 'grader') expect(resources.size).toBe(0);
      else {
        expect([...resources].map((r) => (/\/index\/[^"]*/.exec(r) ?? ['table'])[0]).sort(), key).toEqual([
          '/index/gsi1',
          '/index/gsi2',
          'table',
        ]);
      }
    }
  });

  it('THEN the API function may send to the three work queues but never receive or delete', () => {
    const g = grants(s.api, fnIds.api);
    for (const q of ['regrade', 'passback', 'webhook'] as const) {
      expect(sqsActionsOn(g, queueIds[q].queue), q).toEqual([
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ]);
    }
    expect(g.map((x) => x.action)).not.toContain('sqs:ReceiveMessage');
    expect(g.map((x) => x.action)).not.toContain('sqs:DeleteMessage');
  });

  it.each([
    ['regrade', 'regrade', ['regrade', 'passback', 'webhook']],
    ['passback', 'passback', ['passback', 'webhook']],
    ['delivery', 'webhook', ['webhook']],
  ] as const)(
    'THEN the %s worker consumes only the %s queue and sends only to %j',
    (fnKey, consumed, sendsTo) => {
      const g = grants(s.api, fnIds[fnKey]);
      for (const [q, ids] of Object.entries(queueIds)) {
        const actions = sqsActionsOn(g, ids.queue);
        expect(actions.includes('sqs:ReceiveMessage'), `${fnKey} receives from ${q}`).toBe(q === consumed);
        expect(actions.includes('sqs:SendMessage'), `${fnKey} sends to ${q}`).toBe(
          (sendsTo as readonly string[]).includes(q),
        );
        expect(sqsActionsOn(g, ids.dlq), `${fnKey} on the ${q} DLQ`).toEqual([]);
      }
    },
  );

  it('THEN the grader function touches no table and no queue, and only the API function may invoke it', () => {
    const own = grants(s.api, fnIds.grader).map((g) => g.action);
    expect(own.filter((a) => a.startsWith('dynamodb:') || a.startsWith('sqs:'))).toEqual([]);
    for (const [key, id] of Object.entries(fnIds)) {
      const invokes = grants(s.api, id).filter(
        (g) => g.action === 'lambda:InvokeFunction' && g.resource.includes(fnIds.grader),
      );
      expect(invokes.length > 0, key).toBe(key === 'api');
    }
    const api = s.api.findResources('AWS::Lambda::Function')[fnIds.api] as Resource;
    const env = (api.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[ENV.graderFunction]).toEqual({ Ref: fnIds.grader });
  });

  it('THEN no statement grants an action or a resource as a bare wildcard', () => {
    for (const id of Object.values(fnIds)) {
      for (const g of grants(s.api, id)) {
        expect(g.action).not.toMatch(/^\*$|:\*$/);
        expect(g.resource).not.toBe('"*"');
      }
    }
  });
});

describe('GIVEN context with CORS origins, throttling and an alarm e-mail', () => {
  let t: Template;
  beforeAll(() => {
    t = synth({
      stage: 'staging',
      corsOrigins: 'https://canvas.example.edu, https://moodle.example.edu',
      throttleRateLimit: '10',
      throttleBurstLimit: '20',
      alarmEmail: 'ops@example.edu',
      publicUrl: 'https://podlab.example.edu',
    }).api;
  });

  it('WHEN a public URL is given THEN the API and the regrade worker link to it', () => {
    const fns = Object.values(t.findResources('AWS::Lambda::Function')) as Resource[];
    const urls = fns.map(
      (f) => (f.Properties.Environment as { Variables: Record<string, unknown> }).Variables[ENV.publicUrl],
    );
    expect(urls.filter((u) => u !== undefined)).toEqual([
      'https://podlab.example.edu',
      'https://podlab.example.edu',
    ]);
  });

  it('WHEN synthesized THEN the API answers CORS preflights for exactly those origins and the headers the API reads', () => {
    t.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: 'podlab-staging',
      CorsConfiguration: {
        AllowOrigins: ['https://canvas.example.edu', 'https://moodle.example.edu'],
        AllowMethods: ['GET', 'PUT', 'POST', 'OPTIONS'],
        AllowHeaders: ['authorization', 'content-type', 'accept', 'idempotency-key'],
        MaxAge: 3600,
        AllowCredentials: Match.absent(),
      },
    });
  });

  it('THEN the stage throttles at the given rate and burst', () => {
    t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 },
    });
  });

  it('THEN an SNS topic with the e-mail subscribed receives every alarm and its recovery', () => {
    t.resourceCountIs('AWS::SNS::Topic', 1);
    t.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.edu' });
    t.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('^AlarmTopic') }],
    });
    t.hasOutput('AlarmTopicArn', Match.anyValue());
  });
});
