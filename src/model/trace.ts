/**
 * The simulator's input and output contracts: `simulate(objects, actions, options) -> Trace`.
 * Times are virtual integer milliseconds from 0, the instant the submission is applied.
 */

import type { ApiObject, Pod } from './k8s.ts';
import type {
  DeploymentSnapshot,
  JobSnapshot,
  PodSnapshot,
  ReplicaSetSnapshot,
  ServiceSnapshot,
} from './status.ts';

/** An HTTP server inside a scenario-defined image: path -> status; other paths 404. */
export interface ImageListener {
  port: number;
  http?: Record<string, number>;
}

/** A scenario-defined image (scenario-format.md, section 1.1). */
export interface ImageDefinition {
  command?: string[];
  listens?: ImageListener[];
  /** The signal the main process handles by exiting at once; absent: it ignores SIGTERM as PID 1. */
  stopSignal?: string;
  files?: Record<string, string>;
}

/** Knobs of the simulated cluster (scenario-format.md, section 1.3). */
export interface ClusterOptions {
  busyboxShortNameLookup: 'resolve' | 'strict';
  imagePullMs: number;
}

/** Limits on one run; exceeding one ends the run with a recorded reason. */
export interface Budgets {
  /** Simulated horizon; the run ends at this instant. At most 24 h. */
  horizonMs: number;
  /** Engine events processed. */
  maxEvents: number;
  /** Shell steps (commands and loop iterations) per process. */
  maxShellSteps: number;
  /** Bytes of log output kept per container. */
  maxLogBytes: number;
  /** Bytes of file content per container filesystem. */
  maxFsBytes: number;
  /** Entries (records, events, probes, log lines, notes) the trace may hold (absent: the defaults, TRACE_BUDGETS). */
  maxTraceEntries?: number;
  /** Estimated bytes of the trace's JSON (the sum of its entries' JSON lengths). */
  maxTraceBytes?: number;
  /** Probe executions in the run (all containers, all probe kinds). */
  maxProbeRuns?: number;
  /** Kubernetes Events about one container. */
  maxEventsPerContainer?: number;
}

/**
 * Polled by the engine every few thousand events; true ends the run with the `time` budget. The
 * adapter (CLI, server, Lambda) decides, from its clock: the pure core never reads one.
 */
export type ShouldStop = () => boolean;

export interface SimOptions {
  budgets: Budgets;
  cluster: ClusterOptions;
  images: Record<string, ImageDefinition>;
  /** The wall-time guard of the adapter running this simulation (absent: none). */
  shouldStop?: ShouldStop;
}

/** Operator actions during the run (scenario-format.md, section 1.2). */
export type Action =
  | { at: number; kind: 'apply'; objects: ApiObject[] }
  | {
      at: number;
      kind: 'exec';
      pod: string;
      namespace: string;
      container?: string;
      command: string[];
      /**
       * A shadow exec: runs like `kubectl exec` at `at` (after the other actions of that instant)
       * against a copy-on-write view of the container's filesystem and leaves no trace (no logs,
       * events, records, notes, filesystem changes, processes or listeners). Its result is in
       * `Trace.actions`; one still running 60 s of virtual time later (or at the run's end) gets
       * `unfinishedAt`. For graders' exec checks.
       */
      shadow?: boolean;
    }
  | {
      at: number;
      kind: 'delete';
      objectKind: 'Pod' | 'Service' | 'ConfigMap' | 'Secret';
      name: string;
      namespace: string;
      gracePeriodSeconds?: number;
      force?: boolean;
    }
  | {
      /** `kubectl scale deployment|replicaset NAME --replicas=N`. */
      at: number;
      kind: 'scale';
      objectKind: 'Deployment' | 'ReplicaSet';
      name: string;
      namespace: string;
      replicas: number;
    }
  | {
      /** `kubectl set image deployment/NAME CONTAINER=IMAGE`. */
      at: number;
      kind: 'setImage';
      name: string;
      namespace: string;
      container: string;
      image: string;
    }
  | {
      /** `kubectl rollout undo deployment/NAME [--to-revision=N]` (absent: the previous revision). */
      at: number;
      kind: 'rollback';
      name: string;
      namespace: string;
      toRevision?: number;
    };

/** What an action did: kubectl's output lines, and for exec the command's exit code. */
export interface ActionResult {
  at: number;
  /** Index into the actions array. */
  index: number;
  kind: Action['kind'];
  /** stdout as kubectl prints it (`pod/x created`, exec output…). */
  stdout: string;
  stderr: string;
  exitCode: number;
  /**
   * Shadow execs only: the command had not finished by this instant (60 s of virtual time after
   * `at`, or the end of the run); `exitCode` is then 124 and stderr says so.
   */
  unfinishedAt?: number;
}

/** A Kubernetes Event, as `kubectl get events` / `describe` shows it. */
export interface SimEvent {
  at: number;
  /** `Pod/<name>` or `Service/<name>`. */
  object: string;
  namespace: string;
  /** The container the event is about (`spec.containers{c}` in kubectl's FROM field). */
  container?: string;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  /** `default-scheduler` or `kubelet`. */
  source: string;
}

/** One probe execution, for the timeline and for explanations. */
export interface ProbeRecord {
  at: number;
  pod: string;
  namespace: string;
  container: string;
  probe: 'liveness' | 'readiness' | 'startup';
  result: 'success' | 'failure' | 'error';
  output: string;
}

/** One line of container output. */
export interface LogLine {
  at: number;
  pod: string;
  namespace: string;
  container: string;
  stream: 'stdout' | 'stderr';
  text: string;
  /**
   * The container instance that wrote the line (its `ContainerStatus.containerID`). Lets
   * `kubectl logs [--previous]` tell apart two instances that end and start at one instant.
   */
  containerID?: string;
}

/** The state of one object after a change; absent objects have `exists: false`. */
export type ObjectRecord =
  | {
      at: number;
      key: string;
      exists: true;
      snapshot: PodSnapshot | ServiceSnapshot | JobSnapshot | DeploymentSnapshot | ReplicaSetSnapshot;
    }
  | { at: number; key: string; exists: false };

/** Why the run ended. */
export type EndReason = { kind: 'horizon' } | { kind: 'budget'; budget: BudgetName; detail: string };

/** The budgets a run can end on. */
export type BudgetName =
  | 'events'
  | 'shellSteps'
  | 'logBytes'
  | 'fsBytes'
  | 'traceEntries'
  | 'traceBytes'
  | 'probes'
  | 'containerEvents'
  | 'time';

/**
 * Everything that happened in one run, in order. `records` holds every state change of every
 * object (`key` = `Pod/<ns>/<name>` or `Service/<ns>/<name>`); several records may share one
 * instant, the last of an instant being the state "at" that instant.
 */
export interface Trace {
  endAt: number;
  endReason: EndReason;
  records: ObjectRecord[];
  events: SimEvent[];
  probes: ProbeRecord[];
  logs: LogLine[];
  actions: ActionResult[];
  /** Things the simulator noticed that bite on a real cluster (missing exec-probe binary…). */
  notes: {
    message: string;
    pod?: string;
    container?: string;
    /** The instant it happened, when it changed what a container sees (a volume rewrite). */
    at?: number;
  }[];
  /** Pods a controller created (a Job's), as it created them; absent when there are none. */
  createdPods?: Pod[];
}
