/**
 * Bounds on the size of one run's trace, checked after every engine event so that a run stops
 * BEFORE its trace outgrows memory (issue 20): entries, estimated JSON bytes, probe executions,
 * and Kubernetes Events per container. All counts are of simulated things, so a run that hits
 * one stops at the same instant with the same trace every time.
 */
import type { Budgets, EndReason, Trace } from '../model/trace.ts';

type Stop = Extract<EndReason, { kind: 'budget' }>;

/**
 * The JSON text of each measured trace entry, by list and index (entries never change once
 * appended): a few lists per run rather than one weak key per entry, which the GC pays for.
 */
const LIST_JSON = new WeakMap<readonly unknown[], string[]>();

/** Texts known before the entry is measured (records whose snapshot text the change test wrote). */
const PENDING_JSON = new WeakMap<object, string>();

/**
 * `JSON.stringify(list[i])` for the first entries of a trace list this run's meter has measured
 * (undefined for other arrays): lets the grade's digest reuse the texts instead of writing every
 * entry a second time.
 */
export function measuredJson(list: readonly unknown[]): readonly string[] | undefined {
  return LIST_JSON.get(list);
}

/**
 * The record `{ at, key, exists: true, snapshot }` whose snapshot's JSON text is already known
 * (the change test wrote it): its JSON is remembered without writing the snapshot again.
 */
export function snapshotRecord<S extends object>(
  at: number,
  key: string,
  snapshot: S,
  snapshotJson: string,
): { at: number; key: string; exists: true; snapshot: S } {
  const record = { at, key, exists: true as const, snapshot };
  PENDING_JSON.set(
    record,
    `{"at":${JSON.stringify(at)},"key":${JSON.stringify(key)},"exists":true,"snapshot":${snapshotJson}}`,
  );
  return record;
}

/** Counts what the trace holds, entry by entry as entries are appended. */
export class TraceMeter {
  private seen = { records: 0, events: 0, probes: 0, logs: 0, notes: 0 };
  private bytes = 0;
  /** Kubernetes Events so far by namespace, object and container. */
  private perContainer = new Map<string, Map<string, Map<string, number>>>();

  constructor(
    private readonly trace: Trace,
    private readonly budgets: Required<Budgets>,
  ) {}

  /** Entries in the trace so far. */
  get entries(): number {
    const t = this.trace;
    return t.records.length + t.events.length + t.probes.length + t.logs.length + t.notes.length;
  }

  /** Estimated bytes of the trace's JSON so far (each new entry's JSON length, counted once). */
  get estimatedBytes(): number {
    return this.bytes;
  }

  /** Counts the entries appended since the last call; returns the first budget exceeded, if any. */
  check(now: number): Stop | undefined {
    const t = this.trace;
    const seen = this.seen;
    // Nothing appended since the last check: every budget holds as it did then.
    if (
      t.records.length === seen.records &&
      t.events.length === seen.events &&
      t.probes.length === seen.probes &&
      t.logs.length === seen.logs &&
      t.notes.length === seen.notes
    )
      return undefined;
    const b = this.budgets;
    this.bytes +=
      this.measure(t.records, 'records') + this.measure(t.logs, 'logs') + this.measure(t.notes, 'notes');
    this.bytes += this.measure(t.probes, 'probes');
    const firstEvent = seen.events;
    this.bytes += this.measure(t.events, 'events');
    for (let i = firstEvent; i < t.events.length; i++) {
      const e = t.events[i]!;
      if (e.container === undefined) continue;
      const n = this.countEvent(e.namespace, e.object, e.container);
      if (n > b.maxEventsPerContainer) {
        return {
          kind: 'budget',
          budget: 'containerEvents',
          detail: `container "${e.container}" of ${e.object} had more than ${b.maxEventsPerContainer} Kubernetes events by ${now} ms`,
        };
      }
    }
    if (t.probes.length > b.maxProbeRuns) {
      return {
        kind: 'budget',
        budget: 'probes',
        detail: `more than ${b.maxProbeRuns} probe executions by ${now} ms`,
      };
    }
    if (this.entries > b.maxTraceEntries) {
      return {
        kind: 'budget',
        budget: 'traceEntries',
        detail: `the trace held more than ${b.maxTraceEntries} entries by ${now} ms`,
      };
    }
    if (this.bytes > b.maxTraceBytes) {
      return {
        kind: 'budget',
        budget: 'traceBytes',
        detail: `the trace grew beyond ${b.maxTraceBytes} bytes by ${now} ms`,
      };
    }
    return undefined;
  }

  private countEvent(namespace: string, object: string, container: string): number {
    let byObject = this.perContainer.get(namespace);
    if (!byObject) {
      byObject = new Map();
      this.perContainer.set(namespace, byObject);
    }
    let byContainer = byObject.get(object);
    if (!byContainer) {
      byContainer = new Map();
      byObject.set(object, byContainer);
    }
    const n = (byContainer.get(container) ?? 0) + 1;
    byContainer.set(container, n);
    return n;
  }

  private measure(list: readonly unknown[], name: keyof TraceMeter['seen']): number {
    if (list.length === this.seen[name]) return 0;
    let texts = LIST_JSON.get(list);
    if (texts === undefined) {
      texts = [];
      LIST_JSON.set(list, texts);
    }
    let bytes = 0;
    for (let i = this.seen[name]; i < list.length; i++) {
      const entry = list[i] as object;
      const json = PENDING_JSON.get(entry) ?? JSON.stringify(entry);
      texts.push(json);
      bytes += json.length + 1;
    }
    this.seen[name] = list.length;
    return bytes;
  }
}
