/**
 * One Deployment controller sync (rolling.go, recreate.go, sync.go cleanupDeployment,
 * progress.go), after upstream's rolling_test.go (TestDeploymentController_reconcileNewReplicaSet,
 * reconcileOldReplicaSets) and the rollout the Kubernetes docs show for 3 replicas at 25%/25%.
 */
import { describe, expect, it } from 'vitest';
import {
  availableCondition,
  calculateStatus,
  type DeploymentSpecView,
  type OwnedReplicaSet,
  progressingCondition,
  syncDeployment,
  timedOut,
} from '../../src/sim/controllers/deployment.ts';

const rolling: DeploymentSpecView = {
  name: 'web',
  replicas: 3,
  strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
  revisionHistoryLimit: 10,
  progressDeadlineSeconds: 600,
};

function rs(
  name: string,
  revision: number,
  replicas: number,
  available = replicas,
  current = replicas,
): OwnedReplicaSet {
  return { name, creationTime: revision * 1000, revision, replicas, current, ready: available, available };
}

describe('rolling update', () => {
  it('surges the new ReplicaSet by one (maxSurge 25% of 3 rounds up)', () => {
    const r = syncDeployment(rolling, rs('web-new', 2, 0), [rs('web-old', 1, 3)]);
    expect(r.scale).toEqual([{ name: 'web-new', from: 0, to: 1 }]);
    expect(r.events.map((e) => e.message)).toEqual(['Scaled up replica set web-new from 0 to 1']);
  });

  it('waits while the new Pod is not available (maxUnavailable 25% of 3 rounds down to 0): the stalled rollout', () => {
    const r = syncDeployment(rolling, rs('web-new', 2, 1, 0), [rs('web-old', 1, 3)]);
    expect(r.scale).toEqual([]);
  });

  it('scales the old ReplicaSet down by one once the new Pod is available', () => {
    const r = syncDeployment(rolling, rs('web-new', 2, 1, 1), [rs('web-old', 1, 3)]);
    expect(r.scale).toEqual([{ name: 'web-old', from: 3, to: 2 }]);
    expect(r.events[0]!.message).toBe('Scaled down replica set web-old from 3 to 2');
  });

  it('removes unavailable old Pods first (cleanupUnhealthyReplicas)', () => {
    const spec = {
      ...rolling,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
    };
    const r = syncDeployment(spec, rs('web-new', 3, 1, 1), [rs('web-a', 1, 1, 0), rs('web-b', 2, 2)]);
    expect(r.scale[0]).toEqual({ name: 'web-a', from: 1, to: 0 });
  });

  it('shrinks a new ReplicaSet that has more than replicas (scale down of the Deployment)', () => {
    const r = syncDeployment(rolling, rs('web-new', 2, 5), []);
    expect(r.scale).toEqual([{ name: 'web-new', from: 5, to: 3 }]);
  });

  it('once complete, deletes old empty ReplicaSets beyond revisionHistoryLimit, oldest revision first', () => {
    const spec = { ...rolling, revisionHistoryLimit: 1 };
    const r = syncDeployment(spec, rs('web-d', 4, 3), [
      rs('web-c', 3, 0),
      rs('web-a', 1, 0),
      rs('web-b', 2, 0),
    ]);
    expect(r.scale).toEqual([]);
    expect(r.deleteReplicaSets).toEqual(['web-a', 'web-b']);
  });

  it('revisionHistoryLimit 0 keeps no old ReplicaSet; an incomplete rollout deletes none', () => {
    const spec = { ...rolling, revisionHistoryLimit: 0 };
    expect(syncDeployment(spec, rs('web-b', 2, 3), [rs('web-a', 1, 0)]).deleteReplicaSets).toEqual(['web-a']);
    expect(syncDeployment(spec, rs('web-b', 2, 3, 2), [rs('web-a', 1, 0)]).deleteReplicaSets).toEqual([]);
  });
});

describe('Recreate', () => {
  const recreate: DeploymentSpecView = { ...rolling, strategy: { type: 'Recreate' } };
  it('scales every old ReplicaSet to 0 first', () => {
    const r = syncDeployment(recreate, rs('web-new', 2, 0), [rs('web-old', 1, 3)]);
    expect(r.scale).toEqual([{ name: 'web-old', from: 3, to: 0 }]);
  });
  it('waits until no old Pod is left, then scales the new one to replicas', () => {
    const waiting = syncDeployment(recreate, rs('web-new', 2, 0), [rs('web-old', 1, 0, 0, 2)]);
    expect(waiting.scale).toEqual([]);
    const up = syncDeployment(recreate, rs('web-new', 2, 0), [rs('web-old', 1, 0, 0, 0)]);
    expect(up.events.map((e) => e.message)).toEqual(['Scaled up replica set web-new from 0 to 3']);
  });
});

describe('status and conditions', () => {
  it('calculateStatus sums the ReplicaSets; updated counts the new one', () => {
    const s = calculateStatus(rs('web-new', 2, 1, 0), [rs('web-old', 1, 3)]);
    expect([
      s.replicas,
      s.updatedReplicas,
      s.readyReplicas,
      s.availableReplicas,
      s.unavailableReplicas,
    ]).toEqual([4, 1, 3, 3, 1]);
  });

  it.each([
    {
      name: 'enough available',
      available: 3,
      want: ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'],
    },
    {
      name: 'too few available',
      available: 2,
      want: ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'],
    },
  ])('Available: $name', ({ available, want }) => {
    const c = availableCondition(rolling, calculateStatus(rs('web', 1, 3, available), []), 0);
    expect([c.status, c.reason, c.message]).toEqual(want);
  });

  it.each([
    { reason: 'NewReplicaSetCreated' as const, status: 'True', message: 'Created new replica set "web-x"' },
    { reason: 'FoundNewReplicaSet' as const, status: 'True', message: 'Found new replica set "web-x"' },
    { reason: 'ReplicaSetUpdated' as const, status: 'True', message: 'ReplicaSet "web-x" is progressing.' },
    {
      reason: 'NewReplicaSetAvailable' as const,
      status: 'True',
      message: 'ReplicaSet "web-x" has successfully progressed.',
    },
    {
      reason: 'ProgressDeadlineExceeded' as const,
      status: 'False',
      message: 'ReplicaSet "web-x" has timed out progressing.',
    },
  ])('Progressing: $reason', ({ reason, status, message }) => {
    const c = progressingCondition(reason, 'web-x', 0);
    expect([c.status, c.message]).toEqual([status, message]);
  });

  it('times out progressDeadlineSeconds after the last progress, never once available', () => {
    const updated = progressingCondition('ReplicaSetUpdated', 'web-x', 10_000);
    expect(timedOut(rolling, updated, 610_000)).toBe(false);
    expect(timedOut(rolling, updated, 610_001)).toBe(true);
    expect(timedOut(rolling, progressingCondition('NewReplicaSetAvailable', 'web-x', 0), 10_000_000)).toBe(
      false,
    );
    expect(timedOut(rolling, undefined, 10_000_000)).toBe(false);
  });
});
