/**
 * The status a Deployment sync writes (k/k release-1.33 pkg/controller/deployment: sync.go
 * calculateStatus, progress.go syncRolloutStatus and requeueStuckDeployment, util
 * SetDeploymentCondition, DeploymentProgressing). Pure: old status and ReplicaSet counts in,
 * new status out.
 */
import type { DeploymentCondition, DeploymentStatusView } from '../../model/status.ts';
import {
  availableCondition,
  calculateStatus,
  type DeploymentSpecView,
  deploymentComplete,
  type OwnedReplicaSet,
  type ProgressReason,
  progressingCondition,
  timedOut,
} from './deployment.ts';

/** The API server's whole-second timestamps (metav1.Time), which the informers read back. */
export function apiTime(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/**
 * SetDeploymentCondition: no change when status and reason are the same; the transition time
 * kept when only the reason changes; the condition moves to the end of the list.
 */
export function setCondition(
  conditions: DeploymentCondition[],
  c: DeploymentCondition,
): DeploymentCondition[] {
  const current = conditions.find((x) => x.type === c.type);
  if (current && current.status === c.status && current.reason === c.reason) return conditions;
  const next = { ...c };
  if (current && current.status === c.status) next.lastTransitionTime = current.lastTransitionTime;
  return [...conditions.filter((x) => x.type !== c.type), next];
}

/** The Progressing condition for `reason` (whole-second times). */
export function progressing(reason: ProgressReason, rs: string, now: number): DeploymentCondition {
  return progressingCondition(reason, rs, apiTime(now));
}

/** DeploymentProgressing: more updated, ready or available replicas, or fewer old ones, than before. */
function madeProgress(old: DeploymentStatusView, next: DeploymentStatusView): boolean {
  return (
    next.updatedReplicas > old.updatedReplicas ||
    next.replicas - next.updatedReplicas < old.replicas - old.updatedReplicas ||
    next.readyReplicas > old.readyReplicas ||
    next.availableReplicas > old.availableReplicas
  );
}

/**
 * calculateStatus with the Available condition, then (`rollout`) syncRolloutStatus's Progressing
 * condition: NewReplicaSetAvailable once complete, ReplicaSetUpdated (a fresh lastUpdateTime) on
 * progress, ProgressDeadlineExceeded once no progress came for progressDeadlineSeconds.
 */
export function nextStatus(
  spec: DeploymentSpecView,
  old: DeploymentStatusView,
  newRS: OwnedReplicaSet | undefined,
  olds: readonly OwnedReplicaSet[],
  generation: number,
  now: number,
  rollout: boolean,
): DeploymentStatusView {
  const next = calculateStatus(newRS, olds, generation);
  next.conditions = setCondition(old.conditions, { ...availableCondition(spec, next, apiTime(now)) });
  if (!rollout) return next;
  const current = old.conditions.find((c) => c.type === 'Progressing');
  const complete =
    next.replicas === next.updatedReplicas &&
    current !== undefined &&
    current.reason === 'NewReplicaSetAvailable';
  if (complete) return next;
  const rs = newRS?.name ?? spec.name;
  if (deploymentComplete(spec, next)) {
    next.conditions = setCondition(next.conditions, progressing('NewReplicaSetAvailable', rs, now));
  } else if (madeProgress(old, next)) {
    const c = progressing('ReplicaSetUpdated', rs, now);
    if (current?.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
    next.conditions = [...next.conditions.filter((x) => x.type !== 'Progressing'), c];
  } else if (
    timedOut(
      spec,
      next.conditions.find((c) => c.type === 'Progressing'),
      now,
    )
  ) {
    next.conditions = setCondition(next.conditions, progressing('ProgressDeadlineExceeded', rs, now));
  }
  return next;
}

/**
 * requeueStuckDeployment: when to look again for a rollout that made no progress (its
 * Progressing condition's lastUpdateTime + progressDeadlineSeconds, plus the second upstream adds
 * against clock skew; at once, by the rate limiter, when less than a second is left). Undefined:
 * complete, timed out already, or nothing to time.
 */
export function stuckRequeueAt(
  spec: DeploymentSpecView,
  status: DeploymentStatusView,
  now: number,
): number | undefined {
  const c = status.conditions.find((x) => x.type === 'Progressing');
  if (!c || deploymentComplete(spec, status) || c.reason === 'ProgressDeadlineExceeded') return undefined;
  const after = c.lastUpdateTime + spec.progressDeadlineSeconds * 1000 - now;
  // The rate-limited requeue lands within milliseconds; the first instant past the deadline.
  if (after < 1000) return Math.max(now, c.lastUpdateTime + spec.progressDeadlineSeconds * 1000) + 1;
  return now + after + 1000;
}
