/**
 * The Kubernetes v1 objects podlab simulates, after API defaulting (kubernetes-semantics.md,
 * section 1). Field names are Kubernetes' own; only the fields the simulator reads are typed,
 * the rest stay in the object as loaded (see `LoadedObject.raw`).
 */

export type IntOrString = number | string;

export interface ObjectMeta {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** Assigned by the simulated API server (deterministic). */
  uid?: string;
  /** Set by a controller on the objects it creates (a ReplicaSet's Pods, a Deployment's ReplicaSets). */
  ownerReferences?: OwnerReference[];
}

/** metav1.OwnerReference as the apps controllers set it (controller and blockOwnerDeletion true). */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface ExecAction {
  command: string[];
}
export interface HTTPGetAction {
  path: string;
  port: IntOrString;
  host?: string;
  scheme: 'HTTP' | 'HTTPS';
  httpHeaders?: { name: string; value: string }[];
}
export interface TCPSocketAction {
  port: IntOrString;
  host?: string;
}
export interface GRPCAction {
  port: number;
  service?: string;
}
export interface SleepAction {
  seconds: number;
}

export interface Probe {
  exec?: ExecAction;
  httpGet?: HTTPGetAction;
  tcpSocket?: TCPSocketAction;
  grpc?: GRPCAction;
  initialDelaySeconds: number;
  timeoutSeconds: number;
  periodSeconds: number;
  successThreshold: number;
  failureThreshold: number;
  terminationGracePeriodSeconds?: number;
}

export interface LifecycleHandler {
  exec?: ExecAction;
  httpGet?: HTTPGetAction;
  tcpSocket?: TCPSocketAction;
  sleep?: SleepAction;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: EnvVarSource;
}

/** Where an env var's value comes from (the Downward API, resources, a ConfigMap or Secret key). */
export interface EnvVarSource {
  fieldRef?: { apiVersion?: string; fieldPath: string };
  resourceFieldRef?: { containerName?: string; resource: string; divisor?: string | number };
  configMapKeyRef?: { name?: string; key: string; optional?: boolean };
  secretKeyRef?: { name?: string; key: string; optional?: boolean };
}

/** `envFrom`: every key of a ConfigMap or Secret. */
export interface EnvFromSource {
  prefix?: string;
  configMapRef?: { name?: string; optional?: boolean };
  secretRef?: { name?: string; optional?: boolean };
}

/** Where a container sees a volume. */
export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

/** A Pod volume: `emptyDir` is simulated; other sources are accepted and not simulated. */
export interface Volume {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string | number };
  configMap?: { name?: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
  secret?: { secretName?: string; items?: KeyToPath[]; defaultMode?: number; optional?: boolean };
}

/** A key of a ConfigMap or Secret volume written at a path of the volume. */
export interface KeyToPath {
  key: string;
  path: string;
  mode?: number;
}

/** Compute resources by name (`cpu`, `memory`, …) as quantities. */
export interface ResourceRequirements {
  limits?: Record<string, string | number>;
  requests?: Record<string, string | number>;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  workingDir?: string;
  env?: EnvVar[];
  envFrom?: EnvFromSource[];
  resources?: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  ports?: ContainerPort[];
  imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  /** Only on init containers: `Always` makes it a sidecar. */
  restartPolicy?: 'Always';
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { postStart?: LifecycleHandler; preStop?: LifecycleHandler };
  terminationMessagePath: string;
  terminationMessagePolicy: 'File' | 'FallbackToLogsOnError';
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  terminationGracePeriodSeconds: number;
  activeDeadlineSeconds?: number;
  dnsPolicy: string;
  hostname?: string;
  subdomain?: string;
  enableServiceLinks: boolean;
  volumes?: Volume[];
  schedulerName: string;
  nodeName?: string;
  /** Extra conditions the Ready condition waits for (set by controllers, not the kubelet). */
  readinessGates?: { conditionType: string }[];
}

export interface Pod {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: ObjectMeta;
  spec: PodSpec;
}

export interface ServicePort {
  name?: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
  port: number;
  targetPort: IntOrString;
  nodePort?: number;
}

export interface ServiceSpec {
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  selector?: Record<string, string>;
  ports?: ServicePort[];
  /** `None` makes the Service headless. Assigned by the simulator when absent. */
  clusterIP?: string;
  externalName?: string;
  sessionAffinity: string;
  publishNotReadyAddresses?: boolean;
}

export interface Service {
  apiVersion: 'v1';
  kind: 'Service';
  metadata: ObjectMeta;
  spec: ServiceSpec;
}

/** A v1 ConfigMap as the API server stores it. */
export interface ConfigMap {
  apiVersion: 'v1';
  kind: 'ConfigMap';
  metadata: ObjectMeta;
  data?: Record<string, string>;
  /** Values are base64 text, as in JSON. */
  binaryData?: Record<string, string>;
  immutable?: boolean;
}

/** A v1 Secret as the API server stores it: `stringData` already merged into `data`, `type` defaulted. */
export interface Secret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: ObjectMeta;
  /** Values are base64 text, as in JSON. */
  data?: Record<string, string>;
  type: string;
  immutable?: boolean;
}

/** An object the simulator runs. */
export type ApiObject = Pod | Service | ConfigMap | Secret | Job | Deployment | ReplicaSet;

// ---------- batch/v1 Job ----------
// After API defaulting (k/k:pkg/apis/batch/v1/defaults.go SetDefaults_Job) and the registry's
// selector generation (pkg/registry/batch/job/strategy.go generateSelector). Only the fields the
// simulator reads are typed; the rest stay in `LoadedObject.raw`.

/** One podFailurePolicy rule (batch/v1 PodFailurePolicyRule). */
export interface PodFailurePolicyRule {
  action: 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';
  onExitCodes?: { containerName?: string; operator: 'In' | 'NotIn'; values: number[] };
  onPodConditions?: { type: string; status: 'True' | 'False' | 'Unknown' }[];
}

/** batch/v1 JobSpec, defaulted. */
export interface JobSpec {
  parallelism: number;
  /** Absent: the Job succeeds with its first successful Pod (a work queue). */
  completions?: number;
  activeDeadlineSeconds?: number;
  backoffLimit: number;
  ttlSecondsAfterFinished?: number;
  completionMode: 'NonIndexed' | 'Indexed';
  suspend: boolean;
  podReplacementPolicy: 'TerminatingOrFailed' | 'Failed';
  podFailurePolicy?: { rules: PodFailurePolicyRule[] };
  manualSelector?: boolean;
  selector: { matchLabels?: Record<string, string> };
  template: {
    metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec: PodSpec;
  };
}

/** A batch/v1 Job as the simulated API server stores it. */
export interface Job {
  apiVersion: 'batch/v1';
  kind: 'Job';
  metadata: ObjectMeta;
  spec: JobSpec;
}

// ---------- apps/v1 Deployment and ReplicaSet ----------
// After API defaulting (k/k:pkg/apis/apps/v1/defaults.go SetDefaults_Deployment,
// SetDefaults_ReplicaSet). Only the fields the controllers read are typed.

/** A Pod template (core/v1 PodTemplateSpec) as a controller copies it into its Pods. */
export interface PodTemplate {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

/** metav1.LabelSelector. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/** apps/v1 DeploymentSpec, defaulted. */
export interface DeploymentSpec {
  replicas: number;
  selector: LabelSelector;
  template: PodTemplate;
  strategy: {
    type: 'RollingUpdate' | 'Recreate';
    rollingUpdate?: { maxSurge: IntOrString; maxUnavailable: IntOrString };
  };
  minReadySeconds?: number;
  revisionHistoryLimit: number;
  progressDeadlineSeconds: number;
  paused?: boolean;
}

/** An apps/v1 Deployment as the simulated API server stores it. */
export interface Deployment {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: ObjectMeta;
  spec: DeploymentSpec;
}

/** An apps/v1 ReplicaSet as the simulated API server stores it. */
export interface ReplicaSet {
  apiVersion: 'apps/v1';
  kind: 'ReplicaSet';
  metadata: ObjectMeta;
  spec: { replicas: number; selector: LabelSelector; template: PodTemplate; minReadySeconds?: number };
}
