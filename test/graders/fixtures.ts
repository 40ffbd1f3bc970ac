/** Hand-built traces for the graders' unit tests (traces are data). */

import type { EvalContext, ExecOutcome } from '../../graders/evaluate.ts';
import { TraceIndex } from '../../graders/trace-index.ts';
import type { Pod, Service } from '../../src/model/k8s.ts';
import type {
  ContainerState,
  ContainerStatus,
  PodSnapshot,
  ServiceSnapshot,
} from '../../src/model/status.ts';
import type { ObjectRecord, ProbeRecord, SimEvent, Trace } from '../../src/model/trace.ts';

/** A one-container busybox Pod spec. */
export function podSpec(
  name: string,
  extra: Partial<Pod['spec']['containers'][number]> = {},
  labels?: Record<string, string>,
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', ...(labels ? { labels } : {}) },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'busybox:1.32.0',
          command: ['sh', '-c', 'sleep 3600'],
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          ...extra,
        },
      ],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      schedulerName: 'default-scheduler',
    },
  };
}

/** A container status. */
export function cs(state: ContainerState, o: Partial<ContainerStatus> = {}): ContainerStatus {
  return {
    name: 'app',
    image: 'busybox:1.32.0',
    containerID: 'containerd://1',
    state,
    ready: state.kind === 'running',
    started: state.kind === 'running',
    restartCount: 0,
    ...o,
  };
}

/** A Pod snapshot with one container status. */
export function podSnap(
  name: string,
  phase: PodSnapshot['status']['phase'],
  c: ContainerStatus,
  o: Partial<PodSnapshot> = {},
): PodSnapshot {
  const ready = c.ready ? 'True' : 'False';
  return {
    kind: 'Pod',
    namespace: 'default',
    name,
    uid: `uid-${name}`,
    creationTimestamp: 0,
    status: {
      phase,
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastTransitionTime: 0 },
        { type: 'Initialized', status: 'True', lastTransitionTime: 0 },
        { type: 'Ready', status: ready, lastTransitionTime: 0 },
        { type: 'ContainersReady', status: ready, lastTransitionTime: 0 },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: 0 },
      ],
      initContainerStatuses: [],
      containerStatuses: [c],
    },
    ...o,
  };
}

/** A Service snapshot. */
export function svcSnap(name: string, ready: string[]): ServiceSnapshot {
  return {
    kind: 'Service',
    namespace: 'default',
    name,
    uid: `uid-${name}`,
    creationTimestamp: 0,
    clusterIP: '10.96.0.10',
    readyAddresses: ready,
    notReadyAddresses: [],
  };
}

/** A record of a snapshot at `at`. */
export function rec(at: number, snap: PodSnapshot | ServiceSnapshot): ObjectRecord {
  return { at, key: `${snap.kind}/${snap.namespace}/${snap.name}`, exists: true, snapshot: snap };
}

/** A deletion record. */
export function gone(at: number, key: string): ObjectRecord {
  return { at, key, exists: false };
}

/** A Pod event. */
export function ev(
  at: number,
  pod: string,
  reason: string,
  message: string,
  type: 'Normal' | 'Warning' = 'Normal',
): SimEvent {
  return {
    at,
    object: `Pod/${pod}`,
    namespace: 'default',
    container: 'app',
    type,
    reason,
    message,
    source: 'kubelet',
  };
}

/** A trace from records, events and probes. */
export function trace(
  records: ObjectRecord[],
  events: SimEvent[] = [],
  probes: ProbeRecord[] = [],
  endAt = 300_000,
): Trace {
  return { endAt, endReason: { kind: 'horizon' }, records, events, probes, logs: [], actions: [], notes: [] };
}

/** An evaluation context over a hand-built trace. */
export function context(
  t: Trace,
  pods: Pod[],
  o: { services?: Service[]; exec?: (at: number) => ExecOutcome; submitted?: EvalContext['submitted'] } = {},
): EvalContext {
  return {
    index: new TraceIndex(t),
    pods: new Map(pods.map((p) => [`Pod/${p.metadata.namespace}/${p.metadata.name}`, p])),
    services: new Map(
      (o.services ?? []).map((s) => [`Service/${s.metadata.namespace}/${s.metadata.name}`, s]),
    ),
    submitted: o.submitted ?? new Map(),
    images: {},
    execOutcome: (_s, at) => (o.exec ? o.exec(at) : { error: 'no exec in this test' }),
    maxExecInstants: 16,
  };
}
