/** Queries over a simulated trace that the kubelet rule tests share. */
import type { ContainerStatus, PodSnapshot } from '../../src/model/status.ts';
import type { Trace } from '../../src/model/trace.ts';
import { podAt } from '../../src/sim/query.ts';

export function snap(t: Trace, name: string, s: number): PodSnapshot {
  const p = podAt(t, name, s * 1000);
  if (!p) throw new Error(`no pod ${name} at ${s}s`);
  return p;
}
export function cstat(t: Trace, name: string, container: string, s: number): ContainerStatus {
  const p = snap(t, name, s);
  const c = [...p.status.initContainerStatuses, ...p.status.containerStatuses].find(
    (x) => x.name === container,
  );
  if (!c) throw new Error(`no container ${container}`);
  return c;
}
export function cond(t: Trace, name: string, type: string, s: number) {
  return snap(t, name, s).status.conditions.find((c) => c.type === type);
}
export function msgs(t: Trace, reason: string): string[] {
  return t.events.filter((e) => e.reason === reason).map((e) => e.message);
}
export function deltas(xs: number[]): number[] {
  return xs.slice(1).map((x, i) => x - xs[i]!);
}
/** Intervals between a container's death (finishedAt) and its next start. */
export function restartDelays(t: Trace, name: string, container: string): number[] {
  const out: number[] = [];
  let lastFinished: number | undefined;
  let lastId: string | undefined;
  for (const r of t.records) {
    if (!r.exists || r.snapshot.kind !== 'Pod' || r.snapshot.name !== name) continue;
    const c = [...r.snapshot.status.initContainerStatuses, ...r.snapshot.status.containerStatuses].find(
      (x) => x.name === container,
    );
    if (!c) continue;
    if (c.state.kind === 'terminated') lastFinished = c.state.finishedAt;
    if (c.containerID && c.containerID !== lastId) {
      if (lastId !== undefined && lastFinished !== undefined) out.push((r.at - lastFinished) / 1000);
      lastId = c.containerID;
    }
  }
  return out;
}
