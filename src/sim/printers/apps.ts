/**
 * kubectl's output for Deployments and ReplicaSets: `kubectl get deploy` and `get rs` (the
 * server-side table printer, k/k pkg/printers/internalversion/printers.go printDeployment,
 * printReplicaSet, 1.33) and `kubectl rollout status` (k8s.io/kubectl
 * pkg/polymorphichelpers/rollout_status.go DeploymentStatusViewer.Status), over views or over
 * the records of a trace at an instant.
 */
import type { DeploymentSnapshot, ReplicaSetSnapshot } from '../../model/status.ts';
import type { Trace } from '../../model/trace.ts';
import type { DeploymentView, ReplicaSetView } from '../controllers/types.ts';
import { apiTime, humanDuration } from './duration.ts';
import { GET_LAYOUT, tabwrite } from './tabwriter.ts';

/** AGE: translateTimestampSince at whole-second API precision. */
function age(creationTime: number, now: number): string {
  return humanDuration(now - apiTime(creationTime));
}

function table(header: string[], rows: string[][]): string {
  return tabwrite([header, ...rows].map((r) => `${r.join('\t')}\n`).join(''), GET_LAYOUT);
}

/** `kubectl get deploy`: NAME READY UP-TO-DATE AVAILABLE AGE (READY = readyReplicas/spec.replicas). */
export function deploymentsTable(deployments: readonly DeploymentView[], now: number): string {
  if (deployments.length === 0) return '';
  const rows = deployments.map((d) => [
    d.name,
    `${d.status.readyReplicas}/${d.specReplicas}`,
    String(d.status.updatedReplicas),
    String(d.status.availableReplicas),
    age(d.creationTime, now),
  ]);
  return table(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'], rows);
}

/** `kubectl get rs`: NAME DESIRED CURRENT READY AGE. */
export function replicaSetsTable(replicaSets: readonly ReplicaSetView[], now: number): string {
  if (replicaSets.length === 0) return '';
  const rows = replicaSets.map((rs) => [
    rs.name,
    String(rs.specReplicas),
    String(rs.replicas),
    String(rs.readyReplicas),
    age(rs.creationTime, now),
  ]);
  return table(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'], rows);
}

/** One answer of `kubectl rollout status`: its text, whether the rollout is done, or kubectl's error. */
export interface RolloutStatus {
  text: string;
  done: boolean;
  error?: string;
}

/**
 * DeploymentStatusViewer.Status: the progress deadline error first, then updated < desired,
 * old replicas still present, updated not yet available, else success. Before the controller
 * has observed the generation: "Waiting for deployment spec update to be observed...".
 */
export function rolloutStatus(d: DeploymentView): RolloutStatus {
  const name = JSON.stringify(d.name);
  const s = d.status;
  if (d.generation > s.observedGeneration)
    return { text: 'Waiting for deployment spec update to be observed...\n', done: false };
  const progressing = s.conditions.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded')
    return { text: '', done: false, error: `error: deployment ${name} exceeded its progress deadline\n` };
  if (s.updatedReplicas < d.specReplicas)
    return {
      text: `Waiting for deployment ${name} rollout to finish: ${s.updatedReplicas} out of ${d.specReplicas} new replicas have been updated...\n`,
      done: false,
    };
  if (s.replicas > s.updatedReplicas)
    return {
      text: `Waiting for deployment ${name} rollout to finish: ${s.replicas - s.updatedReplicas} old replicas are pending termination...\n`,
      done: false,
    };
  if (s.availableReplicas < s.updatedReplicas)
    return {
      text: `Waiting for deployment ${name} rollout to finish: ${s.availableReplicas} of ${s.updatedReplicas} updated replicas are available...\n`,
      done: false,
    };
  return { text: `deployment ${name} successfully rolled out\n`, done: true };
}

/** What the printers read of a recorded Deployment. */
export function deploymentView(s: DeploymentSnapshot): DeploymentView {
  return {
    name: s.name,
    generation: s.generation,
    creationTime: s.creationTimestamp,
    specReplicas: s.replicas,
    status: s.status,
  };
}

/** What the printers read of a recorded ReplicaSet. */
export function replicaSetView(s: ReplicaSetSnapshot): ReplicaSetView {
  return {
    name: s.name,
    creationTime: s.creationTimestamp,
    specReplicas: s.replicas,
    replicas: s.status.replicas,
    readyReplicas: s.status.readyReplicas,
  };
}

/** The objects of `kind` that exist at `t` in `namespace` (the last record of each), by name. */
function objectsAt<K extends 'Deployment' | 'ReplicaSet'>(
  trace: Trace,
  kind: K,
  t: number,
  namespace: string,
): (K extends 'Deployment' ? DeploymentSnapshot : ReplicaSetSnapshot)[] {
  const prefix = `${kind}/${namespace}/`;
  const last = new Map<string, DeploymentSnapshot | ReplicaSetSnapshot | undefined>();
  for (const r of trace.records) {
    if (r.at > t || !r.key.startsWith(prefix)) continue;
    const s = r.exists ? r.snapshot : undefined;
    last.set(r.key, s?.kind === 'Deployment' || s?.kind === 'ReplicaSet' ? s : undefined);
  }
  return [...last.values()]
    .filter((s) => s !== undefined)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) as never;
}

/** The Deployments of `namespace` at `t`. */
export function deploymentsAt(trace: Trace, t: number, namespace = 'default'): DeploymentSnapshot[] {
  return objectsAt(trace, 'Deployment', t, namespace);
}

/** The ReplicaSets of `namespace` at `t`. */
export function replicaSetsAt(trace: Trace, t: number, namespace = 'default'): ReplicaSetSnapshot[] {
  return objectsAt(trace, 'ReplicaSet', t, namespace);
}

/** `kubectl get deploy` in `namespace` at `t`, or kubectl's empty-list message. */
export function deploymentsTableAt(trace: Trace, t: number, namespace = 'default'): string {
  const out = deploymentsTable(deploymentsAt(trace, t, namespace).map(deploymentView), t);
  return out === '' ? `No resources found in ${namespace} namespace.\n` : out;
}

/** `kubectl get rs` in `namespace` at `t`, or kubectl's empty-list message. */
export function replicaSetsTableAt(trace: Trace, t: number, namespace = 'default'): string {
  const out = replicaSetsTable(replicaSetsAt(trace, t, namespace).map(replicaSetView), t);
  return out === '' ? `No resources found in ${namespace} namespace.\n` : out;
}

/**
 * `kubectl rollout status deployment/NAME --watch=false` at `t`, or kubectl's NotFound error
 * (`Error from server (NotFound): deployments.apps "NAME" not found`) when it does not exist.
 */
export function rolloutStatusAt(trace: Trace, name: string, t: number, namespace = 'default'): RolloutStatus {
  const d = deploymentsAt(trace, t, namespace).find((x) => x.name === name);
  if (!d)
    return {
      text: '',
      done: false,
      error: `Error from server (NotFound): deployments.apps "${name}" not found\n`,
    };
  return rolloutStatus(deploymentView(d));
}
