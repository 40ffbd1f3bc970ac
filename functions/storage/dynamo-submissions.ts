/**
 * Submissions and their results in the DynamoDB table (access patterns 8-13): one conditional
 * put per submission, the `R#version` items of regrades beside it, listings from the GSIs.
 */
import { key } from './codec.ts';
import { checksToItem, resultFromItem, resultToItem, summaryFromItem } from './dynamo-items.ts';
import type { Item, Table } from './dynamo-table.ts';
import { TABLE } from './table.ts';
import {
  ConflictError,
  type Repository,
  StorageError,
  type StoredResult,
  type SubmissionRecord,
} from './types.ts';

/** The submission and result methods of the repository. */
export function submissionStore(
  table: Table,
): Pick<
  Repository,
  | 'createSubmission'
  | 'getSubmission'
  | 'listSubmissions'
  | 'listStudentSubmissions'
  | 'putRegradeResult'
  | 'listResults'
> {
  const { send, get, pack, unpack, queryIndex } = table;
  return {
    async createSubmission(s: SubmissionRecord) {
      const orig = await resultToItem(table, s.original);
      const item: Item = {
        pk: key('SUB', s.id),
        sk: 'SUB',
        gsi1pk: key('SUBS', s.course, s.scenario),
        gsi1sk: key(s.createdAt, s.id),
        gsi2pk: key('STU', s.course, s.scenario, s.student),
        gsi2sk: key(s.createdAt, s.id),
        id: s.id,
        course: s.course,
        scenario: s.scenario,
        student: s.student,
        attempt: s.attempt ?? undefined,
        manifest: await pack(s.manifest),
        fingerprint: s.fingerprint,
        idempotencyKey: s.idempotencyKey,
        createdAt: s.createdAt,
        httpStatus: s.httpStatus,
        orig,
        sumVersion: s.current.scenarioVersion,
        sumStatus: s.current.status,
        sumScore: s.current.score,
        sumMax: s.current.maxScore,
        sumChecks: checksToItem(s.current.checks),
        sumGradedAt: s.current.gradedAt,
      };
      await send('Put', { Item: item, ConditionExpression: 'attribute_not_exists(pk)' });
    },

    async getSubmission(id: string) {
      const i = await get(key('SUB', id), 'SUB');
      if (!i) return undefined;
      const original = await resultFromItem(table, i.orig as Item);
      let current = original;
      if (i.sumVersion !== original.scenarioVersion) {
        const r = await get(key('SUB', id), key('R', String(i.sumVersion)));
        if (r) current = await resultFromItem(table, r);
      }
      const rec: SubmissionRecord = {
        id: String(i.id),
        course: String(i.course),
        scenario: String(i.scenario),
        student: String(i.student),
        attempt: typeof i.attempt === 'number' ? i.attempt : null,
        manifest: await unpack(i.manifest),
        fingerprint: String(i.fingerprint),
        createdAt: String(i.createdAt),
        httpStatus: Number(i.httpStatus),
        original,
        current,
      };
      if (typeof i.idempotencyKey === 'string') rec.idempotencyKey = i.idempotencyKey;
      return rec;
    },

    async listSubmissions(course, scenario, page) {
      const pk = key('SUBS', course, scenario);
      const r = await queryIndex(TABLE.gsi1, pk, page);
      return { ...r, items: r.items.map(summaryFromItem) };
    },

    async listStudentSubmissions(course, scenario, student, page) {
      const pk = key('STU', course, scenario, student);
      const r = await queryIndex(TABLE.gsi2, pk, page);
      return { ...r, items: r.items.map(summaryFromItem) };
    },

    async putRegradeResult(id: string, result: StoredResult) {
      const pk = key('SUB', id);
      await send('Put', {
        Item: { pk, sk: key('R', result.scenarioVersion), ...(await resultToItem(table, result)) },
      });
      try {
        await send('Update', {
          Key: { pk, sk: 'SUB' },
          UpdateExpression:
            'SET sumVersion = :v, sumStatus = :s, sumScore = :sc, sumMax = :m, sumChecks = :c, sumGradedAt = :g',
          ConditionExpression: 'attribute_exists(pk) AND sumGradedAt <= :g',
          ExpressionAttributeValues: {
            ':v': result.scenarioVersion,
            ':s': result.status,
            ':sc': result.score,
            ':m': result.maxScore,
            ':c': checksToItem(result.checks),
            ':g': result.gradedAt,
          },
        });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        const exists = await get(pk, 'SUB', ['id']);
        if (!exists) throw new StorageError(`no submission ${id}`);
        // A newer result is already current: this one stays stored beside it.
      }
    },

    async listResults(id: string) {
      const pk = key('SUB', id);
      const items: Item[] = [];
      let ExclusiveStartKey: Item | undefined;
      do {
        const out: { Items?: Item[]; LastEvaluatedKey?: Item } = await send('Query', {
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
          ExclusiveStartKey,
        });
        items.push(...(out.Items ?? []));
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      const main = items.find((i) => i.sk === 'SUB');
      if (!main) return [];
      const original = await resultFromItem(table, main.orig as Item);
      const regrades = await Promise.all(
        items.filter((i) => String(i.sk).startsWith('R#')).map((i) => resultFromItem(table, i)),
      );
      regrades.sort((a, b) => (a.gradedAt < b.gradedAt ? -1 : a.gradedAt > b.gradedAt ? 1 : 0));
      return [original, ...regrades];
    },
  };
}
