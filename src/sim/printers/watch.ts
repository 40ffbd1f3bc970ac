/**
 * The `kubectl get pods -w`-like transcript with a leading TIME column
 * (scenario-format.md section 2).
 */
import { defaultPod } from '../../manifest/defaults.ts';
import type { Pod } from '../../model/k8s.ts';
import type { PodSnapshot } from '../../model/status.ts';
import type { Trace } from '../../model/trace.ts';
import { podColumns } from './columns.ts';
import { humanDuration } from './duration.ts';
import { escapeTerminal, GET_LAYOUT, tabwrite } from './tabwriter.ts';

/** One row of the transcript, before layout. */
export interface WatchRow {
  at: number;
  namespace: string;
  name: string;
  ready: string;
  status: string;
  restarts: string;
  restartCount: number;
}

/** Finds the spec of a snapshot's Pod; falls back to a spec shaped from the statuses. */
export function specFor(pods: Pod[], snap: PodSnapshot): Pod {
  const found = pods.find((p) => p.metadata.name === snap.name && p.metadata.namespace === snap.namespace);
  if (found) return found;
  // No spec given: one regular container per status, no init containers, API defaults.
  return defaultPod({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: snap.name, namespace: snap.namespace },
    spec: { containers: snap.status.containerStatuses.map((c) => ({ name: c.name, image: c.image })) },
  });
}

/**
 * The transcript's rows: for each Pod record, the columns at the record's instant; a row is
 * kept when READY, STATUS or the restart count differs from the Pod's previous row (the
 * first record of a Pod, or of a new incarnation with another uid, always prints). Rows of
 * several Pods interleave by time, then record order. A removed Pod prints no row.
 */
export function watchRows(trace: Trace, pods: Pod[]): WatchRow[] {
  const rows: WatchRow[] = [];
  const last = new Map<string, { uid: string; ready: string; status: string; restartCount: number }>();
  const records = trace.records
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.key.startsWith('Pod/'))
    .sort((a, b) => a.r.at - b.r.at || a.i - b.i);
  for (const { r } of records) {
    if (!r.exists) {
      last.delete(r.key);
      continue;
    }
    const snap = r.snapshot;
    if (snap.kind !== 'Pod') continue;
    const cols = podColumns(specFor(pods, snap), snap, r.at);
    const prev = last.get(r.key);
    if (
      prev &&
      prev.uid === snap.uid &&
      prev.ready === cols.ready &&
      prev.status === cols.status &&
      prev.restartCount === cols.restartCount
    ) {
      continue;
    }
    last.set(r.key, {
      uid: snap.uid,
      ready: cols.ready,
      status: cols.status,
      restartCount: cols.restartCount,
    });
    rows.push({
      at: r.at,
      namespace: snap.namespace,
      name: snap.name,
      ready: cols.ready,
      status: cols.status,
      restarts: cols.restarts,
      restartCount: cols.restartCount,
    });
  }
  return rows;
}

/**
 * `kubectl get pods -w`-like transcript: `TIME NAME READY STATUS RESTARTS`, TIME being the
 * virtual instant as kubectl's HumanDuration (`0s`, `69s`, `2m5s`). A NAMESPACE column is
 * added (as with `-A`) when the rows span several namespaces. Columns are padded to the
 * widest cell of the whole transcript (3 spaces between, kubectl's table writer).
 * With no Pod records, only the header line is printed.
 */
export function watchTranscript(trace: Trace, pods: Pod[]): string {
  const rows = watchRows(trace, pods);
  const multiNs = new Set(rows.map((r) => r.namespace)).size > 1;
  const lines: string[] = [];
  lines.push(
    multiNs ? 'TIME\tNAMESPACE\tNAME\tREADY\tSTATUS\tRESTARTS' : 'TIME\tNAME\tREADY\tSTATUS\tRESTARTS',
  );
  for (const r of rows) {
    const cells = [humanDuration(r.at)];
    if (multiNs) cells.push(r.namespace);
    cells.push(r.name, r.ready, r.status, r.restarts);
    lines.push(cells.map(escapeTerminal).join('\t'));
  }
  return `${tabwrite(lines.join('\n'), GET_LAYOUT)}\n`;
}
