/**
 * Upstream's condition cases (k/k pkg/kubelet/status/generate_test.go: TestGenerateContainersReadyCondition,
 * TestGeneratePodReadyCondition, TestGeneratePodInitializedCondition,
 * TestGeneratePodReadyToStartContainersCondition) run against podlab's condition code
 * (src/sim/kubelet/status.ts). One row per upstream case, `<TestFunction>[<index>]` (the
 * ReadyToStartContainers cases are a Go map: named by their key).
 *
 * Source version: the stored copies of generate_test.go could not be pinned to release-1.33.
 * The rows follow the copy whose Generate* functions take the old API status (the
 * ObservedGeneration change of 1.33) and which has no AllContainersRestarting test (added after
 * 1.33); TestGeneratePodInitializedCondition[10] comes from a later copy, and holds for 1.33 too
 * (1.33's HasAnyRegularContainerStarted counts a terminated regular container).
 *
 * Conversion: `getReadyStatus(n)` / `getNotReadyStatus(n)` are statuses with only Name and
 * Ready; `getStartedStatus(n)` / `getNotStartedStatus(n)` only Name and Started. Go's empty
 * ContainerState becomes a waiting state without reason (podlab's union has no empty member;
 * the condition code only distinguishes running and terminated). A nil status slice is
 * `undefined`, an empty one `[]`. Like upstream, the Initialized rows compare status and reason,
 * the ReadyToStartContainers rows status only. A CRI PodSandboxStatus becomes `{ ready, ip }`
 * (State SANDBOX_READY, Network.Ip; a nil Network leaves `ip` out).
 *
 * Not encoded: the cases newer than 1.33 (AllContainersRestarting, InsecureUserID).
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/model/k8s.ts';
import type { ContainerState, ContainerStatus, PodPhase } from '../../src/model/status.ts';
import {
  type Cond,
  containersReadyCondition,
  initializedCondition,
  podReadyCondition,
  readyToStartContainersCondition,
  type SandboxStatus,
} from '../../src/sim/kubelet/status.ts';
import { ctr, run, pod as simPod } from './helpers.ts';

function goStatus(
  name: string,
  o: { ready?: boolean; started?: boolean; state?: ContainerState } = {},
): ContainerStatus {
  return {
    name,
    image: '',
    state: o.state ?? { kind: 'waiting', reason: '' },
    ready: o.ready ?? false,
    started: o.started ?? false,
    restartCount: 0,
  };
}
const ready = (n: string) => goStatus(n, { ready: true });
const notReady = (n: string) => goStatus(n);
const started = (n: string) => goStatus(n, { started: true });
const notStarted = (n: string) => goStatus(n, { started: false });

const c = (name: string, sidecar = false): Container => ({
  name,
  image: 'x',
  imagePullPolicy: 'IfNotPresent',
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  ...(sidecar ? { restartPolicy: 'Always' as const } : {}),
});

function spec(o: { init?: Container[]; containers?: Container[]; gates?: string[] } = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers: o.containers ?? [],
      ...(o.init ? { initContainers: o.init } : {}),
      ...(o.gates ? { readinessGates: o.gates.map((conditionType) => ({ conditionType })) } : {}),
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      schedulerName: 'default-scheduler',
    },
  };
}

const cond = (status: 'True' | 'False', reason = '', message = ''): Cond => ({
  status,
  ...(reason ? { reason } : {}),
  ...(message ? { message } : {}),
});

type ReadyRow = [
  name: string,
  pod: Pod,
  statuses: ContainerStatus[] | undefined,
  phase: PodPhase,
  want: Cond,
];

const two = spec({ containers: [c('1234'), c('5678')] });
const one = spec({ containers: [c('1234')] });
const oneSidecar = spec({ init: [c('restartable-init-1', true)], containers: [c('regular-1')] });
const twoSidecars = spec({
  init: [c('restartable-init-1', true), c('restartable-init-2', true)],
  containers: [c('regular-1')],
});

/** The cases TestGenerateContainersReadyCondition and TestGeneratePodReadyCondition share. */
function commonReadyRows(test: string): ReadyRow[] {
  return [
    [`${test}[0] nil statuses`, spec(), undefined, 'Running', cond('False', 'UnknownContainerStatuses')],
    [`${test}[1] no containers, empty statuses`, spec(), [], 'Running', cond('True')],
    [
      `${test}[2] one container without status`,
      one,
      [],
      'Running',
      cond('False', 'ContainersNotReady', 'containers with unknown status: [1234]'),
    ],
    [`${test}[3] both ready`, two, [ready('1234'), ready('5678')], 'Running', cond('True')],
    [
      `${test}[4] one status missing`,
      two,
      [ready('1234')],
      'Running',
      cond('False', 'ContainersNotReady', 'containers with unknown status: [5678]'),
    ],
    [
      `${test}[5] one not ready`,
      two,
      [ready('1234'), notReady('5678')],
      'Running',
      cond('False', 'ContainersNotReady', 'containers with unready status: [5678]'),
    ],
    [`${test}[6] succeeded`, one, [notReady('1234')], 'Succeeded', cond('False', 'PodCompleted')],
  ];
}

const containersReadyRows: ReadyRow[] = [
  ...commonReadyRows('TestGenerateContainersReadyCondition'),
  [
    'TestGenerateContainersReadyCondition[7] sidecar without status',
    oneSidecar,
    [ready('regular-1')],
    'Running',
    cond('False', 'ContainersNotReady', 'containers with unknown status: [restartable-init-1]'),
  ],
  [
    'TestGenerateContainersReadyCondition[8] two sidecars and the container ready',
    twoSidecars,
    [ready('restartable-init-1'), ready('restartable-init-2'), ready('regular-1')],
    'Running',
    cond('True'),
  ],
  [
    'TestGenerateContainersReadyCondition[9] second sidecar without status',
    twoSidecars,
    [ready('restartable-init-1'), ready('regular-1')],
    'Running',
    cond('False', 'ContainersNotReady', 'containers with unknown status: [restartable-init-2]'),
  ],
  [
    'TestGenerateContainersReadyCondition[10] second sidecar not ready',
    twoSidecars,
    [ready('restartable-init-1'), notReady('restartable-init-2'), ready('regular-1')],
    'Running',
    cond('False', 'ContainersNotReady', 'containers with unready status: [restartable-init-2]'),
  ],
];

describe('generate_test.go TestGenerateContainersReadyCondition', () => {
  it.each(containersReadyRows)('%s', (_name, pod, statuses, phase, want) => {
    expect(containersReadyCondition(pod, statuses, phase)).toEqual(want);
  });
});

type GateRow = [
  name: string,
  pod: Pod,
  conditions: [string, string][],
  statuses: ContainerStatus[],
  want: Cond,
];
const gate1 = spec({ gates: ['gate1'] });
const gates12 = spec({ gates: ['gate1', 'gate2'] });
const gateRows: GateRow[] = [
  [
    'TestGeneratePodReadyCondition[7] gate condition missing',
    gate1,
    [],
    [],
    cond(
      'False',
      'ReadinessGatesNotReady',
      'corresponding condition of pod readiness gate "gate1" does not exist.',
    ),
  ],
  [
    'TestGeneratePodReadyCondition[8] gate False',
    gate1,
    [['gate1', 'False']],
    [],
    cond(
      'False',
      'ReadinessGatesNotReady',
      'the status of pod readiness gate "gate1" is not "True", but False',
    ),
  ],
  ['TestGeneratePodReadyCondition[9] gate True', gate1, [['gate1', 'True']], [], cond('True')],
  [
    'TestGeneratePodReadyCondition[10] second gate missing',
    gates12,
    [['gate1', 'True']],
    [],
    cond(
      'False',
      'ReadinessGatesNotReady',
      'corresponding condition of pod readiness gate "gate2" does not exist.',
    ),
  ],
  [
    'TestGeneratePodReadyCondition[11] second gate False',
    gates12,
    [
      ['gate1', 'True'],
      ['gate2', 'False'],
    ],
    [],
    cond(
      'False',
      'ReadinessGatesNotReady',
      'the status of pod readiness gate "gate2" is not "True", but False',
    ),
  ],
  [
    'TestGeneratePodReadyCondition[12] both gates True',
    gates12,
    [
      ['gate1', 'True'],
      ['gate2', 'True'],
    ],
    [],
    cond('True'),
  ],
  [
    'TestGeneratePodReadyCondition[13] gate True but container not ready',
    spec({ containers: [c('1234')], gates: ['gate1'] }),
    [['gate1', 'True']],
    [notReady('1234')],
    cond('False', 'ContainersNotReady', 'containers with unready status: [1234]'),
  ],
];

describe('generate_test.go TestGeneratePodReadyCondition', () => {
  it.each(commonReadyRows('TestGeneratePodReadyCondition'))('%s', (_name, pod, statuses, phase, want) => {
    expect(podReadyCondition(pod, [], statuses, phase)).toEqual(want);
  });
  it.each(gateRows)('%s', (_name, pod, conditions, statuses, want) => {
    const conds = conditions.map(([type, status]) => ({ type, status }));
    expect(podReadyCondition(pod, conds, statuses, 'Running')).toEqual(want);
  });
});

type InitRow = [name: string, pod: Pod, statuses: ContainerStatus[] | undefined, phase: PodPhase, want: Cond];
const oneInit = spec({ init: [c('1234')], containers: [c('regular')] });
const twoInit = spec({ init: [c('1234'), c('5678')], containers: [c('regular')] });
const oneRestartable = spec({ init: [c('1234', true)], containers: [c('regular')] });
const initRows: InitRow[] = [
  [
    'TestGeneratePodInitializedCondition[0] nil statuses',
    twoInit,
    undefined,
    'Running',
    cond('False', 'UnknownContainerStatuses'),
  ],
  ['TestGeneratePodInitializedCondition[1] no init containers', spec(), [], 'Running', cond('True')],
  [
    'TestGeneratePodInitializedCondition[2] init status missing',
    oneInit,
    [],
    'Running',
    cond('False', 'ContainersNotInitialized'),
  ],
  [
    'TestGeneratePodInitializedCondition[3] both inits ready',
    twoInit,
    [ready('1234'), ready('5678')],
    'Running',
    cond('True'),
  ],
  [
    'TestGeneratePodInitializedCondition[4] second init status missing',
    twoInit,
    [ready('1234')],
    'Running',
    cond('False', 'ContainersNotInitialized'),
  ],
  [
    'TestGeneratePodInitializedCondition[5] second init not ready',
    twoInit,
    [ready('1234'), notReady('5678')],
    'Running',
    cond('False', 'ContainersNotInitialized'),
  ],
  [
    'TestGeneratePodInitializedCondition[6] succeeded',
    oneInit,
    [ready('1234')],
    'Succeeded',
    cond('True', 'PodCompleted'),
  ],
  [
    'TestGeneratePodInitializedCondition[7] sidecar not started',
    oneRestartable,
    [notStarted('1234')],
    'Pending',
    cond('False', 'ContainersNotInitialized'),
  ],
  [
    'TestGeneratePodInitializedCondition[8] sidecar started',
    oneRestartable,
    [started('1234')],
    'Running',
    cond('True'),
  ],
  [
    'TestGeneratePodInitializedCondition[9] sidecar not started, regular container running',
    oneRestartable,
    [notStarted('1234'), goStatus('regular', { state: { kind: 'running', startedAt: 0 } })],
    'Running',
    cond('True'),
  ],
  [
    'TestGeneratePodInitializedCondition[10] init waiting, regular container terminated',
    oneInit,
    [
      goStatus('1234'),
      goStatus('regular', { state: { kind: 'terminated', exitCode: 0, reason: '', finishedAt: 0 } }),
    ],
    'Running',
    cond('True'),
  ],
];

describe('generate_test.go TestGeneratePodInitializedCondition', () => {
  it.each(initRows)('%s', (_name, pod, statuses, phase, want) => {
    const got = initializedCondition(pod, statuses, phase);
    expect({ status: got.status, reason: got.reason ?? '' }).toEqual({
      status: want.status,
      reason: want.reason ?? '',
    });
  });
});

const readyToStartRows: [name: string, sandboxes: SandboxStatus[], want: 'True' | 'False'][] = [
  ['TestGeneratePodReadyToStartContainersCondition Empty pod status', [], 'False'],
  [
    'TestGeneratePodReadyToStartContainersCondition Pod sandbox status not ready',
    [{ ready: false }],
    'False',
  ],
  [
    'TestGeneratePodReadyToStartContainersCondition Pod sandbox status ready but no IP configured',
    [{ ready: true, ip: '' }],
    'False',
  ],
  [
    'TestGeneratePodReadyToStartContainersCondition Pod sandbox status ready and IP configured',
    [{ ready: true, ip: '10.0.0.10' }],
    'True',
  ],
];

describe('generate_test.go TestGeneratePodReadyToStartContainersCondition', () => {
  it.each(readyToStartRows)('%s', (_name, sandboxes, want) => {
    expect(readyToStartContainersCondition(sandboxes).status).toBe(want);
  });
});

describe('a simulated Pod with a readiness gate nobody sets', () => {
  it('stays Ready=False with ReadinessGatesNotReady while ContainersReady is True', () => {
    const p = simPod('gated', [ctr('app', ['sleep', '3600'])], {
      readinessGates: [{ conditionType: 'example.com/lb' }],
    });
    const trace = run([p], 10);
    const last = trace.records.filter((r) => r.key === 'Pod/default/gated').at(-1);
    const conds = last?.exists && last.snapshot.kind === 'Pod' ? last.snapshot.status.conditions : [];
    const byType = Object.fromEntries(
      conds.map((x) => [x.type, [x.status, x.reason ?? '', x.message ?? '']]),
    );
    expect(byType.ContainersReady).toEqual(['True', '', '']);
    expect(byType.Ready).toEqual([
      'False',
      'ReadinessGatesNotReady',
      'corresponding condition of pod readiness gate "example.com/lb" does not exist.',
    ]);
  });
});
