/**
 * Pod status generation from the kubelet's state: container statuses (section 4.4, 3.2),
 * phase (6.1, kubelet_pods.go getPhase) and conditions (6.2, status/generate.go).
 */
import type { Pod } from '../../model/k8s.ts';
import type {
  ConditionType,
  ContainerStatus,
  PodCondition,
  PodPhase,
  PodStatus,
} from '../../model/status.ts';
import { initialResult, type ProbeType } from './probe-worker.ts';
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

/** kubecontainer.HasAnyRegularContainerStarted: a regular container is running or has terminated. */
function anyRegularContainerStarted(pod: Pod, statuses: readonly ContainerStatus[]): boolean {
  return pod.spec.containers.some((c) => {
    const st = statusOf(statuses, c.name)?.state;
    return st !== undefined && (st.kind === 'running' || st.kind === 'terminated');
  });
}

/**
 * kubelet_pods.go getPhase (1.33, with sidecars): the phase from the Pod's spec and its init and
 * regular container statuses together. `podIsTerminal`: the kubelet has decided the Pod is done
 * (deleted, deadline), so containers will not restart whatever the restart policy.
 */
export function podPhase(pod: Pod, statuses: readonly ContainerStatus[], podIsTerminal: boolean): PodPhase {
  const spec = pod.spec;
  let pendingRegularInit = 0;
  let pendingSidecar = 0;
  let failedInit = 0;
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  const inits = spec.initContainers ?? [];
  for (const c of inits) {
    if (c.restartPolicy === 'Always') continue;
    const s = statusOf(statuses, c.name);
    if (!s || s.state.kind === 'running') pendingRegularInit++;
    else if (s.state.kind === 'terminated') {
      if (s.state.exitCode !== 0) failedInit++;
    } else if (s.lastState !== undefined) {
      if (s.lastState.exitCode !== 0) failedInit++;
    } else pendingRegularInit++;
  }
  for (const c of inits) {
    if (c.restartPolicy !== 'Always') continue;
    const s = statusOf(statuses, c.name);
    if (!s) unknown++;
    else if (s.state.kind === 'running') {
      if (!s.started) pendingSidecar++;
      running++;
    } else if (s.state.kind === 'waiting' && s.lastState === undefined) {
      // A terminated sidecar, or one waiting to restart, does not count for the phase.
      pendingSidecar++;
      waiting++;
    }
  }
  for (const c of spec.containers) {
    const s = statusOf(statuses, c.name);
    if (!s) unknown++;
    else if (s.state.kind === 'running') running++;
    else if (s.state.kind === 'terminated') {
      stopped++;
      if (s.state.exitCode === 0) succeeded++;
    } else if (s.lastState !== undefined) stopped++;
    else waiting++;
  }
  if (failedInit > 0 && spec.restartPolicy === 'Never') return 'Failed';
  // Sidecars restarting after the regular containers have run do not send the Pod back to Pending.
  if (pendingRegularInit > 0 || (pendingSidecar > 0 && !anyRegularContainerStarted(pod, statuses)))
    return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (spec.restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function listText(names: string[]): string {
  // Go's %s of a []string: brackets, space-separated.
  return `[${names.join(' ')}]`;
}

/** A generated condition before its type and transition time are attached. */
export type Cond = { status: 'True' | 'False'; reason?: string; message?: string };

/** podutil.GetContainerStatus: the status of the named container, if reported. */
function statusOf(statuses: readonly ContainerStatus[], name: string): ContainerStatus | undefined {
  return statuses.find((s) => s.name === name);
}

/** `containers with unknown status: [..], containers with unready status: [..]` (generate.go). */
function unreadyMessage(unknown: string[], bad: string[], badWord: string): string {
  const parts: string[] = [];
  if (unknown.length > 0) parts.push(`containers with unknown status: ${listText(unknown)}`);
  if (bad.length > 0) parts.push(`containers with ${badWord} status: ${listText(bad)}`);
  return parts.join(', ');
}

/**
 * status/generate.go GeneratePodInitializedCondition (1.33). `statuses` are the init and regular
 * container statuses together; `undefined` is Go's nil slice (no status reported at all).
 */
export function initializedCondition(
  pod: Pod,
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase,
): Cond {
  const inits = pod.spec.initContainers ?? [];
  if (inits.length === 0) return { status: 'True' };
  if (statuses === undefined) return { status: 'False', reason: 'UnknownContainerStatuses' };
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of inits) {
    const s = statusOf(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (c.restartPolicy === 'Always') {
      // A sidecar counts once it has started (startup probe passed), not when it exits.
      if (!s.started) incomplete.push(c.name);
    } else if (!s.ready) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { status: 'True', reason: 'PodCompleted' };
  // kubecontainer.HasAnyRegularContainerStarted: the pod was initialized before (its sidecars
  // may be restarting).
  if (anyRegularContainerStarted(pod, statuses)) return { status: 'True' };
  const message = unreadyMessage(unknown, incomplete, 'incomplete');
  if (message !== '') return { status: 'False', reason: 'ContainersNotInitialized', message };
  return { status: 'True' };
}

/**
 * status/generate.go GenerateContainersReadyCondition (1.33): sidecars, then regular
 * containers, in spec order. `statuses` as for `initializedCondition`.
 */
export function containersReadyCondition(
  pod: Pod,
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase,
): Cond {
  if (statuses === undefined) return { status: 'False', reason: 'UnknownContainerStatuses' };
  const unknown: string[] = [];
  const unready: string[] = [];
  const counted = [
    ...(pod.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always'),
    ...pod.spec.containers,
  ];
  for (const c of counted) {
    const s = statusOf(statuses, c.name);
    if (!s) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return { status: 'False', reason: 'PodCompleted' };
  if (phase === 'Failed') return { status: 'False', reason: 'PodFailed' };
  const message = unreadyMessage(unknown, unready, 'unready');
  if (message !== '') return { status: 'False', reason: 'ContainersNotReady', message };
  return { status: 'True' };
}

/**
 * status/generate.go GeneratePodReadyCondition (1.33): ContainersReady, then every readiness
 * gate must have a condition of its type with status True. `conditions` are the Pod's
 * other conditions (the gates' types are set by controllers, never by the kubelet).
 */
export function podReadyCondition(
  pod: Pod,
  conditions: readonly { type: string; status: string }[],
  statuses: readonly ContainerStatus[] | undefined,
  phase: PodPhase,
): Cond {
  const containersReady = containersReadyCondition(pod, statuses, phase);
  if (containersReady.status !== 'True') return containersReady;
  const unready: string[] = [];
  for (const gate of pod.spec.readinessGates ?? []) {
    const c = conditions.find((x) => x.type === gate.conditionType);
    if (!c)
      unready.push(`corresponding condition of pod readiness gate "${gate.conditionType}" does not exist.`);
    else if (c.status !== 'True')
      unready.push(`the status of pod readiness gate "${gate.conditionType}" is not "True", but ${c.status}`);
  }
  if (unready.length > 0)
    return { status: 'False', reason: 'ReadinessGatesNotReady', message: unready.join(', ') };
  return { status: 'True' };
}

/** One CRI PodSandboxStatus, as far as the PodReadyToStartContainers condition reads it. */
export interface SandboxStatus {
  ready: boolean;
  /** Network.Ip: '' when networking is not configured; absent for a nil Network (not checked). */
  ip?: string;
}

/**
 * status/generate.go GeneratePodReadyToStartContainersCondition (1.33): True unless the kubelet
 * would have to create a new sandbox (runtimeutil.PodSandboxChanged: no sandbox, more than one
 * ready sandbox, the latest not ready, or, for a Pod off the host network, a network status
 * without IP). The network-namespace and host-network checks have no podlab input
 * (docs/deviations.md 39).
 */
export function readyToStartContainersCondition(sandboxes: readonly SandboxStatus[]): Cond {
  const first = sandboxes[0];
  if (first === undefined) return { status: 'False' };
  if (sandboxes.filter((s) => s.ready).length > 1) return { status: 'False' };
  if (!first.ready) return { status: 'False' };
  if (first.ip === '') return { status: 'False' };
  return { status: 'True' };
}

/** Builds the Pod status at `now`, updating the conditions' lastTransitionTime bookkeeping. */
export function podStatus(p: PodRt, now: number): PodStatus {
  const init = p.init.map(containerStatus);
  const regular = p.regular.map(containerStatus);
  let phase: PodPhase;
  if (p.terminalPhase) phase = p.terminalPhase;
  else if (p.admittedAt === undefined) phase = 'Pending';
  else phase = podPhase(p.pod, [...init, ...regular], false);
  const conds: [ConditionType, Cond][] = [];
  if (p.admittedAt !== undefined) {
    // podlab's one sandbox is ready, with the Pod's IP, from the first sync on.
    const sandboxes = p.sandbox ? [{ ready: true, ip: p.ip ?? '' }] : [];
    conds.push(['PodReadyToStartContainers', readyToStartContainersCondition(sandboxes)]);
    const all = [...init, ...regular];
    conds.push(['Initialized', initializedCondition(p.pod, all, phase)]);
    conds.push(['Ready', podReadyCondition(p.pod, [], all, phase)]);
    conds.push(['ContainersReady', containersReadyCondition(p.pod, all, phase)]);
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
