/** Fast look-ups over a Trace: the record in force at an instant, and change instants, per key. */
import type { ObjectRecord, SimEvent, Trace } from '../src/model/trace.ts';

/** What a record of an existing object holds: a Pod's, Service's, Job's, Deployment's or ReplicaSet's state. */
export type Snapshot = Extract<ObjectRecord, { exists: true }>['snapshot'];

/** Records grouped by object key, in trace order. */
export class TraceIndex {
  private readonly byKey = new Map<string, ObjectRecord[]>();
  private readonly eventsByObject = new Map<string, SimEvent[]>();

  constructor(readonly trace: Trace) {
    for (const r of trace.records) {
      const list = this.byKey.get(r.key);
      if (list) list.push(r);
      else this.byKey.set(r.key, [r]);
    }
    for (const e of trace.events) {
      const key = `${e.object.split('/')[0]}/${e.namespace}/${e.object.slice(e.object.indexOf('/') + 1)}`;
      const list = this.eventsByObject.get(key);
      if (list) list.push(e);
      else this.eventsByObject.set(key, [e]);
    }
  }

  /** Every record of `key`, in order. */
  records(key: string): ObjectRecord[] {
    return this.byKey.get(key) ?? [];
  }

  /**
   * The record in force at `t`: the last record with `at <= t`. Several records may share an
   * instant; only the last of an instant is "the state at" it (a state that held for 0 ms is
   * never observed by `at`, `within` or `throughout`).
   */
  stateAt(key: string, t: number): ObjectRecord | undefined {
    const list = this.byKey.get(key);
    if (!list || list.length === 0 || list[0]!.at > t) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid]!.at <= t) lo = mid;
      else hi = mid - 1;
    }
    return list[lo];
  }

  /** The `kind` snapshot in force at `t`; undefined when the object did not exist then. */
  snapshotAt<K extends Snapshot['kind']>(
    key: string,
    t: number,
    kind: K,
  ): Extract<Snapshot, { kind: K }> | undefined {
    const rec = this.stateAt(key, t);
    return rec?.exists && rec.snapshot.kind === kind
      ? (rec.snapshot as Extract<Snapshot, { kind: K }>)
      : undefined;
  }

  /** Distinct instants in (from, to] at which `key` changed, ascending. */
  changesIn(key: string, from: number, to: number): number[] {
    const out: number[] = [];
    for (const r of this.byKey.get(key) ?? []) {
      if (r.at > from && r.at <= to && out[out.length - 1] !== r.at) out.push(r.at);
    }
    return out;
  }

  /** Events about the object `key` (`Pod/<ns>/<name>`), in order. */
  eventsOf(key: string): SimEvent[] {
    return this.eventsByObject.get(key) ?? [];
  }
}

export { podKey, serviceKey } from '../src/model/object-key.ts';
