/**
 * The Deployment and ReplicaSet controllers' arithmetic, after upstream's tests:
 * pkg/controller/controller_utils_test.go (TestComputeHash, TestSortingActivePodsWithRanks),
 * pkg/controller/deployment/util/deployment_util_test.go (TestResolveFenceposts,
 * TestMaxUnavailable, TestNewRSNewReplicas).
 */
import { describe, expect, it } from 'vitest';
import {
  computeHash,
  maxScaledDown,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  podNameFor,
  type RolloutSpec,
  replicaSetName,
  resolveFenceposts,
  safeEncodeString,
} from '../../src/sim/controllers/deployment-util.ts';
import { podsToDelete, type RankedPod } from '../../src/sim/controllers/replicaset-util.ts';

const TEMPLATE = {
  metadata: { labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
};

describe('ComputeHash and names', () => {
  it('SafeEncodeString maps each digit into the alphabet as upstream (0-9 -> 4..9,b,c,d,f)', () => {
    expect(safeEncodeString('0123456789')).toBe('456789bcdf');
  });

  const rows: { name: string; a: [object, number?]; b: [object, number?] }[] = [
    {
      name: 'two different podTemplateSpecs',
      a: [TEMPLATE],
      b: [{ ...TEMPLATE, spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } }],
    },
    { name: 'two different collision counts', a: [TEMPLATE, 1], b: [TEMPLATE, 2] },
    { name: 'using MaxInt32 collision count', a: [TEMPLATE, 1], b: [TEMPLATE, 2147483647] },
    { name: 'no collision count vs 0', a: [TEMPLATE], b: [TEMPLATE, 0] },
  ];
  it.each(rows)('hashes differ: $name', ({ a, b }) => {
    expect(computeHash(a[0] as Record<string, unknown>, a[1])).not.toBe(
      computeHash(b[0] as Record<string, unknown>, b[1]),
    );
  });

  it('is deterministic, key-order independent, and uses only the alphabet', () => {
    const h = computeHash(TEMPLATE);
    const reordered = { spec: TEMPLATE.spec, metadata: TEMPLATE.metadata };
    expect(computeHash(reordered)).toBe(h);
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(replicaSetName('web', h)).toBe(`web-${h}`);
  });

  it('Pod names are <rs>-<5 chars>, the same for the same seed, the base cut at 58', () => {
    const a = podNameFor('web-5d59d67564', 'web-5d59d67564#1');
    expect(a).toMatch(/^web-5d59d67564-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(podNameFor('web-5d59d67564', 'web-5d59d67564#1')).toBe(a);
    expect(podNameFor('web-5d59d67564', 'web-5d59d67564#2')).not.toBe(a);
    expect(podNameFor('x'.repeat(70), 's')).toHaveLength(63);
  });
});

describe('rolling-update arithmetic', () => {
  const fence: {
    name: string;
    surge: number | string;
    unavailable: number | string;
    desired: number;
    want: [number, number];
  }[] = [
    {
      name: 'default 25%/25% of 3: surge up, unavailable down',
      surge: '25%',
      unavailable: '25%',
      desired: 3,
      want: [1, 0],
    },
    { name: '25%/25% of 10', surge: '25%', unavailable: '25%', desired: 10, want: [3, 2] },
    {
      name: 'both round to 0: unavailable becomes 1',
      surge: '0%',
      unavailable: '0%',
      desired: 10,
      want: [0, 1],
    },
    { name: 'ints as given', surge: 2, unavailable: 1, desired: 5, want: [2, 1] },
    { name: '100% surge', surge: '100%', unavailable: 0, desired: 4, want: [4, 0] },
  ];
  it.each(fence)('ResolveFenceposts: $name', ({ surge, unavailable, desired, want }) => {
    const r = resolveFenceposts(surge, unavailable, desired);
    expect([r.surge, r.unavailable]).toEqual(want);
  });

  const rolling = (replicas: number, surge: number | string, unavailable: number | string): RolloutSpec => ({
    replicas,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
  });
  const recreate: RolloutSpec = { replicas: 3, strategy: { type: 'Recreate' } };

  it.each([
    { name: 'Recreate: 0', spec: recreate, want: 0 },
    { name: 'replicas 0: 0', spec: rolling(0, 1, 1), want: 0 },
    { name: 'capped at replicas', spec: rolling(2, 0, 5), want: 2 },
    { name: '25% of 10', spec: rolling(10, '25%', '25%'), want: 2 },
  ])('MaxUnavailable: $name', ({ spec, want }) => {
    expect(maxUnavailable(spec)).toBe(want);
  });

  it('MaxSurge: 0 for Recreate', () => {
    expect([maxSurge(recreate), maxSurge(rolling(10, '25%', '25%'))]).toEqual([0, 3]);
  });

  it.each([
    { name: 'first surge step', spec: rolling(3, 1, 0), all: [3, 0], current: 0, want: 1 },
    { name: 'at replicas + maxSurge: no growth', spec: rolling(3, 1, 0), all: [3, 1], current: 1, want: 1 },
    { name: 'never past replicas', spec: rolling(3, 5, 0), all: [1, 2], current: 2, want: 3 },
    { name: 'Recreate: straight to replicas', spec: recreate, all: [0, 0], current: 0, want: 3 },
  ])('NewRSNewReplicas: $name', ({ spec, all, current, want }) => {
    expect(newRSNewReplicas(spec, all, current)).toBe(want);
  });

  it('reconcileOldReplicaSets: maxScaledDown keeps replicas - maxUnavailable available', () => {
    // 3 replicas, surge 1 / unavailable 0: 3 old + 1 new (not available) -> 4 - 3 - 1 = 0.
    expect(maxScaledDown(rolling(3, 1, 0), 4, 1, 0)).toBe(0);
    // Once the new Pod is available, one old Pod may go.
    expect(maxScaledDown(rolling(3, 1, 0), 4, 1, 1)).toBe(1);
  });
});

describe('ActivePodsWithRanks: which Pods a scale-down deletes first', () => {
  const base: RankedPod = {
    name: '',
    uid: '',
    nodeName: 'node',
    phase: 'Running',
    ready: true,
    readySince: 10_000,
    deletionCost: 0,
    maxRestarts: 0,
    creationTime: 1_000,
  };
  const pod = (name: string, o: Partial<RankedPod>): RankedPod => ({
    ...base,
    name,
    uid: `uid-${name}`,
    ...o,
  });
  const now = 3_600_000;
  const rows: { name: string; first: RankedPod; second: RankedPod }[] = [
    { name: 'unassigned < assigned', first: pod('a', { nodeName: '' }), second: pod('b', {}) },
    { name: 'pending < running', first: pod('a', { phase: 'Pending', ready: false }), second: pod('b', {}) },
    { name: 'unknown < running', first: pod('a', { phase: 'Unknown' }), second: pod('b', {}) },
    {
      name: 'not ready < ready',
      first: pod('a', { ready: false, readySince: undefined }),
      second: pod('b', {}),
    },
    { name: 'lower deletion cost first', first: pod('a', { deletionCost: -5 }), second: pod('b', {}) },
    {
      name: 'ready for less time first',
      first: pod('a', { readySince: 3_000_000 }),
      second: pod('b', { readySince: 10_000 }),
    },
    { name: 'more restarts first', first: pod('a', { maxRestarts: 4 }), second: pod('b', {}) },
    {
      name: 'newer first',
      first: pod('a', { creationTime: 3_000_000 }),
      second: pod('b', { creationTime: 1_000 }),
    },
    {
      name: 'same log2 bucket of age: lower uid first',
      first: pod('a', { creationTime: 1_000 }),
      second: pod('b', { creationTime: 1_001 }),
    },
  ];
  it.each(rows)('$name', ({ first, second }) => {
    expect(podsToDelete([second, first], 1, now).map((p) => p.name)).toEqual([first.name]);
    expect(podsToDelete([first, second], 1, now).map((p) => p.name)).toEqual([first.name]);
  });

  it('deleting as many as there are returns all, in input order', () => {
    const pods = [pod('a', {}), pod('b', {})];
    expect(podsToDelete(pods, 2, now).map((p) => p.name)).toEqual(['a', 'b']);
  });
});
