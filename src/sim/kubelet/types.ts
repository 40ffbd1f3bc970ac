/**
 * The kubelet's in-memory state of one Pod and its containers. The API-visible status
 * (`status.ts`) is derived from it; nothing here is exported in the Trace directly.
 */
import type { Container, Pod } from '../../model/k8s.ts';
import type { FileSystem, Image, Process, ProcessHost } from '../../model/runtime.ts';
import type { ContainerState } from '../../model/status.ts';
import type { Scope, Task, Timer } from '../engine.ts';
import { podHostname } from './pod-files.ts';
import type { ProbeWorker } from './probe-worker.ts';

/** Terminated container state. */
export type Terminated = Extract<ContainerState, { kind: 'terminated' }>;

/** One container of a Pod (init, sidecar or regular) as the kubelet tracks it. */
export interface ContainerRt {
  spec: Container;
  role: 'init' | 'sidecar' | 'regular';
  /** Index in spec.initContainers or spec.containers. */
  index: number;
  /** API state: waiting (with reason), running, or terminated. */
  state: ContainerState;
  lastState?: Terminated;
  restartCount: number;
  /** Instances created so far (the next instance's attempt number). */
  instances: number;
  containerID?: string;
  /** Process alive (also while postStart runs). */
  running: boolean;
  /** postStart finished successfully for the current instance (state shows Running). */
  postStartDone: boolean;
  /** StartedAt of the current instance. */
  startedAt?: number;
  /** FinishedAt of the most recent exited instance (doBackOff looks at it). */
  lastExitAt?: number;
  /** Exit code of the most recent exited instance. */
  lastExitCode?: number;
  /** The exit instant the last BackOff event was emitted for. */
  backOffEventFor?: number;
  /** A plain init container that exited 0 once (never re-run). */
  completed: boolean;
  /** A regular container that ever ran (Initialized stays True after). */
  everStarted: boolean;
  /** kubelet reasonCache: why the last start failed (shown as waiting). */
  startFailure?: { reason: string; message: string };
  /** Kill requested by a probe verdict or a spec change; handled by the next sync. */
  killRequest?: { message: string; graceSeconds?: number; restart: boolean };
  /** A kill in progress. */
  killing: boolean;
  /** Image (resolved at start); undefined before the first pull. */
  image?: Image;
  proc?: Process;
  procTimer?: Timer;
  fs?: FileSystem;
  host?: ProcessHost;
  /** The environment of the current instance (runtime's, then the kubelet's: env.ts), fixed at its creation. */
  env: Record<string, string>;
  /** Extra processes (exec actions, hooks, exec probes) alive in this container. */
  extra: Process[];
  logPartial: { stdout: string; stderr: string };
  logBytes: number;
  /** Probe workers for this container. */
  probes: ProbeWorker[];
  /** Spec hash: changes with the image (back-off key, "definition changed"). */
  hash: string;
}

/** One Pod on the node. */
export interface PodRt {
  key: string;
  pod: Pod;
  uid: string;
  serial: number;
  creationTimestamp: number;
  admittedAt?: number;
  startTime?: number;
  ip?: string;
  sandbox: boolean;
  deletionTimestamp?: number;
  deletionGracePeriodSeconds?: number;
  /** Phase once terminal (never left). */
  terminalPhase?: 'Succeeded' | 'Failed';
  reason?: string;
  message?: string;
  init: ContainerRt[];
  regular: ContainerRt[];
  scope: Scope;
  /** The running sync (pod worker), if any. */
  worker?: Task;
  /** Containers the running sync killed and will start again (see Kubelet.holdsRecord). */
  killRestart?: Set<ContainerRt>;
  syncPending: boolean;
  syncTimer?: Timer;
  /** The termination flow (deletion, deadline, all done). */
  terminator?: Task;
  /** The API object is gone. */
  removed: boolean;
  /** The Pod's emptyDir volumes by name (volumes.ts), from its first container start. */
  volumes?: Map<string, FileSystem>;
  /** Conditions' last transition bookkeeping. */
  conditionTimes: Map<string, { status: string; reason?: string; message?: string; at: number }>;
  deadlineTimer?: Timer;
  /** The Trace record text last emitted (to record only changes). */
  lastRecord?: string;
  dirty: boolean;
}

/** The Pod's hostname as the kubelet sets it: `spec.hostname`, else the Pod's name (63 chars at most; pod-files.ts). */
export function hostnameOf(p: PodRt): string {
  return podHostname(p.pod);
}

/** All containers of a pod: init (incl. sidecars) then regular. */
export function allContainers(p: PodRt): ContainerRt[] {
  return [...p.init, ...p.regular];
}
