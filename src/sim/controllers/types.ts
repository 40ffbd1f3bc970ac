/**
 * The apps/v1 objects as the controllers keep them: the spec parts they read and the status
 * they write (k8s.io/api/apps/v1 types.go DeploymentStatus, ReplicaSetStatus, DeploymentCondition).
 */

/** A Deployment condition (`Available`, `Progressing`, `ReplicaFailure`). Times are virtual ms. */
export interface DeploymentCondition {
  type: 'Available' | 'Progressing' | 'ReplicaFailure';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: number;
  lastTransitionTime: number;
}

/** DeploymentStatus. */
export interface DeploymentStatusView {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: DeploymentCondition[];
}

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
