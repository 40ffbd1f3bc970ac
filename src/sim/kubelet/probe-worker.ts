/**
 * The kubelet's probe worker (k/k pkg/kubelet/prober/worker.go doProbe) as a pure state machine:
 * initial delay, period, manual triggers, thresholds, result publishing and the probe events
 * (pkg/kubelet/prober/prober.go recordContainerEvent). kubernetes-semantics.md, sections 3.1 and
 * 3.4. Times are virtual milliseconds. The handlers that produce a `HandlerOutcome` are in
 * `probe-handlers.ts`.
 *
 * The kubelet owns one worker per container and probe type. At each instant it wants a probe
 * (a tick of `nextTickAt`, or a readiness manual trigger) it calls `probeDue`; on `run` it
 * executes the handler and passes the outcome to `recordOutcome`.
 */
import type { Probe } from '../../model/k8s.ts';
import type { Timer } from '../engine.ts';

export type ProbeType = 'liveness' | 'readiness' | 'startup';
export type ProbeResult = 'success' | 'failure' | 'unknown';

/** One probe worker (one container × probe type). Mutated only by the functions of this module. */
export interface ProbeWorker {
  readonly type: ProbeType;
  readonly container: string;
  readonly probe: Probe;
  /** Worker start ≈ pod admission: the phase of the periodic ticker. */
  readonly startedAt: number;
  /** Phase of the ticker now: `startedAt`, or the instant of the last manual trigger (ticker reset). */
  tickBase: number;
  /** The result published in the results cache for the current container. */
  result: ProbeResult;
  /** Container ID the worker is probing (`containerd://…`). */
  lastContainerId?: string;
  /** Consecutive identical raw results (worker.go resultRun). */
  resultRun: number;
  /** The last raw result (worker.go lastResult); not reset on a new container, as upstream. */
  lastRaw?: 'success' | 'failure';
  /** On hold after a liveness Failure / any startup verdict, until a new container ID. */
  onHold: boolean;
  /** The worker has ended (doProbe returned false). */
  stopped: boolean;
  /** The kubelet's armed next tick of this worker. */
  timer?: Timer;
  /** A probe of this worker is running (exec probes and timeouts take virtual time). */
  busy: boolean;
}

/** Initial value published for each new container (worker.go newWorker). */
export function initialResult(type: ProbeType): ProbeResult {
  if (type === 'readiness') return 'failure';
  if (type === 'liveness') return 'success';
  return 'unknown';
}

/** Creates a worker at pod admission (prober_manager.go AddPod). */
export function newProbeWorker(
  type: ProbeType,
  container: string,
  probe: Probe,
  admittedAt: number,
): ProbeWorker {
  return {
    type,
    container,
    probe,
    startedAt: admittedAt,
    tickBase: admittedAt,
    result: initialResult(type),
    resultRun: 0,
    onHold: false,
    stopped: false,
    busy: false,
  };
}

function periodMs(worker: ProbeWorker): number {
  // A period below 1 s is rejected by validation; guard anyway so time always advances.
  return Math.max(1, Math.trunc(worker.probe.periodSeconds)) * 1000;
}

/**
 * Instant of the periodic tick at or after `t`: `tickBase + k·periodSeconds·1000`, k ≥ 0 (the
 * first tick is the worker start, immediate: worker.go run() probes before waiting).
 */
export function nextTickAt(worker: ProbeWorker, t: number): number {
  const p = periodMs(worker);
  if (t <= worker.tickBase) return worker.tickBase;
  return worker.tickBase + Math.ceil((t - worker.tickBase) / p) * p;
}

/**
 * When the next probe runs after one that started at `ranAt` and finished at `doneAt`
 * (an exec probe can last up to its timeout): Go's ticker keeps at most one pending tick, so a
 * tick that fell during the run fires as soon as the run ends; later ticks keep their phase.
 */
export function nextProbeAt(worker: ProbeWorker, ranAt: number, doneAt: number): number {
  return Math.max(nextTickAt(worker, ranAt + 1), doneAt);
}

/**
 * Whether a pod status update triggers an immediate readiness probe (prober_manager.go
 * UpdatePodStatus): a readiness worker whose result is not Success, for a container that is
 * started and running (pass `container` to check that here; otherwise the caller must).
 */
export function wantsManualTrigger(worker: ProbeWorker, container?: ContainerView): boolean {
  if (worker.type !== 'readiness' || worker.stopped || worker.result === 'success') return false;
  return container === undefined || (container.running && container.started);
}

/**
 * Records a manual trigger at `now`: the ticker restarts with phase `now` (worker.go run():
 * `probeTicker.Reset` on manualTriggerCh, k/k#119089). The kubelet then calls `probeDue` at `now`.
 * Returns false (and changes nothing) when the worker does not want a trigger.
 */
export function manualTrigger(worker: ProbeWorker, now: number, container?: ContainerView): boolean {
  if (!wantsManualTrigger(worker, container)) return false;
  worker.tickBase = now;
  return true;
}

/** The container as the worker sees it in the pod status at the probe instant. */
export interface ContainerView {
  /** Container ID; absent before the first start (worker waits). */
  id?: string;
  running: boolean;
  /** `state.running.startedAt`. */
  startedAt?: number;
  /** `containerStatus.started`. */
  started: boolean;
  /**
   * Terminated and will not be restarted. Upstream (1.33): terminated and the pod's
   * restartPolicy is Never and the container is not a sidecar.
   */
  terminatedForGood: boolean;
}

export type DueDecision =
  /** Step 8: execute the handler now, then call `recordOutcome`. `published`: step 2 reset. */
  | { kind: 'run'; published?: ProbeResult }
  /** Steps 1-7 skipped the probe; `published` when step 2 reset the result or step 4 set Failure. */
  | { kind: 'skip'; published?: ProbeResult }
  /** The worker ended (pod terminal; deleting pod for liveness/startup after setting Success; terminated for good). */
  | { kind: 'stop'; published?: ProbeResult };

/**
 * Steps 1-7 of worker.go doProbe at instant `now`; mutates the worker. `published` is the value
 * the worker wrote into the results cache in this step (it may equal the previous one; the
 * results manager notifies only on change).
 */
export function probeDue(
  worker: ProbeWorker,
  now: number,
  pod: { terminal: boolean; deleting: boolean },
  container: ContainerView,
): DueDecision {
  if (worker.stopped) return { kind: 'stop' };
  // 1. Pod Succeeded/Failed: the worker exits.
  if (pod.terminal) {
    worker.stopped = true;
    return { kind: 'stop' };
  }
  // No container ID yet: "Probe target container not found", wait for more information.
  if (container.id === undefined || container.id === '') return { kind: 'skip' };
  let published: ProbeResult | undefined;
  // 2. New container: drop the old result, publish the initial value, resume probing.
  if (worker.lastContainerId !== container.id) {
    worker.lastContainerId = container.id;
    worker.result = initialResult(worker.type);
    published = worker.result;
    worker.onHold = false;
  }
  // 3. On hold until a new container.
  if (worker.onHold) return withPublished('skip', published);
  // 4. Not running: Failure; the worker ends only when the container will not be restarted.
  if (!container.running) {
    worker.result = 'failure';
    published = 'failure';
    if (container.terminatedForGood) {
      worker.stopped = true;
      return { kind: 'stop', published };
    }
    return { kind: 'skip', published };
  }
  // 5. Graceful deletion: liveness/startup set Success for a quiet shutdown and stop; readiness goes on.
  if (pod.deleting && (worker.type === 'liveness' || worker.type === 'startup')) {
    worker.result = 'success';
    worker.stopped = true;
    return { kind: 'stop', published: 'success' };
  }
  // 6. initialDelaySeconds from the container's StartedAt: `int32(time.Since(StartedAt).Seconds()) < delay`.
  const startedAt = container.startedAt ?? now;
  if (Math.trunc((now - startedAt) / 1000) < worker.probe.initialDelaySeconds) {
    return withPublished('skip', published);
  }
  // 7. Startup gating: the startup worker idles once started; the others wait until started.
  if (container.started) {
    if (worker.type === 'startup') return withPublished('skip', published);
  } else if (worker.type !== 'startup') {
    return withPublished('skip', published);
  }
  // 8. Run the probe.
  return withPublished('run', published);
}

function withPublished(kind: 'run' | 'skip', published: ProbeResult | undefined): DueDecision {
  return published === undefined ? { kind } : { kind, published };
}

/** The result of running one handler (pkg/probe result + output, or a prober error). */
export type HandlerOutcome =
  | { kind: 'success'; output?: string; durationMs?: number }
  | { kind: 'failure'; output: string; durationMs?: number }
  /** A prober error (missing exec binary, unresolvable port): the result is discarded. */
  | { kind: 'error'; output: string; durationMs?: number }
  /** probe.Warning (redirect to another host): counts as success, with a ProbeWarning event. */
  | { kind: 'warning'; output: string; durationMs?: number };

/**
 * Steps 8-10 of doProbe: errors are discarded; consecutive identical results are counted
 * against failureThreshold/successThreshold; at threshold the result is published (`published`,
 * also when equal to the previous value); `changed` says whether it differs from the previous
 * one (the results manager only sends an update, which makes the kubelet sync the pod, on a
 * change); a liveness Failure or any startup verdict puts the worker on hold (run reset to 0).
 */
export function recordOutcome(
  worker: ProbeWorker,
  outcome: HandlerOutcome,
): { published?: ProbeResult; changed: boolean; hold: boolean } {
  if (worker.stopped || outcome.kind === 'error') return { changed: false, hold: worker.onHold };
  // prober.go: probe.Warning is reported as results.Success.
  const raw: 'success' | 'failure' = outcome.kind === 'failure' ? 'failure' : 'success';
  if (worker.lastRaw === raw) {
    worker.resultRun++;
  } else {
    worker.lastRaw = raw;
    worker.resultRun = 1;
  }
  const threshold = raw === 'failure' ? worker.probe.failureThreshold : worker.probe.successThreshold;
  if (worker.resultRun < threshold) return { changed: false, hold: worker.onHold };
  const changed = worker.result !== raw;
  worker.result = raw;
  if ((worker.type === 'liveness' && raw === 'failure') || worker.type === 'startup') {
    worker.onHold = true;
    worker.resultRun = 0;
  }
  return { published: raw, changed, hold: worker.onHold };
}

const TYPE_LABEL: Record<ProbeType, string> = {
  liveness: 'Liveness',
  readiness: 'Readiness',
  startup: 'Startup',
};

/**
 * The event of one probe execution (prober.go recordContainerEvent, section 3.4): Unhealthy
 * `<Type> probe failed: <output>` on every failure, `<Type> probe errored and resulted in unknown
 * state: <err>` (1.33, k/k#125901) on error, ProbeWarning `<Type> probe warning: <output>`.
 */
export function probeEvent(
  type: ProbeType,
  outcome: HandlerOutcome,
): { type: 'Warning'; reason: string; message: string } | undefined {
  const label = TYPE_LABEL[type];
  switch (outcome.kind) {
    case 'success':
      return undefined;
    case 'failure':
      return { type: 'Warning', reason: 'Unhealthy', message: `${label} probe failed: ${outcome.output}` };
    case 'error':
      return {
        type: 'Warning',
        reason: 'Unhealthy',
        message: `${label} probe errored and resulted in unknown state: ${outcome.output}`,
      };
    case 'warning':
      return {
        type: 'Warning',
        reason: 'ProbeWarning',
        message: `${label} probe warning: ${outcome.output}`,
      };
  }
}

/** `kubectl describe` Killing message after a liveness/startup verdict (kuberuntime_manager.go computePodActions). */
export function probeKillMessage(type: 'liveness' | 'startup', container: string): string {
  return `Container ${container} failed ${type} probe, will be restarted`;
}
