/**
 * The Deployment controller in virtual time (k/k release-1.33 pkg/controller/deployment:
 * deployment_controller.go syncDeployment; sync.go getNewReplicaSet, isScalingEvent, scale;
 * rolling.go / recreate.go through deployment.ts's pure sync; progress.go through
 * deployment-status.ts). It makes the ReplicaSet `<deployment>-<pod-template-hash>` of each
 * template, sizes the ReplicaSets, and writes the status and conditions. It is woken by its
 * ReplicaSets' changes and by the progress deadline.
 */
import type { Deployment, OwnerReference, PodTemplate, ReplicaSet } from '../../model/k8s.ts';
import type { DeploymentSnapshot, DeploymentStatusView } from '../../model/status.ts';
import { objectUid, stableJson } from '../util.ts';
import { type DeploymentSpecView, type OwnedReplicaSet, syncDeployment } from './deployment.ts';
import { nextStatus, progressing, setCondition, stuckRequeueAt } from './deployment-status.ts';
import { computeHash, goSelector, maxSurge, newRSNewReplicas, replicaSetName } from './deployment-util.ts';
import type { AppsHost, ReplicaSetController, ReplicaSetRt } from './replicaset-controller.ts';

/** The label a Deployment's ReplicaSets and Pods carry (DefaultDeploymentUniqueLabelKey). */
export const POD_TEMPLATE_HASH = 'pod-template-hash';

/** A Deployment the API server holds. */
export interface DeploymentRt {
  d: Deployment;
  key: string;
  uid: string;
  creationTimestamp: number;
  generation: number;
  /** deployment.kubernetes.io/revision. */
  revision: number;
  collisionCount?: number;
  status: DeploymentStatusView;
  sets: ReplicaSetRt[];
  syncQueued: boolean;
  /** Progress checks already scheduled (virtual ms). */
  checks: Set<number>;
  lastRecord: string;
}

/** A template without the pod-template-hash label (EqualIgnoreHash compares these). */
export function withoutHash(t: PodTemplate): PodTemplate {
  const labels = { ...(t.metadata.labels ?? {}) };
  delete labels[POD_TEMPLATE_HASH];
  return { ...t, metadata: { ...t.metadata, labels } };
}

/** EqualIgnoreHash: the same template but for the pod-template-hash label. */
export function equalIgnoreHash(a: PodTemplate, b: PodTemplate): boolean {
  return textIgnoringHash(a) === textIgnoringHash(b);
}

/** `stableJson(withoutHash(t))` per template object (templates are replaced, never changed in place). */
const IGNORING_HASH = new WeakMap<PodTemplate, string>();

function textIgnoringHash(t: PodTemplate): string {
  let text = IGNORING_HASH.get(t);
  if (text === undefined) {
    text = stableJson(withoutHash(t));
    IGNORING_HASH.set(t, text);
  }
  return text;
}

function specView(d: Deployment): DeploymentSpecView {
  return {
    name: d.metadata.name,
    replicas: d.spec.replicas,
    strategy: d.spec.strategy,
    revisionHistoryLimit: d.spec.revisionHistoryLimit,
    progressDeadlineSeconds: d.spec.progressDeadlineSeconds,
  };
}

function owned(rt: ReplicaSetRt): OwnedReplicaSet {
  return {
    name: rt.rs.metadata.name,
    creationTime: rt.creationTimestamp,
    revision: rt.revision,
    replicas: rt.rs.spec.replicas,
    current: rt.status.replicas,
    ready: rt.status.readyReplicas,
    available: rt.status.availableReplicas,
  };
}

/** The Deployment controller of one simulated cluster. */
export class DeploymentController {
  private readonly deployments = new Map<string, DeploymentRt>();
  private serial = 0;

  constructor(
    private readonly host: AppsHost,
    private readonly sets: ReplicaSetController,
  ) {}

  /** The Deployment `namespace/name`. */
  get(namespace: string, name: string): DeploymentRt | undefined {
    return this.deployments.get(`Deployment/${namespace}/${name}`);
  }

  /** `kubectl apply` of a Deployment: created, or its spec replaced (a new generation). */
  apply(d: Deployment): { out?: string; err?: string } {
    const name = d.metadata.name;
    const existing = this.get(d.metadata.namespace, name);
    if (existing) {
      if (stableJson(existing.d.spec.selector) !== stableJson(d.spec.selector))
        return {
          err: `The Deployment "${name}" is invalid: spec.selector: Invalid value: ${goSelector(d.spec.selector)}: field is immutable`,
        };
      const sameSpec = stableJson(existing.d.spec) === stableJson(d.spec);
      const sameMeta =
        stableJson(existing.d.metadata.labels ?? {}) === stableJson(d.metadata.labels ?? {}) &&
        stableJson(existing.d.metadata.annotations ?? {}) === stableJson(d.metadata.annotations ?? {});
      if (sameSpec && sameMeta) return { out: `deployment.apps/${name} unchanged` };
      this.update(existing, { ...d, metadata: { ...d.metadata, uid: existing.uid } }, !sameSpec);
      return { out: `deployment.apps/${name} configured` };
    }
    const rt: DeploymentRt = {
      d,
      key: `Deployment/${d.metadata.namespace}/${name}`,
      uid: d.metadata.uid ?? objectUid('Deployment', d.metadata.namespace, name, this.serial++),
      creationTimestamp: this.host.now(),
      generation: 1,
      revision: 0,
      status: {
        observedGeneration: 0,
        replicas: 0,
        updatedReplicas: 0,
        readyReplicas: 0,
        availableReplicas: 0,
        unavailableReplicas: 0,
        conditions: [],
      },
      sets: [],
      syncQueued: false,
      checks: new Set(),
      lastRecord: '',
    };
    this.deployments.set(rt.key, rt);
    this.flush(rt);
    this.queue(rt);
    return { out: `deployment.apps/${name} created` };
  }

  /** Replaces the Deployment (apply, scale, rollback); a spec change is a new generation. */
  update(rt: DeploymentRt, d: Deployment, specChanged: boolean): void {
    rt.d = d;
    if (specChanged) rt.generation++;
    this.flush(rt);
    this.queue(rt);
  }

  /** The live ReplicaSets the Deployment made. */
  setsOf(rt: DeploymentRt): ReplicaSetRt[] {
    return rt.sets.filter((s) => !s.deleted);
  }

  private queue(rt: DeploymentRt): void {
    if (rt.syncQueued) return;
    rt.syncQueued = true;
    this.host.schedule(this.host.now(), () => {
      rt.syncQueued = false;
      this.sync(rt);
    });
  }

  /** syncDeployment: the new ReplicaSet's revision, a scaling event, or a rollout step; then the status. */
  private sync(rt: DeploymentRt): void {
    const now = this.host.now();
    const { d } = rt;
    const spec = specView(d);
    const all = this.setsOf(rt);
    let newRS = all.find((s) => equalIgnoreHash(s.rs.spec.template, d.spec.template));
    let olds = all.filter((s) => s !== newRS);
    const newRevision = Math.max(0, ...olds.map((s) => s.revision)) + 1;
    if (newRS) this.syncNewReplicaSet(rt, newRS, newRevision);
    if (d.spec.paused || this.isScalingEvent(rt, all)) {
      if (!d.spec.paused) this.scale(rt, newRS, olds);
      this.writeStatus(rt, newRS, olds, now, false);
      return;
    }
    const recreate = d.spec.strategy.type === 'Recreate';
    const oldRunning = olds.some((s) => s.rs.spec.replicas > 0 || this.sets.podsRunning(s) > 0);
    if (!newRS && !(recreate && oldRunning)) {
      newRS = this.createNewReplicaSet(rt, olds, newRevision, now);
      olds = olds.filter((s) => s !== newRS);
    }
    // Recreate waits for the old ReplicaSets' Pods to be gone before it makes the new one: until
    // then the sync runs against a placeholder already at full size, which only scales old ones down.
    const placeholder: OwnedReplicaSet = {
      name: '',
      creationTime: now,
      revision: newRevision,
      replicas: d.spec.replicas,
      current: 0,
      ready: 0,
      available: 0,
    };
    const result = syncDeployment(spec, newRS ? owned(newRS) : placeholder, olds.map(owned));
    for (let i = 0; i < result.scale.length; i++) {
      const s = result.scale[i]!;
      const target = all.find((x) => x.rs.metadata.name === s.name) ?? newRS;
      if (!target || (recreate && target === newRS && s.to > s.from && oldRunning)) continue;
      this.scaleSet(rt, target, s.to, result.events[i]!.message);
    }
    for (const name of result.deleteReplicaSets) {
      const target = olds.find((x) => x.rs.metadata.name === name);
      if (target) this.sets.remove(target);
    }
    this.writeStatus(rt, newRS, olds, now, true);
  }

  /** getNewReplicaSet on an existing one: its revision becomes the newest, minReadySeconds follows. */
  private syncNewReplicaSet(rt: DeploymentRt, newRS: ReplicaSetRt, newRevision: number): void {
    let changed = false;
    if (newRS.revision < newRevision) {
      newRS.revision = newRevision;
      changed = true;
    }
    if ((newRS.rs.spec.minReadySeconds ?? 0) !== (rt.d.spec.minReadySeconds ?? 0)) {
      newRS.rs = { ...newRS.rs, spec: { ...newRS.rs.spec, minReadySeconds: rt.d.spec.minReadySeconds ?? 0 } };
      changed = true;
    }
    if (changed) this.sets.changed(newRS);
    rt.revision = newRS.revision;
    if (!rt.status.conditions.some((c) => c.type === 'Progressing'))
      rt.status.conditions = setCondition(
        rt.status.conditions,
        progressing('FoundNewReplicaSet', newRS.rs.metadata.name, this.host.now()),
      );
  }

  /** isScalingEvent: an active ReplicaSet was sized for another replica count (desired-replicas). */
  private isScalingEvent(rt: DeploymentRt, all: ReplicaSetRt[]): boolean {
    return all.some(
      (s) => s.rs.spec.replicas > 0 && s.desired !== undefined && s.desired !== rt.d.spec.replicas,
    );
  }

  /** scale: the one active (or the newest) ReplicaSet takes the new size (FindActiveOrLatest). */
  private scale(rt: DeploymentRt, newRS: ReplicaSetRt | undefined, olds: ReplicaSetRt[]): void {
    const active = [...(newRS ? [newRS] : []), ...olds].filter((s) => s.rs.spec.replicas > 0);
    const newest = [...olds].sort((a, b) => b.creationTimestamp - a.creationTimestamp)[0];
    const target = active.length === 1 ? active[0] : active.length === 0 ? (newRS ?? newest) : undefined;
    if (target) {
      const to = rt.d.spec.replicas;
      const from = target.rs.spec.replicas;
      if (from !== to)
        this.scaleSet(
          rt,
          target,
          to,
          `Scaled ${to > from ? 'up' : 'down'} replica set ${target.rs.metadata.name} from ${from} to ${to}`,
        );
      return;
    }
    // Several active ReplicaSets: upstream scales them in proportion (deviations.md); here each
    // keeps its size but the desired-replicas mark, and the next rollout step sizes them.
    for (const s of active) s.desired = rt.d.spec.replicas;
    this.queue(rt);
  }

  /** scaleReplicaSetAndRecordEvent, with the desired-replicas annotation. */
  private scaleSet(rt: DeploymentRt, target: ReplicaSetRt, to: number, message: string): void {
    target.desired = rt.d.spec.replicas;
    this.sets.scale(target, to);
    this.event(rt, message);
  }

  /** getNewReplicaSet with createIfNotExisted: `<name>-<hash>` sized by NewRSNewReplicas. */
  private createNewReplicaSet(
    rt: DeploymentRt,
    olds: ReplicaSetRt[],
    revision: number,
    now: number,
  ): ReplicaSetRt {
    const { d } = rt;
    for (;;) {
      const hash = computeHash(d.spec.template as unknown as Record<string, unknown>, rt.collisionCount);
      const name = replicaSetName(d.metadata.name, hash);
      const taken = this.sets.get(d.metadata.namespace, name);
      if (taken) {
        // A ReplicaSet of that name with the same template is ours already (adopted); another
        // is a hash collision: collisionCount goes up and the hash changes.
        rt.collisionCount = (rt.collisionCount ?? 0) + 1;
        continue;
      }
      const replicas = newRSNewReplicas(
        specView(d),
        olds.map((s) => s.rs.spec.replicas),
        0,
      );
      const labels = { ...(d.spec.template.metadata.labels ?? {}), [POD_TEMPLATE_HASH]: hash };
      const ref: OwnerReference = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: d.metadata.name,
        uid: rt.uid,
        controller: true,
        blockOwnerDeletion: true,
      };
      const rs: ReplicaSet = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name,
          namespace: d.metadata.namespace,
          labels,
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
            'deployment.kubernetes.io/max-replicas': String(d.spec.replicas + maxSurge(specView(d))),
            'deployment.kubernetes.io/revision': String(revision),
          },
          ownerReferences: [ref],
          uid: objectUid('ReplicaSet', d.metadata.namespace, name, 0),
        },
        spec: {
          replicas,
          minReadySeconds: d.spec.minReadySeconds ?? 0,
          selector: {
            ...d.spec.selector,
            matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash },
          },
          template: { metadata: { ...d.spec.template.metadata, labels }, spec: d.spec.template.spec },
        },
      };
      const created = this.sets.create(
        rs,
        { name: d.metadata.name, changed: () => this.queue(rt) },
        revision,
        d.spec.replicas,
      );
      rt.sets.push(created);
      if (replicas > 0) this.event(rt, `Scaled up replica set ${name} from 0 to ${replicas}`);
      rt.revision = revision;
      rt.status.conditions = setCondition(
        rt.status.conditions,
        progressing('NewReplicaSetCreated', name, now),
      );
      return created;
    }
  }

  /** The status of this sync, recorded; then the progress check it may need. */
  private writeStatus(
    rt: DeploymentRt,
    newRS: ReplicaSetRt | undefined,
    olds: ReplicaSetRt[],
    now: number,
    rollout: boolean,
  ): void {
    const spec = specView(rt.d);
    rt.status = nextStatus(
      spec,
      rt.status,
      newRS ? owned(newRS) : undefined,
      olds.map(owned),
      rt.generation,
      now,
      rollout,
    );
    this.flush(rt);
    const at = rollout ? stuckRequeueAt(spec, rt.status, now) : undefined;
    if (at !== undefined && !rt.checks.has(at)) {
      rt.checks.add(at);
      this.host.schedule(at, () => this.queue(rt));
    }
  }

  private event(rt: DeploymentRt, message: string): void {
    this.host.event({
      at: this.host.now(),
      object: `Deployment/${rt.d.metadata.name}`,
      namespace: rt.d.metadata.namespace,
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message,
      source: 'deployment-controller',
    });
  }

  /** Records the Deployment when it changed. */
  private flush(rt: DeploymentRt): void {
    const snap: DeploymentSnapshot = {
      kind: 'Deployment',
      namespace: rt.d.metadata.namespace,
      name: rt.d.metadata.name,
      uid: rt.uid,
      creationTimestamp: rt.creationTimestamp,
      generation: rt.generation,
      replicas: rt.d.spec.replicas,
      revision: rt.revision,
      status: { ...rt.status, conditions: rt.status.conditions.map((c) => ({ ...c })) },
    };
    const text = JSON.stringify(snap);
    if (text === rt.lastRecord) return;
    rt.lastRecord = text;
    this.host.record(rt.key, snap);
  }
}
