/**
 * The READY, STATUS, RESTARTS and AGE columns of `kubectl get pods`, following the server-side
 * table printer (k/k pkg/printers/internalversion/printers.go printPod, Kubernetes 1.33;
 * kubernetes-semantics.md section 7).
 */
import type { Container, Pod } from '../../model/k8s.ts';
import type { ContainerState, PodSnapshot } from '../../model/status.ts';
import { apiTime, humanDuration } from './duration.ts';

/** One row's computed columns. `restartCount` is the number behind the RESTARTS text. */
export interface PodColumns {
  ready: string;
  status: string;
  restarts: string;
  restartCount: number;
  age: string;
}

/** Go `%d` of a terminated state without reason: `Signal:<n>` or `ExitCode:<n>`. */
function signalOrExit(t: Extract<ContainerState, { kind: 'terminated' }>): string {
  return t.signal !== undefined && t.signal !== 0 ? `Signal:${t.signal}` : `ExitCode:${t.exitCode}`;
}

function isSidecar(c: Container | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

/**
 * The columns of `kubectl get pods` for `snap` at instant `now`. Timestamps are read at the
 * API's whole-second precision (`apiTime`), `now` exactly, as kubectl does. `pod` supplies the spec
 * (container count, sidecars, init container count); statuses are read as given.
 */
export function podColumns(pod: Pod, snap: PodSnapshot, now: number): PodColumns {
  const spec = pod.spec;
  const status = snap.status;
  const inits = spec.initContainers ?? [];
  let total = spec.containers.length;
  const initByName = new Map<string, Container>();
  for (const c of inits) {
    initByName.set(c.name, c);
    if (isSidecar(c)) total++;
  }

  let restarts = 0;
  let sidecarRestarts = 0;
  let ready = 0;
  // undefined is Go's zero time: "never restarted".
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;

  let reason: string = status.phase;
  if (status.reason) reason = status.reason;
  for (const cond of status.conditions) {
    if (cond.type === 'PodScheduled' && cond.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses;
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i]!;
    restarts += cs.restartCount;
    const finished = cs.lastState ? apiTime(cs.lastState.finishedAt) : undefined;
    if (finished !== undefined && (lastRestart === undefined || finished > lastRestart))
      lastRestart = finished;
    const sidecar = isSidecar(initByName.get(cs.name));
    if (sidecar) {
      sidecarRestarts += cs.restartCount;
      if (finished !== undefined && (lastSidecarRestart === undefined || finished > lastSidecarRestart)) {
        lastSidecarRestart = finished;
      }
    }
    const st = cs.state;
    if (st.kind === 'terminated' && st.exitCode === 0) continue;
    if (sidecar && cs.started) {
      if (cs.ready) ready++;
      continue;
    }
    if (st.kind === 'terminated') {
      reason = st.reason ? `Init:${st.reason}` : `Init:${signalOrExit(st)}`;
    } else if (st.kind === 'waiting' && st.reason !== '' && st.reason !== 'PodInitializing') {
      reason = `Init:${st.reason}`;
    } else {
      reason = `Init:${i}/${inits.length}`;
    }
    initializing = true;
    break;
  }

  const initialized = status.conditions.some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    // Plain init containers' restarts no longer count once the pod is initialized.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    // Walk from last to first so the first container (by name: statuses are sorted) wins.
    for (let i = status.containerStatuses.length - 1; i >= 0; i--) {
      const cs = status.containerStatuses[i]!;
      restarts += cs.restartCount;
      const finished = cs.lastState ? apiTime(cs.lastState.finishedAt) : undefined;
      if (finished !== undefined && (lastRestart === undefined || finished > lastRestart))
        lastRestart = finished;
      const st = cs.state;
      if (st.kind === 'waiting' && st.reason !== '') reason = st.reason;
      else if (st.kind === 'terminated' && st.reason !== '') reason = st.reason;
      else if (st.kind === 'terminated') reason = signalOrExit(st);
      else if (cs.ready && st.kind === 'running') {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (snap.deletionTimestamp !== undefined && status.reason === 'NodeLost') {
    reason = 'Unknown';
  } else if (
    snap.deletionTimestamp !== undefined &&
    status.phase !== 'Succeeded' &&
    status.phase !== 'Failed'
  ) {
    reason = 'Terminating';
  }

  const restartsText =
    restarts !== 0 && lastRestart !== undefined
      ? `${restarts} (${humanDuration(now - lastRestart)} ago)`
      : String(restarts);
  return {
    ready: `${ready}/${total}`,
    status: reason,
    restarts: restartsText,
    restartCount: restarts,
    age: humanDuration(now - apiTime(snap.creationTimestamp)),
  };
}
