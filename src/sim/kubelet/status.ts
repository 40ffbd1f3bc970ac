/**
 * Pod status generation from the kubelet's state: container statuses (section 4.4, 3.2),
 * phase (6.1, kubelet_pods.go getPhase) and conditions (6.2, status/generate.go).
 */
import type {
  ConditionType,
  ContainerStatus,
  PodCondition,
  PodPhase,
  PodStatus,
} from '../../model/status.ts';
import { initialResult, type ProbeType } from './prober.ts';
import type { ContainerRt, PodRt } from './types.ts';

/** The result the prober manager holds for the container's current instance. */
export function probeResultFor(c: ContainerRt, type: ProbeType): 'success' | 'failure' | 'unknown' | 'none' {
  const w = c.probes.find((x) => x.type === type);
  if (!w) return 'none';
  if (c.containerID === undefined || w.lastContainerId !== c.containerID) return initialResult(type);
  return w.result;
}

/** prober_manager UpdatePodStatus: started = running and (startup Success or no startup probe). */
export function isStarted(c: ContainerRt): boolean {
  if (!c.running || !c.postStartDone || c.state.kind !== 'running') return false;
  if (c.role === 'init') return true;
  const s = probeResultFor(c, 'startup');
  return s === 'none' || s === 'success';
}

/** Ready: plain init = terminated 0; others = started and (readiness Success or no readiness probe). */
export function isReady(c: ContainerRt): boolean {
  if (c.role === 'init') return c.state.kind === 'terminated' && c.state.exitCode === 0;
  if (!isStarted(c)) return false;
  const r = probeResultFor(c, 'readiness');
  return r === 'none' || r === 'success';
}

/** The API ContainerStatus of one container. */
export function containerStatus(c: ContainerRt): ContainerStatus {
  const s: ContainerStatus = {
    name: c.spec.name,
    image: c.spec.image,
    state: { ...c.state },
    ready: isReady(c),
    started: isStarted(c),
    restartCount: c.restartCount,
  };
  if (c.containerID !== undefined) s.containerID = c.containerID;
  if (c.lastState) s.lastState = { ...c.lastState };
  return s;
}

function lastTerminatedExit(s: ContainerStatus): number | undefined {
  return s.lastState?.exitCode;
}

/** kubelet_pods.go getPhase (1.33, with sidecars), without the terminal-pod special case. */
export function computePhase(p: PodRt, init: ContainerStatus[], regular: ContainerStatus[]): PodPhase {
  let pendingRegularInit = 0;
  let pendingSidecar = 0;
  let failedInit = 0;
  const unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  p.init.forEach((c, i) => {
    const s = init[i]!;
    if (c.role === 'sidecar') {
      if (s.state.kind === 'running') {
        if (!s.started) pendingSidecar++;
        running++;
      } else if (s.state.kind === 'waiting' && lastTerminatedExit(s) === undefined) {
        pendingSidecar++;
        waiting++;
      }
      return;
    }
    if (s.state.kind === 'running') pendingRegularInit++;
    else if (s.state.kind === 'terminated') {
      if (s.state.exitCode !== 0) failedInit++;
    } else {
      const last = lastTerminatedExit(s);
      if (last !== undefined) {
        if (last !== 0) failedInit++;
      } else pendingRegularInit++;
    }
  });
  for (const s of regular) {
    if (s.state.kind === 'running') running++;
    else if (s.state.kind === 'terminated') {
      stopped++;
      if (s.state.exitCode === 0) succeeded++;
    } else if (s.lastState !== undefined) stopped++;
    else waiting++;
  }
  const policy = p.pod.spec.restartPolicy;
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  const anyRegularStarted = p.regular.some((c) => c.everStarted);
  if (pendingRegularInit > 0 || (pendingSidecar > 0 && !anyRegularStarted)) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function listText(names: string[]): string {
  // Go's %s of a []string: brackets, space-separated.
  return `[${names.join(' ')}]`;
}

type Cond = { status: 'True' | 'False'; reason?: string; message?: string };

/** status/generate.go GeneratePodInitializedCondition. */
function initializedCondition(p: PodRt, init: ContainerStatus[], phase: PodPhase): Cond {
  if (p.init.length === 0) return { status: 'True' };
  const incomplete: string[] = [];
  p.init.forEach((c, i) => {
    const s = init[i]!;
    if (c.role === 'sidecar') {
      if (!s.started) incomplete.push(c.spec.name);
    } else if (!s.ready) incomplete.push(c.spec.name);
  });
  if (phase === 'Succeeded') return { status: 'True', reason: 'PodCompleted' };
  // HasAnyRegularContainerStarted: the pod was initialized before (sidecars may be restarting).
  if (p.regular.some((c) => c.state.kind === 'running' || c.state.kind === 'terminated'))
    return { status: 'True' };
  if (incomplete.length > 0) {
    return {
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: `containers with incomplete status: ${listText(incomplete)}`,
    };
  }
  return { status: 'True' };
}

/** status/generate.go GenerateContainersReadyCondition. */
function containersReadyCondition(
  p: PodRt,
  init: ContainerStatus[],
  regular: ContainerStatus[],
  phase: PodPhase,
): Cond {
  const unready: string[] = [];
  p.init.forEach((c, i) => {
    if (c.role === 'sidecar' && !init[i]!.ready) unready.push(c.spec.name);
  });
  // Spec order, as upstream iterates spec.Containers.
  for (const c of p.regular) {
    const s = regular.find((x) => x.name === c.spec.name);
    if (!s?.ready) unready.push(c.spec.name);
  }
  if (phase === 'Succeeded') return { status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { status: 'False', reason: 'PodFailed' };
  if (unready.length > 0) {
    return {
      status: 'False',
      reason: 'ContainersNotReady',
      message: `containers with unready status: ${listText(unready)}`,
    };
  }
  return { status: 'True' };
}

/** Builds the Pod status at `now`, updating the conditions' lastTransitionTime bookkeeping. */
export function podStatus(p: PodRt, now: number): PodStatus {
  const init = p.init.map(containerStatus);
  const regular = p.regular.map(containerStatus);
  let phase: PodPhase;
  if (p.terminalPhase) phase = p.terminalPhase;
  else if (p.admittedAt === undefined) phase = 'Pending';
  else phase = computePhase(p, init, regular);
  const conds: [ConditionType, Cond][] = [];
  if (p.admittedAt !== undefined) {
    conds.push(['PodReadyToStartContainers', { status: p.sandbox ? 'True' : 'False' }]);
    conds.push(['Initialized', initializedCondition(p, init, phase)]);
    const cr = containersReadyCondition(p, init, regular, phase);
    conds.push(['Ready', cr]);
    conds.push(['ContainersReady', cr]);
  }
  conds.push(['PodScheduled', { status: 'True' }]);
  const conditions: PodCondition[] = conds.map(([type, c]) => {
    const prev = p.conditionTimes.get(type);
    let at = prev?.at ?? now;
    if (!prev || prev.status !== c.status) {
      at = now;
      p.conditionTimes.set(type, { status: c.status, at });
    }
    const out: PodCondition = { type, status: c.status, lastTransitionTime: at };
    if (c.reason !== undefined) out.reason = c.reason;
    if (c.message !== undefined) out.message = c.message;
    return out;
  });
  const status: PodStatus = {
    phase,
    conditions,
    initContainerStatuses: p.admittedAt === undefined ? [] : init,
    containerStatuses:
      p.admittedAt === undefined
        ? []
        : [...regular].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
  if (p.reason !== undefined) status.reason = p.reason;
  if (p.message !== undefined) status.message = p.message;
  if (p.ip !== undefined) status.podIP = p.ip;
  if (p.startTime !== undefined) status.startTime = p.startTime;
  return status;
}
