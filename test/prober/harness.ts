/**
 * A minimal kubelet loop around the probe workers, for e2e-derived sequences: one container,
 * restarted `restartDelayMs` after a liveness/startup kill; readiness manual triggers on every
 * status change (container start, startup success), as prober_manager.go UpdatePodStatus.
 */
import type { Probe } from '../../src/model/k8s.ts';
import {
  type ContainerView,
  type HandlerOutcome,
  manualTrigger,
  newProbeWorker,
  nextTickAt,
  type ProbeType,
  type ProbeWorker,
  probeDue,
  recordOutcome,
} from '../../src/sim/kubelet/probe-worker.ts';

export interface HarnessSpec {
  probes: Partial<Record<ProbeType, Probe>>;
  /** Outcome of a probe `sinceStart` ms after the container instance `instance` (0-based) started. */
  outcome(type: ProbeType, sinceStart: number, instance: number): HandlerOutcome;
  horizonMs: number;
  /** Container start (admission is at 0). */
  startAt?: number;
  /** Kill decision -> next container running. */
  restartDelayMs?: number;
  /** Pod deletion instant (deletionTimestamp set). */
  deleteAt?: number;
}

export type HarnessEvent =
  | { at: number; kind: 'start'; instance: number }
  | { at: number; kind: 'probe'; type: ProbeType; outcome: HandlerOutcome['kind'] }
  | { at: number; kind: 'kill'; type: ProbeType }
  | { at: number; kind: 'ready'; ready: boolean }
  | { at: number; kind: 'started' };

const ORDER: ProbeType[] = ['startup', 'liveness', 'readiness'];

export function runHarness(spec: HarnessSpec): HarnessEvent[] {
  const log: HarnessEvent[] = [];
  const workers = ORDER.flatMap((t) => {
    const p = spec.probes[t];
    return p ? [newProbeWorker(t, 'c', p, 0)] : [];
  });
  const byType = (t: ProbeType) => workers.find((w) => w.type === t);
  let instance = -1;
  let startedAt: number | undefined;
  let running = false;
  let restartAt: number | undefined = spec.startAt ?? 0;
  let lastReady = false;
  let lastStarted = false;
  const view = (): ContainerView => {
    const s = byType('startup');
    const started = running && (!s || s.result === 'success');
    return {
      ...(instance >= 0 ? { id: `containerd://${instance}` } : {}),
      running,
      ...(startedAt !== undefined ? { startedAt } : {}),
      started,
      terminatedForGood: false,
    };
  };
  const statusUpdate = (t: number) => {
    const v = view();
    if (v.started && !lastStarted) log.push({ at: t, kind: 'started' });
    lastStarted = v.started;
    const r = byType('readiness');
    const ready = v.started && (!r || r.result === 'success');
    if (ready !== lastReady) log.push({ at: t, kind: 'ready', ready });
    lastReady = ready;
    if (r && manualTrigger(r, t, v)) step(r, t);
  };
  const lastStep = new Map<ProbeWorker, number>();
  const step = (w: ProbeWorker, t: number) => {
    lastStep.set(w, t);
    const pod = { terminal: false, deleting: spec.deleteAt !== undefined && t >= spec.deleteAt };
    const d = probeDue(w, t, pod, view());
    if (d.kind !== 'run') return;
    const o = spec.outcome(w.type, t - (startedAt ?? 0), instance);
    log.push({ at: t, kind: 'probe', type: w.type, outcome: o.kind });
    const r = recordOutcome(w, o);
    if (r.published === 'failure' && (w.type === 'liveness' || w.type === 'startup')) {
      log.push({ at: t, kind: 'kill', type: w.type });
      running = false;
      restartAt = t + (spec.restartDelayMs ?? 0);
    }
    // The results manager notifies (and the pod syncs) only when the result changes.
    if (r.changed) statusUpdate(t);
  };
  const due = new Map<ProbeWorker, number>(workers.map((w) => [w, nextTickAt(w, 0)]));
  for (let guard = 0; guard < 100_000; guard++) {
    const candidates = [...due.values()];
    if (restartAt !== undefined) candidates.push(restartAt);
    const t = Math.min(...candidates);
    if (!Number.isFinite(t) || t > spec.horizonMs) break;
    if (restartAt === t) {
      instance++;
      startedAt = t;
      running = true;
      restartAt = undefined;
      log.push({ at: t, kind: 'start', instance });
      // Each worker notices the new container at its next tick; the status update triggers readiness now.
      statusUpdate(t);
    }
    for (const w of workers) {
      if (due.get(w) !== t || lastStep.get(w) === t) continue;
      step(w, t);
    }
    // Next ticks (a manual trigger may have reset a ticker's phase).
    for (const w of workers) due.set(w, w.stopped ? Number.POSITIVE_INFINITY : nextTickAt(w, t + 1));
  }
  return log;
}

export const ok: HandlerOutcome = { kind: 'success' };
export const fail: HandlerOutcome = { kind: 'failure', output: 'x' };

export function probeSpec(p: Partial<Probe>): Probe {
  return {
    exec: { command: ['true'] },
    initialDelaySeconds: 0,
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
    ...p,
  };
}
