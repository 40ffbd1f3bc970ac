/**
 * A compact, stable text rendering of a Trace for golden files and debugging: one line per
 * object record, per event, per probe result (optional), per action result, and the end.
 */
import type {
  ContainerStatus,
  DeploymentSnapshot,
  PodSnapshot,
  ReplicaSetSnapshot,
} from '../../src/model/status.ts';
import type { Trace } from '../../src/model/trace.ts';

function secs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(3)}s`;
}

function cs(s: ContainerStatus): string {
  const st = s.state;
  let state: string;
  if (st.kind === 'waiting') state = `waiting(${st.reason})`;
  else if (st.kind === 'running') state = `running`;
  else state = `terminated(${st.reason},${st.exitCode})`;
  const flags = `${s.ready ? 'R' : '-'}${s.started ? 'S' : '-'}`;
  return `${s.name}=${state} rc=${s.restartCount} ${flags}`;
}

function pod(s: PodSnapshot): string {
  const conds = s.status.conditions
    .filter((c) => c.type === 'Initialized' || c.type === 'Ready')
    .map((c) => `${c.type[0]}${c.status === 'True' ? '+' : '-'}`)
    .join('');
  const parts = [
    s.status.phase + (s.status.reason ? `/${s.status.reason}` : ''),
    conds,
    s.deletionTimestamp !== undefined ? `deleting@${secs(s.deletionTimestamp)}` : '',
    ...s.status.initContainerStatuses.map((c) => `init:${cs(c)}`),
    ...s.status.containerStatuses.map(cs),
  ].filter((x) => x !== '');
  return parts.join(' | ');
}

/** A Deployment's or ReplicaSet's record: spec replicas, revision, status counts, conditions. */
function appsText(s: DeploymentSnapshot | ReplicaSetSnapshot): string {
  const st = s.status;
  const head = `replicas=${s.replicas} rev=${s.revision} current=${st.replicas} ready=${st.readyReplicas} available=${st.availableReplicas}`;
  if (s.kind === 'ReplicaSet') return head;
  const d = s.status;
  const conds = d.conditions.map((c) => `${c.type}=${c.status}(${c.reason})`).join(',');
  return `gen=${s.generation}/${d.observedGeneration} ${head} updated=${d.updatedReplicas} [${conds}]`;
}

/** Renders records, events and action results in time order. */
export function renderTrace(t: Trace, opts: { probes?: boolean } = {}): string {
  const rows: { at: number; order: number; text: string }[] = [];
  let order = 0;
  for (const r of t.records) {
    let text: string;
    if (!r.exists) text = `${r.key} gone`;
    else if (r.snapshot.kind === 'Pod') text = `${r.key} ${pod(r.snapshot)}`;
    else if (r.snapshot.kind === 'Job') text = `${r.key} ${JSON.stringify(r.snapshot.status)}`;
    else if (r.snapshot.kind === 'Deployment' || r.snapshot.kind === 'ReplicaSet')
      text = `${r.key} ${appsText(r.snapshot)}`;
    else
      text = `${r.key} ready=[${r.snapshot.readyAddresses.join(',')}] notReady=[${r.snapshot.notReadyAddresses.join(',')}]`;
    rows.push({ at: r.at, order: order++, text: `  state  ${text}` });
  }
  for (const e of t.events) {
    const obj = e.container ? `${e.object}{${e.container}}` : e.object;
    rows.push({ at: e.at, order: order++, text: `  event  ${e.type} ${e.reason} ${obj}: ${e.message}` });
  }
  if (opts.probes) {
    for (const p of t.probes)
      rows.push({ at: p.at, order: order++, text: `  probe  ${p.container} ${p.probe} ${p.result}` });
  }
  for (const a of t.actions) {
    const out = [a.stdout.trimEnd(), a.stderr.trimEnd()].filter((x) => x !== '').join(' / ');
    rows.push({
      at: a.at,
      order: order++,
      text: `  action #${a.index} ${a.kind} exit=${a.exitCode}: ${out}`,
    });
  }
  rows.sort((a, b) => a.at - b.at || a.order - b.order);
  const out: string[] = [];
  let last = -1;
  for (const r of rows) {
    if (r.at !== last) {
      out.push(`${secs(r.at)}`);
      last = r.at;
    }
    out.push(r.text);
  }
  for (const n of t.notes) out.push(`note: ${n.message}`);
  out.push(
    `end ${secs(t.endAt)} ${t.endReason.kind === 'budget' ? `budget ${t.endReason.budget}: ${t.endReason.detail}` : 'horizon'}`,
  );
  return `${out.join('\n')}\n`;
}
