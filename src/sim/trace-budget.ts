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
  /** Kubernetes Events so far by `namespace/object/container`. */
  private perContainer = new Map<string, number>();

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
      const key = `${e.namespace}/${e.object}/${e.container}`;
      const n = (this.perContainer.get(key) ?? 0) + 1;
      this.perContainer.set(key, n);
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

  private measure(list: readonly unknown[], name: keyof TraceMeter['seen']): number {
    if (list.length === this.seen[name]) return 0;
    let texts = LIST_JSON.get(list);
    if (texts === undefined) {
      texts = [];
      LIST_JSON.set(list, texts);
    }
    let bytes = 0;
    for (let i = this.seen[name]; i < list.length; i++) {
      const entry = list[i] as Record<string, unknown>;
      const json = PENDING_JSON.get(entry) ?? this.repeatJson(name, entry) ?? this.written(name, entry);
      texts.push(json);
      bytes += json.length + 1;
    }
    this.seen[name] = list.length;
    return bytes;
  }

  /**
   * Recent entries of each list with their JSON after `at`: a probe worker's run, a log line
   * in a loop and a repeated event differ from an earlier entry only in `at`.
   */
  private recent: Record<keyof TraceMeter['seen'], RecentEntry[]> = {
    records: [],
    events: [],
    probes: [],
    logs: [],
    notes: [],
  };

  /** `JSON.stringify(entry)`, remembered as a recent entry when it begins with its `at`. */
  private written(name: keyof TraceMeter['seen'], entry: Record<string, unknown>): string {
    const json = JSON.stringify(entry);
    if (typeof entry.at === 'number' && json.startsWith(`{"at":${JSON.stringify(entry.at)},`)) {
      const recent = this.recent[name];
      if (recent.length >= RECENT_ENTRIES) recent.shift();
      recent.push({ entry, keys: Object.keys(entry), tail: json.slice(json.indexOf(',')) });
    }
    return json;
  }

  /** The JSON of an entry equal to a recent one but for `at` (the same keys in the same order, equal values). */
  private repeatJson(name: keyof TraceMeter['seen'], entry: Record<string, unknown>): string | undefined {
    const recent = this.recent[name];
    if (recent.length === 0 || typeof entry.at !== 'number') return undefined;
    const keys = Object.keys(entry);
    for (let r = recent.length - 1; r >= 0; r--) {
      const seen = recent[r]!;
      if (sameButAt(entry, keys, seen.entry, seen.keys))
        return `{"at":${JSON.stringify(entry.at)}${seen.tail}`;
    }
    return undefined;
  }
}

/** An entry the meter wrote, its keys in order, and its JSON from the comma after `at`. */
interface RecentEntry {
  entry: Record<string, unknown>;
  keys: string[];
  tail: string;
}

/** Recent entries kept per list (a Pod's probe workers and containers interleave). */
const RECENT_ENTRIES = 8;

/** Whether two flat entries have the same keys in the same order and the same values except `at`. */
function sameButAt(
  a: Record<string, unknown>,
  ka: readonly string[],
  b: Record<string, unknown>,
  kb: readonly string[],
): boolean {
  const n = ka.length;
  if (n !== kb.length || ka[0] !== 'at' || kb[0] !== 'at') return false;
  // From the last key: the text, output or message tells entries apart soonest.
  for (let i = n - 1; i > 0; i--) {
    const k = ka[i]!;
    if (k !== kb[i]) return false;
    const v = a[k];
    if (v !== b[k] || (v !== null && typeof v === 'object')) return false;
  }
  return true;
}
