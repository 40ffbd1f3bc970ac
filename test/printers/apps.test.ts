/**
 * `kubectl get deploy`, `get rs` and `rollout status` texts (printers.go printDeployment and
 * printReplicaSet; kubectl rollout_status.go and its rollout_status_test.go cases).
 */
import { describe, expect, it } from 'vitest';
import type { DeploymentStatusView, DeploymentView } from '../../src/sim/controllers/types.ts';
import { deploymentsTable, replicaSetsTable, rolloutStatus } from '../../src/sim/printers/apps.ts';

function view(status: Partial<DeploymentStatusView>, o: Partial<DeploymentView> = {}): DeploymentView {
  return {
    name: 'web',
    generation: 1,
    creationTime: 0,
    specReplicas: 3,
    status: {
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      unavailableReplicas: 0,
      conditions: [],
      ...status,
    },
    ...o,
  };
}

describe('kubectl get deploy / rs', () => {
  it('deployments: READY is ready/desired, then UP-TO-DATE, AVAILABLE, AGE', () => {
    const text = deploymentsTable(
      [view({ readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 })],
      75_400,
    );
    expect(text).toBe(
      'NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    1/3     2            1           75s\n',
    );
  });

  it('replica sets: DESIRED CURRENT READY AGE, one row each', () => {
    const text = replicaSetsTable(
      [
        { name: 'web-6b7f8d9c4', creationTime: 0, specReplicas: 3, replicas: 3, readyReplicas: 2 },
        { name: 'web-5d59d67564', creationTime: 0, specReplicas: 0, replicas: 0, readyReplicas: 0 },
      ],
      600_000,
    );
    expect(text).toBe(
      'NAME             DESIRED   CURRENT   READY   AGE\nweb-6b7f8d9c4    3         3         2       10m\nweb-5d59d67564   0         0         0       10m\n',
    );
  });

  it('no objects: no table (kubectl prints "No resources found" on stderr)', () => {
    expect(deploymentsTable([], 0)).toBe('');
    expect(replicaSetsTable([], 0)).toBe('');
  });
});

describe('kubectl rollout status', () => {
  const deadline = {
    type: 'Progressing' as const,
    status: 'False' as const,
    reason: 'ProgressDeadlineExceeded',
    message: 'ReplicaSet "web-x" has timed out progressing.',
    lastUpdateTime: 0,
    lastTransitionTime: 0,
  };
  const rows: { name: string; d: DeploymentView; text: string; done: boolean; error?: string }[] = [
    {
      name: 'generation not yet observed',
      d: view({ observedGeneration: 1 }, { generation: 2 }),
      text: 'Waiting for deployment spec update to be observed...\n',
      done: false,
    },
    {
      name: 'updated < desired',
      d: view({ updatedReplicas: 1, replicas: 4 }),
      text: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n',
      done: false,
    },
    {
      name: 'old replicas pending termination',
      d: view({ replicas: 4, updatedReplicas: 3 }),
      text: 'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n',
      done: false,
    },
    {
      name: 'updated replicas not all available',
      d: view({ availableReplicas: 1 }),
      text: 'Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...\n',
      done: false,
    },
    { name: 'done', d: view({}), text: 'deployment "web" successfully rolled out\n', done: true },
    {
      name: 'progress deadline exceeded',
      d: view({ updatedReplicas: 1, conditions: [deadline] }),
      text: '',
      done: false,
      error: 'error: deployment "web" exceeded its progress deadline\n',
    },
  ];
  it.each(rows)('$name', ({ d, text, done, error }) => {
    const r = rolloutStatus(d);
    expect([r.text, r.done, r.error]).toEqual([text, done, error]);
  });
});
