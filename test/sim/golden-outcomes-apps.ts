/**
 * The outcome each Deployment golden case must show, traced to upstream (k/k release-1.33
 * pkg/controller/deployment rolling.go, progress.go, sync.go; kubectl rollback.go). Keys are
 * golden case names; golden.test.ts reads these after OUTCOMES.
 */
import { expect } from 'vitest';
import type { DeploymentSnapshot, ReplicaSetSnapshot } from '../../src/model/status.ts';
import type { Trace } from '../../src/model/trace.ts';
import { stateAt } from '../../src/sim/query.ts';

function deployment(t: Trace, s: number): DeploymentSnapshot {
  const d = stateAt(t, 'Deployment/default/web', s * 1000);
  if (d?.kind !== 'Deployment') throw new Error(`no Deployment web at ${s}s`);
  return d;
}

function replicaSet(t: Trace, name: string, s: number): ReplicaSetSnapshot {
  const r = stateAt(t, `ReplicaSet/default/${name}`, s * 1000);
  if (r?.kind !== 'ReplicaSet') throw new Error(`no ReplicaSet ${name} at ${s}s`);
  return r;
}

/** The Deployment's ScalingReplicaSet events as `<s> up|down <rs> <from>-><to>`. */
function scaling(t: Trace): string[] {
  return t.events
    .filter((e) => e.object === 'Deployment/web' && e.reason === 'ScalingReplicaSet')
    .map((e) => {
      const m = /^Scaled (up|down) replica set (\S+) from (\d+) to (\d+)$/.exec(e.message)!;
      return `${e.at / 1000} ${m[1]} ${m[2]} ${m[3]}->${m[4]}`;
    });
}

export const APPS_OUTCOMES: Record<string, (t: Trace) => void> = {
  // 3 replicas at 25%/25%: ResolveFenceposts gives maxSurge 1 (rounded up), maxUnavailable 0
  // (rounded down), so each step adds one new Pod, waits for it to be available (readiness 2 s
  // + a 3 s period: ready 3 s after its start) and only then removes one old Pod.
  'deployment-rollout': (t: Trace) => {
    const first = deployment(t, 5);
    expect([first.revision, first.status.availableReplicas]).toEqual([1, 3]);
    const rs = [
      ...new Set(t.records.filter((r) => r.key.startsWith('ReplicaSet/')).map((r) => r.key.split('/')[2]!)),
    ];
    expect(rs).toHaveLength(2);
    const [v1, v2] = rs as [string, string];
    expect(scaling(t)).toEqual([
      `0 up ${v1} 0->3`,
      `20 up ${v2} 0->1`,
      `23 down ${v1} 3->2`,
      `23 up ${v2} 1->2`,
      `26 down ${v1} 2->1`,
      `26 up ${v2} 2->3`,
      `29 down ${v1} 1->0`,
      // kubectl rollout undo: revision 1's template again, so its ReplicaSet is the new one.
      `60 up ${v1} 0->1`,
      `63 down ${v2} 3->2`,
      `63 up ${v1} 1->2`,
      `66 down ${v2} 2->1`,
      `66 up ${v1} 2->3`,
      `69 down ${v2} 1->0`,
    ]);
    // minAvailable = replicas - maxUnavailable = 3; at most replicas + maxSurge = 4 Pods.
    for (const r of t.records) {
      if (!r.exists || r.snapshot.kind !== 'Deployment' || r.at < 3000) continue;
      expect(r.snapshot.status.availableReplicas).toBeGreaterThanOrEqual(3);
      expect(r.snapshot.status.replicas).toBeLessThanOrEqual(4);
    }
    // SetNewReplicaSetAnnotations: the rolled-back ReplicaSet takes the next revision, 3.
    expect([replicaSet(t, v1, 90).revision, replicaSet(t, v2, 90).revision]).toEqual([3, 2]);
    const end = deployment(t, 90);
    expect([end.revision, end.generation, end.status.observedGeneration]).toEqual([3, 3, 3]);
    expect(end.status.conditions.map((c) => `${c.type}/${c.reason}`)).toEqual([
      'Available/MinimumReplicasAvailable',
      'Progressing/NewReplicaSetAvailable',
    ]);
  },
  // progress.go: the last progress (the new Pod at 10 s) + progressDeadlineSeconds 30, and
  // requeueStuckDeployment's extra second: ProgressDeadlineExceeded at 41 s. maxUnavailable 0
  // keeps both old Pods.
  'deployment-stalled': (t: Trace) => {
    const before = deployment(t, 40).status.conditions.find((c) => c.type === 'Progressing')!;
    expect([before.reason, before.lastUpdateTime]).toEqual(['ReplicaSetUpdated', 10_000]);
    const after = deployment(t, 41).status;
    expect(after.conditions.find((c) => c.type === 'Progressing')).toMatchObject({
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      lastUpdateTime: 41_000,
      lastTransitionTime: 41_000,
    });
    expect(after).toMatchObject({ replicas: 3, updatedReplicas: 1, readyReplicas: 2, availableReplicas: 2 });
    expect(scaling(t).map((s) => s.split(' ').slice(0, 2).join(' '))).toEqual(['0 up', '10 up']);
  },
};
