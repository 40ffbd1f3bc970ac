/**
 * Query helpers over a Trace for graders and printers: the state of an object at an instant,
 * the instants it changed, the events about it.
 */
import { podKey } from '../model/object-key.ts';
import type {
  DeploymentSnapshot,
  PodSnapshot,
  ReplicaSetSnapshot,
  ServiceSnapshot,
} from '../model/status.ts';
import type { ObjectRecord, SimEvent, Trace } from '../model/trace.ts';
import type { JobSnapshot } from './controllers/job.ts';

const index = new WeakMap<Trace, Map<string, ObjectRecord[]>>();

function recordsOf(trace: Trace, key: string): ObjectRecord[] {
  let m = index.get(trace);
  if (!m) {
    m = new Map();
    for (const r of trace.records) {
      let list = m.get(r.key);
      if (!list) {
        list = [];
        m.set(r.key, list);
      }
      list.push(r);
    }
    index.set(trace, m);
  }
  return m.get(key) ?? [];
}

/**
 * The snapshot in force at instant `t` (after every event of `t`) for `key`
 * (`Pod/<ns>/<name>` or `Service/<ns>/<name>`); undefined if the object does not exist then.
 */
export function stateAt(
  trace: Trace,
  key: string,
  t: number,
): PodSnapshot | ServiceSnapshot | JobSnapshot | DeploymentSnapshot | ReplicaSetSnapshot | undefined {
  const list = recordsOf(trace, key);
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.at <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  if (found < 0) return undefined;
  const r = list[found]!;
  return r.exists ? r.snapshot : undefined;
}

/** The Pod snapshot at `t` (see `stateAt`), or undefined. */
export function podAt(trace: Trace, name: string, t: number, namespace = 'default'): PodSnapshot | undefined {
  const s = stateAt(trace, podKey(namespace, name), t);
  return s?.kind === 'Pod' ? s : undefined;
}

/** The distinct instants at which `key` has records, ascending. */
export function changeInstants(trace: Trace, key: string): number[] {
  const out: number[] = [];
  for (const r of recordsOf(trace, key)) if (out[out.length - 1] !== r.at) out.push(r.at);
  return out;
}

/**
 * The events about `object` (`Pod/<name>` or `Service/<name>`, optionally in `namespace`),
 * in order.
 */
export function eventsFor(trace: Trace, object: string, namespace?: string): SimEvent[] {
  return trace.events.filter(
    (e) => e.object === object && (namespace === undefined || e.namespace === namespace),
  );
}
