/**
 * The DynamoDB adapter of the Repository: single-item conditional writes only (no
 * transactions, which dynalite lacks), queries on the table and two GSIs, never a Scan.
 * Every SDK error is mapped once to a domain error (ConflictError, RetryableError,
 * StorageError). The table layout and its justification are in docs/storage.md.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws-sdk.ts';
import { decodeCursor, encodeCursor, gunzipText, gzipText, key, sha256Hex } from './codec.ts';
import { clampPage, MAX_STORE_PAGE } from './paging.ts';
import { TABLE } from './table.ts';
import {
  type AttemptReservation,
  type CheckSummary,
  ConflictError,
  type Page,
  type PageRequest,
  type Repository,
  RetryableError,
  type ScenarioHeadRecord,
  type ScenarioVersionRecord,
  type ScenarioVersionSummary,
  StorageError,
  type StoredResult,
  type SubmissionRecord,
  type SubmissionSummary,
  type TokenRecord,
} from './types.ts';

const { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } = documentClient;

/** Counts DynamoDB calls made through an adapter (for benchmarks and the per-request budget). */
export interface CallCounter {
  total: number;
  byCommand: Record<string, number>;
}

/** Options of the DynamoDB repository. */
export interface DynamoRepositoryOptions {
  client: DynamoDBClient;
  tableName: string;
  /** Wall clock in epoch milliseconds (injected; used for attempt-reservation ages). */
  now?: () => number;
  /** A reservation older than this without its submission is reclaimed (default 60 s). */
  reservationGraceMs?: number;
  counter?: CallCounter;
}

/** Binary attributes larger than this go to a content-addressed blob item (keeps items far below 400 KB). */
const INLINE_LIMIT = 64 * 1024;
/** Page size bounds for every query. */
/** Rounds of one attempt reservation (a round retries only after a lost race). */
const RESERVE_TRIES = 20;
/** Stale pending reservations checked against their records per call (bounds the reads). */
const ORPHAN_CHECKS = 10;

type Packed = { gz: Uint8Array } | { ref: string };
type Item = Record<string, unknown>;

const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionConflictException',
  'LimitExceededException',
  'TimeoutError',
]);

/** Maps an SDK or network error to a domain error. */
export function mapStorageError(err: unknown): Error {
  const e = err as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const name = e?.name ?? '';
  if (name === 'ConditionalCheckFailedException')
    return new ConflictError(e.message ?? 'conditional check failed');
  if (RETRYABLE.has(name)) return new RetryableError(`${name}: ${e.message ?? ''}`);
  if (e?.code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(e.code)) {
    return new RetryableError(`${e.code}: ${e.message ?? ''}`);
  }
  if ((e?.$metadata?.httpStatusCode ?? 0) >= 500) return new RetryableError(`${name}: ${e.message ?? ''}`);
  return new StorageError(`${name || 'Error'}: ${e?.message ?? String(err)}`);
}

function clampLimit(limit: number | undefined): number {
  return clampPage(limit, MAX_STORE_PAGE);
}

function checksToItem(checks: CheckSummary[]): Item[] {
  return checks.map((c) => ({ id: c.id, status: c.status, score: c.score, maxScore: c.maxScore }));
}

function checksFromItem(v: unknown): CheckSummary[] {
  if (!Array.isArray(v)) return [];
  return v.map((c: Item) => ({
    id: String(c.id),
    status: c.status === 'passed' ? 'passed' : 'failed',
    score: Number(c.score),
    maxScore: Number(c.maxScore),
  }));
}

/** Creates the DynamoDB-backed repository. */
export function createDynamoRepository(
  options: DynamoRepositoryOptions,
): Repository & { counter: CallCounter } {
  const doc = DynamoDBDocumentClient.from(options.client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  const TableName = options.tableName;
  const now = options.now ?? (() => Date.now());
  const grace = options.reservationGraceMs ?? 60_000;
  const counter: CallCounter = options.counter ?? { total: 0, byCommand: {} };

  async function send<O>(command: { constructor: { name: string } }): Promise<O> {
    const name = command.constructor.name.replace(/Command$/, '');
    counter.total++;
    counter.byCommand[name] = (counter.byCommand[name] ?? 0) + 1;
    try {
      return (await (doc.send as (c: unknown) => Promise<unknown>)(command)) as O;
    } catch (err) {
      throw mapStorageError(err);
    }
  }

  async function get(pk: string, sk: string, projection?: string[]): Promise<Item | undefined> {
    const input: Item = { TableName, Key: { pk, sk }, ConsistentRead: true };
    if (projection) {
      input.ProjectionExpression = projection.map((_, i) => `#p${i}`).join(', ');
      input.ExpressionAttributeNames = Object.fromEntries(projection.map((p, i) => [`#p${i}`, p]));
    }
    const out = await send<{ Item?: Item }>(new GetCommand(input as never));
    return out.Item;
  }

  async function pack(text: string): Promise<Packed> {
    const gz = gzipText(text);
    if (gz.byteLength <= INLINE_LIMIT) return { gz };
    const ref = sha256Hex(gz);
    // Content-addressed and immutable: an unconditional put of the same bytes is idempotent,
    // and a blob left behind by a crash before its owner was written is harmless.
    await send(new PutCommand({ TableName, Item: { pk: key('BLOB', ref), sk: 'BLOB', data: gz } }));
    return { ref };
  }

  async function unpack(p: unknown): Promise<string> {
    const v = p as { gz?: Uint8Array; ref?: string } | undefined;
    if (v?.gz) return gunzipText(v.gz);
    if (typeof v?.ref === 'string') {
      const blob = await get(key('BLOB', v.ref), 'BLOB');
      if (!blob) throw new StorageError(`missing blob ${v.ref}`);
      return gunzipText(blob.data as Uint8Array);
    }
    throw new StorageError('malformed packed attribute');
  }

  async function query(
    scope: string,
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
    page: PageRequest,
  ): Promise<{ items: Item[]; cursor?: string }> {
    const out = await send<{ Items?: Item[]; LastEvaluatedKey?: Item }>(
      new QueryCommand({
        TableName,
        ...input,
        Limit: clampLimit(page.limit),
        ExclusiveStartKey: decodeCursor(scope, page.cursor),
      }),
    );
    const cursor = encodeCursor(scope, out.LastEvaluatedKey);
    return cursor ? { items: out.Items ?? [], cursor } : { items: out.Items ?? [] };
  }

  async function resultToItem(r: StoredResult): Promise<Item> {
    return {
      version: r.scenarioVersion,
      status: r.status,
      score: r.score,
      maxScore: r.maxScore,
      checks: checksToItem(r.checks),
      gradedAt: r.gradedAt,
      doc: await pack(JSON.stringify(r.result)),
    };
  }

  async function resultFromItem(i: Item): Promise<StoredResult> {
    return {
      scenarioVersion: String(i.version),
      status: i.status === 'rejected' ? 'rejected' : 'graded',
      score: Number(i.score),
      maxScore: Number(i.maxScore),
      checks: checksFromItem(i.checks),
      gradedAt: String(i.gradedAt),
      result: JSON.parse(await unpack(i.doc)),
    };
  }

  function summaryFromItem(i: Item): SubmissionSummary {
    return {
      id: String(i.id),
      course: String(i.course),
      scenario: String(i.scenario),
      student: String(i.student),
      attempt: typeof i.attempt === 'number' ? i.attempt : null,
      createdAt: String(i.createdAt),
      scenarioVersion: String(i.sumVersion),
      status: i.sumStatus === 'rejected' ? 'rejected' : 'graded',
      score: Number(i.sumScore),
      maxScore: Number(i.sumMax),
      checks: checksFromItem(i.sumChecks),
    };
  }

  function headFromItem(i: Item): ScenarioHeadRecord {
    return {
      course: String(i.course),
      name: String(i.name),
      version: String(i.version),
      title: String(i.title),
      published: i.published !== false,
      updatedAt: String(i.updatedAt),
      updatedBy: String(i.updatedBy),
    };
  }

  function versionSummaryFromItem(i: Item): ScenarioVersionSummary {
    return {
      course: String(i.course),
      name: String(i.name),
      version: String(i.version),
      title: String(i.title),
      published: i.published !== false,
      createdAt: String(i.createdAt),
      createdBy: String(i.createdBy),
    };
  }

  const attemptsKey = (course: string, scenario: string, student: string) => ({
    pk: key('ATT', course, scenario, student),
    sk: 'ATT',
  });

  /**
   * The pending reservations (in `claimedAt`; confirmed ones leave it) older than the grace
   * period, oldest number first, at most ORPHAN_CHECKS of them, each judged by its record:
   * `orphans` were never stored with their number (the writer crashed between reserving and
   * storing), `stored` were (only their confirmation was lost).
   */
  async function stalePending(
    claims: Record<string, number>,
    claimedAt: Record<string, number>,
    t: number,
  ): Promise<{ orphans: { id: string; n: number }[]; stored: { id: string; n: number }[] }> {
    const stale = Object.entries(claimedAt)
      .filter(([id, at]) => claims[id] !== undefined && t - Number(at) > grace)
      .map(([id]) => ({ id, n: Number(claims[id]) }))
      .sort((a, b) => a.n - b.n)
      .slice(0, ORPHAN_CHECKS);
    const orphans: { id: string; n: number }[] = [];
    const stored: { id: string; n: number }[] = [];
    for (const claim of stale) {
      const sub = await get(key('SUB', claim.id), 'SUB', ['attempt']);
      (sub && sub.attempt === claim.n ? stored : orphans).push(claim);
    }
    return { orphans, stored };
  }

  /** Marks the reservation of `id` (number `n`) as stored: it leaves the pending map. */
  async function confirmClaim(Key: Item, id: string, n: number): Promise<void> {
    try {
      await send(
        new UpdateCommand({
          TableName,
          Key,
          UpdateExpression: 'REMOVE claimedAt.#id',
          ConditionExpression: 'claims.#id = :n',
          ExpressionAttributeNames: { '#id': id },
          ExpressionAttributeValues: { ':n': n },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }

  /**
   * One atomic update claiming the next number: both SET operands read the old `next`, so the
   * claim gets exactly the new value of the counter. `noPending` adds the condition of the
   * fast path: no reservation is pending, so none can be an orphan to reclaim first.
   */
  async function claimNext(
    Key: Item,
    id: string,
    max: number | undefined,
    t: number,
    noPending: boolean,
  ): Promise<AttemptReservation> {
    const conditions = ['attribute_exists(claims)', 'attribute_not_exists(claims.#id)'];
    if (max !== undefined) conditions.push('size(claims) < :max');
    if (noPending) conditions.push('(attribute_not_exists(claimedAt) OR size(claimedAt) = :zero)');
    const out = await send<{ Attributes?: Item }>(
      new UpdateCommand({
        TableName,
        Key,
        UpdateExpression:
          'SET #next = if_not_exists(#next, :zero) + :one, claims.#id = if_not_exists(#next, :zero) + :one, claimedAt.#id = :t',
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: { '#next': 'next', '#id': id },
        ExpressionAttributeValues: {
          ':zero': 0,
          ':one': 1,
          ':t': t,
          ...(max === undefined ? {} : { ':max': max }),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const claims = (out.Attributes?.claims ?? {}) as Record<string, number>;
    return { ok: true, attempt: Number(claims[id]), used: Object.keys(claims).length };
  }

  const repo: Repository & { counter: CallCounter } = {
    counter,

    async putToken(t: TokenRecord) {
      await send(
        new PutCommand({
          TableName,
          Item: {
            pk: key('TOKEN', t.tokenHash),
            sk: 'TOKEN',
            ...t,
            // DynamoDB deletes expired items within days; authentication checks expiresAt itself.
            ...(t.expiresAt ? { [TABLE.ttlAttribute]: Math.ceil(Date.parse(t.expiresAt) / 1000) } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
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
        await send(
          new PutCommand({
            TableName,
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
          }),
        );
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
      const r = await query(
        `${TABLE.gsi1.name}:${pk}`,
        {
          IndexName: TABLE.gsi1.name,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
        },
        page,
      );
      return { ...r, items: r.items.map(versionSummaryFromItem) };
    },

    async putScenarioHead(h: ScenarioHeadRecord) {
      await send(
        new PutCommand({ TableName, Item: { pk: key('COURSE', h.course), sk: key('SCN', h.name), ...h } }),
      );
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

    async reserveAttempt(course, scenario, student, id, max): Promise<AttemptReservation> {
      const Key = attemptsKey(course, scenario, student);
      for (let round = 0; round < RESERVE_TRIES; round++) {
        const t = now();
        try {
          // The common case, one call: nothing pending, a number below the limit.
          return await claimNext(Key, id, max, t, true);
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
        }
        const item = await get(Key.pk, Key.sk);
        if (!item) {
          try {
            await send(
              new PutCommand({
                TableName,
                Item: { ...Key, course, scenario, student, next: 0, claims: {}, claimedAt: {} },
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            );
          } catch (err) {
            if (!(err instanceof ConflictError)) throw err;
          }
          continue;
        }
        const claims = (item.claims ?? {}) as Record<string, number>;
        const used = Object.keys(claims).length;
        if (claims[id] !== undefined) return { ok: true, attempt: Number(claims[id]), used };
        // A reservation pending past the grace period whose submission was never stored is
        // reclaimed, at the limit or not: the new submission takes over its number, so
        // attempt numbers stay dense and the count exact.
        const { orphans, stored } = await stalePending(
          claims,
          (item.claimedAt ?? {}) as Record<string, number>,
          t,
        );
        for (const claim of stored) await confirmClaim(Key, claim.id, claim.n);
        const orphan = orphans[0];
        if (orphan) {
          try {
            await send(
              new UpdateCommand({
                TableName,
                Key,
                UpdateExpression:
                  'REMOVE claims.#old, claimedAt.#old SET claims.#new = :n, claimedAt.#new = :t',
                ConditionExpression: 'claims.#old = :n AND attribute_not_exists(claims.#new)',
                ExpressionAttributeNames: { '#old': orphan.id, '#new': id },
                ExpressionAttributeValues: { ':n': orphan.n, ':t': t },
              }),
            );
            return { ok: true, attempt: orphan.n, used };
          } catch (err) {
            if (!(err instanceof ConflictError)) throw err;
          }
          continue;
        }
        if (max !== undefined && used >= max) return { ok: false, used, max };
        try {
          // Pending reservations that are not (yet) orphans: claim the next number beside them.
          return await claimNext(Key, id, max, t, false);
        } catch (err) {
          if (!(err instanceof ConflictError)) throw err;
        }
      }
      throw new RetryableError('attempt counter contended; retry');
    },

    async confirmAttempt(course, scenario, student, id, attempt) {
      await confirmClaim(attemptsKey(course, scenario, student), id, attempt);
    },

    async releaseAttempt(course, scenario, student, id, attempt) {
      try {
        await send(
          new UpdateCommand({
            TableName,
            Key: attemptsKey(course, scenario, student),
            UpdateExpression: 'REMOVE claims.#id, claimedAt.#id',
            ConditionExpression: 'claims.#id = :n',
            ExpressionAttributeNames: { '#id': id },
            ExpressionAttributeValues: { ':n': attempt },
          }),
        );
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
      }
    },

    async attemptsUsed(course, scenario, student) {
      const Key = attemptsKey(course, scenario, student);
      const item = await get(Key.pk, Key.sk);
      const claims = (item?.claims ?? {}) as Record<string, number>;
      // Orphans past the grace period no longer count: the next submission reclaims them.
      const { orphans } = await stalePending(
        claims,
        (item?.claimedAt ?? {}) as Record<string, number>,
        now(),
      );
      return Object.keys(claims).length - orphans.length;
    },

    async createSubmission(s: SubmissionRecord) {
      const orig = await resultToItem(s.original);
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
      await send(new PutCommand({ TableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }));
    },

    async getSubmission(id: string) {
      const i = await get(key('SUB', id), 'SUB');
      if (!i) return undefined;
      const original = await resultFromItem(i.orig as Item);
      let current = original;
      if (i.sumVersion !== original.scenarioVersion) {
        const r = await get(key('SUB', id), key('R', String(i.sumVersion)));
        if (r) current = await resultFromItem(r);
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
      const r = await query(
        `${TABLE.gsi1.name}:${pk}`,
        {
          IndexName: TABLE.gsi1.name,
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
        },
        page,
      );
      return { ...r, items: r.items.map(summaryFromItem) };
    },

    async listStudentSubmissions(course, scenario, student, page) {
      const pk = key('STU', course, scenario, student);
      const r = await query(
        `${TABLE.gsi2.name}:${pk}`,
        {
          IndexName: TABLE.gsi2.name,
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
        },
        page,
      );
      return { ...r, items: r.items.map(summaryFromItem) };
    },

    async putRegradeResult(id: string, result: StoredResult) {
      const pk = key('SUB', id);
      await send(
        new PutCommand({
          TableName,
          Item: { pk, sk: key('R', result.scenarioVersion), ...(await resultToItem(result)) },
        }),
      );
      try {
        await send(
          new UpdateCommand({
            TableName,
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
          }),
        );
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
        const out: { Items?: Item[]; LastEvaluatedKey?: Item } = await send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': pk },
            ConsistentRead: true,
            ExclusiveStartKey,
          }),
        );
        items.push(...(out.Items ?? []));
        ExclusiveStartKey = out.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      const main = items.find((i) => i.sk === 'SUB');
      if (!main) return [];
      const original = await resultFromItem(main.orig as Item);
      const regrades = await Promise.all(
        items.filter((i) => String(i.sk).startsWith('R#')).map(resultFromItem),
      );
      regrades.sort((a, b) => (a.gradedAt < b.gradedAt ? -1 : a.gradedAt > b.gradedAt ? 1 : 0));
      return [original, ...regrades];
    },
  };
  return repo;
}
