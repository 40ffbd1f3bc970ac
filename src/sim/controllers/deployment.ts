/**
 * One sync of the Deployment controller over its ReplicaSets (k/k release-1.33
 * pkg/controller/deployment: rolling.go rolloutRolling, reconcileNewReplicaSet,
 * reconcileOldReplicaSets, cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate;
 * recreate.go rolloutRecreate; sync.go calculateStatus, cleanupDeployment; progress.go
 * syncRolloutStatus). Pure: the simulator gives the ReplicaSets' counts at an instant and applies
 * the answer (new sizes, events, status) in virtual time.
 */
import { maxUnavailable, newRSNewReplicas, type RolloutSpec } from './deployment-util.ts';
import type { DeploymentCondition, DeploymentStatusView } from './types.ts';

/** A ReplicaSet as the Deployment controller sees it. */
export interface OwnedReplicaSet {
  name: string;
  creationTime: number;
  /** deployment.kubernetes.io/revision. */
  revision: number;
  /** spec.replicas. */
  replicas: number;
  /** status.replicas, readyReplicas, availableReplicas (minReadySeconds applied). */
  current: number;
  ready: number;
  available: number;
}

/** The Deployment's spec parts a sync reads. */
export interface DeploymentSpecView extends RolloutSpec {
  name: string;
  revisionHistoryLimit: number;
  progressDeadlineSeconds: number;
}

/** A `ScalingReplicaSet` event of the Deployment. */
export interface ScalingEvent {
  reason: 'ScalingReplicaSet';
  message: string;
}

/** What one sync decides. */
export interface SyncResult {
  /** The new spec.replicas of each ReplicaSet that changes. */
  scale: { name: string; from: number; to: number }[];
  events: ScalingEvent[];
  /** Old ReplicaSets to delete (revisionHistoryLimit), only once the rollout is complete. */
  deleteReplicaSets: string[];
}

function byCreation(a: OwnedReplicaSet, b: OwnedReplicaSet): number {
  return a.creationTime - b.creationTime || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** scaleReplicaSet's event text (sync.go scaleReplicaSetAndRecordEvent). */
function scalingEvent(rs: string, from: number, to: number): ScalingEvent {
  const direction = to > from ? 'up' : 'down';
  return {
    reason: 'ScalingReplicaSet',
    message: `Scaled ${direction} replica set ${rs} from ${from} to ${to}`,
  };
}

/** Records a new size for `rs` (and its event) in `out`, updating the working copy. */
function scaleTo(rs: OwnedReplicaSet, to: number, out: SyncResult): void {
  if (rs.replicas === to) return;
  out.scale.push({ name: rs.name, from: rs.replicas, to });
  out.events.push(scalingEvent(rs.name, rs.replicas, to));
  rs.replicas = to;
}

function sum(rss: readonly OwnedReplicaSet[], f: (rs: OwnedReplicaSet) => number): number {
  return rss.reduce((a, rs) => a + f(rs), 0);
}

/** reconcileNewReplicaSet: grow (within maxSurge) or shrink the new ReplicaSet towards replicas. */
function reconcileNew(
  spec: DeploymentSpecView,
  all: OwnedReplicaSet[],
  newRS: OwnedReplicaSet,
  out: SyncResult,
): boolean {
  if (newRS.replicas === spec.replicas) return false;
  const to =
    newRS.replicas > spec.replicas
      ? spec.replicas
      : newRSNewReplicas(
          spec,
          all.map((rs) => rs.replicas),
          newRS.replicas,
        );
  const before = out.scale.length;
  scaleTo(newRS, to, out);
  return out.scale.length > before;
}

/** reconcileOldReplicaSets: first the unhealthy old Pods, then available ones down to minAvailable. */
function reconcileOld(
  spec: DeploymentSpecView,
  all: OwnedReplicaSet[],
  olds: OwnedReplicaSet[],
  newRS: OwnedReplicaSet,
  out: SyncResult,
): void {
  if (sum(olds, (rs) => rs.replicas) === 0) return;
  const minAvailable = spec.replicas - maxUnavailable(spec);
  const newUnavailable = newRS.replicas - newRS.available;
  const maxScaledDown = sum(all, (rs) => rs.replicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return;
  const sorted = [...olds].sort(byCreation);
  // cleanupUnhealthyReplicas: Pods that are not available go first, oldest ReplicaSet first.
  let cleaned = 0;
  for (const rs of sorted) {
    if (cleaned >= maxScaledDown) break;
    if (rs.replicas === 0 || rs.available === rs.replicas) continue;
    const n = Math.min(maxScaledDown - cleaned, rs.replicas - rs.available);
    scaleTo(rs, rs.replicas - n, out);
    cleaned += n;
  }
  // scaleDownOldReplicaSetsForRollingUpdate: available Pods above minAvailable.
  const availableNow = sum(all, (rs) => Math.min(rs.available, rs.replicas));
  if (availableNow <= minAvailable) return;
  let budget = availableNow - minAvailable;
  for (const rs of sorted) {
    if (budget <= 0) break;
    if (rs.replicas === 0) continue;
    const n = Math.min(rs.replicas, budget);
    scaleTo(rs, rs.replicas - n, out);
    budget -= n;
  }
}

/** DeploymentComplete: every replica updated and available, no old replicas left (the caller checks the generation). */
export function deploymentComplete(spec: RolloutSpec, status: DeploymentStatusView): boolean {
  return (
    status.updatedReplicas === spec.replicas &&
    status.replicas === spec.replicas &&
    status.availableReplicas === spec.replicas
  );
}

/** cleanupDeployment: the oldest old ReplicaSets with no replicas beyond revisionHistoryLimit. */
function cleanup(spec: DeploymentSpecView, olds: OwnedReplicaSet[]): string[] {
  const empty = olds
    .filter((rs) => rs.replicas === 0 && rs.current === 0)
    .sort((a, b) => a.revision - b.revision);
  const diff = empty.length - spec.revisionHistoryLimit;
  return diff > 0 ? empty.slice(0, diff).map((rs) => rs.name) : [];
}

/**
 * One sync: rolloutRolling or rolloutRecreate. `newRS` is the ReplicaSet of the current template
 * (created by the caller with 0 replicas when missing: getNewReplicaSet); `olds` all the others.
 */
export function syncDeployment(
  spec: DeploymentSpecView,
  newRS: OwnedReplicaSet,
  olds: OwnedReplicaSet[],
): SyncResult {
  const out: SyncResult = { scale: [], events: [], deleteReplicaSets: [] };
  const work = { newRS: { ...newRS }, olds: olds.map((rs) => ({ ...rs })) };
  const all = [work.newRS, ...work.olds];
  if (spec.strategy.type === 'Recreate') {
    // Scale every old ReplicaSet to 0, wait until none of their Pods runs, then scale up the new one.
    for (const rs of [...work.olds].sort(byCreation)) scaleTo(rs, 0, out);
    if (out.scale.length > 0 || work.olds.some((rs) => rs.current > 0)) return out;
    scaleTo(work.newRS, spec.replicas, out);
  } else {
    if (reconcileNew(spec, all, work.newRS, out)) return out;
    reconcileOld(spec, all, work.olds, work.newRS, out);
    if (out.scale.length > 0) return out;
  }
  const status = calculateStatus(work.newRS, work.olds);
  if (deploymentComplete(spec, status)) out.deleteReplicaSets = cleanup(spec, work.olds);
  return out;
}

/** calculateStatus (conditions apart): sums over the ReplicaSets; updated = the new one's Pods. */
export function calculateStatus(
  newRS: OwnedReplicaSet | undefined,
  olds: readonly OwnedReplicaSet[],
  observedGeneration = 1,
): DeploymentStatusView {
  const all = newRS ? [newRS, ...olds] : [...olds];
  const available = sum(all, (rs) => rs.available);
  return {
    observedGeneration,
    replicas: sum(all, (rs) => rs.current),
    updatedReplicas: newRS?.current ?? 0,
    readyReplicas: sum(all, (rs) => rs.ready),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sum(all, (rs) => rs.current) - available),
    conditions: [],
  };
}

/** The Available condition calculateStatus sets (MinimumReplicasAvailable / MinimumReplicasUnavailable). */
export function availableCondition(
  spec: RolloutSpec,
  status: DeploymentStatusView,
  now: number,
): DeploymentCondition {
  const ok = status.availableReplicas >= spec.replicas - maxUnavailable(spec);
  return {
    type: 'Available',
    status: ok ? 'True' : 'False',
    reason: ok ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
    message: ok ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
    lastUpdateTime: now,
    lastTransitionTime: now,
  };
}

/** Why the Progressing condition is what it is (progress.go and sync.go getNewReplicaSet). */
export type ProgressReason =
  | 'NewReplicaSetCreated'
  | 'FoundNewReplicaSet'
  | 'ReplicaSetUpdated'
  | 'NewReplicaSetAvailable'
  | 'ProgressDeadlineExceeded';

/** The Progressing condition for `reason` about ReplicaSet `rs`, with upstream's messages. */
export function progressingCondition(reason: ProgressReason, rs: string, now: number): DeploymentCondition {
  const q = JSON.stringify(rs);
  const messages: Record<ProgressReason, string> = {
    NewReplicaSetCreated: `Created new replica set ${q}`,
    FoundNewReplicaSet: `Found new replica set ${q}`,
    ReplicaSetUpdated: `ReplicaSet ${q} is progressing.`,
    NewReplicaSetAvailable: `ReplicaSet ${q} has successfully progressed.`,
    ProgressDeadlineExceeded: `ReplicaSet ${q} has timed out progressing.`,
  };
  return {
    type: 'Progressing',
    status: reason === 'ProgressDeadlineExceeded' ? 'False' : 'True',
    reason,
    message: messages[reason],
    lastUpdateTime: now,
    lastTransitionTime: now,
  };
}

/**
 * DeploymentTimedOut: not complete, and no progress for progressDeadlineSeconds since the
 * Progressing condition's lastUpdateTime (never at NewReplicaSetAvailable; once at ProgressDeadlineExceeded, still timed out).
 */
export function timedOut(
  spec: DeploymentSpecView,
  progressing: DeploymentCondition | undefined,
  now: number,
): boolean {
  if (!progressing) return false;
  if (progressing.reason === 'NewReplicaSetAvailable') return false;
  if (progressing.reason === 'ProgressDeadlineExceeded') return true;
  return progressing.lastUpdateTime + spec.progressDeadlineSeconds * 1000 < now;
}
