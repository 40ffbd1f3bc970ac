/** Builders of Pods, snapshots and traces for the printer tests. */
import { expect } from 'vitest';
import type { Container, Pod, Probe } from '../../src/model/k8s.ts';
import type {
  ConditionType,
  ContainerState,
  ContainerStatus,
  PodPhase,
  PodSnapshot,
} from '../../src/model/status.ts';
import type { ObjectRecord, Trace } from '../../src/model/trace.ts';

export const S = 1000;
export const M = 60 * S;
export const H = 60 * M;
export const D = 24 * H;

export function container(name: string, extra: Partial<Container> = {}): Container {
  return {
    name,
    image: 'busybox:1.32.0',
    imagePullPolicy: 'IfNotPresent',
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    ...extra,
  };
}

export function pod(
  name: string,
  containers: Container[],
  initContainers: Container[] = [],
  extra: { namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: extra.namespace ?? 'default',
      ...(extra.labels ? { labels: extra.labels } : {}),
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
    },
    spec: {
      containers,
      ...(initContainers.length > 0 ? { initContainers } : {}),
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      schedulerName: 'default-scheduler',
    },
  };
}

export const running = (startedAt = 0): ContainerState => ({ kind: 'running', startedAt });
export const waiting = (reason: string, message?: string): ContainerState =>
  message === undefined ? { kind: 'waiting', reason } : { kind: 'waiting', reason, message };
export const terminated = (
  exitCode: number,
  reason: string,
  finishedAt = 0,
  startedAt = 0,
  signal?: number,
): Extract<ContainerState, { kind: 'terminated' }> => ({
  kind: 'terminated',
  exitCode,
  reason,
  startedAt,
  finishedAt,
  ...(signal !== undefined ? { signal } : {}),
});

export function cs(
  name: string,
  state: ContainerState,
  o: {
    ready?: boolean;
    started?: boolean;
    restartCount?: number;
    lastFinishedAt?: number;
    containerID?: string;
  } = {},
): ContainerStatus {
  return {
    name,
    image: 'busybox:1.32.0',
    state,
    ready: o.ready ?? false,
    started: o.started ?? state.kind === 'running',
    restartCount: o.restartCount ?? 0,
    ...(o.containerID ? { containerID: o.containerID } : {}),
    ...(o.lastFinishedAt !== undefined ? { lastState: terminated(1, 'Error', o.lastFinishedAt) } : {}),
  };
}

export function snapshot(
  name: string,
  o: {
    phase?: PodPhase;
    reason?: string;
    conditions?: [ConditionType, 'True' | 'False', string?][];
    init?: ContainerStatus[];
    containers?: ContainerStatus[];
    deletionTimestamp?: number;
    creationTimestamp?: number;
    uid?: string;
    namespace?: string;
    podIP?: string;
    startTime?: number;
  } = {},
): PodSnapshot {
  return {
    kind: 'Pod',
    namespace: o.namespace ?? 'default',
    name,
    uid: o.uid ?? 'uid-1',
    creationTimestamp: o.creationTimestamp ?? 0,
    ...(o.deletionTimestamp !== undefined
      ? { deletionTimestamp: o.deletionTimestamp, deletionGracePeriodSeconds: 30 }
      : {}),
    status: {
      phase: o.phase ?? 'Running',
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.podIP ? { podIP: o.podIP } : {}),
      ...(o.startTime !== undefined ? { startTime: o.startTime } : {}),
      conditions: (o.conditions ?? []).map(([type, status, reason]) => ({
        type,
        status,
        lastTransitionTime: 0,
        ...(reason ? { reason } : {}),
      })),
      initContainerStatuses: o.init ?? [],
      containerStatuses: o.containers ?? [],
    },
  };
}

export function emptyTrace(endAt: number, records: ObjectRecord[] = []): Trace {
  return {
    endAt,
    endReason: { kind: 'horizon' },
    records,
    events: [],
    probes: [],
    logs: [],
    actions: [],
    notes: [],
  };
}

export function rec(at: number, snap: PodSnapshot): ObjectRecord {
  return { at, key: `Pod/${snap.namespace}/${snap.name}`, exists: true, snapshot: snap };
}

export const probe = (p: Partial<Probe>): Probe => ({
  initialDelaySeconds: 0,
  timeoutSeconds: 1,
  periodSeconds: 10,
  successThreshold: 1,
  failureThreshold: 3,
  ...p,
});

/** The liveness-exec lab: the container is killed by its liveness probe and restarted at 69 s. */
export function livenessFixture(): { pod: Pod; trace: Trace } {
  const spec = pod(
    'liveness-exec',
    [
      container('liveness', {
        args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600'],
        livenessProbe: probe({
          exec: { command: ['cat', '/tmp/healthy'] },
          initialDelaySeconds: 5,
          periodSeconds: 5,
        }),
      }),
    ],
    [],
    { labels: { test: 'liveness' } },
  );
  const base = { uid: 'uid-1', podIP: '10.244.0.5', startTime: 0 };
  const cond = (ready: 'True' | 'False'): [ConditionType, 'True' | 'False'][] => [
    ['PodReadyToStartContainers', 'True'],
    ['Initialized', 'True'],
    ['Ready', ready],
    ['ContainersReady', ready],
    ['PodScheduled', 'True'],
  ];
  const first = { containerID: 'containerd://aaa' };
  const killed: ContainerStatus = {
    ...cs('liveness', terminated(137, 'Error', 69 * S, 0), { restartCount: 0, ...first }),
  };
  const second: ContainerStatus = {
    ...cs('liveness', running(69 * S), { ready: true, restartCount: 1, containerID: 'containerd://bbb' }),
    lastState: terminated(137, 'Error', 69 * S, 0),
  };
  const records: ObjectRecord[] = [
    rec(
      0,
      snapshot('liveness-exec', { phase: 'Pending', conditions: [['PodScheduled', 'True']], uid: 'uid-1' }),
    ),
    rec(
      0,
      snapshot('liveness-exec', {
        ...base,
        phase: 'Pending',
        conditions: cond('False'),
        containers: [cs('liveness', waiting('ContainerCreating'))],
      }),
    ),
    rec(
      0,
      snapshot('liveness-exec', {
        ...base,
        conditions: cond('True'),
        containers: [cs('liveness', running(0), { ready: true, ...first })],
      }),
    ),
    rec(69 * S, snapshot('liveness-exec', { ...base, conditions: cond('False'), containers: [killed] })),
    rec(69 * S, snapshot('liveness-exec', { ...base, conditions: cond('True'), containers: [second] })),
  ];
  const ev = (
    at: number,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source = 'kubelet',
  ) => ({
    at,
    object: 'Pod/liveness-exec',
    namespace: 'default',
    container: 'liveness',
    type,
    reason,
    message,
    source,
  });
  const unhealthy = "Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory\n";
  const trace = emptyTrace(90 * S, records);
  trace.events = [
    {
      ...ev(
        0,
        'Normal',
        'Scheduled',
        'Successfully assigned default/liveness-exec to node01',
        'default-scheduler',
      ),
    },
    ev(0, 'Normal', 'Pulled', 'Container image "busybox:1.32.0" already present on machine'),
    ev(0, 'Normal', 'Created', 'Created container: liveness'),
    ev(0, 'Normal', 'Started', 'Started container liveness'),
    ev(29 * S, 'Warning', 'Unhealthy', unhealthy),
    ev(34 * S, 'Warning', 'Unhealthy', unhealthy),
    ev(39 * S, 'Warning', 'Unhealthy', unhealthy),
    ev(39 * S, 'Normal', 'Killing', 'Container liveness failed liveness probe, will be restarted'),
    ev(69 * S, 'Normal', 'Pulled', 'Container image "busybox:1.32.0" already present on machine'),
    ev(69 * S, 'Normal', 'Created', 'Created container: liveness'),
    ev(69 * S, 'Normal', 'Started', 'Started container liveness'),
  ];
  return { pod: spec, trace };
}

/** Checks the SVG is well-formed XML: balanced tags, quoted attributes, known entities only. */
export function assertWellFormed(svg: string): void {
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  const entities = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
  let i = 0;
  let roots = 0;
  while (i < svg.length) {
    const lt = svg.indexOf('<', i);
    const text = svg.slice(i, lt < 0 ? svg.length : lt);
    if (text.includes('>')) throw new Error(`raw '>' in text at ${i}`);
    for (const m of text.matchAll(/&([^;\s]*)(;?)/g)) {
      if (!entities.has(m[1]!) || m[2] !== ';') throw new Error(`bad entity ${m[0]} at ${i}`);
    }
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(svg);
    if (!m) throw new Error(`malformed tag at ${lt}: ${svg.slice(lt, lt + 80)}`);
    const [, close, name, , selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open !== name) throw new Error(`</${name}> closes <${open}> at ${lt}`);
    } else {
      if (stack.length === 0) roots++;
      if (!selfClose) stack.push(name!);
    }
    i = tag.lastIndex;
  }
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}
