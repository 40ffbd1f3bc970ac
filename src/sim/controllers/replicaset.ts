/**
 * One sync of the ReplicaSet controller (k/k release-1.33 pkg/controller/replicaset
 * replica_set.go manageReplicas and calculateStatus; pkg/api/v1/pod IsPodAvailable): how many
 * Pods to create, which to delete, the status counts, and the events. Pure; the simulator
 * creates and deletes the Pods.
 */
import { podNameFor } from './deployment-util.ts';
import { podsToDelete, type RankedPod } from './replicaset-util.ts';

/** A `SuccessfulCreate` / `SuccessfulDelete` event of the ReplicaSet (controller_utils.go CreatePods, DeletePod). */
export interface ReplicaSetEvent {
  reason: 'SuccessfulCreate' | 'SuccessfulDelete';
  message: string;
}

/** What one manageReplicas decides. */
export interface ManageResult {
  create: string[];
  delete: string[];
  events: ReplicaSetEvent[];
}

/**
 * manageReplicas: `replicas - active` new Pods (named `<rs>-<5 chars>` from `serial`, the number of
 * Pods the ReplicaSet made before), or the `active - replicas` Pods the ranking deletes first.
 * `active` are the ReplicaSet's Pods that are neither Succeeded, Failed nor being deleted.
 */
export function manageReplicas(
  rsName: string,
  replicas: number,
  active: readonly RankedPod[],
  serial: number,
  now: number,
): ManageResult {
  const out: ManageResult = { create: [], delete: [], events: [] };
  const diff = active.length - replicas;
  if (diff < 0) {
    const taken = new Set(active.map((p) => p.name));
    for (let i = 0, n = serial; i < -diff; n++) {
      const name = podNameFor(rsName, `${rsName}#${n}`);
      if (taken.has(name)) continue;
      taken.add(name);
      out.create.push(name);
      out.events.push({ reason: 'SuccessfulCreate', message: `Created pod: ${name}` });
      i++;
    }
  } else if (diff > 0) {
    for (const p of podsToDelete([...active], diff, now)) {
      out.delete.push(p.name);
      out.events.push({ reason: 'SuccessfulDelete', message: `Deleted pod: ${p.name}` });
    }
  }
  return out;
}

/**
 * IsPodAvailable: ready, and ready for more than minReadySeconds (strictly: the Ready
 * condition's lastTransitionTime + minReadySeconds is before now).
 */
export function isPodAvailable(p: RankedPod, minReadySeconds: number, now: number): boolean {
  if (!p.ready) return false;
  if (minReadySeconds === 0) return true;
  return p.readySince !== undefined && p.readySince + minReadySeconds * 1000 < now;
}

/** calculateStatus: replicas, readyReplicas, availableReplicas of the active Pods. */
export function replicaSetStatus(
  active: readonly RankedPod[],
  minReadySeconds: number,
  now: number,
): { replicas: number; readyReplicas: number; availableReplicas: number } {
  return {
    replicas: active.length,
    readyReplicas: active.filter((p) => p.ready).length,
    availableReplicas: active.filter((p) => isPodAvailable(p, minReadySeconds, now)).length,
  };
}
