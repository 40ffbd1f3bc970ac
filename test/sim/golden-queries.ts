/**
 * Queries over a golden case's trace that the outcome assertions share.
 */
import { expect } from 'vitest';
import type { ContainerStatus, PodSnapshot } from '../../src/model/status.ts';
import type { Trace } from '../../src/model/trace.ts';
import { changeInstants, podAt, stateAt } from '../../src/sim/query.ts';

export function pod(t: Trace, name: string, s: number): PodSnapshot {
  const p = podAt(t, name, s * 1000);
  if (!p) throw new Error(`no pod ${name} at ${s}s`);
  return p;
}
export function ctr(t: Trace, name: string, c: string, s: number): ContainerStatus {
  const p = pod(t, name, s);
  const x = [...p.status.initContainerStatuses, ...p.status.containerStatuses].find((y) => y.name === c);
  if (!x) throw new Error(`no container ${c}`);
  return x;
}
export function ready(t: Trace, name: string, s: number): boolean {
  return pod(t, name, s).status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
}
export function restarts(t: Trace, name: string, s: number): number {
  return pod(t, name, s).status.containerStatuses.reduce((a, c) => a + c.restartCount, 0);
}
export function starts(t: Trace, container: string): number[] {
  return t.events.filter((e) => e.reason === 'Started' && e.container === container).map((e) => e.at / 1000);
}
export function firstReady(t: Trace, name: string): number | undefined {
  const at = changeInstants(t, `Pod/default/${name}`).find((ms) => ready(t, name, ms / 1000));
  return at === undefined ? undefined : at / 1000;
}
export function status(t: Trace, name: string, s: number) {
  return pod(t, name, s).status;
}

export function jobConditions(t: Trace, name: string, s: number): string[] {
  const j = stateAt(t, `Job/default/${name}`, s * 1000);
  if (j?.kind !== 'Job') throw new Error(`no job ${name} at ${s}s`);
  return j.status.conditions.map((c) => `${c.type}/${c.reason}@${c.lastTransitionTime / 1000}`);
}

export function noRestartsThroughout(t: Trace, name: string, until: number): void {
  for (let s = 0; s <= until; s += 5) expect(restarts(t, name, s)).toBe(0);
}
export function neverReady(t: Trace, name: string, until: number): void {
  for (let s = 0; s <= until; s++) expect(ready(t, name, s)).toBe(false);
}
export function goneAt(t: Trace, key: string): number | undefined {
  const r = t.records.find((x) => x.key === key && !x.exists);
  return r === undefined ? undefined : r.at / 1000;
}

/** Shared with the kubelet rule tests. */
export { restartDelays } from './kubelet-queries.ts';
