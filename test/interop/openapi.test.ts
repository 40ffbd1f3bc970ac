/**
 * The served OpenAPI document against maintained third-party tools: Redocly CLI's `lint`
 * (recommended rules) finds no error in it, and every route of the API, the LMS ones included,
 * answers real requests (success and refusals) with a status, media type, headers and body
 * that the document declares, checked by openapi-backend's response validator (ajv).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { OpenAPIBackend, type Operation } from 'openapi-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../functions/api/app.ts';
import { repositoryGrades } from '../../functions/lms/grades.ts';
import { StoreJobQueue } from '../../functions/lms/queues.ts';
import { lmsRoutes } from '../../functions/lms/routes.ts';
import { yamlScorePolicy } from '../../functions/lms/score-policy.ts';
import { LmsService } from '../../functions/lms/service.ts';
import { LmsStore } from '../../functions/lms/store.ts';
import { signedHeaders } from '../../functions/lms/webhooks.ts';
import { lmsEvents } from '../../functions/lms/wiring.ts';
import { type LocalDynamo, startDynalite } from '../../functions/local/dynalite.ts';
import { realGrader } from '../../functions/service/grader.ts';
import { createToken } from '../../functions/service/tokens.ts';
import { createDynamoRepository } from '../../functions/storage/dynamo.ts';
import { ensureTable } from '../../functions/storage/table.ts';
import { fixture } from '../api/harness.ts';
import { type Peer, startPeer } from '../lms/peer.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

/** The app's clock: the wall clock, which the test LMS signs launches and webhooks with too. */
const clock = () => Date.now();

let db: LocalDynamo;
let peer: Peer;
let lms: LmsService;
let queue: StoreJobQueue;
let app: ReturnType<typeof createApp>;
let doc: Record<string, unknown>;
let api: OpenAPIBackend;
let teacher: string;
let student: string;

/** Every answer checked against the document, by operation id. */
const seen = new Map<string, Set<number>>();
const problems: string[] = [];

function mediaTypeOf(res: Response): string | undefined {
  return res.headers.get('content-type')?.split(';')[0]?.trim();
}

/** Sends a request and checks the answer against the operation the document gives for it. */
async function call(
  method: string,
  path: string,
  options: { token?: string; body?: string; type?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; text: string; res: Response; json: () => Record<string, unknown> }> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.type) headers['content-type'] = options.type;
  const res = await app.request(path, {
    method,
    headers,
    redirect: 'manual',
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
  const text = await res.text();
  const url = new URL(path, 'http://podlab.test');
  const op = api.matchOperation({
    method,
    path: url.pathname,
    query: url.search.slice(1),
    headers,
  }) as Operation | undefined;
  const where = `${method} ${url.pathname} -> ${res.status}`;
  if (!op?.operationId) {
    problems.push(`${where}: no operation in the document`);
    return { status: res.status, text, res, json: () => JSON.parse(text) };
  }
  if (!seen.has(op.operationId)) seen.set(op.operationId, new Set());
  seen.get(op.operationId)!.add(res.status);
  const declared = op.responses?.[String(res.status)] as
    | { content?: Record<string, unknown>; headers?: Record<string, { required?: boolean }> }
    | undefined;
  if (!declared) {
    problems.push(`${where}: status not declared for ${op.operationId}`);
  } else {
    const type = mediaTypeOf(res);
    if (declared.content && text !== '') {
      if (!type || !(type in declared.content))
        problems.push(
          `${where}: media type ${type} not declared (${Object.keys(declared.content).join(', ')})`,
        );
      else if (type === 'application/json') {
        const verdict = api.validateResponse(JSON.parse(text), op, res.status);
        if (verdict.errors?.length) problems.push(`${where}: body ${JSON.stringify(verdict.errors)}`);
      }
    } else if (!declared.content && text !== '' && type === 'application/json') {
      problems.push(`${where}: a JSON body where the document declares none`);
    }
    for (const [name, h] of Object.entries(declared.headers ?? {}))
      if (h.required && !res.headers.has(name)) problems.push(`${where}: header ${name} missing`);
  }
  return { status: res.status, text, res, json: () => JSON.parse(text) };
}

beforeAll(async () => {
  db = await startDynalite();
  await ensureTable(db.client, 'podlab');
  const repo = createDynamoRepository({ client: db.client, tableName: 'podlab', now: clock });
  const store = new LmsStore(db.client, 'podlab');
  queue = new StoreJobQueue(store, clock);
  lms = new LmsService({
    store,
    queue,
    grades: repositoryGrades(repo, yamlScorePolicy),
    now: clock,
    random: () => 0.5,
    allowPrivate: true, // the test LMS listens on loopback
  });
  queue.handler = (kind, ref) => (kind === 'webhook' ? lms.deliver(ref) : lms.sync(ref));
  const key = await lms.toolKey();
  peer = await startPeer(() => ({ keys: [key.publicJwk] }));
  app = createApp({
    repo,
    grader: realGrader,
    clock: () => new Date(clock()),
    routes: [lmsRoutes(lms)],
    events: lmsEvents(lms, { publicUrl: 'http://podlab.test' }),
  });
  const now = new Date(clock());
  teacher = (await createToken(repo, { role: 'instructor', user: 'teacher', course: 'k8s', now })).token;
  student = (await createToken(repo, { role: 'student', user: 'ada', course: 'k8s', now })).token;
  doc = (await (await app.request('/openapi.json')).json()) as Record<string, unknown>;
  // Quick mode skips openapi-backend's own document check, which knows OpenAPI 3.0 only; the
  // 3.1 document is checked by Redocly below.
  api = new OpenAPIBackend({
    definition: structuredClone(doc) as never,
    strict: true,
    quick: true,
    ajvOpts: { strict: false },
  });
  await api.init();
});
afterAll(async () => {
  await peer?.close();
  await db?.close();
});

describe('the served OpenAPI document', () => {
  it('passes Redocly CLI lint (recommended rules) with no error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podlab-openapi-'));
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const cli = join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
    const { stdout } = await run(process.execPath, [cli, 'lint', file, '--format=json'], {
      env: {
        ...process.env,
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        NO_COLOR: '1',
      },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      totals: { errors: number };
      problems: { ruleId: string; severity: string; message: string }[];
    };
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
  });

  it('GIVEN real requests to every route THEN every answer is one the document declares', async () => {
    // Service and scenarios.
    expect((await call('GET', '/healthz')).status).toBe(200);
    expect((await call('GET', '/openapi.json')).status).toBe(200);
    expect((await call('GET', '/v1/me', { token: student })).status).toBe(200);
    expect((await call('GET', '/v1/me')).status).toBe(401);
    const yaml = fixture('quick.scenario.yaml');
    expect(
      (await call('PUT', '/v1/scenarios/quick', { token: teacher, body: yaml, type: 'text/yaml' })).status,
    ).toBe(201);
    expect(
      (await call('PUT', '/v1/scenarios/quick', { token: teacher, body: yaml, type: 'text/yaml' })).status,
    ).toBe(200);
    expect(
      (await call('PUT', '/v1/scenarios/quick', { token: student, body: yaml, type: 'text/yaml' })).status,
    ).toBe(403);
    expect(
      (await call('PUT', '/v1/scenarios/bad', { token: teacher, body: 'kind: [', type: 'text/yaml' })).status,
    ).toBe(422);
    expect(
      (await call('PUT', '/v1/scenarios/bad', { token: teacher, body: '{}', type: 'image/png' })).status,
    ).toBe(415);
    expect((await call('GET', '/v1/scenarios', { token: student })).status).toBe(200);
    expect((await call('GET', '/v1/scenarios/quick', { token: student })).status).toBe(200);
    expect((await call('GET', '/v1/scenarios/quick', { token: teacher })).status).toBe(200);
    expect((await call('GET', '/v1/scenarios/nope', { token: student })).status).toBe(404);
    expect((await call('GET', '/v1/scenarios/quick/versions', { token: teacher })).status).toBe(200);

    // Submissions.
    const pod = fixture('quick.solution.yaml');
    const graded = await call('POST', '/v1/scenarios/quick/submissions', {
      token: student,
      body: pod,
      type: 'text/yaml',
      headers: { 'idempotency-key': 'k-1' },
    });
    expect(graded.status).toBe(201);
    const id = String(graded.json().id);
    expect(
      (
        await call('POST', '/v1/scenarios/quick/submissions', {
          token: student,
          body: pod,
          type: 'text/yaml',
          headers: { 'idempotency-key': 'k-1' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('POST', '/v1/scenarios/quick/submissions', {
          token: student,
          body: `${pod}\n# other\n`,
          type: 'text/yaml',
          headers: { 'idempotency-key': 'k-1' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await call('POST', '/v1/scenarios/quick/submissions', {
          token: student,
          body: JSON.stringify({ manifest: 'kind: [' }),
          type: 'application/json',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call('POST', '/v1/scenarios/quick/submissions', {
          token: student,
          body: '{',
          type: 'application/json',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await call('POST', '/v1/scenarios/quick/submissions', {
          token: student,
          body: pod,
          type: 'image/png',
        })
      ).status,
    ).toBe(415);
    expect(
      (await call('POST', '/v1/scenarios/nope/submissions', { token: student, body: pod, type: 'text/yaml' }))
        .status,
    ).toBe(404);
    expect((await call('GET', '/v1/scenarios/quick/submissions', { token: teacher })).status).toBe(200);
    expect((await call('GET', '/v1/scenarios/quick/submissions?format=csv', { token: teacher })).status).toBe(
      200,
    );
    expect((await call('GET', '/v1/scenarios/quick/submissions', { token: student })).status).toBe(403);
    expect((await call('GET', `/v1/submissions/${id}`, { token: student })).status).toBe(200);
    expect((await call('GET', `/v1/submissions/${id}`, { token: teacher })).status).toBe(200);
    expect((await call('GET', '/v1/submissions/s_nope', { token: student })).status).toBe(404);
    expect((await call('GET', `/v1/submissions/${id}/timeline.svg`, { token: student })).status).toBe(200);
    expect((await call('GET', '/v1/me/submissions?scenario=quick', { token: student })).status).toBe(200);
    expect((await call('POST', '/v1/scenarios/quick/regrade', { token: teacher })).status).toBe(200);
    expect((await call('GET', '/v1/scenarios/quick/stats', { token: teacher })).status).toBe(200);

    // LTI.
    expect((await call('GET', '/.well-known/jwks.json')).status).toBe(200);
    const reg = JSON.stringify(peer.registration('k8s'));
    expect(
      (await call('PUT', '/v1/lti/registrations', { token: teacher, body: reg, type: 'application/json' }))
        .status,
    ).toBe(200);
    expect(
      (await call('PUT', '/v1/lti/registrations', { token: student, body: reg, type: 'application/json' }))
        .status,
    ).toBe(403);
    const loginQuery = `iss=${encodeURIComponent(peer.issuer)}&login_hint=stu-1&client_id=${peer.clientId}`;
    const login = await call('GET', `/v1/lti/login?${loginQuery}`);
    expect(login.status).toBe(302);
    expect(
      (await call('POST', '/v1/lti/login', { body: loginQuery, type: 'application/x-www-form-urlencoded' }))
        .status,
    ).toBe(302);
    const location = new URL(login.res.headers.get('location')!);
    const state = location.searchParams.get('state')!;
    const idToken = await peer.idToken({
      sub: 'stu-1',
      nonce: location.searchParams.get('nonce')!,
      custom: { scenario: 'quick' },
    });
    const form = new URLSearchParams({ id_token: idToken, state }).toString();
    expect(
      (await call('POST', '/v1/lti/launch', { body: form, type: 'application/x-www-form-urlencoded' }))
        .status,
    ).toBe(302);
    expect(
      (await call('POST', '/v1/lti/launch', { body: form, type: 'application/x-www-form-urlencoded' }))
        .status,
    ).toBe(401);
    expect(
      (await call('POST', '/v1/lti/launch', { body: 'state=x', type: 'application/x-www-form-urlencoded' }))
        .status,
    ).toBe(400);
    expect((await call('GET', '/v1/lti/sync?scenario=quick', { token: teacher })).status).toBe(200);
    expect((await call('GET', '/v1/lti/sync', { token: teacher })).status).toBe(400);
    expect(
      (
        await call('POST', '/v1/lti/sync', {
          token: teacher,
          body: '{"scenario":"quick"}',
          type: 'application/json',
        })
      ).status,
    ).toBe(202);

    // Outbound webhooks.
    const created = await call('POST', '/v1/webhooks/endpoints', {
      token: teacher,
      body: JSON.stringify({ url: `${peer.url}/webhooks` }),
      type: 'application/json',
    });
    expect(created.status).toBe(201);
    const endpointId = String((created.json().endpoint as { id: string }).id);
    peer.webhookSecrets.push(String(created.json().secret));
    expect(
      (
        await call('POST', '/v1/webhooks/endpoints', {
          token: teacher,
          body: '{"url":"ftp://x.example/"}',
          type: 'application/json',
        })
      ).status,
    ).toBe(422);
    expect(
      (await call('POST', '/v1/webhooks/endpoints', { token: teacher, body: '{}', type: 'application/json' }))
        .status,
    ).toBe(400);
    expect((await call('GET', '/v1/webhooks/endpoints', { token: teacher })).status).toBe(200);
    expect(
      (await call('POST', `/v1/webhooks/endpoints/${endpointId}/rotate`, { token: teacher })).status,
    ).toBe(200);
    expect((await call('POST', '/v1/webhooks/endpoints/ep_nope/rotate', { token: teacher })).status).toBe(
      404,
    );
    await call('POST', '/v1/scenarios/quick/submissions', { token: student, body: pod, type: 'text/yaml' });
    await queue.run();
    const deliveries = await call('GET', '/v1/webhooks/deliveries', { token: teacher });
    expect(deliveries.status).toBe(200);
    const messageId = String((deliveries.json().items as { id: string }[])[0]!.id);
    expect(
      (await call('POST', `/v1/webhooks/deliveries/${messageId}/replay`, { token: teacher })).status,
    ).toBe(202);
    expect((await call('POST', '/v1/webhooks/deliveries/msg_nope/replay', { token: teacher })).status).toBe(
      404,
    );

    // Inbound webhooks.
    const inbound = await call('POST', '/v1/lms/inbound-secret', { token: teacher });
    expect(inbound.status).toBe(201);
    const secret = String(inbound.json().secret);
    const event = (type: string, data: Record<string, unknown>) =>
      JSON.stringify({ type, timestamp: new Date(clock()).toISOString(), data });
    const signed = (webhookId: string, body: string) =>
      signedHeaders([secret], webhookId, Math.floor(clock() / 1000), body) as Record<string, string>;
    const submission = event('submission.created', { student: 'bo', scenario: 'quick', manifest: pod });
    const send = (webhookId: string, body: string, headers = signed(webhookId, body)) =>
      call('POST', '/v1/lms/webhooks?course=k8s', { body, type: 'application/json', headers });
    expect((await send('msg_in_1', submission)).status).toBe(201);
    expect((await send('msg_in_1', submission)).status).toBe(200);
    expect((await send('msg_in_2', event('user.renamed', {}))).status).toBe(202);
    expect((await send('msg_in_3', submission, signed('msg_in_3', `${submission} `))).status).toBe(401);
    expect((await send('msg_in_4', event('submission.created', { student: 'bo' }))).status).toBe(400);

    expect(problems).toEqual([]);
  });

  it('THEN every operation of the document was exercised', () => {
    const operations = Object.values(
      doc.paths as Record<string, Record<string, { operationId: string }>>,
    ).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(operations.filter((id) => !seen.has(id))).toEqual([]);
  });
});
