/**
 * Event listings: `kubectl get events`-like tables with a leading TIME column, and the
 * aggregation the kubelet's event recorder performs (client-go tools/record events_cache.go
 * eventLogger): identical events on one object are one Event whose count grows.
 */
import type { SimEvent, Trace } from '../../model/trace.ts';
import { humanDuration } from './duration.ts';
import { escapeTerminal, GET_LAYOUT, tabwrite } from './tabwriter.ts';

/** Identical events merged, as the API holds them: first and last occurrence, count. */
export interface AggregatedEvent {
  event: SimEvent;
  count: number;
  firstAt: number;
  lastAt: number;
}

/**
 * Merges events with the same source, object, namespace, container (the involvedObject
 * fieldPath), type, reason and message into one series, as client-go's event correlator does.
 * Series are returned sorted by last occurrence (kubectl's SortableEvents), ties by first
 * occurrence. Not modelled: the "(combined from similar events)" aggregation that starts
 * after 10 different messages with one reason, and the spam filter's token bucket.
 */
export function aggregateEvents(events: readonly SimEvent[]): AggregatedEvent[] {
  const byKey = new Map<string, AggregatedEvent & { order: number }>();
  events.forEach((e, order) => {
    const key = JSON.stringify([
      e.source,
      e.namespace,
      e.object,
      e.container ?? '',
      e.type,
      e.reason,
      e.message,
    ]);
    const agg = byKey.get(key);
    if (agg) {
      agg.count++;
      if (e.at > agg.lastAt) agg.lastAt = e.at;
      if (e.at < agg.firstAt) agg.firstAt = e.at;
    } else {
      byKey.set(key, { event: e, count: 1, firstAt: e.at, lastAt: e.at, order });
    }
  });
  return [...byKey.values()]
    .sort((a, b) => a.lastAt - b.lastAt || a.order - b.order)
    .map(({ event, count, firstAt, lastAt }) => ({ event, count, firstAt, lastAt }));
}

/** `Pod/liveness` -> `pod/liveness`, as kubectl get events prints OBJECT. */
function objectColumn(object: string): string {
  const slash = object.indexOf('/');
  return slash < 0 ? object : `${object.slice(0, slash).toLowerCase()}${object.slice(slash)}`;
}

/** Options of {@link eventsTable}. */
export interface EventsTableOptions {
  /** Only events of this object (`Pod/<name>`). */
  object?: string;
  /** Only events in this namespace. */
  namespace?: string;
  /** Merge identical events into one row: TIME `39s (x3 over 20s)` = last at 39 s, 3 times, first to last 20 s. */
  aggregate?: boolean;
}

/**
 * `kubectl get events`-like table `TIME TYPE REASON OBJECT MESSAGE`, TIME being the virtual
 * instant (HumanDuration). By default one row per occurrence in trace order (a log of the run);
 * with `aggregate`, one row per merged series, its count shown as `kubectl events` and describe
 * show it (`kubectl get events` itself prints only the last time; the count is in `-o wide`).
 * A NAMESPACE column follows TIME (as with `-A`) when the events span several namespaces.
 * Messages are trimmed (printers.go printEvent). No events: kubectl's `No resources found`.
 */
export function eventsTable(trace: Trace, opts: EventsTableOptions = {}): string {
  const selected = trace.events
    .map((e, i) => ({ e, i }))
    .filter(
      ({ e }) =>
        (opts.object === undefined || e.object === opts.object) &&
        (opts.namespace === undefined || e.namespace === opts.namespace),
    )
    .sort((a, b) => a.e.at - b.e.at || a.i - b.i)
    .map(({ e }) => e);
  if (selected.length === 0) {
    return opts.namespace === undefined
      ? 'No resources found\n'
      : `No resources found in ${opts.namespace} namespace.\n`;
  }
  const rows: { ns: string; time: string; e: SimEvent }[] = opts.aggregate
    ? aggregateEvents(selected).map((a) => ({
        ns: a.event.namespace,
        time:
          a.count > 1
            ? `${humanDuration(a.lastAt)} (x${a.count} over ${humanDuration(a.lastAt - a.firstAt)})`
            : humanDuration(a.lastAt),
        e: a.event,
      }))
    : selected.map((e) => ({ ns: e.namespace, time: humanDuration(e.at), e }));
  const multiNs = new Set(rows.map((r) => r.ns)).size > 1;
  const lines = [
    multiNs ? 'TIME\tNAMESPACE\tTYPE\tREASON\tOBJECT\tMESSAGE' : 'TIME\tTYPE\tREASON\tOBJECT\tMESSAGE',
  ];
  for (const r of rows) {
    const cells = [r.time, r.e.type, r.e.reason, objectColumn(r.e.object), r.e.message.trim()];
    if (multiNs) cells.splice(1, 0, r.ns);
    lines.push(escapeTerminal(cells.join('\t')));
  }
  return `${tabwrite(lines.join('\n'), GET_LAYOUT)}\n`;
}
