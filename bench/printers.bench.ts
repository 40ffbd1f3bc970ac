/**
 * Printer throughput: `kubectl get pods` columns per second, and the transcript, events,
 * describe and logs of a 24 h crash-loop trace (restart delays 0, 10, 20 … 300 s).
 */
import type { Pod } from '../src/model/k8s.ts';
import type { ContainerStatus, PodSnapshot } from '../src/model/status.ts';
import type { ObjectRecord, Trace } from '../src/model/trace.ts';
import { defaultPod } from '../src/sim/index.ts';
import { describePod, eventsTable, podColumns, podLogs, watchTranscript } from '../src/sim/printers/index.ts';
import { timelineSvg } from '../src/sim/printers/timeline.ts';
import { ms, quantile, table, timeRuns } from './stats.ts';

const S = 1000;

const spec: Pod = defaultPod({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'crash', namespace: 'default' },
  spec: {
    containers: [
      { name: 'app', image: 'busybox:1.32.0', command: ['sh', '-c', 'echo start; sleep 5; exit 1'] },
    ],
  },
});

function snap(c: ContainerStatus, ready: boolean): PodSnapshot {
  return {
    kind: 'Pod',
    namespace: 'default',
    name: 'crash',
    uid: 'u1',
    creationTimestamp: 0,
    status: {
      phase: 'Running',
      podIP: '10.244.0.9',
      startTime: 0,
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: 0 },
        { type: 'Initialized', status: 'True', lastTransitionTime: 0 },
        { type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: 0 },
        { type: 'ContainersReady', status: ready ? 'True' : 'False', lastTransitionTime: 0 },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: 0 },
      ],
      initContainerStatuses: [],
      containerStatuses: [c],
    },
  };
}

/** A 24 h crash loop: each run lives 5 s, then back-off 0, 10, 20 … capped at 300 s. */
export function crashLoopTrace(hours = 24): Trace {
  const end = hours * 3600 * S;
  const records: ObjectRecord[] = [];
  const trace: Trace = {
    endAt: end,
    endReason: { kind: 'horizon' },
    records,
    events: [],
    probes: [],
    logs: [],
    actions: [],
    notes: [],
  };
  const key = 'Pod/default/crash';
  let t = 0;
  let n = 0;
  let delay = 0;
  let last: ContainerStatus['lastState'];
  while (t < end) {
    const id = `containerd://${n.toString(16).padStart(8, '0')}`;
    const base = {
      name: 'app',
      image: 'busybox:1.32.0',
      containerID: id,
      restartCount: n,
      ...(last ? { lastState: last } : {}),
    };
    records.push({
      at: t,
      key,
      exists: true,
      snapshot: snap({ ...base, state: { kind: 'running', startedAt: t }, ready: true, started: true }, true),
    });
    for (const reason of ['Pulled', 'Created', 'Started']) {
      trace.events.push({
        at: t,
        object: 'Pod/crash',
        namespace: 'default',
        container: 'app',
        type: 'Normal',
        reason,
        message: `${reason} container app`,
        source: 'kubelet',
      });
    }
    trace.logs.push({
      at: t,
      pod: 'crash',
      namespace: 'default',
      container: 'app',
      stream: 'stdout',
      text: 'start',
      containerID: id,
    });
    const died = t + 5 * S;
    if (died >= end) break;
    const term = {
      kind: 'terminated' as const,
      exitCode: 1,
      reason: 'Error',
      startedAt: t,
      finishedAt: died,
    };
    records.push({
      at: died,
      key,
      exists: true,
      snapshot: snap({ ...base, state: term, ready: false, started: false }, false),
    });
    last = term;
    if (delay > 0) {
      records.push({
        at: died,
        key,
        exists: true,
        snapshot: snap(
          {
            ...base,
            lastState: term,
            state: { kind: 'waiting', reason: 'CrashLoopBackOff' },
            ready: false,
            started: false,
          },
          false,
        ),
      });
      trace.events.push({
        at: died,
        object: 'Pod/crash',
        namespace: 'default',
        container: 'app',
        type: 'Warning',
        reason: 'BackOff',
        message: 'Back-off restarting failed container app in pod crash_default(u1)',
        source: 'kubelet',
      });
    }
    t = died + delay;
    delay = delay === 0 ? 10 * S : Math.min(delay * 2, 300 * S);
    n++;
  }
  return trace;
}

/** Prints the figures. */
export async function bench(): Promise<void> {
  const trace = crashLoopTrace();
  const snaps = trace.records.flatMap((r) => (r.exists && r.snapshot.kind === 'Pod' ? [r.snapshot] : []));
  const batch = 10_000;
  const colRuns = timeRuns(
    () => {
      for (let i = 0; i < batch; i++) podColumns(spec, snaps[i % snaps.length]!, trace.endAt);
    },
    50,
    5,
  );
  const perSec = batch / (quantile(colRuns, 0.5) / 1000);
  console.log(
    `24 h crash-loop trace: ${trace.records.length} records, ${trace.events.length} events, ${trace.logs.length} log lines`,
  );
  console.log(
    `podColumns: ${Math.round(perSec).toLocaleString('en-US')} columns/s (median of 50 batches of ${batch})\n`,
  );
  const rows: (string | number)[][] = [];
  const measure = (name: string, fn: () => string, n: number) => {
    const runs = timeRuns(fn, n, 3);
    rows.push([name, fn().length, ms(quantile(runs, 0.5)), ms(quantile(runs, 0.99))]);
  };
  measure('watchTranscript', () => watchTranscript(trace, [spec]), 30);
  measure('eventsTable', () => eventsTable(trace), 30);
  measure('eventsTable aggregate', () => eventsTable(trace, { aggregate: true }), 30);
  measure('describePod at end', () => describePod(spec, trace, trace.endAt), 30);
  measure('podLogs --previous', () => podLogs(trace, 'crash', { previous: true }), 30);
  measure('timelineSvg', () => timelineSvg(trace, [spec]), 30);
  table(['output of the 24 h trace', 'chars', 'p50', 'p99'], rows);
}
