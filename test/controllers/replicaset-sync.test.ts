/**
 * One ReplicaSet controller sync (replica_set.go manageReplicas, calculateStatus; pod util
 * IsPodAvailable), after replica_set_test.go (TestSyncReplicaSetCreateFailures aside: creation
 * never fails in podlab) and pod/util_test.go TestIsPodAvailable.
 */
import { describe, expect, it } from 'vitest';
import { isPodAvailable, manageReplicas, replicaSetStatus } from '../../src/sim/controllers/replicaset.ts';
import type { RankedPod } from '../../src/sim/controllers/replicaset-util.ts';

const pod = (name: string, o: Partial<RankedPod> = {}): RankedPod => ({
  name,
  uid: `uid-${name}`,
  nodeName: 'node',
  phase: 'Running',
  ready: true,
  readySince: 1_000,
  deletionCost: 0,
  maxRestarts: 0,
  creationTime: 0,
  ...o,
});

describe('manageReplicas', () => {
  it('creates the missing Pods with <rs>-<5 chars> names and SuccessfulCreate events', () => {
    const r = manageReplicas('web-5d59d67564', 3, [], 0, 0);
    expect(r.create).toHaveLength(3);
    expect(new Set(r.create).size).toBe(3);
    for (const n of r.create) expect(n).toMatch(/^web-5d59d67564-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(r.events.map((e) => e.message)).toEqual(r.create.map((n) => `Created pod: ${n}`));
    expect(manageReplicas('web-5d59d67564', 3, [], 0, 0)).toEqual(r);
  });

  it('deletes the ranked-first Pods (not ready before ready) with SuccessfulDelete events', () => {
    const r = manageReplicas(
      'web-x',
      1,
      [pod('a'), pod('b', { ready: false, readySince: undefined })],
      2,
      5_000,
    );
    expect(r.delete).toEqual(['b']);
    expect(r.events).toEqual([{ reason: 'SuccessfulDelete', message: 'Deleted pod: b' }]);
  });

  it('does nothing at the right size', () => {
    expect(manageReplicas('web-x', 1, [pod('a')], 1, 0)).toEqual({ create: [], delete: [], events: [] });
  });
});

describe('availability and status', () => {
  it.each([
    { name: 'not ready', p: pod('a', { ready: false }), min: 0, now: 10_000, want: false },
    { name: 'ready, minReadySeconds 0', p: pod('a'), min: 0, now: 1_000, want: true },
    { name: 'ready for exactly minReadySeconds: not yet', p: pod('a'), min: 5, now: 6_000, want: false },
    { name: 'ready for longer than minReadySeconds', p: pod('a'), min: 5, now: 6_001, want: true },
  ])('IsPodAvailable: $name', ({ p, min, now, want }) => {
    expect(isPodAvailable(p, min, now)).toBe(want);
  });

  it('calculateStatus counts ready and available Pods', () => {
    const s = replicaSetStatus(
      [pod('a'), pod('b', { readySince: 9_000 }), pod('c', { ready: false })],
      5,
      10_000,
    );
    expect(s).toEqual({ replicas: 3, readyReplicas: 2, availableReplicas: 1 });
  });
});
