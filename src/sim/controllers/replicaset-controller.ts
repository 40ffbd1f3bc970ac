/**
 * The ReplicaSet controller in virtual time (k/k release-1.33 pkg/controller/replicaset
 * replica_set.go syncReplicaSet, manageReplicas, calculateStatus; the updatePod handler): it
 * keeps `spec.replicas` active Pods named `<rs>-<5 chars>` from the template (owner reference,
 * template labels), deletes the surplus by the controller_utils.go ranking, and writes the
 * status counts (availability after minReadySeconds). The decisions are replicaset.ts's.
 */
import { defaultPod } from '../../manifest/defaults.ts';
import type { OwnerReference, Pod, ReplicaSet } from '../../model/k8s.ts';
import type { DeploymentSnapshot, JobSnapshot, PodSnapshot, ReplicaSetSnapshot } from '../../model/status.ts';
import type { SimEvent } from '../../model/trace.ts';
import { NODE_NAME } from '../kubelet/context.ts';
import { goSelector, podNameFor } from './deployment-util.ts';
import { manageReplicas, replicaSetStatus } from './replicaset.ts';
import type { RankedPod } from './replicaset-util.ts';

/** What the apps controllers need from the simulated cluster. */
export interface AppsHost {
  now(): number;
  /** Runs `fn` at `at` (virtual ms), after the pod workers of that instant. */
  schedule(at: number, fn: () => void): void;
  createPod(pod: Pod): void;
  /** A graceful delete with the Pod's own grace period. */
  deletePod(namespace: string, name: string): void;
  /** A Pod of that name exists in the API server (a create would fail with AlreadyExists). */
  podExists(namespace: string, name: string): boolean;
  event(e: SimEvent): void;
  record(key: string, snapshot: ReplicaSetSnapshot | DeploymentSnapshot | JobSnapshot | undefined): void;
}

/** A Pod of a ReplicaSet as the controller's informer shows it. */
export interface OwnedPod extends RankedPod {
  terminal: boolean;
  deleting: boolean;
}

/** A ReplicaSet the API server holds. */
export interface ReplicaSetRt {
  rs: ReplicaSet;
  key: string;
  uid: string;
  creationTimestamp: number;
  /** The Deployment that made it (its name), told of every status change. */
  owner?: { name: string; changed: () => void };
  /** deployment.kubernetes.io/revision (0 without a Deployment). */
  revision: number;
  /** deployment.kubernetes.io/desired-replicas: the Deployment's replicas when it last sized this set. */
  desired?: number;
  pods: Map<string, OwnedPod>;
  serial: number;
  status: { replicas: number; readyReplicas: number; availableReplicas: number };
  deleted: boolean;
  syncQueued: boolean;
  lastRecord: string;
}

/** The API server's whole-second timestamps (metav1.Time), which the informers read. */
function apiTime(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** Active: neither Succeeded, Failed nor being deleted (controller.FilterActivePods). */
function isActive(p: OwnedPod): boolean {
  return !p.terminal && !p.deleting;
}

/** The ReplicaSet controller of one simulated cluster. */
export class ReplicaSetController {
  private readonly sets = new Map<string, ReplicaSetRt>();
  /** Pod key -> its ReplicaSet. */
  private readonly owners = new Map<string, ReplicaSetRt>();

  constructor(private readonly host: AppsHost) {}

  /** The live ReplicaSet `namespace/name`. */
  get(namespace: string, name: string): ReplicaSetRt | undefined {
    const rt = this.sets.get(`ReplicaSet/${namespace}/${name}`);
    return rt && !rt.deleted ? rt : undefined;
  }

  /** `kubectl apply` of a ReplicaSet no Deployment owns: created, or its replicas and template updated. */
  apply(rs: ReplicaSet): { out?: string; err?: string } {
    const name = rs.metadata.name;
    const existing = this.get(rs.metadata.namespace, name);
    if (existing) {
      if (JSON.stringify(existing.rs.spec.selector) !== JSON.stringify(rs.spec.selector))
        return {
          err: `The ReplicaSet "${name}" is invalid: spec.selector: Invalid value: ${goSelector(rs.spec.selector)}: field is immutable`,
        };
      if (JSON.stringify(existing.rs.spec) === JSON.stringify(rs.spec))
        return { out: `replicaset.apps/${name} unchanged` };
      existing.rs = { ...rs, metadata: { ...rs.metadata, uid: existing.uid } };
      this.changed(existing);
      return { out: `replicaset.apps/${name} configured` };
    }
    this.create(rs);
    return { out: `replicaset.apps/${name} created` };
  }

  /** Creates a ReplicaSet (from a file, or by a Deployment with its owner and revision). */
  create(rs: ReplicaSet, owner?: ReplicaSetRt['owner'], revision = 0, desired?: number): ReplicaSetRt {
    const rt: ReplicaSetRt = {
      rs,
      key: `ReplicaSet/${rs.metadata.namespace}/${rs.metadata.name}`,
      uid: rs.metadata.uid ?? '',
      creationTimestamp: this.host.now(),
      revision,
      pods: new Map(),
      serial: 0,
      status: { replicas: 0, readyReplicas: 0, availableReplicas: 0 },
      deleted: false,
      syncQueued: false,
      lastRecord: '',
    };
    if (owner) rt.owner = owner;
    if (desired !== undefined) rt.desired = desired;
    this.sets.set(rt.key, rt);
    this.changed(rt);
    return rt;
  }

  /** A new spec.replicas (the Deployment controller's scaleReplicaSet, or `kubectl scale`). */
  scale(rt: ReplicaSetRt, replicas: number): void {
    if (rt.rs.spec.replicas === replicas) return;
    rt.rs = { ...rt.rs, spec: { ...rt.rs.spec, replicas } };
    this.changed(rt);
  }

  /** A spec or annotation change: record it and sync. */
  changed(rt: ReplicaSetRt): void {
    this.flush(rt);
    this.queue(rt);
  }

  /** Deletes the ReplicaSet; the garbage collector deletes its Pods (background cascade). */
  remove(rt: ReplicaSetRt): void {
    if (rt.deleted) return;
    rt.deleted = true;
    for (const p of rt.pods.values()) if (!p.deleting) this.host.deletePod(rt.rs.metadata.namespace, p.name);
    this.host.record(rt.key, undefined);
  }

  /** Pods of the set that still run (not Succeeded or Failed), terminating ones included (recreate.go oldPodsRunning). */
  podsRunning(rt: ReplicaSetRt): number {
    let n = 0;
    for (const p of rt.pods.values()) if (!p.terminal) n++;
    return n;
  }

  /** A Pod's new state (called for every recorded Pod change). */
  podChanged(snap: PodSnapshot): void {
    const rt = this.owners.get(`${snap.namespace}/${snap.name}`);
    if (!rt) return;
    const pod = rt.pods.get(snap.name);
    if (!pod) return;
    const wasReady = pod.ready;
    const ready = snap.status.conditions.find((c) => c.type === 'Ready');
    const scheduled = snap.status.conditions.find((c) => c.type === 'PodScheduled');
    pod.uid = snap.uid;
    pod.phase = snap.status.phase;
    pod.ready = ready?.status === 'True';
    if (pod.ready) pod.readySince = apiTime(ready!.lastTransitionTime);
    else delete pod.readySince;
    pod.nodeName = scheduled?.status === 'True' ? NODE_NAME : '';
    pod.maxRestarts = Math.max(0, ...snap.status.containerStatuses.map((c) => c.restartCount));
    pod.creationTime = apiTime(snap.creationTimestamp);
    pod.terminal = pod.phase === 'Succeeded' || pod.phase === 'Failed';
    pod.deleting = pod.deleting || snap.deletionTimestamp !== undefined;
    // updatePod: a Pod that became ready is looked at again once minReadySeconds have passed.
    const minReady = rt.rs.spec.minReadySeconds ?? 0;
    if (!wasReady && pod.ready && minReady > 0)
      this.host.schedule(this.host.now() + minReady * 1000 + 1000, () => this.queue(rt));
    this.queue(rt);
  }

  /** A Pod left the API server. */
  podRemoved(namespace: string, name: string): void {
    const rt = this.owners.get(`${namespace}/${name}`);
    if (!rt) return;
    this.owners.delete(`${namespace}/${name}`);
    rt.pods.delete(name);
    this.queue(rt);
    rt.owner?.changed();
  }

  private queue(rt: ReplicaSetRt): void {
    if (rt.syncQueued || rt.deleted) return;
    rt.syncQueued = true;
    this.host.schedule(this.host.now(), () => {
      rt.syncQueued = false;
      this.sync(rt);
    });
  }

  /** syncReplicaSet: manageReplicas on the active Pods, then the status of those Pods. */
  private sync(rt: ReplicaSetRt): void {
    if (rt.deleted) return;
    const now = this.host.now();
    const active = [...rt.pods.values()].filter(isActive);
    const minReady = rt.rs.spec.minReadySeconds ?? 0;
    const status = replicaSetStatus(active, minReady, now);
    const decided = manageReplicas(rt.rs.metadata.name, rt.rs.spec.replicas, active, rt.serial, now);
    let retry = false;
    for (const name of decided.create) {
      rt.serial = this.nextSerial(rt, name);
      // A name another Pod holds: the create fails (AlreadyExists) and the next sync draws again.
      if (this.host.podExists(rt.rs.metadata.namespace, name)) retry = true;
      else this.createPod(rt, name, now);
    }
    for (const name of decided.delete) {
      const p = rt.pods.get(name)!;
      p.deleting = true;
      this.event(rt, 'SuccessfulDelete', `Deleted pod: ${name}`);
      this.host.deletePod(rt.rs.metadata.namespace, name);
    }
    rt.status = status;
    this.flush(rt);
    if (retry) this.queue(rt);
    const s = rt.status;
    if (minReady > 0 && s.readyReplicas === rt.rs.spec.replicas && s.availableReplicas !== s.readyReplicas)
      this.host.schedule(now + minReady * 1000, () => this.queue(rt));
  }

  /** The serial after the one that named `name` (manageReplicas skips names already taken). */
  private nextSerial(rt: ReplicaSetRt, name: string): number {
    const rs = rt.rs.metadata.name;
    let n = rt.serial;
    while (n < rt.serial + 1000 && podNameFor(rs, `${rs}#${n}`) !== name) n++;
    return n + 1;
  }

  private createPod(rt: ReplicaSetRt, name: string, now: number): void {
    const { rs } = rt;
    const template = rs.spec.template;
    const ref: OwnerReference = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: rs.metadata.name,
      uid: rt.uid,
      controller: true,
      blockOwnerDeletion: true,
    };
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: rs.metadata.namespace,
        labels: { ...(template.metadata.labels ?? {}) },
        ownerReferences: [ref],
      },
      spec: structuredClone(template.spec),
    };
    if (template.metadata.annotations) pod.metadata.annotations = { ...template.metadata.annotations };
    rt.pods.set(name, {
      name,
      uid: '',
      nodeName: '',
      phase: 'Pending',
      ready: false,
      deletionCost: 0,
      maxRestarts: 0,
      creationTime: apiTime(now),
      terminal: false,
      deleting: false,
    });
    this.owners.set(`${rs.metadata.namespace}/${name}`, rt);
    this.event(rt, 'SuccessfulCreate', `Created pod: ${name}`);
    // The API server's defaults (SetDefaults_Pod) on top of the template's PodSpec defaults.
    this.host.createPod(defaultPod(pod));
  }

  private event(rt: ReplicaSetRt, reason: string, message: string): void {
    this.host.event({
      at: this.host.now(),
      object: `ReplicaSet/${rt.rs.metadata.name}`,
      namespace: rt.rs.metadata.namespace,
      type: 'Normal',
      reason,
      message,
      source: 'replicaset-controller',
    });
  }

  /** Records the ReplicaSet when it changed, and tells its Deployment. */
  private flush(rt: ReplicaSetRt): void {
    if (rt.deleted) return;
    const snap: ReplicaSetSnapshot = {
      kind: 'ReplicaSet',
      namespace: rt.rs.metadata.namespace,
      name: rt.rs.metadata.name,
      uid: rt.uid,
      creationTimestamp: rt.creationTimestamp,
      revision: rt.revision,
      replicas: rt.rs.spec.replicas,
      status: { ...rt.status },
    };
    if (rt.owner) snap.owner = rt.owner.name;
    const text = JSON.stringify(snap);
    if (text === rt.lastRecord) return;
    rt.lastRecord = text;
    this.host.record(rt.key, snap);
    rt.owner?.changed();
  }
}
