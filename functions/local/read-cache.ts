/**
 * Answers of the embedded store's base-table reads (GetItem, and Query without an index),
 * remembered by request until their partition is written. Sound because the embedded store is
 * its LevelDB's only user (LevelDB's lock) and every write of this process goes through the
 * same dispatch: the repository's, the LMS store's, and `podlab token create`'s on the loopback
 * endpoint. A graded submission reads the course's webhook endpoints and the student's grade
 * target every time (docs/performance.md, issue 18 §2), partitions that nothing on the
 * submission path writes.
 */

/** A table's hash key attribute name, from its description (undefined: not known yet). */
export type HashKeyOf = (table: string) => string | undefined;

type Output = Record<string, unknown>;

/** How many answers are kept, and how many bytes of their JSON (forgotten all at once beyond either). */
const MAX_ENTRIES = 2048;
const MAX_BYTES = 16 * 1024 * 1024;
/** An answer larger than this is not kept (a page of submissions, say). */
const MAX_ANSWER_BYTES = 64 * 1024;

/** The partition (`table` and hash key value, in wire form) a request reads or writes. */
function partitionKey(table: string, value: unknown): string | undefined {
  return value && typeof value === 'object' ? `${table}\u0000${JSON.stringify(value)}` : undefined;
}

/** The remembered reads of one embedded store. */
export class ReadCache {
  /** Answers by request; `out` undefined: read once since its partition was written, not kept yet. */
  private readonly answers = new Map<string, { partition: string; out: Output | undefined; bytes: number }>();
  private bytes = 0;
  private readonly byPartition = new Map<string, Set<string>>();
  /** Per partition: writes not yet finished, and the sequence number of the last one begun. */
  private readonly writes = new Map<string, { inFlight: number; lastBegun: number }>();
  /** Writes begun so far (a clock for "was this partition written while the read ran"). */
  private seq = 0;
  /** Reads begun before this have no reliable write record (forgotten, or everything was written). */
  private barrier = 0;

  constructor(private readonly hashKeyOf: HashKeyOf) {}

  /** The partition a validated read or write touches; undefined when the cache must not be used. */
  partitionOf(op: string, data: Record<string, unknown>): string | undefined {
    const table = data.TableName;
    if (typeof table !== 'string') return undefined;
    const hash = this.hashKeyOf(table);
    if (hash === undefined) return undefined;
    switch (op) {
      case 'GetItem':
      case 'UpdateItem':
      case 'DeleteItem':
        return partitionKey(table, (data.Key as Record<string, unknown> | undefined)?.[hash]);
      case 'PutItem':
        return partitionKey(table, (data.Item as Record<string, unknown> | undefined)?.[hash]);
      case 'Query': {
        if (data.IndexName !== undefined) return undefined;
        const condition = (data.KeyConditions as Record<string, { AttributeValueList?: unknown[] }>)?.[hash];
        return partitionKey(table, condition?.AttributeValueList?.[0]);
      }
      default:
        return undefined;
    }
  }

  /** A remembered answer of this request, if any. */
  get(request: string): Output | undefined {
    return this.answers.get(request)?.out;
  }

  /** Runs `read` and remembers its answer unless its partition was written while it ran. */
  async read(request: string, partition: string, read: () => Promise<Output>): Promise<Output> {
    const started = this.seq;
    const quiet = (this.writes.get(partition)?.inFlight ?? 0) === 0;
    const out = await read();
    const w = this.writes.get(partition);
    const unwritten =
      started >= this.barrier && (w === undefined || (w.inFlight === 0 && w.lastBegun <= started));
    if (!quiet || !unwritten) return out;
    // The first read of a request since its partition was written only marks it: partitions
    // written between every two reads (a submission's own) never pay for measuring an answer.
    const seen = this.answers.get(request);
    if (seen === undefined) this.remember(request, partition, undefined, request.length);
    else if (seen.out === undefined) {
      const bytes = request.length + JSON.stringify(out).length;
      if (bytes <= MAX_ANSWER_BYTES) this.remember(request, partition, out, bytes);
    }
    return out;
  }

  /** Keeps `out` (or the mark of a first read) for `request`, within the bounds. */
  private remember(request: string, partition: string, out: Output | undefined, bytes: number): void {
    this.bytes -= this.answers.get(request)?.bytes ?? 0;
    if (this.answers.size >= MAX_ENTRIES || this.bytes + bytes > MAX_BYTES) this.clear();
    this.answers.set(request, { partition, out, bytes });
    this.bytes += bytes;
    let requests = this.byPartition.get(partition);
    if (!requests) {
      requests = new Set();
      this.byPartition.set(partition, requests);
    }
    requests.add(request);
  }

  /**
   * Runs a write of `partition` (undefined: of any partition, e.g. BatchWriteItem or a table
   * operation), forgetting the answers it may change before it starts and when it ends.
   */
  async write<T>(partition: string | undefined, write: () => Promise<T>): Promise<T> {
    if (partition === undefined) return this.writeAll(write);
    let w = this.writes.get(partition);
    if (!w) {
      w = { inFlight: 0, lastBegun: 0 };
      this.writes.set(partition, w);
    }
    w.inFlight++;
    w.lastBegun = ++this.seq;
    this.forget(partition);
    try {
      return await write();
    } finally {
      w.inFlight--;
      this.forget(partition);
      if (w.inFlight === 0 && this.writes.size > MAX_ENTRIES) this.forgetWrites();
    }
  }

  private async writeAll<T>(write: () => Promise<T>): Promise<T> {
    this.barrier = ++this.seq;
    this.clear();
    try {
      return await write();
    } finally {
      this.barrier = ++this.seq;
      this.clear();
    }
  }

  /** Forgets every answer. */
  private clear(): void {
    this.answers.clear();
    this.byPartition.clear();
    this.bytes = 0;
  }

  /** Drops the records of finished writes; reads that began before cannot be remembered. */
  private forgetWrites(): void {
    for (const [p, w] of this.writes) if (w.inFlight === 0) this.writes.delete(p);
    this.barrier = this.seq + 1;
  }

  private forget(partition: string): void {
    const requests = this.byPartition.get(partition);
    if (!requests) return;
    for (const r of requests) {
      this.bytes -= this.answers.get(r)?.bytes ?? 0;
      this.answers.delete(r);
    }
    this.byPartition.delete(partition);
  }
}
