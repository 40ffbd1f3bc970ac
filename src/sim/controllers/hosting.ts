/**
 * The controllers of the simulated control plane, hosted together: the Job and
 * TTL-after-finished controllers (job.ts), the ReplicaSet and Deployment controllers, and the
 * operator actions that talk to them (`kubectl scale`, `kubectl set image`, `kubectl rollout
 * undo`). The simulation
 * gives them one host (the API server's Pods, the event recorder, the trace's records).
 */
import type { ApiObject, Deployment, ReplicaSet } from '../../model/k8s.ts';
import type { PodSnapshot } from '../../model/status.ts';
import type { Action } from '../../model/trace.ts';
import { DeploymentController, equalIgnoreHash, withoutHash } from './deployment-controller.ts';
import { JobController } from './job.ts';
import { type AppsHost, ReplicaSetController, type ReplicaSetRt } from './replicaset-controller.ts';

/** What every controller needs from the cluster (the apps host; the Job controller uses part of it). */
export type ControllerHost = AppsHost;

/** kubectl's answer to an action: its output line or its error. */
export type Reply = { out?: string; err?: string };

/**
 * deploymentRevision (kubectl rollback.go): the ReplicaSet of `toRevision`, or with 0 the one of
 * the second-highest revision.
 */
function revisionSet(sets: readonly ReplicaSetRt[], toRevision: number): ReplicaSetRt | undefined {
  if (toRevision > 0) return sets.find((s) => s.revision === toRevision);
  const sorted = [...sets].filter((s) => s.revision > 0).sort((a, b) => b.revision - a.revision);
  return sorted[1];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The first field a Deployment or ReplicaSet built by hand lacks (a defaulted one has them all). */
function missingPart(obj: Deployment | ReplicaSet): string | undefined {
  const spec = obj.spec as unknown;
  if (!isRecord(spec)) return 'spec';
  if (!Number.isInteger(spec.replicas) || (spec.replicas as number) < 0) return 'spec.replicas';
  if (!isRecord(spec.selector)) return 'spec.selector';
  const t = spec.template;
  if (!isRecord(t) || !isRecord(t.metadata)) return 'spec.template.metadata';
  if (!isRecord(t.spec) || !Array.isArray(t.spec.containers)) return 'spec.template.spec.containers';
  if (obj.kind === 'Deployment' && (!isRecord(spec.strategy) || typeof spec.strategy.type !== 'string'))
    return 'spec.strategy';
  return undefined;
}

/** The controllers of one simulated cluster. */
export class Controllers {
  readonly jobs: JobController;
  readonly replicaSets: ReplicaSetController;
  readonly deployments: DeploymentController;

  constructor(host: ControllerHost) {
    this.jobs = new JobController(host);
    this.replicaSets = new ReplicaSetController(host);
    this.deployments = new DeploymentController(host, this.replicaSets);
  }

  /** kubectl apply of an object a controller owns; undefined for the other kinds. */
  apply(obj: ApiObject): Reply | undefined {
    if (obj.kind === 'Job') return this.jobs.apply(obj);
    if (obj.kind !== 'Deployment' && obj.kind !== 'ReplicaSet') return undefined;
    // Validation's answer to an object built by hand without the parts a controller reads (the
    // loader validates a file's objects first).
    const missing = missingPart(obj);
    if (missing)
      return { err: `The ${obj.kind} "${obj.metadata.name}" is invalid: ${missing}: Required value` };
    return obj.kind === 'Deployment' ? this.deployments.apply(obj) : this.replicaSets.apply(obj);
  }

  /** A Pod's recorded change, for the controller that owns it. */
  podChanged(snap: PodSnapshot): void {
    this.jobs.podChanged(snap);
    this.replicaSets.podChanged(snap);
  }

  /** A Pod left the API server. */
  podRemoved(namespace: string, name: string): void {
    this.jobs.podRemoved(namespace, name);
    this.replicaSets.podRemoved(namespace, name);
  }

  /** `kubectl scale deployment|replicaset NAME --replicas=N`. */
  scale(a: Extract<Action, { kind: 'scale' }>): Reply {
    const ns = a.namespace || 'default';
    if (!Number.isInteger(a.replicas) || a.replicas < 0)
      return {
        err: 'error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0',
      };
    if (a.objectKind === 'Deployment') {
      const rt = this.deployments.get(ns, a.name);
      if (!rt) return { err: `Error from server (NotFound): deployments.apps "${a.name}" not found` };
      if (rt.d.spec.replicas !== a.replicas)
        this.deployments.update(rt, { ...rt.d, spec: { ...rt.d.spec, replicas: a.replicas } }, true);
      return { out: `deployment.apps/${a.name} scaled` };
    }
    const rs = this.replicaSets.get(ns, a.name);
    if (!rs) return { err: `Error from server (NotFound): replicasets.apps "${a.name}" not found` };
    this.replicaSets.scale(rs, a.replicas);
    return { out: `replicaset.apps/${a.name} scaled` };
  }

  /**
   * `kubectl set image deployment/NAME CONTAINER=IMAGE` (kubectl set_image.go): a patch of the
   * template's container image (init containers too); a new template is a rollout.
   */
  setImage(a: Extract<Action, { kind: 'setImage' }>): Reply {
    const rt = this.deployments.get(a.namespace || 'default', a.name);
    if (!rt) return { err: `Error from server (NotFound): deployments.apps "${a.name}" not found` };
    if (typeof a.container !== 'string' || typeof a.image !== 'string' || a.image === '')
      return { err: 'error: a setImage action needs a container name and an image' };
    const spec = rt.d.spec.template.spec;
    const swap = <C extends { name: string; image: string }>(cs: C[] | undefined): C[] | undefined =>
      cs?.map((c) => (c.name === a.container ? { ...c, image: a.image } : c));
    const all = [...spec.containers, ...(spec.initContainers ?? [])];
    if (!all.some((c) => c.name === a.container))
      return { err: `error: unable to find container named "${a.container}"` };
    // An image already in place is an empty patch: kubectl sends nothing and prints nothing.
    if (all.some((c) => c.name === a.container && c.image === a.image)) return {};
    const next = { ...spec, containers: swap(spec.containers)! };
    if (spec.initContainers) next.initContainers = swap(spec.initContainers)!;
    const template = { ...rt.d.spec.template, spec: next };
    this.deployments.update(rt, { ...rt.d, spec: { ...rt.d.spec, template } }, true);
    return { out: `deployment.apps/${a.name} image updated` };
  }

  /**
   * `kubectl rollout undo deployment/NAME [--to-revision=N]` (kubectl rollback.go
   * DeploymentRollbacker): the template of that revision's ReplicaSet, without its
   * pod-template-hash label, becomes the Deployment's; the controller then rolls it out and gives
   * that ReplicaSet the next revision.
   */
  rollback(a: Extract<Action, { kind: 'rollback' }>): Reply {
    const ns = a.namespace || 'default';
    const rt = this.deployments.get(ns, a.name);
    if (!rt) return { err: `Error from server (NotFound): deployments.apps "${a.name}" not found` };
    const toRevision = Number.isInteger(a.toRevision) && a.toRevision! > 0 ? a.toRevision! : 0;
    const target = revisionSet(this.deployments.setsOf(rt), toRevision);
    if (!target) {
      return {
        err:
          toRevision > 0
            ? `error: unable to find specified revision ${toRevision} in history`
            : `error: no rollout history found for deployment "${a.name}"`,
      };
    }
    if (rt.d.spec.paused)
      return {
        err: "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
      };
    if (equalIgnoreHash(target.rs.spec.template, rt.d.spec.template))
      return {
        out: `deployment.apps/${a.name} skipped rollback (current template already matches revision ${toRevision})`,
      };
    const template = withoutHash(target.rs.spec.template);
    this.deployments.update(rt, { ...rt.d, spec: { ...rt.d.spec, template } }, true);
    return { out: `deployment.apps/${a.name} rolled back` };
  }
}
