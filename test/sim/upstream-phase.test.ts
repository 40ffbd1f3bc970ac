/**
 * Upstream's phase cases (k/k pkg/kubelet/kubelet_pods_test.go: TestPodPhaseWithRestartAlways,
 * …RestartAlwaysInitContainers, …RestartAlwaysRestartableInitContainers, …RestartAlwaysAndPodHasRun,
 * …RestartNever, …RestartNeverInitContainers, …RestartNeverRestartableInitContainers,
 * …RestartOnFailure) run against podlab's getPhase (src/sim/kubelet/status.ts podPhase).
 * One row per upstream case: `<TestFunction>[<index>] <test string>`.
 *
 * Source version: the stored copy of kubelet_pods_test.go (217,277 characters; sidecar phase
 * tables, HostIPs and PodReadyToStartContainers in Test_generateAPIPodStatus, so 1.29 or later)
 * could not be pinned to release-1.33. All its TestPodPhaseWith* tables are here, case for case,
 * with upstream's test strings (the typo'd ones included); 1.33's getPhase is the sidecar-aware
 * one these tables test.
 *
 * The upstream state helpers, converted: runningState = running (Started unset → false);
 * startedState = running, started; stoppedState and succeededState = terminated exit 0;
 * failedState = terminated exit -1; waitingState = waiting; waitingStateWithLastTermination =
 * waiting after a termination with exit 0; waitingStateWithNonZeroTermination = the same with
 * exit -1. The statuses handed to getPhase are the init statuses followed by the regular ones.
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod } from '../../src/model/k8s.ts';
import type { ContainerStatus, PodPhase } from '../../src/model/status.ts';
import { podPhase } from '../../src/sim/kubelet/status.ts';

type Helper =
  | 'running'
  | 'started'
  | 'stopped'
  | 'succeeded'
  | 'failed'
  | 'waiting'
  | 'waitingLast0'
  | 'waitingLastNon0';

function status(name: string, h: Helper): ContainerStatus {
  const base = { name, image: '', ready: false, started: h === 'started', restartCount: 0 };
  const term = (exitCode: number) => ({ kind: 'terminated' as const, exitCode, reason: '', finishedAt: 0 });
  switch (h) {
    case 'running':
    case 'started':
      return { ...base, state: { kind: 'running', startedAt: 0 } };
    case 'stopped':
    case 'succeeded':
      return { ...base, state: term(0) };
    case 'failed':
      return { ...base, state: term(-1) };
    case 'waiting':
      return { ...base, state: { kind: 'waiting', reason: '' } };
    case 'waitingLast0':
      return { ...base, state: { kind: 'waiting', reason: '' }, lastState: term(0) };
    case 'waitingLastNon0':
      return { ...base, state: { kind: 'waiting', reason: '' }, lastState: term(-1) };
  }
}

const c = (name: string, sidecar = false): Container => ({
  name,
  image: 'x',
  imagePullPolicy: 'IfNotPresent',
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
  ...(sidecar ? { restartPolicy: 'Always' as const } : {}),
});

function spec(restartPolicy: Pod['spec']['restartPolicy'], init: Container[], containers: Container[]): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default' },
    spec: {
      containers,
      ...(init.length > 0 ? { initContainers: init } : {}),
      restartPolicy,
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      schedulerName: 'default-scheduler',
    },
  };
}

/** One case: statuses as `name=helper`, the podIsTerminal flag, the expected phase, upstream's test string. */
type Case = [statuses: string[], terminal: boolean, want: PodPhase, test: string];

function rows(fn: string, pod: Pod, cases: Case[]): [string, Pod, ContainerStatus[], boolean, PodPhase][] {
  return cases.map(([sts, terminal, want, test], i) => [
    `${fn}[${i}] ${test}`,
    pod,
    sts.map((s) => {
      const [name, h] = s.split('=') as [string, Helper];
      return status(name, h);
    }),
    terminal,
    want,
  ]);
}

const AB = [c('containerA'), c('containerB')];
const X = [c('containerX')];
const sidecarX = [c('containerX', true)];

const all = [
  ...rows('TestPodPhaseWithRestartAlways', spec('Always', [], AB), [
    [[], false, 'Pending', 'waiting'],
    [['containerA=running', 'containerB=running'], false, 'Running', 'all running'],
    [['containerA=stopped', 'containerB=stopped'], false, 'Running', 'all stopped with restart always'],
    [
      ['containerA=succeeded', 'containerB=succeeded'],
      true,
      'Succeeded',
      'all succeeded with restart always, but the pod is terminal',
    ],
    [
      ['containerA=succeeded', 'containerB=failed'],
      true,
      'Failed',
      'all stopped with restart always, but the pod is terminal',
    ],
    [['containerA=running', 'containerB=stopped'], false, 'Running', 'mixed state #1 with restart always'],
    [['containerA=running'], false, 'Pending', 'mixed state #2 with restart always'],
    [['containerA=running', 'containerB=waiting'], false, 'Pending', 'mixed state #3 with restart always'],
    [
      ['containerA=running', 'containerB=waitingLast0'],
      false,
      'Running',
      'backoff crashloop container with restart always',
    ],
  ]),
  ...rows('TestPodPhaseWithRestartAlwaysInitContainers', spec('Always', X, AB), [
    [[], false, 'Pending', 'empty, waiting'],
    [['containerX=running'], false, 'Pending', 'init container running'],
    [['containerX=failed'], false, 'Pending', 'init container terminated non-zero'],
    [['containerX=waitingLast0'], false, 'Pending', 'init container waiting, terminated zero'],
    [['containerX=waitingLastNon0'], false, 'Pending', 'init container waiting, terminated non-zero'],
    [['containerX=waiting'], false, 'Pending', 'init container waiting, not terminated'],
    [
      ['containerX=succeeded', 'containerA=running', 'containerB=running'],
      false,
      'Running',
      'init container succeeded',
    ],
  ]),
  ...rows('TestPodPhaseWithRestartAlwaysRestartableInitContainers', spec('Always', sidecarX, AB), [
    [[], false, 'Pending', 'empty, waiting'],
    [['containerX=running'], false, 'Pending', 'restartable init container running'],
    [['containerX=stopped'], false, 'Pending', 'restartable init container stopped'],
    [['containerX=waitingLast0'], false, 'Pending', 'restartable init container waiting, terminated zero'],
    [
      ['containerX=waitingLastNon0'],
      false,
      'Pending',
      'restartable init container waiting, terminated non-zero',
    ],
    [['containerX=waiting'], false, 'Pending', 'restartable init container waiting, not terminated'],
    [
      ['containerX=started', 'containerA=running'],
      false,
      'Pending',
      'restartable init container started, 1/2 regular container running',
    ],
    [
      ['containerX=started', 'containerA=running', 'containerB=running'],
      false,
      'Running',
      'restartable init container started, all regular containers running',
    ],
    [
      ['containerX=running', 'containerA=running', 'containerB=running'],
      false,
      'Running',
      'restartable init container running, all regular containers running',
    ],
    [
      ['containerX=stopped', 'containerA=running', 'containerB=running'],
      false,
      'Running',
      'restartable init container stopped, all regular containers running',
    ],
    [
      ['containerX=waitingLast0', 'containerA=running', 'containerB=running'],
      false,
      'Running',
      'backoff crashloop restartable init container, all regular containers running',
    ],
    [
      ['containerX=failed', 'containerA=succeeded', 'containerB=succeeded'],
      true,
      'Succeeded',
      'all regular containers succeeded and restartable init container failed with restart always, but the pod is terminal',
    ],
    [
      ['containerX=succeeded', 'containerA=succeeded', 'containerB=succeeded'],
      true,
      'Succeeded',
      'all regular containers succeeded and restartable init container succeeded with restart always, but the pod is terminal',
    ],
  ]),
  ...rows(
    'TestPodPhaseWithRestartAlwaysAndPodHasRun',
    spec('Always', [c('containerX'), c('containerY', true)], [c('containerA')]),
    [
      [
        ['containerX=running', 'containerY=running', 'containerA=running'],
        false,
        'Pending',
        'regular init containers, restartable init container and regular container are all running',
      ],
      [
        ['containerX=running', 'containerY=running', 'containerA=stopped'],
        false,
        'Pending',
        'regular containers is stopped, restartable init container and regular int container are both running',
      ],
      [
        ['containerX=succeeded', 'containerY=running', 'containerA=stopped'],
        false,
        'Running',
        'regular init container is succeeded, restartable init container is running, regular containers is stopped',
      ],
      [
        ['containerX=succeeded', 'containerY=running', 'containerA=running'],
        false,
        'Running',
        'regular init container is succeeded, restartable init container and regular containers are both running',
      ],
    ],
  ),
  ...rows('TestPodPhaseWithRestartNever', spec('Never', [], AB), [
    [[], false, 'Pending', 'waiting'],
    [['containerA=running', 'containerB=running'], false, 'Running', 'all running with restart never'],
    [
      ['containerA=succeeded', 'containerB=succeeded'],
      false,
      'Succeeded',
      'all succeeded with restart never',
    ],
    [['containerA=failed', 'containerB=failed'], false, 'Failed', 'all failed with restart never'],
    [['containerA=running', 'containerB=succeeded'], false, 'Running', 'mixed state #1 with restart never'],
    [['containerA=running'], false, 'Pending', 'mixed state #2 with restart never'],
    [['containerA=running', 'containerB=waiting'], false, 'Pending', 'mixed state #3 with restart never'],
  ]),
  ...rows('TestPodPhaseWithRestartNeverInitContainers', spec('Never', X, AB), [
    [[], false, 'Pending', 'empty, waiting'],
    [['containerX=running'], false, 'Pending', 'init container running'],
    [['containerX=failed'], false, 'Failed', 'init container terminated non-zero'],
    [['containerX=waitingLast0'], false, 'Pending', 'init container waiting, terminated zero'],
    [['containerX=waitingLastNon0'], false, 'Failed', 'init container waiting, terminated non-zero'],
    [['containerX=waiting'], false, 'Pending', 'init container waiting, not terminated'],
    [
      ['containerX=succeeded', 'containerA=running', 'containerB=running'],
      false,
      'Running',
      'init container succeeded',
    ],
  ]),
  ...rows('TestPodPhaseWithRestartNeverRestartableInitContainers', spec('Never', sidecarX, AB), [
    [[], false, 'Pending', 'empty, waiting'],
    [['containerX=running'], false, 'Pending', 'restartable init container running'],
    [['containerX=stopped'], false, 'Pending', 'restartable init container stopped'],
    [['containerX=waitingLast0'], false, 'Pending', 'restartable init container waiting, terminated zero'],
    [
      ['containerX=waitingLastNon0'],
      false,
      'Pending',
      'restartable init container waiting, terminated non-zero',
    ],
    [['containerX=waiting'], false, 'Pending', 'restartable init container waiting, not terminated'],
    [
      ['containerX=started', 'containerA=running'],
      false,
      'Pending',
      'restartable init container started, one main container running',
    ],
    [
      ['containerX=started', 'containerA=succeeded', 'containerB=succeeded'],
      false,
      'Running',
      'restartable init container started, main containers succeeded',
    ],
    [
      ['containerX=running', 'containerA=succeeded', 'containerB=succeeded'],
      false,
      'Running',
      'restartable init container running, main containers succeeded',
    ],
    [
      ['containerX=succeeded', 'containerA=succeeded', 'containerB=succeeded'],
      false,
      'Succeeded',
      'all containers succeeded',
    ],
    [
      ['containerX=failed', 'containerA=succeeded', 'containerB=succeeded'],
      false,
      'Succeeded',
      'restartable init container terminated non-zero, main containers succeeded',
    ],
    [
      ['containerX=waitingLast0', 'containerA=succeeded', 'containerB=succeeded'],
      false,
      'Succeeded',
      'backoff crashloop restartable init container, main containers succeeded',
    ],
    [
      ['containerX=waitingLastNon0', 'containerA=succeeded', 'containerB=succeeded'],
      false,
      'Succeeded',
      'backoff crashloop with non-zero restartable init container, main containers succeeded',
    ],
  ]),
  ...rows('TestPodPhaseWithRestartOnFailure', spec('OnFailure', [], AB), [
    [[], false, 'Pending', 'waiting'],
    [['containerA=running', 'containerB=running'], false, 'Running', 'all running with restart onfailure'],
    [
      ['containerA=succeeded', 'containerB=succeeded'],
      false,
      'Succeeded',
      'all succeeded with restart onfailure',
    ],
    [['containerA=failed', 'containerB=failed'], false, 'Running', 'all failed with restart never'],
    [
      ['containerA=running', 'containerB=succeeded'],
      false,
      'Running',
      'mixed state #1 with restart onfailure',
    ],
    [['containerA=running'], false, 'Pending', 'mixed state #2 with restart onfailure'],
    [['containerA=running', 'containerB=waiting'], false, 'Pending', 'mixed state #3 with restart onfailure'],
    [
      ['containerA=running', 'containerB=waitingLast0'],
      false,
      'Running',
      'backoff crashloop container with restart onfailure',
    ],
  ]),
];

describe('kubelet_pods_test.go getPhase cases', () => {
  it.each(all)('%s', (_name, pod, statuses, terminal, want) => {
    expect(podPhase(pod, statuses, terminal)).toBe(want);
  });
});
