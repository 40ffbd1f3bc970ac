/**
 * The LMS through the HTTP API: the app as `podlab serve` builds it (real graders, the embedded
 * dynalite store without the SDK, LMS routes and events, the store-backed queue) with a real
 * local LMS on loopback.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { localLms } from '../../functions/lms/local.ts';
import { lmsRoutes } from '../../functions/lms/routes.ts';
import { signedHeaders } from '../../functions/lms/webhooks.ts';
import { lmsEvents } from '../../functions/lms/wiring.ts';
import { type EmbeddedStore, startEmbeddedStore } from '../../functions/local/embedded-store.ts';
import { realGrader } from '../../functions/service/grader.ts';
import { createToken, LTI_SESSION_MS } from '../../functions/service/tokens.ts';
import { createDynamoRepository } from '../../functions/storage/dynamo.ts';
import { ensureTable } from '../../functions/storage/table.ts';
import { type Peer, startPeer } from './peer.ts';

const fixture = (f: string) => readFileSync(`test/api/fixtures/${f}`, 'utf8');
let db: EmbeddedStore;
let peer: Peer;
let app: ReturnType<typeof createApp>;
let queue: ReturnType<typeof localLms>['queue'];
let teacher: string;
let student: string;

const call = async (
  method: string,
  path: string,
  token: string | undefined,
  body?: string,
  type = 'application/json',
  headers: Record<string, string> = {},
) => {
  const res = await app.request(path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': type } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text, res };
};

/** Moves the app's clock forward (session expiry). */
let clockSkewMs = 0;

beforeAll(async () => {
  db = await startEmbeddedStore();
  await ensureTable(db.client, 'podlab');
  const repo = createDynamoRepository({ transport: db.transport, tableName: 'podlab' });
  const lms = localLms(db.client, 'podlab', repo, {
    allowPrivate: true,
    onError: (e) => console.error(e),
    transport: db.transport,
  });
  queue = lms.queue;
  app = createApp({
    repo,
    grader: realGrader,
    clock: () => new Date(Date.now() + clockSkewMs),
    routes: [lmsRoutes(lms.lms)],
    events: lmsEvents(lms.lms, { publicUrl: 'http://podlab.test' }),
  });
  teacher = (await createToken(repo, { role: 'instructor', user: 'teacher', course: 'k8s', now: new Date() }))
    .token;
  student = (await createToken(repo, { role: 'student', user: 'ada', course: 'k8s', now: new Date() })).token;
  expect(
    (await call('PUT', '/v1/scenarios/quick', teacher, fixture('quick.scenario.yaml'), 'text/yaml')).status,
  ).toBeLessThan(300);
  peer = await startPeer(() => ({ keys: [] }));
});
afterAll(async () => {
  await peer?.close();
  await db?.close();
});

describe('webhooks through the API', () => {
  it('GIVEN an instructor endpoint WHEN a student submits THEN the receiver gets submission.graded with thin data', async () => {
    const created = await call(
      'POST',
      '/v1/webhooks/endpoints',
      teacher,
      JSON.stringify({
        url: `${peer.url}/webhooks`,
        eventTypes: ['submission.graded', 'submission.rejected'],
      }),
    );
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(created.body.endpoint.secrets).toBeUndefined();
    peer.webhookSecrets.push(created.body.secret);
    const sub = await call(
      'POST',
      '/v1/scenarios/quick/submissions',
      student,
      fixture('quick.solution.yaml'),
      'text/yaml',
    );
    expect(sub.status).toBe(201);
    await queue.run();
    const graded = peer.log.webhooks.find((w) => w.type === 'submission.graded');
    expect(JSON.parse(graded!.body).data).toMatchObject({
      submission_id: sub.body.id,
      student: 'ada',
      scenario: 'quick',
      score: sub.body.score,
      max_score: sub.body.max_score,
      attempt: 1,
      result_url: `http://podlab.test/v1/submissions/${sub.body.id}`,
    });
    const deliveries = await call('GET', '/v1/webhooks/deliveries', teacher);
    expect(deliveries.body.items[0]).toMatchObject({ type: 'submission.graded', state: 'delivered' });
    // Students manage nothing here.
    expect((await call('GET', '/v1/webhooks/deliveries', student)).status).toBe(403);
    const replay = await call(
      'POST',
      `/v1/webhooks/deliveries/${deliveries.body.items[0].id}/replay`,
      teacher,
    );
    expect(replay.status).toBe(202);
  });
});

describe('signed inbound webhooks', () => {
  it('a submission made in the LMS is graded like one over the API, once per webhook-id', async () => {
    const made = await call('POST', '/v1/lms/inbound-secret', teacher);
    expect(made.status).toBe(201);
    const body = JSON.stringify({
      type: 'submission.created',
      timestamp: new Date().toISOString(),
      data: { student: 'grace', scenario: 'quick', manifest: fixture('quick.solution.yaml') },
    });
    const headers = signedHeaders([made.body.secret], 'evt_1', Math.floor(Date.now() / 1000), body);
    const first = await call(
      'POST',
      '/v1/lms/webhooks?course=k8s',
      undefined,
      body,
      'application/json',
      headers,
    );
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'graded' });
    const again = await call(
      'POST',
      '/v1/lms/webhooks?course=k8s',
      undefined,
      body,
      'application/json',
      headers,
    );
    expect(again.body).toEqual({ duplicate: true });
    const list = await call('GET', '/v1/scenarios/quick/submissions', teacher);
    expect(list.body.items.filter((s: { student: string }) => s.student === 'grace')).toHaveLength(1);
    const tampered = await call(
      'POST',
      '/v1/lms/webhooks?course=k8s',
      undefined,
      body.replace('grace', 'mallory'),
      'application/json',
      {
        ...headers,
        'webhook-id': 'evt_2',
      },
    );
    expect(tampered.status).toBe(401);
    const stale = signedHeaders([made.body.secret], 'evt_3', Math.floor(Date.now() / 1000) - 600, body);
    expect(
      (await call('POST', '/v1/lms/webhooks?course=k8s', undefined, body, 'application/json', stale)).status,
    ).toBe(401);
  });
});

describe('LTI endpoints', () => {
  it('publishes the tool JWKS and refuses a launch with an unknown state', async () => {
    const jwks = await call('GET', '/.well-known/jwks.json', undefined);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(jwks.body.keys[0].d).toBeUndefined();
    const form = new URLSearchParams({ id_token: 'x.y.z', state: 'nope' }).toString();
    expect(
      (await call('POST', '/v1/lti/launch', undefined, form, 'application/x-www-form-urlencoded')).status,
    ).toBe(401);
    const reg = await call(
      'PUT',
      '/v1/lti/registrations',
      teacher,
      JSON.stringify({
        issuer: peer.issuer,
        clientId: peer.clientId,
        deploymentId: peer.deploymentId,
        authLoginUrl: `${peer.url}/auth`,
        tokenUrl: `${peer.url}/token`,
        jwksUrl: `${peer.url}/jwks`,
      }),
    );
    expect(reg.status).toBe(200);
    const login = await app.request(
      `/v1/lti/login?iss=${encodeURIComponent(peer.issuer)}&login_hint=u1&client_id=${peer.clientId}`,
    );
    expect(login.status).toBe(302);
    const location = new URL(login.headers.get('location')!);
    expect(location.searchParams.get('redirect_uri')).toMatch(/\/v1\/lti\/launch$/);
    const state = location.searchParams.get('state')!;
    const idToken = await peer.idToken({
      sub: 'u1',
      nonce: location.searchParams.get('nonce')!,
      custom: { scenario: 'quick' },
    });
    const launch = await app.request('/v1/lti/launch', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ id_token: idToken, state }).toString(),
    });
    expect(launch.status).toBe(302);
    const landing = new URL(launch.headers.get('location')!, 'http://podlab.test');
    const q = new URLSearchParams(landing.hash.split('?')[1]);
    expect(q.get('scenario')).toBe('quick');
    const me = await call('GET', '/v1/me', q.get('token')!);
    expect(me.body).toEqual({ user: 'u1@127.0.0.1', role: 'student', course: 'k8s' });

    // The session token lasts LTI_SESSION_MS: then the student launches again from the LMS.
    try {
      clockSkewMs = LTI_SESSION_MS - 60_000;
      expect((await call('GET', '/v1/me', q.get('token')!)).status).toBe(200);
      clockSkewMs = LTI_SESSION_MS + 1000;
      const expired = await call('GET', '/v1/me', q.get('token')!);
      expect(expired.status).toBe(401);
      expect(expired.body).toEqual({
        error: {
          code: 'unauthorized',
          message: 'your session has expired: open the lab again from your course',
        },
      });
      // Tokens without an expiry (created by instructors) are unaffected.
      expect((await call('GET', '/v1/me', student)).status).toBe(200);
    } finally {
      clockSkewMs = 0;
    }
  });
});

describe('instructor-only LMS routes', () => {
  // course-admin.ts refuses before anything else happens: a student gets the same 403, whatever they send.
  const routes: [string, string, string?][] = [
    ['PUT', '/v1/lti/registrations', '{"issuer":"https://lms.test"}'],
    ['GET', '/v1/lti/sync?scenario=quick'],
    ['POST', '/v1/lti/sync', '{"scenario":"quick"}'],
    ['POST', '/v1/lti/sync', 'not json'],
    ['POST', '/v1/webhooks/endpoints', '{"url":"https://example.test/hook"}'],
    ['GET', '/v1/webhooks/endpoints'],
    ['POST', '/v1/webhooks/endpoints/ep_x/rotate'],
    ['GET', '/v1/webhooks/deliveries'],
    ['POST', '/v1/webhooks/deliveries/msg_x/replay'],
    ['POST', '/v1/lms/inbound-secret'],
  ];
  for (const [method, path, body] of routes)
    it(`${method} ${path}${body ? ` with ${body}` : ''} refuses a student`, async () => {
      const r = await call(method, path, student, body);
      expect(r.status).toBe(403);
      expect(r.body.error).toMatchObject({
        code: 'forbidden',
        message: 'only instructors manage LMS integration',
      });
    });

  it('answers the instructor of the course', async () => {
    expect((await call('GET', '/v1/webhooks/endpoints', teacher)).status).toBe(200);
    expect((await call('GET', '/v1/lti/sync?scenario=quick', teacher)).status).toBe(200);
  });
});
