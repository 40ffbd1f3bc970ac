/** The embedded store's expression cache: a cached parse answers as dynalite's parser would. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedStore, startEmbeddedStore } from '../../functions/local/embedded-store.ts';
import { expressionCacheStats } from '../../functions/local/expression-cache.ts';
import { ensureTable } from '../../functions/storage/table.ts';

const TableName = 'cache-test';
let s: EmbeddedStore;
const send = (op: 'Get' | 'Put' | 'Update' | 'Query', input: Record<string, unknown>) =>
  s.transport.send(op, { TableName, ...input });

beforeAll(async () => {
  s = await startEmbeddedStore();
  await ensureTable(s.client, TableName);
});
afterAll(() => s.close());

describe('expression cache', () => {
  it('reuses a parse with the request’s own values', async () => {
    const hits = expressionCacheStats.hits;
    for (let i = 0; i < 3; i++) {
      await send('Put', {
        Item: { pk: `P#${i}`, sk: 'A', n: i },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
      await send('Update', {
        Key: { pk: `P#${i}`, sk: 'A' },
        UpdateExpression: 'SET n = n + :d, #t = :t',
        ConditionExpression: 'n = :n',
        ExpressionAttributeNames: { '#t': 'tag' },
        ExpressionAttributeValues: { ':d': 10, ':t': `t${i}`, ':n': i },
      });
      const q = await send('Query', {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :p)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
        ExpressionAttributeValues: { ':pk': `P#${i}`, ':p': 'A' },
      });
      expect(q.Items).toEqual([{ pk: `P#${i}`, sk: 'A', n: i + 10, tag: `t${i}` }]);
    }
    expect(expressionCacheStats.hits).toBeGreaterThan(hits);
    await expect(
      send('Put', { Item: { pk: 'P#0', sk: 'A' }, ConditionExpression: 'attribute_not_exists(pk)' }),
    ).rejects.toThrow(/conditional request failed/);
  });

  it('keeps dynalite’s errors after a cached parse', async () => {
    // unused value, with the condition cached
    await expect(
      send('Put', {
        Item: { pk: 'E', sk: 'A' },
        ConditionExpression: 'attribute_not_exists(pk)',
        ExpressionAttributeValues: { ':x': 1 },
      }),
    ).rejects.toThrow('Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}');
    // a value of another type than the cached one
    await expect(
      send('Update', {
        Key: { pk: 'P#0', sk: 'A' },
        UpdateExpression: 'SET n = n + :d, #t = :t',
        ConditionExpression: 'n = :n',
        ExpressionAttributeNames: { '#t': 'tag' },
        ExpressionAttributeValues: { ':d': 'ten', ':t': 't', ':n': 0 },
      }),
    ).rejects.toThrow(
      'Incorrect operand type for operator or function; operator or function: +, operand type: S',
    );
    // a name missing
    await expect(
      send('Update', {
        Key: { pk: 'P#0', sk: 'A' },
        UpdateExpression: 'SET n = n + :d, #t = :t',
        ConditionExpression: 'n = :n',
        ExpressionAttributeNames: { '#u': 'tag' },
        ExpressionAttributeValues: { ':d': 1, ':t': 't', ':n': 0 },
      }),
    ).rejects.toThrow(/attribute name used in the document path is not defined/);
    // a name used by both expressions of one request stays used
    await send('Update', {
      Key: { pk: 'P#1', sk: 'A' },
      UpdateExpression: 'SET #n = #n + :d',
      ConditionExpression: '#n = :n',
      ExpressionAttributeNames: { '#n': 'n' },
      ExpressionAttributeValues: { ':d': 1, ':n': 11 },
    });
    await send('Update', {
      Key: { pk: 'P#1', sk: 'A' },
      UpdateExpression: 'SET #n = #n + :d',
      ConditionExpression: '#n = :n',
      ExpressionAttributeNames: { '#n': 'n' },
      ExpressionAttributeValues: { ':d': 1, ':n': 12 },
    });
    expect((await send('Get', { Key: { pk: 'P#1', sk: 'A' } })).Item).toMatchObject({ n: 13 });
    // BETWEEN looks at the values: never cached
    for (const [lo, hi, ok] of [
      [1, 2, true],
      [3, 2, false],
    ] as const) {
      const q = send('Query', {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':pk': 'P#1', ':lo': String(lo), ':hi': String(hi) },
      });
      if (ok) await q;
      else await expect(q).rejects.toThrow(/BETWEEN operator requires upper bound/);
    }
  });

  it('caches per class of equal attribute names, not per name', async () => {
    await send('Put', { Item: { pk: 'C', sk: 'A', claims: {} } });
    const hits = expressionCacheStats.hits;
    for (const id of ['x1', 'x2', 'x3']) {
      await send('Update', {
        Key: { pk: 'C', sk: 'A' },
        UpdateExpression: 'SET claims.#id = :n',
        ConditionExpression: 'attribute_not_exists(claims.#id)',
        ExpressionAttributeNames: { '#id': id },
        ExpressionAttributeValues: { ':n': 1 },
      });
    }
    expect(expressionCacheStats.hits - hits).toBeGreaterThanOrEqual(4);
    expect(
      ((await send('Get', { Key: { pk: 'C', sk: 'A' } })) as { Item?: { claims?: unknown } }).Item?.claims,
    ).toEqual({ x1: 1, x2: 1, x3: 1 });
    const twoNames = (a: string, b: string) =>
      send('Update', {
        Key: { pk: 'C', sk: 'A' },
        UpdateExpression: 'SET claims.#a = :n, claims.#b = :n',
        ExpressionAttributeNames: { '#a': a, '#b': b },
        ExpressionAttributeValues: { ':n': 2 },
      });
    await twoNames('y1', 'y2');
    await twoNames('y3', 'y4');
    // the same path twice: dynalite's overlap error, with the request's names
    await expect(twoNames('z', 'z')).rejects.toThrow(
      'Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [claims, z], path two: [claims, z]',
    );
    // a name equal to a literal of the expression
    const literal = (v: string) =>
      send('Update', {
        Key: { pk: 'C', sk: 'A' },
        UpdateExpression: 'SET claims.#a = :n, claims.w = :n',
        ExpressionAttributeNames: { '#a': v },
        ExpressionAttributeValues: { ':n': 3 },
      });
    await literal('v1');
    await literal('v2');
    await expect(literal('w')).rejects.toThrow(/Two document paths overlap/);
    expect(
      ((await send('Get', { Key: { pk: 'C', sk: 'A' } })) as { Item?: { claims?: unknown } }).Item?.claims,
    ).toMatchObject({
      y3: 2,
      y4: 2,
      v2: 3,
      w: 3,
    });
  });
});
