import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/k8s.ts';
import type { PodSnapshot } from '../../src/model/status.ts';
import { goDuration, humanDuration, podColumns } from '../../src/sim/printers/index.ts';
import { container, cs, D, H, M, pod, running, S, snapshot, terminated, waiting } from './helpers.ts';

describe('humanDuration (apimachinery duration.go HumanDuration)', () => {
  const Y = 365 * D;
  const cases: [string, number, string][] = [
    ['-2s is invalid', -2 * S, '<invalid>'],
    ['-1.999s truncates to -1 → 0s', -1999, '0s'],
    ['-1s → 0s', -S, '0s'],
    ['-1ms → 0s', -1, '0s'],
    ['0', 0, '0s'],
    ['999ms truncates', 999, '0s'],
    ['1s', S, '1s'],
    ['69s', 69 * S, '69s'],
    ['119.999s', 120 * S - 1, '119s'],
    ['120s → 2m', 120 * S, '2m'],
    ['121s → 2m1s', 121 * S, '2m1s'],
    ['9m59s', 10 * M - 1, '9m59s'],
    ['10m', 10 * M, '10m'],
    ['10m59s → 10m', 11 * M - 1, '10m'],
    ['179m', 3 * H - 1, '179m'],
    ['3h', 3 * H, '3h'],
    ['3h30m', 3 * H + 30 * M, '3h30m'],
    ['7h59m', 8 * H - 1, '7h59m'],
    ['8h', 8 * H, '8h'],
    ['47h', 48 * H - 1, '47h'],
    ['48h → 2d', 48 * H, '2d'],
    ['2d1h', 49 * H, '2d1h'],
    ['7d23h', 8 * D - 1, '7d23h'],
    ['8d', 8 * D, '8d'],
    ['729d', 2 * Y - 1, '729d'],
    ['2y', 2 * Y, '2y'],
    ['2y1d', 2 * Y + D, '2y1d'],
    ['7y364d', 8 * Y - 1, '7y364d'],
    ['8y', 8 * Y, '8y'],
    ['20y', 20 * Y + 5 * D, '20y'],
    ['NaN', Number.NaN, '<invalid>'],
  ];
  it.each(cases)('%s', (_name, ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});

describe('goDuration (Go time.Duration String)', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [500, '500ms'],
    [10 * S, '10s'],
    [20 * S, '20s'],
    [40 * S, '40s'],
    [80 * S, '1m20s'],
    [160 * S, '2m40s'],
    [300 * S, '5m0s'],
    [H, '1h0m0s'],
    [25 * H + 61 * S, '25h1m1s'],
    [1500, '1.5s'],
    [61250, '1m1.25s'],
    [-10 * S, '-10s'],
  ];
  it.each(cases)('%d ms → %s', (ms, want) => {
    expect(goDuration(ms)).toBe(want);
  });
});

const NOW = 100 * D;
const ago = (ms: number) => NOW - ms;
const two = pod('p', [container('c1'), container('c2')]);
const one = pod('p', [container('c1')]);
const oneInit = pod('p', [container('c1')], [container('i1')]);
const twoInit = pod('p', [container('c1')], [container('i1'), container('i2')]);
const sidecars = pod(
  'p',
  [container('main')],
  [container('s1', { restartPolicy: 'Always' }), container('s2', { restartPolicy: 'Always' })],
);

interface Row {
  name: string;
  pod: Pod;
  snap: PodSnapshot;
  ready: string;
  status: string;
  restarts: string;
}

// Every row of kubernetes-semantics.md section 7 (TestPrintPod, TestPrintPodWithRestartableInitContainer).
const upstream: Row[] = [
  {
    name: 'phase shows; c1 running ready rc3, c2 without reason rc3',
    pod: two,
    snap: snapshot('p', {
      containers: [
        cs('c1', running(), { ready: true, restartCount: 3 }),
        cs('c2', waiting(''), { restartCount: 3 }),
      ],
    }),
    ready: '1/2',
    status: 'Running',
    restarts: '6',
  },
  {
    name: 'c1 running ready, c2 waiting W',
    pod: two,
    snap: snapshot('p', {
      containers: [
        cs('c1', running(), { ready: true, restartCount: 3 }),
        cs('c2', waiting('ContainerWaitingReason'), { restartCount: 3 }),
      ],
    }),
    ready: '1/2',
    status: 'ContainerWaitingReason',
    restarts: '6',
  },
  {
    name: 'c1 waiting W, c2 terminated T: the first container wins',
    pod: two,
    snap: snapshot('p', {
      containers: [
        cs('c1', waiting('ContainerWaitingReason'), { restartCount: 3 }),
        cs('c2', terminated(2, 'ContainerTerminatedReason'), { restartCount: 3 }),
      ],
    }),
    ready: '0/2',
    status: 'ContainerWaitingReason',
    restarts: '6',
  },
  {
    name: 'status.reason shows',
    pod: two,
    snap: snapshot('p', { phase: 'Failed', reason: 'Evicted' }),
    ready: '0/2',
    status: 'Evicted',
    restarts: '0',
  },
  {
    name: 'Completed with a running ready container, no Ready condition → NotReady',
    pod: two,
    snap: snapshot('p', {
      containers: [
        cs('c1', terminated(0, 'Completed'), { restartCount: 3 }),
        cs('c2', running(), { ready: true, restartCount: 3 }),
      ],
    }),
    ready: '1/2',
    status: 'NotReady',
    restarts: '6',
  },
  {
    name: 'Completed with a running ready container, Ready=True → Running',
    pod: two,
    snap: snapshot('p', {
      conditions: [['Ready', 'True']],
      containers: [
        cs('c1', terminated(0, 'Completed'), { restartCount: 3 }),
        cs('c2', running(), { ready: true, restartCount: 3 }),
      ],
    }),
    ready: '1/2',
    status: 'Running',
    restarts: '6',
  },
  {
    name: '1 init running rc3 (10s ago), container waiting',
    pod: oneInit,
    snap: snapshot('p', {
      phase: 'Pending',
      init: [cs('i1', running(), { restartCount: 3, lastFinishedAt: ago(10 * S) })],
      containers: [cs('c1', waiting('PodInitializing'))],
    }),
    ready: '0/1',
    status: 'Init:0/1',
    restarts: '3 (10s ago)',
  },
  {
    name: '2 inits: running rc3, waiting',
    pod: twoInit,
    snap: snapshot('p', {
      phase: 'Pending',
      init: [
        cs('i1', running(), { restartCount: 3, lastFinishedAt: ago(10 * S) }),
        cs('i2', waiting('PodInitializing')),
      ],
      containers: [cs('c1', waiting('PodInitializing'))],
    }),
    ready: '0/1',
    status: 'Init:0/2',
    restarts: '3 (10s ago)',
  },
  {
    name: '2 inits: terminated 0, running rc3',
    pod: twoInit,
    snap: snapshot('p', {
      phase: 'Pending',
      init: [
        cs('i1', terminated(0, 'Completed')),
        cs('i2', running(), { restartCount: 3, lastFinishedAt: ago(10 * S) }),
      ],
      containers: [cs('c1', waiting('PodInitializing'))],
    }),
    ready: '0/1',
    status: 'Init:1/2',
    restarts: '3 (10s ago)',
  },
  {
    name: '2 inits: terminated 0 rc2 (2m ago), running rc3 (10s ago)',
    pod: twoInit,
    snap: snapshot('p', {
      phase: 'Pending',
      init: [
        cs('i1', terminated(0, 'Completed'), { restartCount: 2, lastFinishedAt: ago(2 * M) }),
        cs('i2', running(), { restartCount: 3, lastFinishedAt: ago(10 * S) }),
      ],
      containers: [cs('c1', waiting('PodInitializing'))],
    }),
    ready: '0/1',
    status: 'Init:1/2',
    restarts: '5 (10s ago)',
  },
  {
    name: 'init done rc2; container running not ready rc4 (20s): plain init restarts dropped',
    pod: oneInit,
    snap: snapshot('p', {
      conditions: [['Initialized', 'True']],
      init: [cs('i1', terminated(0, 'Completed'), { restartCount: 2, lastFinishedAt: ago(10 * S) })],
      containers: [cs('c1', running(), { restartCount: 4, lastFinishedAt: ago(20 * S) })],
    }),
    ready: '0/1',
    status: 'Running',
    restarts: '4 (20s ago)',
  },
  {
    name: 'running ready rc3, last restart 5 days ago',
    pod: one,
    snap: snapshot('p', {
      containers: [cs('c1', running(), { ready: true, restartCount: 3, lastFinishedAt: ago(5 * D) })],
    }),
    ready: '1/1',
    status: 'Running',
    restarts: '3 (5d ago)',
  },
  {
    name: 'rc0 + rc3 (10d)',
    pod: two,
    snap: snapshot('p', {
      containers: [
        cs('c1', running(), { ready: true }),
        cs('c2', running(), { ready: true, restartCount: 3, lastFinishedAt: ago(10 * D) }),
      ],
    }),
    ready: '2/2',
    status: 'Running',
    restarts: '3 (10d ago)',
  },
  {
    name: 'rc6 (5d) + rc3 (20d): the latest restart',
    pod: two,
    snap: snapshot('p', {
      containers: [
        cs('c1', running(), { ready: true, restartCount: 6, lastFinishedAt: ago(5 * D) }),
        cs('c2', running(), { ready: true, restartCount: 3, lastFinishedAt: ago(20 * D) }),
      ],
    }),
    ready: '2/2',
    status: 'Running',
    restarts: '9 (5d ago)',
  },
  {
    name: 'PodScheduled reason SchedulingGated',
    pod: two,
    snap: snapshot('p', { phase: 'Pending', conditions: [['PodScheduled', 'False', 'SchedulingGated']] }),
    ready: '0/2',
    status: 'SchedulingGated',
    restarts: '0',
  },
  {
    name: 'Succeeded, terminated Completed',
    pod: one,
    snap: snapshot('p', { phase: 'Succeeded', containers: [cs('c1', terminated(0, 'Completed'))] }),
    ready: '0/1',
    status: 'Completed',
    restarts: '0',
  },
  {
    name: 'Failed, terminated Error exit 1',
    pod: one,
    snap: snapshot('p', { phase: 'Failed', containers: [cs('c1', terminated(1, 'Error'))] }),
    ready: '0/1',
    status: 'Error',
    restarts: '0',
  },
  {
    name: 'Succeeded + deletionTimestamp keeps Completed',
    pod: one,
    snap: snapshot('p', {
      phase: 'Succeeded',
      deletionTimestamp: NOW,
      containers: [cs('c1', terminated(0, 'Completed'))],
    }),
    ready: '0/1',
    status: 'Completed',
    restarts: '0',
  },
  {
    name: 'Running + deletionTimestamp → Terminating',
    pod: one,
    snap: snapshot('p', { deletionTimestamp: NOW, containers: [cs('c1', running())] }),
    ready: '0/1',
    status: 'Terminating',
    restarts: '0',
  },
  {
    name: 'Pending + deletionTimestamp → Terminating',
    pod: one,
    snap: snapshot('p', {
      phase: 'Pending',
      deletionTimestamp: NOW,
      containers: [cs('c1', waiting('ContainerCreating'))],
    }),
    ready: '0/1',
    status: 'Terminating',
    restarts: '0',
  },
  {
    name: '2 sidecars: #1 running not started rc3, Initialized False',
    pod: sidecars,
    snap: snapshot('p', {
      phase: 'Pending',
      conditions: [['Initialized', 'False']],
      init: [
        cs('s1', running(), { started: false, restartCount: 3, lastFinishedAt: ago(10 * S) }),
        cs('s2', waiting('PodInitializing')),
      ],
      containers: [cs('main', waiting('PodInitializing'))],
    }),
    ready: '0/3',
    status: 'Init:0/2',
    restarts: '3 (10s ago)',
  },
  {
    name: 'sidecar #1 started, #2 running not started',
    pod: sidecars,
    snap: snapshot('p', {
      phase: 'Pending',
      conditions: [['Initialized', 'False']],
      init: [
        cs('s1', running(), { started: true, restartCount: 3, lastFinishedAt: ago(10 * S) }),
        cs('s2', running(), { started: false }),
      ],
      containers: [cs('main', waiting('PodInitializing'))],
    }),
    ready: '0/3',
    status: 'Init:1/2',
    restarts: '3 (10s ago)',
  },
  {
    name: 'both sidecars started, main running ready rc4 (20s)',
    pod: sidecars,
    snap: snapshot('p', {
      conditions: [['Initialized', 'True']],
      init: [
        cs('s1', running(), { started: true, restartCount: 3, lastFinishedAt: ago(10 * S) }),
        cs('s2', running(), { started: true }),
      ],
      containers: [cs('main', running(), { ready: true, restartCount: 4, lastFinishedAt: ago(20 * S) })],
    }),
    ready: '1/3',
    status: 'Running',
    restarts: '7 (10s ago)',
  },
  {
    name: 'Succeeded; sidecars terminated Error 137; main Completed rc4',
    pod: sidecars,
    snap: snapshot('p', {
      phase: 'Succeeded',
      conditions: [['Initialized', 'True']],
      init: [
        cs('s1', terminated(137, 'Error'), { started: false, restartCount: 3, lastFinishedAt: ago(10 * S) }),
        cs('s2', terminated(137, 'Error'), { started: false }),
      ],
      containers: [cs('main', terminated(0, 'Completed'), { restartCount: 4, lastFinishedAt: ago(20 * S) })],
    }),
    ready: '0/3',
    status: 'Completed',
    restarts: '7 (10s ago)',
  },
];

// Further branches of printPod.
const more: Row[] = [
  {
    name: 'NodeLost + deletionTimestamp → Unknown',
    pod: one,
    snap: snapshot('p', { reason: 'NodeLost', deletionTimestamp: NOW, containers: [cs('c1', running())] }),
    ready: '0/1',
    status: 'Unknown',
    restarts: '0',
  },
  {
    name: 'no statuses yet: phase Pending',
    pod: one,
    snap: snapshot('p', { phase: 'Pending' }),
    ready: '0/1',
    status: 'Pending',
    restarts: '0',
  },
  {
    name: 'ContainerCreating',
    pod: one,
    snap: snapshot('p', { phase: 'Pending', containers: [cs('c1', waiting('ContainerCreating'))] }),
    ready: '0/1',
    status: 'ContainerCreating',
    restarts: '0',
  },
  {
    name: 'CrashLoopBackOff with restarts',
    pod: one,
    snap: snapshot('p', {
      containers: [cs('c1', waiting('CrashLoopBackOff'), { restartCount: 5, lastFinishedAt: ago(69 * S) })],
    }),
    ready: '0/1',
    status: 'CrashLoopBackOff',
    restarts: '5 (69s ago)',
  },
  {
    name: 'restartCount without a last termination prints the bare number',
    pod: one,
    snap: snapshot('p', { containers: [cs('c1', running(), { ready: true, restartCount: 2 })] }),
    ready: '1/1',
    status: 'Running',
    restarts: '2',
  },
  {
    name: 'init terminated with reason → Init:Error',
    pod: oneInit,
    snap: snapshot('p', { phase: 'Pending', init: [cs('i1', terminated(1, 'Error'))] }),
    ready: '0/1',
    status: 'Init:Error',
    restarts: '0',
  },
  {
    name: 'init terminated without reason, signal → Init:Signal:9',
    pod: oneInit,
    snap: snapshot('p', { phase: 'Pending', init: [cs('i1', terminated(137, '', 0, 0, 9))] }),
    ready: '0/1',
    status: 'Init:Signal:9',
    restarts: '0',
  },
  {
    name: 'init terminated without reason → Init:ExitCode:3',
    pod: oneInit,
    snap: snapshot('p', { phase: 'Pending', init: [cs('i1', terminated(3, ''))] }),
    ready: '0/1',
    status: 'Init:ExitCode:3',
    restarts: '0',
  },
  {
    name: 'init waiting CrashLoopBackOff',
    pod: oneInit,
    snap: snapshot('p', {
      phase: 'Pending',
      init: [cs('i1', waiting('CrashLoopBackOff'), { restartCount: 2, lastFinishedAt: ago(5 * S) })],
    }),
    ready: '0/1',
    status: 'Init:CrashLoopBackOff',
    restarts: '2 (5s ago)',
  },
  {
    name: 'init waiting ImagePullBackOff',
    pod: oneInit,
    snap: snapshot('p', { phase: 'Pending', init: [cs('i1', waiting('ImagePullBackOff'))] }),
    ready: '0/1',
    status: 'Init:ImagePullBackOff',
    restarts: '0',
  },
  {
    name: 'inits done, main waiting PodInitializing',
    pod: oneInit,
    snap: snapshot('p', {
      phase: 'Pending',
      conditions: [['Initialized', 'True']],
      init: [cs('i1', terminated(0, 'Completed'))],
      containers: [cs('c1', waiting('PodInitializing'))],
    }),
    ready: '0/1',
    status: 'PodInitializing',
    restarts: '0',
  },
  {
    name: 'container terminated without reason, signal → Signal:15',
    pod: one,
    snap: snapshot('p', { phase: 'Failed', containers: [cs('c1', terminated(143, '', 0, 0, 15))] }),
    ready: '0/1',
    status: 'Signal:15',
    restarts: '0',
  },
  {
    name: 'container terminated without reason → ExitCode:2',
    pod: one,
    snap: snapshot('p', { phase: 'Failed', containers: [cs('c1', terminated(2, ''))] }),
    ready: '0/1',
    status: 'ExitCode:2',
    restarts: '0',
  },
  {
    name: 'DeadlineExceeded overwritten by a terminated reason',
    pod: one,
    snap: snapshot('p', {
      phase: 'Failed',
      reason: 'DeadlineExceeded',
      containers: [cs('c1', terminated(137, 'Error'))],
    }),
    ready: '0/1',
    status: 'Error',
    restarts: '0',
  },
];

describe('podColumns: upstream printer table (printers.go printPod)', () => {
  it.each(upstream.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const got = podColumns(r.pod, r.snap, NOW);
    expect({ ready: got.ready, status: got.status, restarts: got.restarts }).toEqual({
      ready: r.ready,
      status: r.status,
      restarts: r.restarts,
    });
  });
});

describe('podColumns: other branches', () => {
  it.each(more.map((r) => [r.name, r] as const))('%s', (_name, r) => {
    const got = podColumns(r.pod, r.snap, NOW);
    expect({ ready: got.ready, status: got.status, restarts: got.restarts }).toEqual({
      ready: r.ready,
      status: r.status,
      restarts: r.restarts,
    });
  });

  it('reads API timestamps at whole-second precision (metav1.Time), now exactly', () => {
    const snap = snapshot('p', {
      creationTimestamp: 500,
      containers: [cs('c1', running(), { ready: true, restartCount: 1, lastFinishedAt: 69_800 })],
    });
    const got = podColumns(one, snap, 70_500);
    expect(got.restarts).toBe('1 (1s ago)');
    expect(got.age).toBe('70s');
  });

  it('reports the numeric restart count and AGE from creationTimestamp', () => {
    const got = podColumns(
      two,
      snapshot('p', {
        creationTimestamp: NOW - 3 * H - 30 * M,
        containers: [
          cs('c1', running(), { restartCount: 6, lastFinishedAt: ago(5 * S) }),
          cs('c2', running(), { restartCount: 1 }),
        ],
      }),
      NOW,
    );
    expect(got.restartCount).toBe(7);
    expect(got.age).toBe('3h30m');
  });
});
