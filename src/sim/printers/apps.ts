/**
 * kubectl's output for Deployments and ReplicaSets: `kubectl get deploy` and `get rs` (the
 * server-side table printer, k/k pkg/printers/internalversion/printers.go printDeployment,
 * printReplicaSet, 1.33) and `kubectl rollout status` (k8s.io/kubectl
 * pkg/polymorphichelpers/rollout_status.go DeploymentStatusViewer.Status).
 */
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
