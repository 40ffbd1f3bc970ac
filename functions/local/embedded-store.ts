/**
 * The embedded store of `podlab serve`: dynalite's own request validation, operations and
 * LevelDB store, called directly, without the AWS SDK and without HTTP. The repository talks
 * to it in document form (plain JS values) through `transport`; the conversion to DynamoDB's
 * attribute values is a few lines (wire.ts) instead of the SDK's command, middleware, SigV4
 * signing and JSON protocol on both sides (docs/performance.md, issue 18 §2).
 *
 * The same dispatch also answers DynamoDB JSON-protocol requests over loopback HTTP
 * (`endpoint`, for `podlab token create` next to a running server) and in-process (`client`,
 * an SDK client for table administration and the LMS store). Data on disk is dynalite's: the
 * same directory opens with `startDynalite` too. Because every write passes this one dispatch,
 * base-table reads are answered from a cache until their partition is written (read-cache.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { TableOp, TableTransport } from '../storage/dynamo-table.ts';
import { type LocalDynamo, localClient } from './dynalite.ts';
import { installExpressionCache } from './expression-cache.ts';
import { ReadCache } from './read-cache.ts';
import { fromWireItem, toWireInput } from './wire.ts';

const require = createRequire(import.meta.url);

interface DynaliteStore {
  getTable(
    name: string,
    checkStatus: boolean | ((err: unknown, table?: unknown) => void),
    cb?: unknown,
  ): void;
  lifecycleManager?: { gracefulClose(cb: (err?: Error) => void): void };
  db: { open(): Promise<void>; close(cb: (err?: Error) => void): void };
}
type Action = (
  store: DynaliteStore,
  data: unknown,
  cb: (err: unknown, out?: Record<string, unknown>) => void,
) => void;
interface Validation {
  types: Record<string, unknown>;
  custom?: (data: unknown, store: DynaliteStore) => string | undefined;
}

const db = require('dynalite/db/index.js') as { create(options: Record<string, unknown>): DynaliteStore };
const validations = require('dynalite/validations/index.js') as {
  checkTypes(data: unknown, types: Record<string, unknown>): Record<string, unknown>;
  checkValidations(data: unknown, types: unknown, custom: unknown, store: DynaliteStore): void;
};

/** The operations the store answers (dynalite's, as the SDK names them in X-Amz-Target). */
const OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'UpdateItem',
  'UpdateTable',
] as const;
type Operation = (typeof OPERATIONS)[number];
const TABLE_OPERATIONS = new Set<string>(['CreateTable', 'DeleteTable', 'UpdateTable']);

const handlers = new Map<string, { action: Action; validation: Validation }>(
  OPERATIONS.map((op) => {
    const file = op[0]!.toLowerCase() + op.slice(1);
    return [
      op,
      {
        action: require(`dynalite/actions/${file}.js`) as Action,
        validation: require(`dynalite/validations/${file}.js`) as Validation,
      },
    ];
  }),
);

const OPERATION_OF: Record<TableOp, Operation> = {
  Get: 'GetItem',
  Put: 'PutItem',
  Update: 'UpdateItem',
  Query: 'Query',
  Delete: 'DeleteItem',
};

/** An error as the SDK would throw it: the exception's name, its message, the HTTP status. */
function serviceError(err: {
  statusCode: number;
  body: { __type?: string; message?: string; Message?: string };
}) {
  const type = err.body.__type ?? 'InternalFailure';
  const e = new Error(err.body.message ?? err.body.Message ?? type) as Error & {
    $metadata: { httpStatusCode: number };
    body: unknown;
    statusCode: number;
  };
  e.name = type.slice(type.indexOf('#') + 1);
  e.$metadata = { httpStatusCode: err.statusCode };
  e.body = err.body;
  e.statusCode = err.statusCode;
  return e;
}

/**
 * Waits for dynalite's LevelDB to open (it opens lazily, so a directory another process holds
 * would fail only at the first request, as "Database is closed"): a failure says LevelDB's own
 * reason (`IO error: lock …: already held by process`), which `podlab serve` reads.
 */
async function openOrExplain(store: DynaliteStore): Promise<void> {
  try {
    await store.db.open();
  } catch (err) {
    const cause = (err as { cause?: Error }).cause;
    throw cause ? new Error(`${(err as Error).message}: ${cause.message}`, { cause: err }) : err;
  }
}

/** A running embedded store: the document transport, an SDK client and a loopback endpoint on it. */
export interface EmbeddedStore extends LocalDynamo {
  /** Document-form requests straight to the store (no SDK, no HTTP). */
  transport: TableTransport;
}

/**
 * Opens dynalite's store at `path` (in memory without) and serves it: `transport` in-process,
 * `client` through the same dispatch, `endpoint` on 127.0.0.1 and a free port.
 */
export async function startEmbeddedStore(path?: string): Promise<EmbeddedStore> {
  installExpressionCache();
  const store = db.create({
    ...(path ? { path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  if (path) await openOrExplain(store);
  // Table descriptions are read from LevelDB on every item operation; this process is the
  // store's only user (LevelDB's lock), so an ACTIVE table is remembered until a table operation
  // (podlab creates its table once and never changes it).
  const getTable = store.getTable.bind(store);
  const tables = new Map<string, unknown>();
  store.getTable = (name, checkStatus, cb) => {
    const done = (typeof checkStatus === 'function' ? checkStatus : cb) as (e: unknown, t?: unknown) => void;
    const check = typeof checkStatus === 'function' ? true : checkStatus;
    const hit = tables.get(name);
    if (hit) return done(null, hit);
    getTable(name, check, (err: unknown, table?: unknown) => {
      if (!err && (table as { TableStatus?: string }).TableStatus === 'ACTIVE') tables.set(name, table);
      done(err, table);
    });
  };

  const reads = new ReadCache((name) => {
    const t = tables.get(name) as { KeySchema?: { AttributeName: string; KeyType: string }[] } | undefined;
    return t?.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  });

  /**
   * One operation on wire-form data: dynalite's validation, then its action; base-table reads
   * answered from `reads` while their partition is unwritten.
   */
  function call(op: string, data: unknown): Promise<Record<string, unknown>> {
    const h = handlers.get(op);
    if (!h) {
      return Promise.reject(
        serviceError({
          statusCode: 400,
          body: { __type: 'com.amazon.coral.service#UnknownOperationException' },
        }),
      );
    }
    const request = op === 'GetItem' || op === 'Query' ? `${op}\u0000${JSON.stringify(data)}` : undefined;
    const hit = request === undefined ? undefined : reads.get(request);
    if (hit) return Promise.resolve(hit);
    const table = TABLE_OPERATIONS.has(op);
    if (table) tables.clear();
    let checked: Record<string, unknown>;
    try {
      checked = validations.checkTypes(data, h.validation.types);
      validations.checkValidations(checked, h.validation.types, h.validation.custom, store);
    } catch (err) {
      const e = err as { statusCode?: number };
      return Promise.reject(e.statusCode ? serviceError(err as never) : err);
    }
    const run = () =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const done = (err: unknown, out?: Record<string, unknown>) => {
          if (table) tables.clear();
          if (!err) resolve(out ?? {});
          else reject((err as { statusCode?: number }).statusCode ? serviceError(err as never) : err);
        };
        try {
          h.action(store, checked, done);
        } catch (err) {
          reject(err);
        }
      });
    if (request !== undefined) {
      const partition = reads.partitionOf(op, checked);
      return partition === undefined ? run() : reads.read(request, partition, run);
    }
    if (table || op === 'BatchWriteItem') return reads.write(undefined, run);
    if (op === 'PutItem' || op === 'UpdateItem' || op === 'DeleteItem')
      return reads.write(reads.partitionOf(op, checked), run);
    return run();
  }

  const transport: TableTransport = {
    async send(op, input) {
      const out = await call(OPERATION_OF[op], toWireInput(input));
      const doc: Record<string, unknown> = {};
      if (out.Item) doc.Item = fromWireItem(out.Item as Record<string, unknown>);
      if (out.Attributes) doc.Attributes = fromWireItem(out.Attributes as Record<string, unknown>);
      if (out.Items) doc.Items = (out.Items as Record<string, unknown>[]).map(fromWireItem);
      if (out.LastEvaluatedKey)
        doc.LastEvaluatedKey = fromWireItem(out.LastEvaluatedKey as Record<string, unknown>);
      if (out.Count !== undefined) doc.Count = out.Count;
      return doc;
    },
  };

  /** The DynamoDB JSON protocol over HTTP (loopback port and the in-process SDK client). */
  function listener(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = (status: number, body: unknown) => {
        const text = JSON.stringify(body);
        res.statusCode = status;
        res.setHeader('Content-Type', 'application/x-amz-json-1.0');
        res.setHeader('Content-Length', Buffer.byteLength(text));
        res.end(text);
      };
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      let data: unknown;
      try {
        data = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        reply(400, { __type: 'com.amazon.coral.service#SerializationException' });
        return;
      }
      call(op, data).then(
        (out) => reply(200, out),
        (err: { statusCode?: number; body?: unknown; message?: string }) =>
          err.statusCode
            ? reply(err.statusCode, err.body)
            : reply(500, {
                __type: 'com.amazon.coral.service#InternalFailure',
                message: String(err.message),
              }),
      );
    });
  }

  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = localClient(endpoint, listener);
  let closed: Promise<void> | undefined;
  return {
    endpoint,
    client,
    transport,
    close() {
      closed ??= (async () => {
        client.destroy();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        // Waits for pending writes, then closes LevelDB.
        await new Promise<void>((resolve, reject) => {
          const cb = (err?: Error) => (err ? reject(err) : resolve());
          if (store.lifecycleManager) store.lifecycleManager.gracefulClose(cb);
          else store.db.close(cb);
        });
      })();
      return closed;
    },
  };
}
