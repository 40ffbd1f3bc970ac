/**
 * The storage contract: the Repository behaves the same on every DynamoDB-protocol server
 * (dynalite and AWS DynamoDB Local), with real requests and no SDK mocks.
 */
import { randomBytes } from 'node:crypto';
import {
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalDynamo } from '../../functions/local/dynalite.ts';
import { createDynamoRepository, mapStorageError } from '../../functions/storage/dynamo.ts';
import type { TableTransport } from '../../functions/storage/dynamo-table.ts';
import { ensureTable, TABLE } from '../../functions/storage/table.ts';
import {
  BadCursorError,
  ConflictError,
  type Repository,
  RetryableError,
  type StoredResult,
  type SubmissionRecord,
} from '../../functions/storage/types.ts';
import { SERVERS } from './servers.ts';

function result(
  version: string,
  score: number,
  gradedAt: string,
  extra: Record<string, unknown> = {},
): StoredResult {
  return {
    scenarioVersion: version,
    status: 'graded',
    score,
    maxScore: 3,
    checks: [
      { id: 'a', status: score >= 1 ? 'passed' : 'failed', score: Math.min(score, 1), maxScore: 1 },
      { id: 'b', status: score >= 3 ? 'passed' : 'failed', score: Math.max(0, score - 1), maxScore: 2 },
    ],
    gradedAt,
    result: { scenario: 'lab', scenario_version: version, score, max_score: 3, ...extra },
  };
}

function submission(id: string, over: Partial<SubmissionRecord> = {}): SubmissionRecord {
  const r = result('sha256:v1', 1, '2026-01-01T00:00:00.000Z');
  return {
    id,
    course: 'c1',
    scenario: 'lab',
    student: 'alice',
    attempt: 1,
    manifest: 'apiVersion: v1\nkind: Pod # ünïcødé ✓\n',
    fingerprint: 'f'.repeat(64),
    createdAt: '2026-01-01T00:00:00.000Z',
    httpStatus: 201,
    original: r,
    current: r,
    ...over,
  };
}

describe.each(SERVERS)('storage contract on $name', ({ name, start }) => {
  let server: LocalDynamo & { transport?: TableTransport };
  let repo: Repository;
  let tableName: string;
  let clock = Date.parse('2026-01-01T00:00:00Z');

  beforeAll(async () => {
    server = await start();
    tableName = `podlab-${randomBytes(4).toString('hex')}`;
    await ensureTable(server.client, tableName);
    await ensureTable(server.client, tableName); // idempotent
    const via = server.transport ? { transport: server.transport } : { client: server.client };
    repo = createDynamoRepository({ ...via, tableName, now: () => clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stores tokens by hash, once', async () => {
    const t = { tokenHash: 'h1', role: 'instructor' as const, user: 'bob', course: 'c1', createdAt: 'now' };
    await repo.putToken(t);
    expect(await repo.getToken('h1')).toEqual(t);
    expect(await repo.getToken('nope')).toBeUndefined();
    await expect(repo.putToken(t)).rejects.toBeInstanceOf(ConflictError);
  });

  it("keeps a token's expiry, and gives the item the table's TTL attribute", async () => {
    const t = {
      tokenHash: 'h-expiring',
      role: 'student' as const,
      user: 'ada',
      course: 'c1',
      createdAt: '2026-01-01T00:00:00.000Z',
      label: 'lti-session',
      expiresAt: '2026-01-01T08:00:00.000Z',
    };
    await repo.putToken(t);
    expect(await repo.getToken('h-expiring')).toEqual(t);
    const raw = await server.client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: 'TOKEN#h-expiring' }, sk: { S: 'TOKEN' } },
      }),
    );
    expect(raw.Item?.[TABLE.ttlAttribute]).toEqual({ N: String(Date.parse(t.expiresAt) / 1000) });
  });

  it('keeps every scenario version, idempotently, and lists them by time', async () => {
    const v = {
      course: 'c1',
      name: 'lab',
      title: 'Lab',
      published: true,
      createdBy: 'bob',
    };
    expect(
      await repo.putScenarioVersion({ ...v, version: 'sha256:b', yaml: 'b: 1\n', createdAt: '2026-01-02' }),
    ).toBe(true);
    expect(
      await repo.putScenarioVersion({ ...v, version: 'sha256:a', yaml: 'a: 1\n', createdAt: '2026-01-03' }),
    ).toBe(true);
    expect(
      await repo.putScenarioVersion({ ...v, version: 'sha256:a', yaml: 'a: 1\n', createdAt: '2026-01-04' }),
    ).toBe(false);
    expect((await repo.getScenarioVersion('c1', 'lab', 'sha256:a'))?.yaml).toBe('a: 1\n');
    expect(await repo.getScenarioVersion('c2', 'lab', 'sha256:a')).toBeUndefined();
    const page = await repo.listScenarioVersions('c1', 'lab', {});
    expect(page.items.map((i) => [i.version, i.createdAt])).toEqual([
      ['sha256:b', '2026-01-02'],
      ['sha256:a', '2026-01-03'],
    ]);
  });

  it('pages scenario heads with opaque cursors bound to their query', async () => {
    for (const name of ['s1', 's2', 's3', 's4', 's5']) {
      await repo.putScenarioHead({
        course: 'pc',
        name,
        version: `sha256:${name}`,
        title: name.toUpperCase(),
        published: name !== 's3',
        updatedAt: 't',
        updatedBy: 'bob',
      });
    }
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const p = await repo.listScenarioHeads('pc', { limit: 2, cursor });
      names.push(...p.items.map((i) => i.name));
      cursor = p.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(names).toEqual(['s1', 's2', 's3', 's4', 's5']);
    expect((await repo.getScenarioHead('pc', 's3'))?.published).toBe(false);
    const first = await repo.listScenarioHeads('pc', { limit: 2 });
    await expect(repo.listScenarioHeads('other', { limit: 2, cursor: first.cursor })).rejects.toBeInstanceOf(
      BadCursorError,
    );
    await expect(repo.listScenarioHeads('pc', { cursor: 'not a cursor!' })).rejects.toBeInstanceOf(
      BadCursorError,
    );
    const forged = Buffer.from(JSON.stringify({ s: 'x', k: { PK: 'a', SK: 'b' } })).toString('base64url');
    await expect(repo.listScenarioHeads('pc', { cursor: forged })).rejects.toBeInstanceOf(BadCursorError);
  });

  it('creates a submission once and reads back the exact bytes and result', async () => {
    const s = submission('sub-1', { idempotencyKey: 'k1' });
    await repo.createSubmission(s);
    expect(await repo.getSubmission('sub-1')).toEqual(s);
    await expect(repo.createSubmission({ ...s, manifest: 'other' })).rejects.toBeInstanceOf(ConflictError);
    expect((await repo.getSubmission('sub-1'))?.manifest).toBe(s.manifest);
    expect(await repo.getSubmission('missing')).toBeUndefined();
  });

  it('stores large incompressible manifests and results outside the item (400 KB limit)', async () => {
    const manifest = randomBytes(190_000).toString('base64'); // ~253 KB that gzip cannot shrink
    const big = result('sha256:v1', 2, '2026-01-01T00:00:00.000Z', {
      transcript: randomBytes(150_000).toString('hex'),
    });
    const s = submission('sub-big', { manifest, original: big, current: big, attempt: null });
    await repo.createSubmission(s);
    const back = await repo.getSubmission('sub-big');
    expect(back?.manifest).toBe(manifest);
    expect(back?.original).toEqual(big);
    expect(back?.attempt).toBeNull();
  });

  it('lists submissions of a scenario and of one student, by time, paged', async () => {
    for (let i = 0; i < 5; i++) {
      await repo.createSubmission(
        submission(`L${i}`, {
          course: 'lc',
          student: i % 2 ? 'bob' : 'eve',
          createdAt: `2026-02-0${i + 1}T00:00:00.000Z`,
          attempt: i % 2 ? null : i + 1,
        }),
      );
    }
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const p = await repo.listSubmissions('lc', 'lab', { limit: 2, cursor });
      ids.push(...p.items.map((i) => i.id));
      cursor = p.cursor;
    } while (cursor);
    expect(ids).toEqual(['L0', 'L1', 'L2', 'L3', 'L4']);
    const eve = await repo.listStudentSubmissions('lc', 'lab', 'eve', {});
    expect(eve.items.map((i) => [i.id, i.attempt, i.student, i.score])).toEqual([
      ['L0', 1, 'eve', 1],
      ['L2', 3, 'eve', 1],
      ['L4', 5, 'eve', 1],
    ]);
    expect(eve.items[0]?.checks).toEqual([
      { id: 'a', status: 'passed', score: 1, maxScore: 1 },
      { id: 'b', status: 'failed', score: 0, maxScore: 2 },
    ]);
    expect((await repo.listSubmissions('lc', 'other', {})).items).toEqual([]);
  });

  it('numbers attempts exactly, idempotently per id, and refuses over the limit', async () => {
    const args = ['c1', 'lab', 'carol'] as const;
    expect(await repo.reserveAttempt(...args, 'x1', 2)).toEqual({ ok: true, attempt: 1, used: 1 });
    expect(await repo.reserveAttempt(...args, 'x1', 2)).toEqual({ ok: true, attempt: 1, used: 1 });
    expect(await repo.reserveAttempt(...args, 'x2', 2)).toEqual({ ok: true, attempt: 2, used: 2 });
    expect(await repo.reserveAttempt(...args, 'x3', 2)).toEqual({ ok: false, used: 2, max: 2 });
    expect(await repo.reserveAttempt(...args, 'x2', 2)).toEqual({ ok: true, attempt: 2, used: 2 });
    expect(await repo.attemptsUsed(...args)).toBe(2);
    expect(await repo.attemptsUsed('c1', 'lab', 'nobody')).toBe(0);
  });

  it('releases a reservation only while it still holds that number', async () => {
    const args = ['c1', 'lab', 'gina'] as const;
    expect(await repo.reserveAttempt(...args, 'g1', 5)).toMatchObject({ ok: true, attempt: 1 });
    expect(await repo.reserveAttempt(...args, 'g2', 5)).toMatchObject({ ok: true, attempt: 2 });
    await repo.releaseAttempt(...args, 'g2', 1);
    expect(await repo.attemptsUsed(...args)).toBe(2);
    await repo.releaseAttempt(...args, 'g2', 2);
    await repo.releaseAttempt(...args, 'nobody', 2);
    expect(await repo.attemptsUsed(...args)).toBe(1);
  });

  it('reclaims a reservation whose submission was never stored, after the grace period', async () => {
    const args = ['c1', 'lab', 'dave'] as const;
    await repo.reserveAttempt(...args, 'd1', 2);
    await repo.createSubmission(submission('d1', { student: 'dave', attempt: 1 }));
    await repo.reserveAttempt(...args, 'd2', 2); // "crashes" before storing d2
    expect(await repo.reserveAttempt(...args, 'd3', 2)).toEqual({ ok: false, used: 2, max: 2 });
    clock += 61_000;
    expect(await repo.reserveAttempt(...args, 'd3', 2)).toEqual({ ok: true, attempt: 2, used: 2 });
    expect(await repo.reserveAttempt(...args, 'd4', 2)).toEqual({ ok: false, used: 2, max: 2 });
  });

  it('reclaims an orphan past the grace period below the limit too, and stops counting it', async () => {
    const args = ['c1', 'lab', 'olga'] as const;
    expect(await repo.reserveAttempt(...args, 'o1', 5)).toMatchObject({ ok: true, attempt: 1 }); // "crashes"
    expect(await repo.attemptsUsed(...args)).toBe(1); // its writer may still be storing it
    expect(await repo.reserveAttempt(...args, 'o2', 5)).toMatchObject({ ok: true, attempt: 2 });
    await repo.createSubmission(submission('o2', { student: 'olga', attempt: 2 }));
    await repo.confirmAttempt(...args, 'o2', 2);
    clock += 61_000;
    expect(await repo.attemptsUsed(...args)).toBe(1);
    expect(await repo.reserveAttempt(...args, 'o3', 5)).toEqual({ ok: true, attempt: 1, used: 2 });
    expect(await repo.attemptsUsed(...args)).toBe(2);
    expect(await repo.reserveAttempt(...args, 'o4', 5)).toMatchObject({ ok: true, attempt: 3 });
  });

  it('never reclaims a stored reservation whose confirmation was lost', async () => {
    const args = ['c1', 'lab', 'pete'] as const;
    await repo.reserveAttempt(...args, 'p1', 5);
    await repo.createSubmission(submission('p1', { student: 'pete', attempt: 1 })); // dies before confirming
    clock += 61_000;
    expect(await repo.attemptsUsed(...args)).toBe(1);
    expect(await repo.reserveAttempt(...args, 'p2', 5)).toEqual({ ok: true, attempt: 2, used: 2 });
    expect(await repo.reserveAttempt(...args, 'p1', 5)).toEqual({ ok: true, attempt: 1, used: 2 });
  });

  it('hands out each attempt number once under concurrency', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 16 }, (_, i) => repo.reserveAttempt('c1', 'lab', 'frank', `f${i}`, 10)),
    );
    const granted = outcomes.flatMap((o) => (o.ok ? [o.attempt] : []));
    expect(granted.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(outcomes.filter((o) => !o.ok)).toHaveLength(6);
  });

  it('keeps regrade results beside the original and makes the newest current', async () => {
    await repo.createSubmission(submission('rg', { course: 'rc' }));
    await repo.putRegradeResult('rg', result('sha256:v2', 3, '2026-03-01T00:00:00.000Z'));
    await repo.putRegradeResult('rg', result('sha256:v0', 0, '2026-02-01T00:00:00.000Z')); // older: kept, not current
    const back = await repo.getSubmission('rg');
    expect(back?.original.scenarioVersion).toBe('sha256:v1');
    expect(back?.current.scenarioVersion).toBe('sha256:v2');
    expect(back?.current.score).toBe(3);
    const all = await repo.listResults('rg');
    expect(all.map((r) => r.scenarioVersion)).toEqual(['sha256:v1', 'sha256:v0', 'sha256:v2']);
    const list = await repo.listSubmissions('rc', 'lab', {});
    expect(list.items.map((i) => [i.scenarioVersion, i.score])).toEqual([['sha256:v2', 3]]);
    await expect(repo.putRegradeResult('nope', result('sha256:v2', 3, '2026-03-01'))).rejects.toThrow(
      /no submission/,
    );
  });

  // The differences between the two servers that podlab knows of (docs/storage.md): pinned, so
  // a new version of either that changes one is noticed. podlab's storage uses neither
  // transactions nor UpdateTimeToLive, and maps both validation texts to the same errors.
  it('differs from the other server only where docs/storage.md says', async () => {
    const outcome = async (send: () => Promise<unknown>) => {
      try {
        await send();
        return 'ok';
      } catch (err) {
        return `${(err as Error).name}: ${(err as Error).message}`;
      }
    };
    const c = server.client;
    const key = { pk: { S: 'DIFF' }, sk: { S: 'x' } };
    const seen = {
      transactions: await outcome(() =>
        c.send(
          new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: tableName, Item: key } }] }),
        ),
      ),
      ttl: await outcome(() =>
        c.send(
          new UpdateTimeToLiveCommand({
            TableName: tableName,
            TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
          }),
        ),
      ),
      badStartKey: await outcome(() =>
        c.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': { S: 'DIFF' } },
            ExclusiveStartKey: { pk: { S: 'DIFF' } },
          }),
        ),
      ),
      oversizedItem: await outcome(() =>
        c.send(
          new PutItemCommand({ TableName: tableName, Item: { ...key, big: { S: 'y'.repeat(410_000) } } }),
        ),
      ),
      emptyKey: await outcome(() =>
        c.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: '' }, sk: { S: 'x' } } })),
      ),
    };
    expect(seen.oversizedItem).toBe('ValidationException: Item size has exceeded the maximum allowed size');
    expect(seen.emptyKey).toMatch(/^ValidationException: .*cannot contain an empty string value/);
    if (name.startsWith('dynalite'))
      expect(seen).toMatchObject({
        transactions: 'UnknownOperationException: UnknownError',
        ttl: 'UnknownOperationException: UnknownError',
        badStartKey: 'ValidationException: The provided starting key is invalid',
      });
    else
      expect(seen).toMatchObject({
        transactions: 'ok',
        ttl: 'ok',
        badStartKey: "ValidationException: Exclusive Start Key must have same size as table's key schema",
      });
  });
});

describe('SDK error mapping', () => {
  it.each([
    ['ConditionalCheckFailedException', ConflictError],
    ['ProvisionedThroughputExceededException', RetryableError],
    ['ThrottlingException', RetryableError],
    ['RequestLimitExceeded', RetryableError],
    ['InternalServerError', RetryableError],
    ['ValidationException', Error],
  ])('%s', (name, type) => {
    const err = Object.assign(new Error('x'), { name });
    expect(mapStorageError(err)).toBeInstanceOf(type);
  });

  it('maps a refused connection to retryable', () => {
    expect(mapStorageError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBeInstanceOf(
      RetryableError,
    );
  });
});
