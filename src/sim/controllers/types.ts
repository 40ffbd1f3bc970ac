/**
 * The apps/v1 objects as the controllers keep them: the spec parts they read and the status
 * they write (k8s.io/api/apps/v1 types.go DeploymentStatus, ReplicaSetStatus, DeploymentCondition).
 */

import type { DeploymentStatusView } from '../../model/status.ts';

export type { DeploymentCondition, DeploymentStatusView } from '../../model/status.ts';

/** What `kubectl get deploy` and `rollout status` read of a Deployment. */
export interface DeploymentView {
  name: string;
  generation: number;
  creationTime: number;
  specReplicas: number;
  status: DeploymentStatusView;
}

/** What `kubectl get rs` reads of a ReplicaSet. */
export interface ReplicaSetView {
  name: string;
  creationTime: number;
  specReplicas: number;
  replicas: number;
  readyReplicas: number;
}
