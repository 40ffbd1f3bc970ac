/**
 * Pod status as the kubelet reports it (kubernetes-semantics.md, sections 4.4 and 6), with
 * times in virtual milliseconds instead of RFC 3339 strings.
 */

export type ContainerState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: number }
  | {
      kind: 'terminated';
      exitCode: number;
      signal?: number;
      reason: string;
      message?: string;
      startedAt?: number;
      finishedAt: number;
    };

export interface ContainerStatus {
  name: string;
  image: string;
  /** `containerd://<hex>`; absent before the first start. Changes on every new instance. */
  containerID?: string;
  state: ContainerState;
  /** The previous instance's termination, if any. */
  lastState?: Extract<ContainerState, { kind: 'terminated' }>;
  ready: boolean;
  started: boolean;
  restartCount: number;
}

export type ConditionType =
  | 'PodReadyToStartContainers'
  | 'Initialized'
  | 'Ready'
  | 'ContainersReady'
  | 'PodScheduled';

export interface PodCondition {
  type: ConditionType;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime: number;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface PodStatus {
  phase: PodPhase;
  /** e.g. `DeadlineExceeded`; feeds the STATUS column first. */
  reason?: string;
  message?: string;
  podIP?: string;
  startTime?: number;
  /** Conditions in upstream order: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled. */
  conditions: PodCondition[];
  /** In spec order. */
  initContainerStatuses: ContainerStatus[];
  /** Sorted by container name, as the kubelet sorts them. */
  containerStatuses: ContainerStatus[];
}

/** A Pod as the API server holds it at one instant. */
export interface PodSnapshot {
  kind: 'Pod';
  namespace: string;
  name: string;
  uid: string;
  creationTimestamp: number;
  deletionTimestamp?: number;
  deletionGracePeriodSeconds?: number;
  status: PodStatus;
}

/** A Service and its endpoints at one instant. */
export interface ServiceSnapshot {
  kind: 'Service';
  namespace: string;
  name: string;
  uid: string;
  creationTimestamp: number;
  clusterIP: string;
  /** Ready endpoint addresses (Pod IPs), sorted. */
  readyAddresses: string[];
  /** Addresses of matching Pods that are not ready or are terminating, sorted. */
  notReadyAddresses: string[];
}

/** A Job condition as the controller writes it. */
export interface JobCondition {
  type: 'SuccessCriteriaMet' | 'FailureTarget' | 'Complete' | 'Failed';
  status: 'True';
  reason: string;
  message: string;
  lastTransitionTime: number;
}

/** A Job as the API server holds it at one instant (for the trace). */
export interface JobSnapshot {
  kind: 'Job';
  namespace: string;
  name: string;
  uid: string;
  creationTimestamp: number;
  completions?: number;
  parallelism: number;
  status: {
    active: number;
    succeeded: number;
    failed: number;
    startTime?: number;
    completionTime?: number;
    conditions: JobCondition[];
  };
}

/** A Deployment condition (`Available`, `Progressing`, `ReplicaFailure`). Times are virtual ms (whole seconds, as the API stores them). */
export interface DeploymentCondition {
  type: 'Available' | 'Progressing' | 'ReplicaFailure';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastUpdateTime: number;
  lastTransitionTime: number;
}

/** apps/v1 DeploymentStatus. */
export interface DeploymentStatusView {
  observedGeneration: number;
  replicas: number;
  updatedReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  unavailableReplicas: number;
  conditions: DeploymentCondition[];
}

/** A Deployment as the API server holds it at one instant (for the trace). */
export interface DeploymentSnapshot {
  kind: 'Deployment';
  namespace: string;
  name: string;
  uid: string;
  creationTimestamp: number;
  generation: number;
  /** spec.replicas. */
  replicas: number;
  /** The deployment.kubernetes.io/revision annotation (0 before the first sync). */
  revision: number;
  status: DeploymentStatusView;
}

/** A ReplicaSet as the API server holds it at one instant (for the trace). */
export interface ReplicaSetSnapshot {
  kind: 'ReplicaSet';
  namespace: string;
  name: string;
  uid: string;
  creationTimestamp: number;
  /** The owning Deployment's name, if any. */
  owner?: string;
  /** deployment.kubernetes.io/revision (0 for a ReplicaSet no Deployment made). */
  revision: number;
  /** spec.replicas. */
  replicas: number;
  status: { replicas: number; readyReplicas: number; availableReplicas: number };
}
