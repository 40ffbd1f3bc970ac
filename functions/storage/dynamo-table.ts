/**
 * The table helpers of the DynamoDB adapter: options, the one place where requests are sent
 * (counted, every SDK error mapped once to a domain error), consistent reads, paged queries
 * with opaque cursors, and packing of large text (gzip, content-addressed blobs).
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws-sdk.ts';
import { decodeCursor, encodeCursor, gunzipText, gzipText, key, sha256Hex } from './codec.ts';
import { clampPage, MAX_STORE_PAGE } from './paging.ts';
import type { GLOBAL_SECONDARY_INDEXES } from './schema.ts';
import { ConflictError, type PageRequest, RetryableError, StorageError } from './types.ts';

const { DynamoDBDocumentClient, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } =
  documentClient;

/** Counts DynamoDB calls made through an adapter (for benchmarks and the per-request budget). */
export interface CallCounter {
  total: number;
  byCommand: Record<string, number>;
}

/**
 * Sends document-form requests (plain JS values, as `@aws-sdk/lib-dynamodb` takes them) to a
 * table and answers in document form; errors carry the DynamoDB exception's name.
 */
export interface TableTransport {
  send(op: TableOp, input: Item): Promise<Item>;
}

/** Options of the DynamoDB repository: an SDK `client` (AWS, DynamoDB Local) or a `transport`. */
export interface DynamoRepositoryOptions {
  client?: DynamoDBClient;
  /** Requests without the SDK (the embedded store of `podlab serve`, functions/local/embedded-store.ts). */
  transport?: TableTransport;
  tableName: string;
  /** Wall clock in epoch milliseconds (injected; used for attempt-reservation ages). */
  now?: () => number;
  /** A reservation older than this without its submission is reclaimed (default 60 s). */
  reservationGraceMs?: number;
  counter?: CallCounter;
}

/** A stored item (document form: plain JS values). */
export type Item = Record<string, unknown>;

/** The document-client operations the adapter uses, by the name the call counter records. */
export type TableOp = 'Get' | 'Put' | 'Update' | 'Query' | 'Delete';

/** Binary attributes larger than this go to a content-addressed blob item (keeps items far below 400 KB). */
const INLINE_LIMIT = 64 * 1024;

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

const COMMANDS = {
  Get: GetCommand,
  Put: PutCommand,
  Update: UpdateCommand,
  Query: QueryCommand,
  Delete: DeleteCommand,
} as const;

/** The transport of an SDK client: lib-dynamodb's document client and commands. */
export function sdkTransport(client: DynamoDBClient): TableTransport {
  const doc = DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  return {
    send(op, input) {
      const Command = COMMANDS[op] as unknown as new (input: Item) => unknown;
      return (doc.send as (c: unknown) => Promise<Item>)(new Command(input));
    },
  };
}

/** The table of one repository: sending, reading, querying and packing, shared by its parts. */
export function createTable(options: DynamoRepositoryOptions) {
  const given = options.transport ?? (options.client ? sdkTransport(options.client) : undefined);
  if (!given) throw new TypeError('a DynamoDB repository needs a client or a transport');
  const transport: TableTransport = given;
  const TableName = options.tableName;
  const counter: CallCounter = options.counter ?? { total: 0, byCommand: {} };

  /** Sends one request (TableName added), counted; errors mapped to domain errors. */
  async function send<O = Item>(op: TableOp, input: Item): Promise<O> {
    counter.total++;
    counter.byCommand[op] = (counter.byCommand[op] ?? 0) + 1;
    try {
      return (await transport.send(op, { TableName, ...input })) as O;
    } catch (err) {
      throw mapStorageError(err);
    }
  }

  /** A consistent read of one item, optionally of some attributes only. */
  async function get(pk: string, sk: string, projection?: string[]): Promise<Item | undefined> {
    const input: Item = { Key: { pk, sk }, ConsistentRead: true };
    if (projection) {
      input.ProjectionExpression = projection.map((_, i) => `#p${i}`).join(', ');
      input.ExpressionAttributeNames = Object.fromEntries(projection.map((p, i) => [`#p${i}`, p]));
    }
    const out = await send<{ Item?: Item }>('Get', input);
    return out.Item;
  }

  /** Text as a packed attribute: inline gzip, or a reference to a blob item when large. */
  async function pack(text: string): Promise<{ gz: Uint8Array } | { ref: string }> {
    const gz = gzipText(text);
    if (gz.byteLength <= INLINE_LIMIT) return { gz };
    const ref = sha256Hex(gz);
    // Content-addressed and immutable: an unconditional put of the same bytes is idempotent,
    // and a blob left behind by a crash before its owner was written is harmless.
    await send('Put', { Item: { pk: key('BLOB', ref), sk: 'BLOB', data: gz } });
    return { ref };
  }

  /** Inverse of pack. */
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

  /** One page of a query; the cursor is bound to `scope` (the query's partition). */
  async function query(
    scope: string,
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
    page: PageRequest,
  ): Promise<{ items: Item[]; cursor?: string }> {
    const out = await send<{ Items?: Item[]; LastEvaluatedKey?: Item }>('Query', {
      ...input,
      Limit: clampPage(page.limit, MAX_STORE_PAGE),
      ExclusiveStartKey: decodeCursor(scope, page.cursor),
    });
    const cursor = encodeCursor(scope, out.LastEvaluatedKey);
    return cursor ? { items: out.Items ?? [], cursor } : { items: out.Items ?? [] };
  }

  /** One page of a global secondary index's partition `pk` (the cursor bound to index and partition). */
  function queryIndex(index: (typeof GLOBAL_SECONDARY_INDEXES)[number], pk: string, page: PageRequest) {
    return query(
      `${index.name}:${pk}`,
      {
        IndexName: index.name,
        KeyConditionExpression: `${index.partitionKey} = :pk`,
        ExpressionAttributeValues: { ':pk': pk },
      },
      page,
    );
  }

  return {
    counter,
    now: options.now ?? (() => Date.now()),
    graceMs: options.reservationGraceMs ?? 60_000,
    send,
    get,
    pack,
    unpack,
    query,
    queryIndex,
  };
}

/** The table helpers one repository's parts share. */
export type Table = ReturnType<typeof createTable>;
