/**
 * The LMS use cases end to end on a real DynamoDB-protocol server (dynalite) and a real local
 * LMS (test/lms/peer.ts): webhooks out and in, LTI launch, and grade passback.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { repositoryGrades } from '../../functions/lms/grades.ts';
import { StoreJobQueue } from '../../functions/lms/queues.ts';
import { yamlScorePolicy } from '../../functions/lms/score-policy.ts';
import { LmsError, LmsService } from '../../functions/lms/service.ts';
import { LmsStore } from '../../functions/lms/store.ts';
import { signedHeaders } from '../../functions/lms/webhooks.ts';
import { type LocalDynamo, startDynalite } from '../../functions/local/dynalite.ts';
import { createDynamoRepository } from '../../functions/storage/dynamo.ts';
import { ensureTable } from '../../functions/storage/table.ts';
import type { Repository, StoredResult } from '../../functions/storage/types.ts';
import { type Peer, startPeer } from './peer.ts';

const SCENARIO = `apiVersion: podlab/v1
kind: Scenario
metadata: {name: lab-one, title: Lab one}
spec:
  instructions: Write a Pod named web.
  duration: 30s
  policy: {scorePolicy: best}
  checks:
    - {id: exists, at: 10s, pod: web, expect: {exists: true}, points: 3}
`;

let db: LocalDynamo;
let peer: Peer;
let store: LmsStore;
let repo: Repository;
let clock: number;
let service: LmsService;
let queue: StoreJobQueue;
let table = 0;

const result = (score: number, status: 'graded' | 'rejected' = 'graded'): StoredResult => ({
  scenarioVersion: 'sha256:x',
  status,
  score,
  maxScore: 3,
  checks: [],
  gradedAt: new Date(clock).toISOString(),
  result: {},
});

async function submit(
  student: string,
  id: string,
  score: number,
  status: 'graded' | 'rejected' = 'graded',
): Promise<void> {
  await repo.createSubmission({
    id,
    course: 'k8s',
    scenario: 'lab-one',
    student,
    attempt: 1,
    manifest: 'kind: Pod',
    fingerprint: id,
    createdAt: new Date(clock).toISOString(),
    httpStatus: 201,
    original: result(score, status),
    current: result(score, status),
  });
  clock += 1000;
}

beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db.close();
});

beforeEach(async () => {
  const name = `lms-${++table}`;
  await ensureTable(db.client, name);
  clock = Date.parse('2026-11-27T10:00:00.000Z');
  store = new LmsStore(db.client, name);
  repo = createDynamoRepository({ client: db.client, tableName: name, now: () => clock });
  queue = new StoreJobQueue(store, () => clock);
  service = new LmsService({
    store,
    queue,
    grades: repositoryGrades(repo, yamlScorePolicy),
    now: () => clock,
    random: () => 0.5,
    allowPrivate: true,
  });
  queue.handler = (kind, ref) => (kind === 'webhook' ? service.deliver(ref) : service.sync(ref));
  if (peer) await peer.close();
  peer = await startPeer(() => ({ keys: [] }));
  peer.nowSeconds = () => Math.floor(clock / 1000);
});
afterAll(async () => peer?.close());

describe('outbound webhooks', () => {
  it('GIVEN an endpoint WHEN an event is emitted twice THEN the receiver gets one signed message', async () => {
    const { secret } = await service.createEndpoint('k8s', `${peer.url}/webhooks`, ['submission.graded']);
    peer.webhookSecrets.push(secret);
    expect(
      await service.emit('k8s', 'submission.graded', 'sub-1', { submission_id: 'sub-1', score: 3 }),
    ).toBe(1);
    expect(
      await service.emit('k8s', 'submission.graded', 'sub-1', { submission_id: 'sub-1', score: 3 }),
    ).toBe(0);
    expect(await service.emit('k8s', 'regrade.completed', 'r-1', {})).toBe(0); // not subscribed
    await queue.run();
    expect(peer.log.webhooks.map((w) => w.type)).toEqual(['submission.graded']);
    expect(JSON.parse(peer.log.webhooks[0]!.body).data).toEqual({ submission_id: 'sub-1', score: 3 });
  });

  it('GIVEN a receiver failing twice WHEN time passes THEN it is delivered exactly once, every attempt logged', async () => {
    const { secret } = await service.createEndpoint('k8s', `${peer.url}/webhooks`, undefined);
    peer.webhookSecrets.push(secret);
    peer.webhookScript.push(500, 429);
    await service.emit('k8s', 'submission.graded', 'sub-2', {});
    await queue.run();
    clock += 4_000; // before the 5 s (±10 %) retry
    expect(await queue.run()).toBe(0);
    clock += 2_000;
    await queue.run(); // 429 with Retry-After 2 s, but the schedule's 5 min is longer
    clock += 330_000;
    await queue.run();
    const [message] = (await store.listMessages('k8s')).items;
    expect(message!.state).toBe('delivered');
    expect(message!.attempts.map((a) => a.status)).toEqual([500, 429, 204]);
    expect(peer.log.webhooks).toHaveLength(1);
    // Replay by the instructor: delivered again, still one message from the receiver's view.
    await service.replay('k8s', message!.id);
    await queue.run();
    expect((await store.getMessage(message!.id))!.attempts).toHaveLength(4);
    expect(peer.log.webhooks).toHaveLength(1);
  });

  it('410 disables the endpoint; no more messages are created for it', async () => {
    const { endpoint } = await service.createEndpoint('k8s', `${peer.url}/webhooks`, undefined);
    peer.webhookScript.push(410);
    await service.emit('k8s', 'submission.graded', 'sub-3', {});
    await queue.run();
    expect((await store.getEndpoint('k8s', endpoint.id))!.disabled).toBe(true);
    expect(await service.emit('k8s', 'submission.graded', 'sub-4', {})).toBe(0);
  });

  it('dead-letters after the last retry, about a day later', async () => {
    await service.createEndpoint('k8s', `${peer.url}/webhooks`, undefined);
    peer.webhookScript.push(...Array(10).fill(503));
    await service.emit('k8s', 'submission.graded', 'sub-5', {});
    const start = clock;
    for (let i = 0; i < 10; i++) {
      await queue.run();
      clock += 11 * 3_600_000;
    }
    const [message] = (await store.listMessages('k8s')).items;
    expect(message!.state).toBe('dead');
    expect(message!.attempts).toHaveLength(8);
    expect(Date.parse(message!.attempts.at(-1)!.at) - start).toBeGreaterThan(24 * 3_600_000);
  });

  it('a rotated secret signs alongside the old one; receivers on either verify', async () => {
    const { endpoint, secret: old } = await service.createEndpoint('k8s', `${peer.url}/webhooks`, undefined);
    await service.rotateSecret('k8s', endpoint.id);
    peer.webhookSecrets.push(old); // the receiver has not switched yet
    await service.emit('k8s', 'submission.graded', 'sub-6', {});
    await queue.run();
    expect(peer.log.webhooks).toHaveLength(1);
  });

  it('refuses an endpoint on a private address unless allowed', async () => {
    const strict = new LmsService({
      store,
      queue,
      grades: repositoryGrades(repo, yamlScorePolicy),
      now: () => clock,
      random: () => 0.5,
      allowPrivate: false,
    });
    await expect(strict.createEndpoint('k8s', 'http://127.0.0.1:9/x', undefined)).rejects.toMatchObject({
      status: 422,
      code: 'unsafe_url',
      message: expect.stringMatching(/127\.0\.0\.1 \(loopback\) is not a public address/),
    });
    await expect(strict.createEndpoint('k8s', 'https://hooks.example/x', ['nope'])).rejects.toThrow();
  });
});

describe('inbound webhooks', () => {
  it('verifies, deduplicates replays by webhook-id, refuses tampering and stale timestamps', async () => {
    const secret = await service.newInboundSecret('k8s');
    const body = JSON.stringify({
      type: 'submission.created',
      timestamp: new Date(clock).toISOString(),
      data: { student: 'ada', scenario: 'lab-one', manifest: 'x' },
    });
    const sign = (b: string, at = Math.floor(clock / 1000)) => {
      const h = signedHeaders([secret], 'evt-1', at, b);
      return { id: h['webhook-id'], timestamp: h['webhook-timestamp'], signature: h['webhook-signature'] };
    };
    const first = await service.receive('k8s', sign(body), body);
    expect(first).toMatchObject({ duplicate: false, event: { id: 'evt-1', type: 'submission.created' } });
    expect(await service.receive('k8s', sign(body), body)).toEqual({ duplicate: true });
    await expect(service.receive('k8s', sign(body), body.replace('ada', 'eve'))).rejects.toMatchObject({
      status: 401,
      code: 'bad-signature',
    });
    await expect(
      service.receive('k8s', sign(body, Math.floor(clock / 1000) - 400), body),
    ).rejects.toMatchObject({ code: 'stale-timestamp' });
    await expect(service.receive('other', sign(body), body)).rejects.toBeInstanceOf(LmsError);
  });
});

describe('LTI launch and grade passback', () => {
  async function launchAs(sub: string, roles?: string[]) {
    await service.register(peer.registration('k8s'));
    const redirect = new URL(
      await service.login(
        { iss: peer.issuer, login_hint: sub, client_id: peer.clientId },
        'http://podlab.test/v1/lti/launch',
      ),
    );
    expect(redirect.searchParams.get('response_mode')).toBe('form_post');
    const state = redirect.searchParams.get('state')!;
    const nonce = redirect.searchParams.get('nonce')!;
    const token = await peer.idToken({
      sub,
      nonce,
      custom: { scenario: 'lab-one' },
      ...(roles ? { roles } : {}),
    });
    return { state, token, launch: () => service.launch(token, state) };
  }

  /** Publishes lab-one and restarts the platform knowing podlab's tool key (needed for the client assertion). */
  async function publishLabAndTrustTool(): Promise<void> {
    const meta = { course: 'k8s', name: 'lab-one', version: 'v1', title: 'Lab one', published: true };
    await repo.putScenarioVersion({ ...meta, yaml: SCENARIO, createdAt: 'x', createdBy: 'i' });
    await repo.putScenarioHead({ ...meta, updatedAt: 'x', updatedBy: 'i' });
    const key = await service.toolKey();
    await peer.close();
    peer = await startPeer(() => ({ keys: [key.publicJwk] }));
    peer.nowSeconds = () => Math.floor(clock / 1000);
  }

  it('GIVEN a launch WHEN the student submits THEN the best score reaches the gradebook, once per change', async () => {
    await publishLabAndTrustTool();
    peer.students.add('stu-1');
    const { launch, state, token } = await launchAs('stu-1');
    const who = await launch();
    expect(who).toEqual({
      course: 'k8s',
      user: 'stu-1@127.0.0.1',
      role: 'student',
      scenario: 'lab-one',
    });
    await expect(service.launch(token, state)).rejects.toMatchObject({ code: 'bad_state' }); // replayed launch

    await submit(who.user, 'a1', 3);
    await submit(who.user, 'a2', 1); // a worse later attempt: "best" keeps 3
    expect(await service.gradeChanged('k8s', 'lab-one', who.user)).toBe(true);
    await queue.run();
    const [status] = (await service.syncStatus('k8s', 'lab-one')).items;
    expect(status).toMatchObject({ state: 'synced', scoreGiven: 3, scoreMaximum: 3, submissionId: 'a1' });
    expect(peer.log.scores.map((s) => s.body)).toMatchObject([
      { userId: 'stu-1', scoreGiven: 3, gradingProgress: 'FullyGraded' },
    ]);
    expect(peer.log.lineItemsCreated).toBe(1);
    // A resync sends again with a strictly newer timestamp, reusing the line item.
    expect(await service.resync('k8s', 'lab-one')).toBe(1);
    await queue.run();
    expect(peer.log.scores).toHaveLength(2);
    expect(peer.log.lineItemsCreated).toBe(1);
  });

  it('a user who is not a student fails with words an instructor can act on, and a grade.sync_failed webhook', async () => {
    await publishLabAndTrustTool();
    const { secret } = await service.createEndpoint('k8s', `${peer.url}/webhooks`, ['grade.sync_failed']);
    peer.webhookSecrets.push(secret);
    const who = await (await launchAs('ghost')).launch();
    await submit(who.user, 'g1', 2);
    await service.gradeChanged('k8s', 'lab-one', who.user);
    await queue.run();
    const [status] = (await service.syncStatus('k8s', 'lab-one')).items;
    expect(status!.state).toBe('failed');
    expect(status!.message).toMatch(/not a student of the course/);
    expect(peer.log.webhooks.map((w) => w.type)).toEqual(['grade.sync_failed']);
  });

  it('GIVEN only rejected submissions THEN the platform gets "submitted, not graded" (no score); a later graded one replaces it, and a rejected one after that changes nothing', async () => {
    await publishLabAndTrustTool();
    peer.students.add('stu-r');
    const who = await (await launchAs('stu-r')).launch();
    await submit(who.user, 'r1', 0, 'rejected');
    expect(await service.gradeChanged('k8s', 'lab-one', who.user, { unlessGraded: true })).toBe(true);
    await queue.run();
    expect(peer.log.scoresRefused).toEqual([]);
    expect(peer.log.scores.map((s) => s.body)).toEqual([
      {
        userId: 'stu-r',
        activityProgress: 'Submitted',
        gradingProgress: 'Failed',
        timestamp: expect.stringMatching(/\.\d{3}Z$/),
        comment: expect.stringMatching(/not graded: kubectl would not apply/),
      },
    ]);
    await submit(who.user, 'r2', 2);
    await service.gradeChanged('k8s', 'lab-one', who.user);
    await queue.run();
    expect(peer.log.scores[1]!.body).toMatchObject({ scoreGiven: 2, gradingProgress: 'FullyGraded' });
    // The latest submission rejected: it uses no attempt and stands for no grade.
    await submit(who.user, 'r3', 0, 'rejected');
    expect(await service.gradeChanged('k8s', 'lab-one', who.user, { unlessGraded: true })).toBe(false);
    expect(peer.log.scores).toHaveLength(2);
  });

  it('GIVEN the line item was deleted on the platform WHEN a score is sent THEN podlab finds or creates the line item again and the score lands once', async () => {
    await publishLabAndTrustTool();
    peer.students.add('stu-d');
    const who = await (await launchAs('stu-d')).launch();
    await submit(who.user, 'd1', 3);
    await service.gradeChanged('k8s', 'lab-one', who.user);
    await queue.run();
    const first = peer.lineItems[0]!.id;
    peer.deleteLineItem(first);
    await submit(who.user, 'd2', 3);
    await service.gradeChanged('k8s', 'lab-one', who.user);
    await queue.run();
    expect(peer.log.scoresRefused.map((r) => r.status)).toEqual([404]);
    expect(peer.log.lineItemsCreated).toBe(2);
    expect(peer.log.scores.map((s) => s.lineitem)).toEqual([
      first.split('/').pop(),
      peer.lineItems[0]!.id.split('/').pop(),
    ]);
    const [status] = (await service.syncStatus('k8s', 'lab-one')).items;
    expect(status).toMatchObject({ state: 'synced', lineitem: peer.lineItems[0]!.id });
  });

  it('refuses a launch whose nonce is not the login one, and an unregistered deployment', async () => {
    const { state } = await launchAs('stu-2');
    const forged = await peer.idToken({ sub: 'stu-2', nonce: 'other-nonce' });
    await expect(service.launch(forged, state)).rejects.toMatchObject({ code: 'bad_nonce' });
    await expect(
      service.login({ iss: 'https://unknown.example', login_hint: 'x', client_id: 'c' }, 'http://x'),
    ).rejects.toMatchObject({ status: 404 });
  });
});
