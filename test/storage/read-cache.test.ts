/** The embedded store's read cache: an answer is reused only while its partition is unwritten. */
import { DeleteItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStore, startEmbeddedStore } from '../../functions/local/embedded-store.ts';
import { ReadCache } from '../../functions/local/read-cache.ts';
import { ensureTable } from '../../functions/storage/table.ts';

const TableName = 'read-cache-test';
let s: EmbeddedStore;
const send = (op: 'Get' | 'Put' | 'Update' | 'Query' | 'Delete', input: Record<string, unknown>) =>
  s.transport.send(op, { TableName, ...input }) as Promise<{
    Item?: Record<string, unknown>;
    Items?: Record<string, unknown>[];
  }>;
const query = (pk: string) =>
  send('Query', {
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
    ExpressionAttributeValues: { ':pk': pk, ':p': 'E#' },
  });

beforeAll(async () => {
  s = await startEmbeddedStore();
  await ensureTable(s.client, TableName);
});
afterAll(() => s.close());

describe('the embedded store with its read cache', () => {
  it('answers a repeated read as the store would after every kind of write', async () => {
    await send('Put', { Item: { pk: 'C#1', sk: 'E#a', v: 1 } });
    expect((await query('C#1')).Items).toEqual([{ pk: 'C#1', sk: 'E#a', v: 1 }]);
    expect((await query('C#1')).Items).toEqual([{ pk: 'C#1', sk: 'E#a', v: 1 }]);
    await send('Put', { Item: { pk: 'C#1', sk: 'E#b', v: 2 } });
    expect((await query('C#1')).Items).toHaveLength(2);
    await send('Update', {
      Key: { pk: 'C#1', sk: 'E#a' },
      UpdateExpression: 'SET v = :v',
      ExpressionAttributeValues: { ':v': 3 },
    });
    expect((await send('Get', { Key: { pk: 'C#1', sk: 'E#a' } })).Item).toEqual({
      pk: 'C#1',
      sk: 'E#a',
      v: 3,
    });
    expect((await query('C#1')).Items).toEqual([
      { pk: 'C#1', sk: 'E#a', v: 3 },
      { pk: 'C#1', sk: 'E#b', v: 2 },
    ]);
    await send('Delete', { Key: { pk: 'C#1', sk: 'E#b' } });
    expect((await query('C#1')).Items).toEqual([{ pk: 'C#1', sk: 'E#a', v: 3 }]);
    expect((await send('Get', { Key: { pk: 'C#1', sk: 'E#b' } })).Item).toBeUndefined();
  });

  it('sees writes made on the loopback endpoint (podlab token create next to a server)', async () => {
    await send('Put', { Item: { pk: 'C#2', sk: 'E#a', v: 1 } });
    expect((await send('Get', { Key: { pk: 'C#2', sk: 'E#a' } })).Item?.v).toBe(1);
    expect((await query('C#2')).Items).toHaveLength(1);
    await s.client.send(
      new PutItemCommand({ TableName, Item: { pk: { S: 'C#2' }, sk: { S: 'E#a' }, v: { N: '7' } } }),
    );
    expect((await send('Get', { Key: { pk: 'C#2', sk: 'E#a' } })).Item?.v).toBe(7);
    await s.client.send(new DeleteItemCommand({ TableName, Key: { pk: { S: 'C#2' }, sk: { S: 'E#a' } } }));
    expect((await query('C#2')).Items).toEqual([]);
  });

  it('keeps failed writes and reads out of the cache', async () => {
    await send('Put', { Item: { pk: 'C#3', sk: 'E#a', v: 1 } });
    await expect(
      send('Put', { Item: { pk: 'C#3', sk: 'E#a', v: 2 }, ConditionExpression: 'attribute_not_exists(pk)' }),
    ).rejects.toThrow(/conditional/i);
    expect((await send('Get', { Key: { pk: 'C#3', sk: 'E#a' } })).Item?.v).toBe(1);
    await expect(send('Get', { Key: { pk: 'C#3' } })).rejects.toThrow();
    await expect(send('Get', { Key: { pk: 'C#3' } })).rejects.toThrow();
  });
});

describe('the read cache against the store itself', () => {
  // Concurrent batches of writes and reads on a few partitions; after each batch, every cached
  // read must equal an uncached Scan of the same partition (Scan is never cached).
  const op = fc.record({
    kind: fc.constantFrom('put', 'update', 'delete', 'get', 'query'),
    pk: fc.constantFrom('X#1', 'X#2', 'X#3'),
    sk: fc.constantFrom('E#a', 'E#b'),
    v: fc.integer({ min: 0, max: 9 }),
  });
  const scan = async (pk: string) => {
    const r = await s.client.send(
      new ScanCommand({
        TableName,
        FilterExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
      }),
    );
    return (r.Items ?? []).map((i) => ({ pk: i.pk!.S, sk: i.sk!.S, v: Number(i.v!.N) }));
  };

  it('never answers what the store no longer holds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(op, { minLength: 1, maxLength: 6 }), { maxLength: 8 }),
        async (batches) => {
          for (const batch of batches) {
            await Promise.all(
              batch.map((o) => {
                const Key = { pk: o.pk, sk: o.sk };
                if (o.kind === 'put') return send('Put', { Item: { ...Key, v: o.v } });
                if (o.kind === 'update')
                  return send('Update', {
                    Key,
                    UpdateExpression: 'SET v = :v',
                    ExpressionAttributeValues: { ':v': o.v },
                  });
                if (o.kind === 'delete') return send('Delete', { Key });
                if (o.kind === 'get') return send('Get', { Key });
                return query(o.pk);
              }),
            );
            for (const pk of ['X#1', 'X#2', 'X#3']) {
              const stored = (await scan(pk)).sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
              expect((await query(pk)).Items).toEqual(stored);
              for (const sk of ['E#a', 'E#b'])
                expect((await send('Get', { Key: { pk, sk } })).Item).toEqual(
                  stored.find((i) => i.sk === sk),
                );
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

/** A promise settled by hand, to order a read and a write the way two requests can interleave. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('ReadCache ordering', () => {
  const cache = () => new ReadCache(() => 'pk');
  /** One completed read: the first read of a request since a write only marks it. */
  const readOnce = (c: ReadCache, request: string, partition: string, out: Record<string, unknown>) =>
    c.read(request, partition, async () => out);
  /** Reads twice: the second keeps the answer. */
  const readTwice = async (
    c: ReadCache,
    request: string,
    partition: string,
    out: Record<string, unknown>,
  ) => {
    await readOnce(c, request, partition, out);
    await readOnce(c, request, partition, out);
  };

  it('keeps an answer from the second read since its partition was written', async () => {
    const c = cache();
    await readOnce(c, 'r', 'p', { v: 1 });
    expect(c.get('r')).toBeUndefined();
    await readOnce(c, 'r', 'p', { v: 1 });
    expect(c.get('r')).toEqual({ v: 1 });
  });

  // In each case below a fresh read marks the request after the write, so a stale answer that
  // arrives later would be kept if the guard under test were missing.

  it('does not remember a read that overlapped a write of its partition', async () => {
    const c = cache();
    const stale = deferred<Record<string, unknown>>();
    const pending = c.read('r', 'p', () => stale.promise);
    await c.write('p', async () => 'ok');
    await readOnce(c, 'r', 'p', { v: 'new' });
    stale.resolve({ v: 'old' });
    await pending;
    expect(c.get('r')).toBeUndefined();
    await readOnce(c, 'r', 'p', { v: 'new' });
    expect(c.get('r')).toEqual({ v: 'new' });
  });

  it('does not remember a read that began while a write was in flight', async () => {
    const c = cache();
    const write = deferred<string>();
    const writing = c.write('p', () => write.promise);
    const stale = deferred<Record<string, unknown>>();
    const pending = c.read('r', 'p', () => stale.promise);
    write.resolve('ok');
    await writing;
    await readOnce(c, 'r', 'p', { v: 'new' });
    stale.resolve({ v: 'old' });
    await pending;
    expect(c.get('r')).toBeUndefined();
  });

  it('forgets a partition on a write, and everything on a write of any partition', async () => {
    const c = cache();
    await readTwice(c, 'a', 'p', { n: 1 });
    await readTwice(c, 'b', 'q', { n: 2 });
    expect(c.get('a')).toEqual({ n: 1 });
    await c.write('p', async () => 'ok');
    expect(c.get('a')).toBeUndefined();
    expect(c.get('b')).toEqual({ n: 2 });
    const stale = deferred<Record<string, unknown>>();
    const pending = c.read('c', 'q', () => stale.promise);
    await c.write(undefined, async () => 'ok');
    await readOnce(c, 'c', 'q', { n: 4 });
    stale.resolve({ n: 3 });
    await pending;
    expect(c.get('b')).toBeUndefined();
    expect(c.get('c')).toBeUndefined();
  });

  it('keeps no answer over 64 KB, and forgets everything beyond 16 MB of answers', async () => {
    const c = cache();
    await readTwice(c, 'big', 'p', { Item: { blob: { S: 'x'.repeat(70_000) } } });
    expect(c.get('big')).toBeUndefined();
    const answer = { Item: { blob: { S: 'x'.repeat(60_000) } } };
    for (let i = 0; i < 300; i++) await readTwice(c, `r${i}`, `p${i}`, answer);
    expect(c.get('r299')).toEqual(answer);
    // 300 answers of about 60 KB pass 16 MB: the cache was emptied once on the way.
    expect(c.get('r0')).toBeUndefined();
  });

  it('remembers nothing from before its write records were dropped', async () => {
    const c = cache();
    const stale = deferred<Record<string, unknown>>();
    const pending = c.read('r', 'p', () => stale.promise);
    // More partitions written than it keeps records of: p's record goes with the rest.
    for (let i = 0; i < 2100; i++) await c.write(`w${i}`, async () => 'ok');
    await c.write('p', async () => 'ok');
    for (let i = 2100; i < 4300; i++) await c.write(`w${i}`, async () => 'ok');
    await readOnce(c, 'r', 'p', { v: 'new' });
    stale.resolve({ v: 'old' });
    await pending;
    expect(c.get('r')).toBeUndefined();
  });
});
