/**
 * Which Pods a ReplicaSet deletes first when it scales down: pkg/controller/replicaset
 * getPodsToDelete, ranked by getPodsRankedByRelatedPodsOnSameNode and sorted with
 * pkg/controller/controller_utils.go ActivePodsWithRanks.Less (release-1.33; the
 * LogarithmicScaleDown and PodDeletionCost gates are on by default).
 */

/** What the ranking reads of a Pod. Times are virtual milliseconds. */
export interface RankedPod {
  name: string;
  uid: string;
  nodeName: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  ready: boolean;
  /** lastTransitionTime of the Ready condition when ready. */
  readySince?: number;
  /** controller.kubernetes.io/pod-deletion-cost (0 when absent or invalid). */
  deletionCost: number;
  /** The highest restartCount among its containers. */
  maxRestarts: number;
  creationTime: number;
}

/** podPhaseToOrdinal: Pending < Unknown < Running. */
const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** logarithmicRankDiff: floor(log2) of the ages in nanoseconds, as time.Duration; -1 when not in the past. */
function logarithmicRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number): number => {
    const d = (now - t) * 1_000_000;
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

/** The newer of two instants first in log scale, then by uid (steps 6 and 8 of Less). */
function newerFirst(a: RankedPod, b: RankedPod, ta: number, tb: number, now: number): number {
  const diff = logarithmicRankDiff(ta, tb, now);
  if (diff === 0) return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
  return diff < 0 ? -1 : 1;
}

/**
 * ActivePodsWithRanks.Less as a comparator (negative: `a` is deleted before `b`); `rank` is the
 * number of the ReplicaSet's active Pods on the same node.
 */
export function comparePodsForDeletion(
  a: RankedPod,
  b: RankedPod,
  rank: (p: RankedPod) => number,
  now: number,
): number {
  // 1. Unassigned < assigned.
  if (a.nodeName !== b.nodeName && (a.nodeName === '' || b.nodeName === ''))
    return a.nodeName === '' ? -1 : 1;
  // 2. Pending < Unknown < Running.
  const pa = PHASE_ORDINAL[a.phase] ?? 0;
  const pb = PHASE_ORDINAL[b.phase] ?? 0;
  if (pa !== pb) return pa - pb;
  // 3. Not ready < ready.
  if (a.ready !== b.ready) return a.ready ? 1 : -1;
  // 4. Lower pod-deletion-cost first.
  if (a.deletionCost !== b.deletionCost) return a.deletionCost - b.deletionCost;
  // 5. Doubled up (more colocated Pods) first.
  if (rank(a) !== rank(b)) return rank(b) - rank(a);
  // 6. Ready for less time first (log scale).
  if (a.ready && b.ready && a.readySince !== b.readySince) {
    if (a.readySince === undefined || b.readySince === undefined) return a.readySince === undefined ? -1 : 1;
    const c = newerFirst(a, b, a.readySince, b.readySince, now);
    if (c !== 0) return c;
  }
  // 7. More restarts first.
  if (a.maxRestarts !== b.maxRestarts) return b.maxRestarts - a.maxRestarts;
  // 8. Newer first (log scale).
  if (a.creationTime !== b.creationTime) return newerFirst(a, b, a.creationTime, b.creationTime, now);
  return 0;
}

/**
 * getPodsToDelete: the `diff` Pods to delete, after a stable sort by the ranking (Go's
 * sort.Sort is not stable; ties keep input order here). All of them when `diff` covers all.
 */
export function podsToDelete(pods: RankedPod[], diff: number, now: number): RankedPod[] {
  if (diff >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const p of pods) perNode.set(p.nodeName, (perNode.get(p.nodeName) ?? 0) + 1);
  const rank = (p: RankedPod): number => perNode.get(p.nodeName) ?? 0;
  return [...pods].sort((a, b) => comparePodsForDeletion(a, b, rank, now)).slice(0, diff);
}
