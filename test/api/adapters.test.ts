/**
 * The Lambda adapter on a real dynalite (through AWS_ENDPOINT_URL_DYNAMODB), the regrade
 * worker's SQS handler, and how storage faults reach clients (503 retryable, 500 opaque).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { startInvokeEndpoint } from '../../functions/local/invoke-endpoint.ts';
import { createRegrader } from '../../functions/regrade/worker.ts';
import { realGrader } from '../../functions/service/grader.ts';
import { createToken } from '../../functions/service/tokens.ts';
import { type Repository, RetryableError } from '../../functions/storage/types.ts';
import { fixture, type Harness, quickScenario, startHarness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

function httpApiEvent(method: string, path: string, headers: Record<string, string>, body?: string) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers,
    requestContext: {
      accountId: '123',
      apiId: 'api',
      domainName: 'example.com',
      domainPrefix: 'example',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: 'r1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Mar/2026:10:00:00 +0000',
      timeEpoch: 0,
    },
    body,
    isBase64Encoded: false,
  };
}

describe('Lambda adapter', () => {
  it('serves the same app from an API Gateway HTTP API event, grading through the grader function, logging JSON lines', async () => {
    // The grader function's own handler behind the Lambda Invoke API on loopback.
    const { handler: grade } = await import('../../functions/grader/lambda.ts');
    const lambda = await startInvokeEndpoint({ 'podlab-test-grader': (e) => grade(e as never) });
    process.env.PODLAB_GRADER_FUNCTION = 'podlab-test-grader';
    process.env.AWS_ENDPOINT_URL_LAMBDA = lambda.endpoint;
    process.env.PODLAB_TABLE = 'podlab';
    process.env.AWS_ENDPOINT_URL_DYNAMODB = h.store.endpoint;
    process.env.AWS_REGION = 'local';
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    const teacher = await h.token('instructor', 'tina', 'lam');
    const lines: string[] = [];
    const original = console.log;
    console.log = (s: string) => lines.push(s);
    try {
      const { handler } = await import('../../functions/api/lambda.ts');
      const call = handler as unknown as (
        e: unknown,
        ctx: unknown,
      ) => Promise<{ statusCode: number; body: string }>;
      const me = await call(httpApiEvent('GET', '/v1/me', { authorization: `Bearer ${teacher}` }), {});
      expect(me.statusCode).toBe(200);
      expect(JSON.parse(me.body)).toEqual({ user: 'tina', role: 'instructor', course: 'lam' });
      const put = await call(
        httpApiEvent(
          'PUT',
          '/v1/scenarios/quick',
          { authorization: `Bearer ${teacher}`, 'content-type': 'text/yaml' },
          quickScenario(),
        ),
        {},
      );
      expect(put.statusCode).toBe(201);
      expect((await call(httpApiEvent('GET', '/v1/me', {}), {})).statusCode).toBe(401);
      const page = await call(httpApiEvent('GET', '/', {}), {});
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<html');
      // A rejected scenario comes back from the grader with its errors (422).
      const bad = await call(
        httpApiEvent(
          'PUT',
          '/v1/scenarios/quick',
          { authorization: `Bearer ${teacher}`, 'content-type': 'text/yaml' },
          'apiVersion: podlab/v1\nkind: Nope\n',
        ),
        {},
      );
      expect(bad.statusCode).toBe(422);
      expect(lambda.invocations.get('podlab-test-grader')).toBe(2);
    } finally {
      console.log = original;
      await lambda.close();
    }
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries[0]).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      path: '/v1/me',
      status: 200,
    });
    expect(entries.map((e) => e.status)).toEqual([200, 201, 401, 200, 422]);
  });
});

describe('regrade worker', () => {
  it('regrades one submission per message and reports failed messages for retry', async () => {
    const teacher = await h.token('instructor', 'wendy', 'wk');
    const student = await h.token('student', 'sam', 'wk');
    await h.json('PUT', '/v1/scenarios/quick', { token: teacher, type: 'text/yaml', body: quickScenario() });
    const sub = await h.json('POST', '/v1/scenarios/quick/submissions', {
      token: student,
      type: 'text/yaml',
      body: fixture('quick.solution.yaml'),
    });
    await h.json('PUT', '/v1/scenarios/quick', {
      token: teacher,
      type: 'text/yaml',
      body: quickScenario({ title: 'Quick pod v2' }),
    });
    const chained: unknown[] = [];
    const worker = createRegrader(
      h.repo,
      () => new Date(),
      async (next) => {
        chained.push(next);
      },
    );
    const out = await worker.handle({
      Records: [
        { messageId: 'm1', body: JSON.stringify({ submissionId: sub.body.id }) },
        { messageId: 'm2', body: JSON.stringify({ course: 'wk', scenario: 'quick' }) },
        { messageId: 'm3', body: JSON.stringify({ course: 'wk', scenario: 'no-such' }) },
      ],
    });
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm3' }]);
    expect(chained).toEqual([]);
    await h.json('POST', '/v1/scenarios/quick/submissions', {
      token: student,
      type: 'text/yaml',
      body: 'kind: [',
    });
    const paged = await worker.handle({
      Records: [{ messageId: 'p1', body: JSON.stringify({ course: 'wk', scenario: 'quick', limit: 1 }) }],
    });
    expect(paged.batchItemFailures).toEqual([]);
    expect(chained).toEqual([{ course: 'wk', scenario: 'quick', cursor: expect.any(String), limit: 1 }]);
    expect(await worker.regradeSubmission(String(sub.body.id))).toBe('unchanged');
    const detail = await h.json<{ history: unknown[] }>('GET', `/v1/submissions/${sub.body.id}`, {
      token: teacher,
    });
    expect(detail.body.history).toHaveLength(2);
  });
});

describe('storage faults', () => {
  function faulty(err: Error): Repository {
    return new Proxy(h.repo, {
      get(target, prop, receiver) {
        if (prop === 'getToken') return async () => Promise.reject(err);
        return Reflect.get(target, prop, receiver);
      },
    });
  }

  it('answers a throttled store with 503 and Retry-After', async () => {
    const app = createApp({
      repo: faulty(new RetryableError('ThrottlingException: slow down')),
      grader: realGrader,
      clock: () => new Date(),
    });
    const res = await app.request('/v1/me', { headers: { authorization: `Bearer plb_${'A'.repeat(43)}` } });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toMatchObject({ error: { code: 'unavailable' } });
  });

  it('answers a broken invariant with an opaque 500 and logs the details', async () => {
    const logs: Record<string, unknown>[] = [];
    const app = createApp({
      repo: faulty(new Error('secret internal detail')),
      grader: realGrader,
      clock: () => new Date(),
      log: (e) => logs.push(e),
    });
    const res = await app.request('/v1/me', { headers: { authorization: `Bearer plb_${'A'.repeat(43)}` } });
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain('secret internal detail');
    expect(JSON.parse(text).error.code).toBe('internal');
    expect(JSON.stringify(logs)).toContain('secret internal detail');
  });

  it('counts a retried submission once when the first try died between reserving and storing', async () => {
    let failNext = true;
    const crashing = new Proxy(h.repo, {
      get(target, prop, receiver) {
        if (prop === 'createSubmission') {
          return async (...args: Parameters<Repository['createSubmission']>) => {
            if (failNext) {
              failNext = false;
              throw new Error('process died before the put');
            }
            return target.createSubmission(...args);
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    });
    const app = createApp({ repo: crashing, grader: realGrader, clock: () => new Date() });
    const teacher = await h.token('instructor', 'cara', 'crash');
    const student = await h.token('student', 'cid', 'crash');
    const body = quickScenario({ name: 'crash', policy: '{maxAttempts: 1}' });
    const put = await app.request('/v1/scenarios/crash', {
      method: 'PUT',
      headers: { authorization: `Bearer ${teacher}`, 'content-type': 'text/yaml' },
      body,
    });
    expect(put.status).toBe(201);
    const send = () =>
      app.request('/v1/scenarios/crash/submissions', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${student}`,
          'content-type': 'text/yaml',
          'idempotency-key': 'once',
        },
        body: fixture('quick.solution.yaml'),
      });
    expect((await send()).status).toBe(500);
    const retry = await send();
    expect(retry.status).toBe(201);
    expect(((await retry.json()) as { attempt: number }).attempt).toBe(1);
    expect(await h.repo.attemptsUsed('crash', 'crash', 'cid')).toBe(1);
  });

  it('creates tokens only for well-formed user and course ids', async () => {
    await expect(
      createToken(h.repo, { role: 'student', user: 'a b', course: 'c', now: new Date() }),
    ).rejects.toThrow(/invalid user id/);
  });
});
