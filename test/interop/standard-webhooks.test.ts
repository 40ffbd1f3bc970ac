/**
 * podlab's webhooks against the Standard Webhooks reference implementation (the official
 * `standardwebhooks` package), not against podlab's own verifier: every outbound delivery is
 * verified by the package on a real HTTP receiver, also across a secret rotation, and podlab
 * accepts what the package signs and refuses replays, stale timestamps and forgeries.
 *
 * The package checks timestamps against the wall clock, so podlab's injected clock here is the
 * wall clock too (under .ci/run's moved-date run both move together).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { repositoryGrades } from '../../functions/lms/grades.ts';
import { StoreJobQueue } from '../../functions/lms/queues.ts';
import { yamlScorePolicy } from '../../functions/lms/score-policy.ts';
import { LmsService } from '../../functions/lms/service.ts';
import { LmsStore } from '../../functions/lms/store.ts';
import { type LocalDynamo, startDynalite } from '../../functions/local/dynalite.ts';
import { createDynamoRepository } from '../../functions/storage/dynamo.ts';
import { ensureTable } from '../../functions/storage/table.ts';

/** A receiver that trusts only the reference implementation's verdict. */
interface Receiver {
  url: string;
  /** The secrets the receiver knows; a delivery must verify under each one listed in `mustVerify`. */
  mustVerify: string[];
  accepted: { id: string; type: string }[];
  refused: string[];
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const receiver: Receiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    mustVerify: [],
    accepted: [],
    refused: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  server.on('request', async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': String(req.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
    };
    try {
      for (const secret of receiver.mustVerify) {
        const event = new Webhook(secret).verify(body, headers) as { type: string };
        if (secret === receiver.mustVerify[0])
          receiver.accepted.push({ id: headers['webhook-id'], type: event.type });
      }
      res.writeHead(204).end();
    } catch (err) {
      receiver.refused.push((err as Error).message);
      res.writeHead(401).end();
    }
  });
  return receiver;
}

let db: LocalDynamo;
let receiver: Receiver;
let service: LmsService;
let queue: StoreJobQueue;
let table = 0;

beforeAll(async () => {
  db = await startDynalite();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await db.close();
});
beforeEach(async () => {
  const name = `sw-${++table}`;
  await ensureTable(db.client, name);
  const store = new LmsStore(db.client, name);
  const repo = createDynamoRepository({ client: db.client, tableName: name, now: Date.now });
  queue = new StoreJobQueue(store, Date.now);
  service = new LmsService({
    store,
    queue,
    grades: repositoryGrades(repo, yamlScorePolicy),
    now: Date.now,
    random: () => 0.5,
    allowPrivate: true, // the receiver listens on loopback
  });
  queue.handler = (kind, ref) => (kind === 'webhook' ? service.deliver(ref) : service.sync(ref));
  receiver.mustVerify = [];
  receiver.accepted = [];
  receiver.refused = [];
});

describe('outbound deliveries verified by the standardwebhooks package', () => {
  it('GIVEN an endpoint WHEN podlab delivers every event type THEN the reference implementation verifies each', async () => {
    const { secret } = await service.createEndpoint('k8s', receiver.url, undefined);
    receiver.mustVerify = [secret];
    const types = [
      'submission.graded',
      'submission.rejected',
      'grade.synced',
      'grade.sync_failed',
      'regrade.completed',
    ] as const;
    for (const [i, type] of types.entries())
      await service.emit('k8s', type, `ref-${i}`, { n: i, text: 'é ✓ "q"' });
    await queue.run();
    expect(receiver.refused).toEqual([]);
    expect(receiver.accepted.map((a) => a.type)).toEqual([...types]);
    expect(new Set(receiver.accepted.map((a) => a.id)).size).toBe(types.length);
  });

  it('GIVEN a rotated secret WHEN podlab delivers THEN the package verifies under the old and the new secret alike', async () => {
    const { endpoint, secret: oldSecret } = await service.createEndpoint('k8s', receiver.url, undefined);
    const { secret: newSecret } = await service.rotateSecret('k8s', endpoint.id);
    receiver.mustVerify = [newSecret, oldSecret];
    await service.emit('k8s', 'submission.graded', 'sub-rot', { score: 1 });
    await queue.run();
    expect(receiver.refused).toEqual([]);
    expect(receiver.accepted).toHaveLength(1);
  });

  it('a receiver with a secret podlab never had refuses the delivery (the check can fail)', async () => {
    await service.createEndpoint('k8s', receiver.url, undefined);
    receiver.mustVerify = ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'];
    await service.emit('k8s', 'submission.graded', 'sub-x', {});
    await queue.run();
    expect(receiver.accepted).toEqual([]);
    expect(receiver.refused[0]).toMatch(/No matching signature/);
  });
});

describe('inbound events signed by the standardwebhooks package', () => {
  const event = (student: string) =>
    JSON.stringify({
      type: 'submission.created',
      timestamp: new Date(Date.now()).toISOString(),
      data: { student, scenario: 'lab-one', manifest: 'kind: Pod' },
    });
  const signedBy = (secret: string, id: string, body: string, at = new Date(Date.now())) => ({
    id,
    timestamp: String(Math.floor(at.getTime() / 1000)),
    signature: new Webhook(secret).sign(id, at, body),
  });

  it('accepts what the package signs, once; a replay of the same webhook-id is a duplicate', async () => {
    const secret = await service.newInboundSecret('k8s');
    const body = event('ada');
    expect(await service.receive('k8s', signedBy(secret, 'msg_in_1', body), body)).toMatchObject({
      duplicate: false,
      event: { id: 'msg_in_1', type: 'submission.created' },
    });
    expect(await service.receive('k8s', signedBy(secret, 'msg_in_1', body), body)).toEqual({
      duplicate: true,
    });
  });

  it.each([
    [
      'a timestamp six minutes old',
      (s: string, b: string) => signedBy(s, 'msg_old', b, new Date(Date.now() - 360_000)),
      'stale-timestamp',
    ],
    [
      'a timestamp six minutes ahead',
      (s: string, b: string) => signedBy(s, 'msg_new', b, new Date(Date.now() + 360_000)),
      'stale-timestamp',
    ],
    [
      'a signature from another secret',
      (_s: string, b: string) => signedBy('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_f', b),
      'bad-signature',
    ],
    [
      'a signed id swapped for another',
      (s: string, b: string) => ({ ...signedBy(s, 'msg_a', b), id: 'msg_b' }),
      'bad-signature',
    ],
  ])('refuses %s', async (_name, sign, code) => {
    const secret = await service.newInboundSecret('k8s');
    const body = event('eve');
    await expect(service.receive('k8s', sign(secret, body), body)).rejects.toMatchObject({
      status: 401,
      code,
    });
  });

  it('refuses a body changed after signing, and the package agrees it is forged', async () => {
    const secret = await service.newInboundSecret('k8s');
    const body = event('ada');
    const headers = signedBy(secret, 'msg_t', body);
    const tampered = body.replace('ada', 'eve');
    await expect(service.receive('k8s', headers, tampered)).rejects.toMatchObject({ code: 'bad-signature' });
    expect(() =>
      new Webhook(secret).verify(tampered, {
        'webhook-id': headers.id,
        'webhook-timestamp': headers.timestamp,
        'webhook-signature': headers.signature,
      }),
    ).toThrow(WebhookVerificationError);
  });
});
