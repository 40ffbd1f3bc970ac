/** Tokens, scenario versions and scenario heads in the DynamoDB table (access patterns 1-6). */
import { key } from './codec.ts';
import { headFromItem, versionSummaryFromItem } from './dynamo-items.ts';
import type { Table } from './dynamo-table.ts';
import { TABLE } from './table.ts';
import {
  ConflictError,
  type Page,
  type PageRequest,
  type Repository,
  type ScenarioHeadRecord,
  type ScenarioVersionRecord,
  type ScenarioVersionSummary,
  type TokenRecord,
} from './types.ts';

/** The token and scenario methods of the repository. */
export function scenarioStore(
  table: Table,
): Pick<
  Repository,
  | 'putToken'
  | 'getToken'
  | 'putScenarioVersion'
  | 'getScenarioVersion'
  | 'listScenarioVersions'
  | 'putScenarioHead'
  | 'getScenarioHead'
  | 'listScenarioHeads'
> {
  const { send, get, pack, unpack, query, queryIndex } = table;
  return {
    async putToken(t: TokenRecord) {
      await send('Put', {
        Item: {
          pk: key('TOKEN', t.tokenHash),
          sk: 'TOKEN',
          ...t,
          // DynamoDB deletes expired items within days; authentication checks expiresAt itself.
          ...(t.expiresAt ? { [TABLE.ttlAttribute]: Math.ceil(Date.parse(t.expiresAt) / 1000) } : {}),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    },

    async getToken(tokenHash: string) {
      const i = await get(key('TOKEN', tokenHash), 'TOKEN');
      if (!i) return undefined;
      const t: TokenRecord = {
        tokenHash: String(i.tokenHash),
        role: i.role === 'instructor' ? 'instructor' : 'student',
        user: String(i.user),
        course: String(i.course),
        createdAt: String(i.createdAt),
      };
      if (typeof i.label === 'string') t.label = i.label;
      if (typeof i.expiresAt === 'string') t.expiresAt = i.expiresAt;
      return t;
    },

    async putScenarioVersion(v: ScenarioVersionRecord) {
      try {
        await send('Put', {
          Item: {
            pk: key('SCN', v.course, v.name),
            sk: key('V', v.version),
            gsi1pk: key('SCNV', v.course, v.name),
            gsi1sk: key(v.createdAt, v.version),
            course: v.course,
            name: v.name,
            version: v.version,
            title: v.title,
            published: v.published,
            createdAt: v.createdAt,
            createdBy: v.createdBy,
            yaml: await pack(v.yaml),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        });
        return true;
      } catch (err) {
        if (err instanceof ConflictError) return false;
        throw err;
      }
    },

    async getScenarioVersion(course: string, name: string, version: string) {
      const i = await get(key('SCN', course, name), key('V', version));
      if (!i) return undefined;
      return { ...versionSummaryFromItem(i), yaml: await unpack(i.yaml) };
    },

    async listScenarioVersions(
      course: string,
      name: string,
      page: PageRequest,
    ): Promise<Page<ScenarioVersionSummary>> {
      const pk = key('SCNV', course, name);
      const r = await queryIndex(TABLE.gsi1, pk, page);
      return { ...r, items: r.items.map(versionSummaryFromItem) };
    },

    async putScenarioHead(h: ScenarioHeadRecord) {
      await send('Put', { Item: { pk: key('COURSE', h.course), sk: key('SCN', h.name), ...h } });
    },

    async getScenarioHead(course: string, name: string) {
      const i = await get(key('COURSE', course), key('SCN', name));
      return i ? headFromItem(i) : undefined;
    },

    async listScenarioHeads(course: string, page: PageRequest) {
      const pk = key('COURSE', course);
      const r = await query(
        `T:${pk}`,
        {
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
          ExpressionAttributeValues: { ':pk': pk, ':p': 'SCN#' },
        },
        page,
      );
      return { ...r, items: r.items.map(headFromItem) };
    },
  };
}
