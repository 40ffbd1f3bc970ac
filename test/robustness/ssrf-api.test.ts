/**
 * The reported attack end to end (issue 20 §2), on the app as `podlab serve` builds it with
 * its default guard (private webhooks not allowed): registering a loopback endpoint in any
 * spelling is refused with `unsafe_url`, and an endpoint stored before the fix is
 * refused again when the next graded submission is delivered. The listener is on 127.0.0.1.
 * An LTI registration's token and JWKS URLs, which podlab calls itself, pass the same guard.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { localLms } from '../../functions/lms/local.ts';
import { lmsRoutes } from '../../functions/lms/routes.ts';
import { LmsStore } from '../../functions/lms/store.ts';
import { lmsEvents } from '../../functions/lms/wiring.ts';
import { type LocalDynamo, startDynalite } from '../../functions/local/dynalite.ts';
import { realGrader } from '../../functions/service/grader.ts';
import { createToken } from '../../functions/service/tokens.ts';
import { createDynamoRepository } from '../../functions/storage/dynamo.ts';
import { ensureTable } from '../../functions/storage/table.ts';
import { fixture } from '../api/harness.ts';

let db: LocalDynamo;
let listener: Server;
let port = 0;
const hits: string[] = [];
let app: ReturnType<typeof createApp>;
let queue: ReturnType<typeof localLms>['queue'];
let teacher: string;
let student: string;

const call = async (
  method: string,
  path: string,
  token: string,
  body?: string,
  type = 'application/json',
) => {
  const res = await app.request(path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': type } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  return { status: res.status, body: JSON.parse(await res.text()) };
};

beforeAll(async () => {
  listener = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  port = (listener.address() as AddressInfo).port;
  db = await startDynalite();
  await ensureTable(db.client, 'podlab');
  const repo = createDynamoRepository({ client: db.client, tableName: 'podlab' });
  const lms = localLms(db.client, 'podlab', repo, { allowPrivate: false, onError: (e) => console.error(e) });
  queue = lms.queue;
  app = createApp({
    repo,
    grader: realGrader,
    clock: () => new Date(),
    routes: [lmsRoutes(lms.lms)],
    events: lmsEvents(lms.lms, { publicUrl: 'http://podlab.test' }),
  });
  teacher = (await createToken(repo, { role: 'instructor', user: 'teacher', course: 'k8s', now: new Date() }))
    .token;
  student = (await createToken(repo, { role: 'student', user: 'ada', course: 'k8s', now: new Date() })).token;
  const put = await call('PUT', '/v1/scenarios/quick', teacher, fixture('quick.scenario.yaml'), 'text/yaml');
  expect(put.status).toBeLessThan(300);
});
afterAll(async () => {
  await new Promise<void>((resolve) => (listener ? listener.close(() => resolve()) : resolve()));
  await db?.close();
});

describe('POST /v1/webhooks/endpoints with the guard on', () => {
  it.each([
    ['IPv4-mapped (the report)', () => `http://[::ffff:127.0.0.1]:${port}/x`],
    ['IPv4-compatible', () => `http://[::127.0.0.1]:${port}/x`],
    ['decimal', () => `http://2130706433:${port}/x`],
    ['octal', () => `http://0177.0.0.1:${port}/x`],
    ['hex', () => `http://0x7f.1:${port}/x`],
    ['short', () => `http://127.1:${port}/x`],
    ['localhost', () => `http://localhost:${port}/x`],
    ['metadata', () => 'http://169.254.169.254/latest/meta-data/'],
    ['NAT64 metadata', () => 'http://[64:ff9b::a9fe:a9fe]/latest/meta-data/'],
    ['a VPC address', () => 'http://10.0.12.7/hook'],
  ])('%s is refused with unsafe_url', async (_name, url) => {
    const r = await call('POST', '/v1/webhooks/endpoints', teacher, JSON.stringify({ url: url() }));
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('unsafe_url');
    expect(r.body.error.message).toMatch(/^the endpoint URL is refused: .* is not a public address/);
  });

  it('a URL that is not http(s) keeps its own refusal', async () => {
    const r = await call(
      'POST',
      '/v1/webhooks/endpoints',
      teacher,
      JSON.stringify({ url: 'ftp://hooks.example/x' }),
    );
    expect(r.status).toBe(422);
    expect(r.body.error).toMatchObject({ code: 'invalid_scenario', details: { reason: 'invalid_endpoint' } });
  });

  it('an endpoint stored before the fix is refused at delivery: the graded submission never reaches the listener', async () => {
    await new LmsStore(db.client, 'podlab').putEndpoint({
      course: 'k8s',
      id: 'ep_legacy',
      url: `http://[::ffff:7f00:1]:${port}/x`,
      secrets: [{ secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }],
      eventTypes: ['submission.graded'],
      disabled: false,
      createdAt: new Date().toISOString(),
    });
    const sub = await call(
      'POST',
      '/v1/scenarios/quick/submissions',
      student,
      fixture('quick.solution.yaml'),
      'text/yaml',
    );
    expect(sub.status).toBe(201);
    await queue.run();
    expect(hits).toEqual([]);
    const deliveries = await call('GET', '/v1/webhooks/deliveries', teacher);
    const [message] = deliveries.body.items;
    expect(message).toMatchObject({ type: 'submission.graded', state: 'pending' });
    expect(message.attempts[0].error).toMatch(/^refused: ::ffff:7f00:1 \(IPv4 127\.0\.0\.1, loopback\)/);
  });
});

describe('PUT /v1/lti/registrations with the guard on', () => {
  const registration = (over: Record<string, string>) =>
    JSON.stringify({
      issuer: 'https://lms.example',
      clientId: 'podlab',
      deploymentId: 'd1',
      authLoginUrl: 'https://lms.example/auth',
      tokenUrl: 'https://93.184.216.34/token',
      jwksUrl: 'https://93.184.216.34/jwks',
      ...over,
    });

  it.each([
    ['tokenUrl', 'metadata', 'http://169.254.169.254/latest/api/token'],
    ['tokenUrl', 'IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]/token'],
    ['jwksUrl', 'a VPC address in hex', 'http://0xa000001/jwks'],
    ['jwksUrl', 'localhost', 'http://localhost/jwks'],
  ])('%s on %s is refused with unsafe_url', async (field, _name, url) => {
    const r = await call('PUT', '/v1/lti/registrations', teacher, registration({ [field]: url }));
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('unsafe_url');
    expect(r.body.error.message).toMatch(new RegExp(`^${field} is refused: .* is not a public address`));
  });

  it("the login URL is only a browser redirect: a private one is the platform's business", async () => {
    const r = await call(
      'PUT',
      '/v1/lti/registrations',
      teacher,
      registration({
        authLoginUrl: 'http://10.0.0.1/auth',
        tokenUrl: 'http://93.184.216.34/token',
        jwksUrl: 'http://93.184.216.34/jwks',
      }),
    );
    expect(r.status).toBe(200);
  });
});
