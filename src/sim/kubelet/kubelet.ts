/**
 * The kubelet of podlab's single node: pod admission, the pod worker (SyncPod), image pulls,
 * container start/kill, crash-loop and image-pull back-off, lifecycle hooks, probe workers,
 * termination and activeDeadlineSeconds. kubernetes-semantics.md sections 3, 4, 5, 6, 9, 13.
 *
 * Sequential kubelet work (one sync of a pod, one container kill, one hook) runs as engine
 * tasks (generators) in virtual time; processes run through the runtime contract.
 */
import type { Container, LifecycleHandler, Probe } from '../../model/k8s.ts';
import type {
  FileSystem,
  Image,
  Listener,
  PodNetwork,
  Process,
  ProcessHost,
  ProcessStep,
} from '../../model/runtime.ts';
import type { SimEvent, SimOptions, Trace } from '../../model/trace.ts';
import type { ConfigData } from '../cluster/config-store.ts';
import { NODE_IP, type ServiceEntry } from '../cluster/endpoints.ts';
import { type Engine, Prio, type Timer, type Wait } from '../engine.ts';
import { isSimulatedRepository, knownButNotSimulated, repositoryOf } from '../runtime/index.ts';
import { containerId, goDuration, stableJson } from '../util.ts';
import { Backoff } from './backoff.ts';
import { ConfigVolumeSync } from './config-sync.ts';
import { containerEnv, expandCommand } from './env.ts';
import { freshFilesystem, OverlayFileSystem } from './overlay-fs.ts';
import {
  automountsToken,
  mountsToken,
  SERVICE_ACCOUNT_MOUNT_PATH,
  tokenVolume,
  tokenVolumeName,
  writeEtcFiles,
} from './pod-files.ts';
import { execOutcome, networkProbeOutcome, resolvePort, unresolvedPortError } from './probe-handlers.ts';
import { type Connect, httpHookOutcome } from './probe-http.ts';
import {
  type ContainerView,
  type HandlerOutcome,
  manualTrigger,
  newProbeWorker,
  nextProbeAt,
  nextTickAt,
  type ProbeResult,
  type ProbeType,
  type ProbeWorker,
  probeDue,
  probeEvent,
  probeKillMessage,
  recordOutcome,
} from './probe-worker.ts';
import { isStarted } from './status.ts';
import { allContainers, type ContainerRt, hostnameOf, type PodRt, type Terminated } from './types.ts';
import { configVolumes, emptyDirVolumes, withMounts } from './volumes.ts';

/** Characters of a successful probe's output kept in the trace (explanations show 160). */
const SUCCESS_OUTPUT_CHARS = 160;

/** What one log line counts against the log budget beyond its text: the trace record it becomes. */
export const LOG_LINE_OVERHEAD_BYTES = 64;
/** The node's name (a one-node cluster; see docs/deviations.md). */
export const NODE_NAME = 'podlab-node';

/** Image-pull retry: the pod worker re-syncs 10 s after a failed sync (pod_workers.go backOffPeriod, without jitter). */
const ERROR_RESYNC_MS = 10_000;
/** kuberuntime_container.go minimumGracePeriodInSeconds. */
const MIN_GRACE_SECONDS = 2;
/** Exec output kept for probe/hook/exec results (pkg/probe/exec: 10 KiB). */
const MAX_EXEC_OUTPUT = 10 * 1024;

/** What the kubelet needs from the rest of the simulator. */
export interface KubeletHost {
  engine: Engine;
  options: SimOptions;
  trace: Trace;
  resolveImage(ref: string): Image | undefined;
  /** The network as seen from this Pod. */
  network(p: PodRt): PodNetwork;
  /** Pod IP for the sandbox. */
  allocateIP(p: PodRt): string;
  /** The cluster's Services now, built-in ones included (for the Service env variables). */
  services(): readonly ServiceEntry[];
  /** A ConfigMap's or Secret's keys now (undefined: it does not exist). */
  config(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): ConfigData | undefined;
  /** The Pod's status may have changed. */
  changed(p: PodRt): void;
  /** Record the Pod's state now (before a removal at the same instant). */
  flush(p: PodRt): void;
  /** Remove the API object (kubelet's final delete with grace 0). */
  remove(p: PodRt): void;
}

/** Outcome of running a process to its end inside a task. */
export type ProcEnd =
  | { kind: 'exited'; exitCode: number; stdout: string; stderr: string; combined: string }
  | { kind: 'timeout'; stdout: string; stderr: string; combined: string }
  | { kind: 'gone' }
  | { kind: 'startError'; error: string };

interface Capture {
  stdout: string;
  stderr: string;
  combined: string;
}

/** An exec'd process that did not end at once (`Kubelet.startExec`). */
interface RunningExec {
  kind: 'running';
  proc: Process;
  cap: Capture;
  /** The container instance it runs in. */
  id: string | undefined;
  /** What its first run returned. */
  step: ProcessStep;
}

/** A process's output kept in `cap` (each stream and both together), up to MAX_EXEC_OUTPUT. */
function captureInto(cap: Capture): ProcessHost['write'] {
  return (stream, text) => {
    cap[stream] = appendCapped(cap[stream], text);
    cap.combined = appendCapped(cap.combined, text);
  };
}

function appendCapped(s: string, add: string): string {
  if (s.length >= MAX_EXEC_OUTPUT) return s;
  return (s + add).slice(0, MAX_EXEC_OUTPUT);
}

/** Format of a Pod in kubelet messages: `<name>_<namespace>(<uid>)` (format.Pod). */
export function formatPod(p: PodRt): string {
  return `${p.pod.metadata.name}_${p.pod.metadata.namespace}(${p.uid})`;
}

/** Resolves the argv of a container from command/args and the image's ENTRYPOINT/CMD (Kubernetes rules). */
export function resolveArgv(spec: Pick<Container, 'command' | 'args'>, image: Image): string[] {
  if (spec.command && spec.command.length > 0) return [...spec.command, ...(spec.args ?? [])];
  if (spec.args && spec.args.length > 0) return [...image.entrypoint, ...spec.args];
  return [...image.entrypoint, ...image.cmd];
}

/** The single node's kubelet. */
export class Kubelet {
  readonly crashBackoff = new Backoff();
  readonly pullBackoff = new Backoff();
  /** Images present on the node (pulled once). */
  readonly nodeImages = new Set<string>();
  /** Notes already written to the trace (one per probe or container and cause). */
  private notedCauses = new Set<string>();
  private readonly connects = new WeakMap<PodRt, Connect>();

  /** Rewrites mounted configMap/secret volumes at a Pod's periodic sync after a change (config-sync.ts). */
  private readonly configSync: ConfigVolumeSync;

  constructor(private readonly h: KubeletHost) {
    this.configSync = new ConfigVolumeSync({
      engine: h.engine,
      reader: (p) => (kind, name) => h.config(kind, p.pod.metadata.namespace, name),
      warn: (p, reason, message) => this.event(p, undefined, 'Warning', reason, message),
      note: (p, message) => h.trace.notes.push({ message, pod: p.pod.metadata.name, at: h.engine.now }),
    });
  }

  /** A ConfigMap or Secret was created, changed or deleted (the API server's watch). */
  configChanged(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): void {
    this.configSync.changed(kind, namespace, name);
  }

  private get now(): number {
    return this.h.engine.now;
  }

  // -------------------------------------------------------------------------------------------
  // Events, logs

  /** Records a Kubernetes Event about the Pod (or one of its containers). */
  event(
    p: PodRt,
    c: ContainerRt | undefined,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source = 'kubelet',
  ): void {
    const e: SimEvent = {
      at: this.now,
      object: `Pod/${p.pod.metadata.name}`,
      namespace: p.pod.metadata.namespace,
      type,
      reason,
      message,
      source,
    };
    if (c) e.container = c.spec.name;
    this.h.trace.events.push(e);
  }

  private log(p: PodRt, c: ContainerRt, stream: 'stdout' | 'stderr', text: string, at: number): void {
    // Each line costs a trace record besides its text: `yes` must not fill memory with records.
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    const bytes = text.length + lines * LOG_LINE_OVERHEAD_BYTES;
    c.logBytes += bytes;
    if (c.logBytes > this.h.options.budgets.maxLogBytes) {
      this.h.engine.stop({
        kind: 'budget',
        budget: 'logBytes',
        detail: `container "${c.spec.name}" of Pod "${p.pod.metadata.name}" wrote more than ${this.h.options.budgets.maxLogBytes} bytes of log output by ${at} ms`,
      });
    }
    const buf = c.logPartial[stream] + text;
    const parts = buf.split('\n');
    c.logPartial[stream] = parts.pop() ?? '';
    for (const line of parts) this.pushLog(p, c, stream, line, at);
  }

  private pushLog(p: PodRt, c: ContainerRt, stream: 'stdout' | 'stderr', text: string, at: number): void {
    const l: Trace['logs'][number] = {
      at,
      pod: p.pod.metadata.name,
      namespace: p.pod.metadata.namespace,
      container: c.spec.name,
      stream,
      text,
    };
    if (c.containerID) l.containerID = c.containerID;
    this.h.trace.logs.push(l);
  }

  private flushLogs(p: PodRt, c: ContainerRt): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (c.logPartial[stream] !== '') {
        this.pushLog(p, c, stream, c.logPartial[stream], this.now);
        c.logPartial[stream] = '';
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Admission

  /** The kubelet admits a new Pod: Scheduled event, probe workers, first sync (section 13: all in 0 s). */
  admit(p: PodRt): void {
    p.admittedAt = this.now;
    p.startTime = this.now;
    this.event(
      p,
      undefined,
      'Normal',
      'Scheduled',
      `Successfully assigned ${p.pod.metadata.namespace}/${p.pod.metadata.name} to ${NODE_NAME}`,
      'default-scheduler',
    );
    // prober_manager AddPod: workers for regular containers and sidecars only.
    for (const c of allContainers(p)) {
      if (c.role === 'init') continue;
      const pairs: [ProbeType, Probe | undefined][] = [
        ['startup', c.spec.startupProbe],
        ['readiness', c.spec.readinessProbe],
        ['liveness', c.spec.livenessProbe],
      ];
      for (const [type, probe] of pairs) {
        if (!probe) continue;
        const w = newProbeWorker(type, c.spec.name, probe, this.now);
        c.probes.push(w);
        this.scheduleProbe(p, c, w, this.now);
      }
    }
    this.armDeadline(p);
    this.h.changed(p);
    this.requestSync(p);
  }

  /** (Re)arms the activeDeadlineSeconds timer, measured from status.startTime. */
  armDeadline(p: PodRt): void {
    this.h.engine.cancel(p.deadlineTimer);
    p.deadlineTimer = undefined;
    const ads = p.pod.spec.activeDeadlineSeconds;
    if (ads === undefined || p.startTime === undefined || p.terminalPhase) return;
    p.deadlineTimer = this.h.engine.schedule(p.startTime + ads * 1000, Prio.deadline, () =>
      this.deadlineExceeded(p),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Pod worker

  /** Asks the pod worker for a sync at `at` (default now); requests at one instant coalesce. */
  requestSync(p: PodRt, at = this.now): void {
    if (p.removed && p.terminator === undefined) return;
    if (p.syncTimer && !p.syncTimer.cancelled && p.syncTimer.at <= at) return;
    this.h.engine.cancel(p.syncTimer);
    p.syncTimer = this.h.engine.schedule(at, Prio.sync, () => {
      p.syncTimer = undefined;
      if (p.worker && !p.worker.done && !p.worker.cancelled) {
        p.syncPending = true;
        return;
      }
      this.startSync(p);
    });
  }

  private startSync(p: PodRt): void {
    p.syncPending = false;
    const self = this;
    function* run(): Generator<Wait, void, void> {
      yield* self.syncPod(p);
      p.worker = undefined;
      if (p.syncPending) self.requestSync(p);
    }
    p.worker = this.h.engine.startTask(run(), p.scope);
  }

  /** Whether a container should be restarted after it exited (ShouldContainerBeRestarted). */
  private shouldRestart(p: PodRt, c: ContainerRt): boolean {
    if (p.deletionTimestamp !== undefined || p.terminalPhase) return false;
    if (c.running) return false;
    if (c.instances === 0) return true;
    if (c.role === 'sidecar') return true;
    if (c.role === 'init' && c.completed) return false;
    const policy = p.pod.spec.restartPolicy;
    if (policy === 'Never') return false;
    if (policy === 'OnFailure') return c.lastExitCode !== 0;
    return true;
  }

  private initDone(p: PodRt): boolean {
    return p.init.every((c) => (c.role === 'init' ? c.completed : isStarted(c)));
  }

  /** One SyncPod (kuberuntime_manager.go computePodActions + SyncPod), section 4.1. */
  private *syncPod(p: PodRt): Generator<Wait, void, void> {
    if (p.terminalPhase || p.deletionTimestamp !== undefined || p.removed) return;
    if (p.terminator && !p.terminator.done) return;
    if (!p.sandbox) {
      p.sandbox = true;
      p.ip = this.h.allocateIP(p);
      this.h.changed(p);
    }
    // doBackOff reads the pod status as it was when the sync began.
    const prevExit = new Map<ContainerRt, number | undefined>();
    for (const c of allContainers(p)) prevExit.set(c, c.lastExitAt);

    // 1. Kill containers that must die (liveness/startup verdicts, definition changed), in parallel.
    const toKill = allContainers(p).filter((c) => c.killRequest && c.running);
    const restartAfterKill = new Set<ContainerRt>();
    if (toKill.length > 0) {
      const tasks = toKill.map((c) => {
        const req = c.killRequest!;
        c.killRequest = undefined;
        if (req.restart) restartAfterKill.add(c);
        return this.h.engine.startTask(this.killContainer(p, c, req.message, req.graceSeconds), p.scope);
      });
      p.killRestart = restartAfterKill;
      yield { cond: () => tasks.every((t) => t.done || t.cancelled) };
    }
    for (const c of allContainers(p)) if (!c.running) c.killRequest = undefined;

    // 2. Init containers (plain: one at a time, each must exit 0; sidecars: next once started).
    const initialized = p.regular.some((c) => c.everStarted) || this.initDone(p);
    if (!initialized) {
      for (const c of p.init) {
        if (c.role === 'init' && c.completed) continue;
        if (c.role === 'sidecar' && isStarted(c)) continue;
        if (c.running) break;
        if (this.shouldRestart(p, c) || restartAfterKill.has(c))
          yield* this.startWithBackoff(p, c, prevExit.get(c));
        break;
      }
      return;
    }
    for (const c of p.init) {
      if (c.role === 'sidecar' && !c.running && (this.shouldRestart(p, c) || restartAfterKill.has(c))) {
        yield* this.startWithBackoff(p, c, prevExit.get(c));
        if (p.deletionTimestamp !== undefined || p.terminalPhase) return;
      }
    }
    // 3. Regular containers, sequentially in spec order.
    for (const c of p.regular) {
      if (c.running) continue;
      if (this.shouldRestart(p, c) || restartAfterKill.has(c)) {
        yield* this.startWithBackoff(p, c, prevExit.get(c));
        if (p.deletionTimestamp !== undefined || p.terminalPhase) return;
      }
    }
    // 4. All regular containers done for good: stop the sidecars, then the pod is terminal.
    if (
      p.pod.spec.restartPolicy !== 'Always' &&
      p.regular.every((c) => c.instances > 0 && !c.running && !this.shouldRestart(p, c)) &&
      p.init.some((c) => c.role === 'sidecar' && c.running)
    ) {
      this.startTermination(p, 'completed');
    }
  }

  /** doBackOff + startContainer (kuberuntime_manager.go), section 4.2. */
  private *startWithBackoff(
    p: PodRt,
    c: ContainerRt,
    exitAt: number | undefined,
  ): Generator<Wait, void, void> {
    const key = `${p.uid}/${c.spec.name}/${c.hash}`;
    if (exitAt !== undefined) {
      if (this.crashBackoff.isInBackOffSince(key, exitAt, this.now)) {
        const d = goDuration(this.crashBackoff.get(key));
        const message = `back-off ${d} restarting failed container=${c.spec.name} pod=${formatPod(p)}`;
        this.setWaiting(c, 'CrashLoopBackOff', message);
        // One BackOff event per back-off period (upstream repeats it at every sync meanwhile).
        if (c.backOffEventFor !== exitAt) {
          c.backOffEventFor = exitAt;
          this.event(
            p,
            c,
            'Warning',
            'BackOff',
            `Back-off restarting failed container ${c.spec.name} in pod ${formatPod(p)}`,
          );
        }
        this.h.changed(p);
        this.requestSync(p, this.crashBackoff.expiresAt(key, exitAt));
        return;
      }
      this.crashBackoff.next(key, exitAt, this.now);
    }
    yield* this.startContainer(p, c);
  }

  /**
   * A start that failed before the container was created (image, config): the container waits
   * with `reason`, and the pod worker tries again after its error back-off.
   */
  private startFailed(p: PodRt, c: ContainerRt, reason: string, message: string): void {
    this.setWaiting(c, reason, message);
    this.h.changed(p);
    this.requestSync(p, this.now + ERROR_RESYNC_MS);
  }

  /** Adds a note about container `c` to the trace, once per container and `cause`. */
  private noteOnce(p: PodRt, c: ContainerRt, cause: string, message: string): void {
    const key = `${p.key}/${c.spec.name}/${cause}`;
    if (this.notedCauses.has(key)) return;
    this.notedCauses.add(key);
    this.h.trace.notes.push({ message, pod: p.pod.metadata.name, container: c.spec.name });
  }

  /** Sets a waiting state, moving a terminated state to lastState (kubelet reasonCache). */
  private setWaiting(c: ContainerRt, reason: string, message?: string): void {
    if (c.state.kind === 'terminated') c.lastState = c.state;
    c.state = message === undefined ? { kind: 'waiting', reason } : { kind: 'waiting', reason, message };
    c.startFailure = { reason, message: message ?? '' };
  }

  private defaultWaiting(p: PodRt): string {
    return p.init.length > 0 ? 'PodInitializing' : 'ContainerCreating';
  }

  /** Pull (if needed), create, start, postStart: kuberuntime_container.go startContainer. */
  private *startContainer(p: PodRt, c: ContainerRt): Generator<Wait, void, void> {
    // Volumes are set up before any container (volumemanager WaitForAttachAndMount): a
    // configMap/secret volume whose object is missing keeps the Pod in ContainerCreating.
    if (!p.volumes) {
      const config = configVolumes(
        p.pod,
        (kind, name) => this.h.config(kind, p.pod.metadata.namespace, name),
        this.now,
        p.uid,
      );
      if ('failed' in config) {
        this.event(p, undefined, 'Warning', 'FailedMount', config.failed);
        this.requestSync(p, this.now + ERROR_RESYNC_MS);
        return;
      }
      const volumes = podVolumes(p, this.h.options.budgets.maxFsBytes, this.now);
      for (const [name, fs] of config.volumes) volumes.set(name, fs);
      p.volumes = volumes;
      this.configSync.track(p);
    }
    const ref = c.spec.image;
    const image = this.h.resolveImage(ref);
    // Image (image_manager.go EnsureImageExists).
    const present = this.nodeImages.has(ref);
    if (c.spec.imagePullPolicy === 'Never' && !present) {
      const msg = `Container image "${ref}" is not present with pull policy of Never`;
      this.event(p, c, 'Warning', 'ErrImageNeverPull', msg);
      this.event(p, c, 'Warning', 'Failed', 'Error: ErrImageNeverPull');
      this.startFailed(p, c, 'ErrImageNeverPull', msg);
      return;
    }
    if (c.spec.imagePullPolicy === 'Always' || !present) {
      const pullKey = `${p.uid}_${ref}`;
      if (this.pullBackoff.isInBackOffSinceUpdate(pullKey, this.now)) {
        const msg = `Back-off pulling image "${ref}"`;
        this.event(p, c, 'Normal', 'BackOff', msg);
        this.event(p, c, 'Warning', 'Failed', 'Error: ImagePullBackOff');
        this.startFailed(p, c, 'ImagePullBackOff', msg);
        return;
      }
      this.event(p, c, 'Normal', 'Pulling', `Pulling image "${ref}"`);
      const began = this.now;
      const pullMs = Math.max(0, this.h.options.cluster.imagePullMs);
      if (pullMs > 0) yield { until: this.now + pullMs };
      if (p.deletionTimestamp !== undefined || p.terminalPhase) return;
      if (!image) {
        const err = pullError(ref);
        this.event(p, c, 'Warning', 'Failed', `Failed to pull image "${ref}": ${err}`);
        this.event(p, c, 'Warning', 'Failed', 'Error: ErrImagePull');
        this.pullBackoff.next(pullKey, this.now, this.now);
        this.startFailed(p, c, 'ErrImagePull', err);
        return;
      }
      this.nodeImages.add(ref);
      const d = goDuration(this.now - began);
      const size = image.sizeBytes ?? 0;
      this.event(
        p,
        c,
        'Normal',
        'Pulled',
        `Successfully pulled image "${ref}" in ${d} (${d} including waiting). Image size: ${size} bytes.`,
      );
    } else {
      this.event(p, c, 'Normal', 'Pulled', `Container image "${ref}" already present on machine`);
    }
    if (!image) return;

    // The container's config (generateContainerConfig): its environment, from the Services
    // that exist now; a missing ConfigMap or Secret stops it here.
    const env = containerEnv({
      pod: p.pod,
      container: c.spec,
      uid: p.uid,
      podIP: p.ip ?? '',
      nodeName: NODE_NAME,
      hostIP: NODE_IP,
      services: this.h.services(),
      config: (kind, name) => this.h.config(kind, p.pod.metadata.namespace, name),
      warn: (reason, message) => this.event(p, c, 'Warning', reason, message),
    });
    if ('error' in env) {
      this.noteOnce(
        p,
        c,
        'config',
        `${env.error}: the container stays in CreateContainerConfigError until the object (or key) exists; the kubelet retries at each pod sync and the environment is fixed when the container is created.`,
      );
      this.event(p, c, 'Warning', 'Failed', `Error: ${env.error}`);
      this.startFailed(p, c, 'CreateContainerConfigError', env.error);
      return;
    }
    c.env = this.runtimeEnv(p, env.env, image.path);

    // Create.
    const attempt = c.instances;
    c.instances++;
    if (c.state.kind === 'terminated') c.lastState = c.state;
    c.restartCount = attempt;
    c.containerID = containerId(p.uid, c.spec.name, attempt);
    c.image = image;
    c.postStartDone = false;
    this.event(p, c, 'Normal', 'Created', `Created container: ${c.spec.name}`);
    const maxFsBytes = this.h.options.budgets.maxFsBytes;
    // emptyDir volumes: created with the Pod's first container, shared, kept across restarts.
    p.volumes ??= podVolumes(p, maxFsBytes, this.now);
    const own = freshFilesystem(image, maxFsBytes);
    writeEtcFiles(own, p.pod, p.ip ?? '');
    const fs = withMounts(own, c.spec, p.volumes, tokenMounts(p, c.spec));
    c.fs = fs;
    c.logPartial = { stdout: '', stderr: '' };
    const host = this.mainHost(p, c, fs);
    c.host = host;
    const argv = resolveArgv(expandCommand(c.spec, env.env), image);
    const spawned: Process | { startError: string } =
      argv.length === 0 ? { startError: 'no command specified' } : image.spawn(argv, host, this.now, 'main');
    if ('startError' in spawned) {
      // containerd: the task cannot start; terminated StartError 128, kubelet shows RunContainerError.
      const err = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${spawned.startError}: unknown`;
      this.event(p, c, 'Warning', 'Failed', `Error: ${err}`);
      c.state = {
        kind: 'terminated',
        exitCode: 128,
        reason: 'StartError',
        message: err,
        finishedAt: this.now,
      };
      c.lastExitAt = this.now;
      c.lastExitCode = 128;
      this.setWaiting(c, 'RunContainerError', err);
      this.h.changed(p);
      this.requestSync(p);
      return;
    }
    this.event(p, c, 'Normal', 'Started', `Started container ${c.spec.name}`);
    c.proc = spawned;
    c.running = true;
    c.startedAt = this.now;
    c.startFailure = undefined;
    if (c.role === 'regular') c.everStarted = true;
    const postStart = c.spec.lifecycle?.postStart;
    c.state = postStart
      ? { kind: 'waiting', reason: this.defaultWaiting(p) }
      : { kind: 'running', startedAt: this.now };
    c.postStartDone = !postStart;
    this.h.changed(p);
    const id = c.containerID;
    this.driveMain(p, c);
    if (postStart && c.running && c.containerID === id) {
      const res = yield* this.runHook(p, c, postStart, Number.POSITIVE_INFINITY);
      if (!c.running || c.containerID !== id) return;
      if (res.error !== undefined) {
        this.event(p, c, 'Warning', 'FailedPostStartHook', 'PostStartHook failed');
        // A task of its own: a deletion that cancels this sync must not abandon the kill.
        const kill = this.h.engine.startTask(
          this.killContainer(p, c, 'FailedPostStartHook', undefined),
          p.scope,
        );
        yield { cond: () => kill.done || kill.cancelled };
        this.setWaiting(c, 'PostStartHookError', res.error);
        this.h.changed(p);
        return;
      }
      c.postStartDone = true;
      c.state = { kind: 'running', startedAt: c.startedAt ?? this.now };
      this.h.changed(p);
    }
    if (c.running && c.containerID === id) {
      this.rearmProbes(p, c);
      this.triggerReadiness(p, c);
      // PLEG ContainerStarted: another sync follows (e.g. the next init after a sidecar).
      if (c.role !== 'regular') this.requestSync(p);
    }
  }

  /** A process's bounds, from the run's budgets. */
  private processLimits(): ProcessHost['limits'] {
    const b = this.h.options.budgets;
    return { maxShellSteps: b.maxShellSteps, maxOutputBytes: b.maxLogBytes, maxFsBytes: b.maxFsBytes };
  }

  private mainHost(p: PodRt, c: ContainerRt, fs: FileSystem): ProcessHost {
    return {
      fs,
      net: this.h.network(p),
      env: c.env,
      hostname: hostnameOf(p),
      write: (stream, text, at) => this.log(p, c, stream, text, at),
      limits: this.processLimits(),
    };
  }

  private execHost(p: PodRt, c: ContainerRt, cap: Capture): ProcessHost {
    const id = c.containerID;
    const sameInstance = () => c.running && c.containerID === id;
    return {
      fs: c.fs!,
      net: this.h.network(p),
      env: c.env,
      hostname: hostnameOf(p),
      write: captureInto(cap),
      // An exec'd process shares the container's PID namespace: `echo x > /proc/1/fd/1` writes
      // to the container log, `kill 1` / `nginx -s quit` signal its PID 1.
      mainOutput: (stream, text, at) => {
        if (sameInstance()) this.log(p, c, stream, text, at);
      },
      signalMain: (signal) => {
        // Delivered once the sender's step ends, at this instant; PID 1 then runs its handler.
        this.h.engine.schedule(this.now, Prio.process, () => {
          if (!sameInstance() || !c.proc) return;
          c.proc.signal(signal, this.now);
          this.driveMain(p, c);
        });
      },
      limits: this.processLimits(),
    };
  }

  /** The runtime's variables (image PATH, HOSTNAME, HOME), then the kubelet's (`env.ts`). */
  private runtimeEnv(
    p: PodRt,
    kubeletEnv: readonly [string, string][],
    imagePath: string | undefined,
  ): Record<string, string> {
    const env: Record<string, string> = {
      // The image's Env PATH, else containerd's default (oci.WithDefaultPathEnv).
      PATH: imagePath ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      HOSTNAME: hostnameOf(p),
      HOME: '/root',
    };
    // Own data properties even for a variable named `__proto__`.
    for (const [name, value] of kubeletEnv)
      Object.defineProperty(env, name, { value, writable: true, enumerable: true, configurable: true });
    return env;
  }

  /** Runs the container's main process from now until it blocks or exits. */
  private driveMain(p: PodRt, c: ContainerRt): void {
    const proc = c.proc;
    if (!proc || !c.running) return;
    this.h.engine.cancel(c.procTimer);
    c.procTimer = undefined;
    const step = proc.run(this.now);
    this.onMainStep(p, c, proc, step);
  }

  private onMainStep(p: PodRt, c: ContainerRt, proc: Process, step: ProcessStep): void {
    switch (step.kind) {
      case 'blocked':
        c.procTimer = this.h.engine.schedule(step.wakeAt, Prio.process, () => {
          if (c.proc === proc) this.driveMain(p, c);
        });
        return;
      case 'idle':
        return;
      case 'exited':
        this.containerExited(p, c, step.exitCode);
        return;
      case 'budget':
        this.h.engine.stop({
          kind: 'budget',
          budget: step.budget,
          detail: `${step.detail} (container "${c.spec.name}" of Pod "${p.pod.metadata.name}")`,
        });
    }
  }

  /** The main process ended: the container is terminated (containerd reasons, section 4.4); PLEG triggers a sync. */
  private containerExited(p: PodRt, c: ContainerRt, exitCode: number): void {
    this.flushLogs(p, c);
    this.h.engine.cancel(c.procTimer);
    c.procTimer = undefined;
    c.proc = undefined;
    c.running = false;
    c.extra.length = 0;
    const t: Terminated = {
      kind: 'terminated',
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      finishedAt: this.now,
    };
    if (c.startedAt !== undefined) t.startedAt = c.startedAt;
    const message = this.terminationMessage(p, c, exitCode);
    if (message !== '') t.message = message;
    c.state = t;
    c.postStartDone = false;
    c.lastExitAt = this.now;
    c.lastExitCode = exitCode;
    if (c.role === 'init' && exitCode === 0) c.completed = true;
    this.h.changed(p);
    this.h.engine.notify(p.scope);
    // Probe workers see the container not running at their next tick (worker.go step 4).
    this.requestSync(p);
  }

  /**
   * `state.terminated.message`: the last 4096 bytes of the file at `terminationMessagePath`
   * (kuberuntime_container.go getTerminationMessage, tail.ReadAtMost with
   * MaxContainerTerminationMessageLength); with `FallbackToLogsOnError`, an empty or absent file
   * and a non-zero exit code, the last 80 log lines, at most 2048 bytes
   * (readLastStringFromContainerLogs, MaxContainerTerminationMessageLogLines/LogLength).
   */
  private terminationMessage(p: PodRt, c: ContainerRt, exitCode: number): string {
    const path = c.spec.terminationMessagePath;
    const data = path && c.fs ? (c.fs.readFile(path) ?? '') : '';
    if (data !== '') return data.length > 4096 ? data.slice(-4096) : data;
    if (c.spec.terminationMessagePolicy !== 'FallbackToLogsOnError' || exitCode === 0) return '';
    const lines = this.h.trace.logs.filter(
      (l) =>
        l.namespace === p.pod.metadata.namespace &&
        l.pod === p.pod.metadata.name &&
        l.container === c.spec.name &&
        l.containerID === c.containerID,
    );
    const text = lines
      .slice(-80)
      .map((l) => `${l.text}\n`)
      .join('');
    return text.length > 2048 ? text.slice(-2048) : text;
  }

  // -------------------------------------------------------------------------------------------
  // Processes inside tasks (hooks, exec probes, kubectl exec)

  /** Spawns `argv` in the container's current filesystem and runs it to its end or `deadline`. */
  *runExec(p: PodRt, c: ContainerRt, argv: string[], deadline: number): Generator<Wait, ProcEnd, void> {
    const started = this.startExec(p, c, argv);
    if (started.kind !== 'running') return started;
    return yield* this.finishExec(c, started, deadline);
  }

  /**
   * Spawns `argv` and runs it until it first waits: how it ended if it did not (most probe and
   * hook commands end at once, with no task needed), else the process to drive with `finishExec`.
   */
  private startExec(p: PodRt, c: ContainerRt, argv: string[]): ProcEnd | RunningExec {
    if (!c.running || !c.image || !c.fs) return { kind: 'gone' };
    const cap: Capture = { stdout: '', stderr: '', combined: '' };
    const proc = c.image.spawn(argv, this.execHost(p, c, cap), this.now, 'exec');
    if ('startError' in proc) return { kind: 'startError', error: proc.startError };
    c.extra.push(proc);
    let step: ProcessStep;
    try {
      step = proc.run(this.now);
    } catch (err) {
      removeExtra(c, proc);
      throw err;
    }
    if (step.kind !== 'exited') return { kind: 'running', proc, cap, id: c.containerID, step };
    removeExtra(c, proc);
    return { kind: 'exited', exitCode: step.exitCode, ...cap };
  }

  /** Drives a started exec (`startExec`) to its end or `deadline`. */
  private *finishExec(c: ContainerRt, run: RunningExec, deadline: number): Generator<Wait, ProcEnd, void> {
    const { proc, cap, id } = run;
    const alive = () => c.running && c.containerID === id;
    let step = run.step;
    try {
      for (let guard = 0; guard < 1_000_000; guard++) {
        if (step.kind === 'exited') return { kind: 'exited', exitCode: step.exitCode, ...cap };
        if (step.kind === 'budget') {
          this.h.engine.stop({ kind: 'budget', budget: step.budget, detail: step.detail });
        }
        const wake = step.kind === 'blocked' ? step.wakeAt : Number.POSITIVE_INFINITY;
        if (wake >= deadline) {
          yield { until: deadline, cond: () => !alive() };
          if (!alive()) return { kind: 'gone' };
          return { kind: 'timeout', ...cap };
        }
        yield { until: wake, cond: () => !alive() };
        if (!alive()) return { kind: 'gone' };
        step = proc.run(this.now);
      }
      return { kind: 'timeout', ...cap };
    } finally {
      removeExtra(c, proc);
    }
  }

  /**
   * A shadow exec (`Action.shadow`): spawns `argv` like `runExec` but in a copy-on-write view of
   * the container's filesystem, with a network whose servers log nothing, output captured, not
   * listed among the Pod's processes, and driven by free engine events, so that the run goes on
   * exactly as without it. `done` gets its end: exited, start error, gone (the container instance
   * ended meanwhile) or unfinished at `deadline`; `settle` ends it at the end of the run.
   */
  shadowExec(
    p: PodRt,
    c: ContainerRt,
    argv: string[],
    deadline: number,
    done: (r: ProcEnd | { kind: 'unfinished'; at: number }) => void,
  ): { settle(now: number): void } {
    const engine = this.h.engine;
    const id = c.containerID;
    const alive = () => c.running && c.containerID === id;
    let wakeTimer: Timer | undefined;
    let poll: Timer | undefined;
    let ended = false;
    const end = (r: ProcEnd | { kind: 'unfinished'; at: number }) => {
      if (ended) return;
      ended = true;
      engine.cancel(wakeTimer);
      engine.cancel(poll);
      done(r);
    };
    const settle = {
      settle: (now: number) => end(alive() ? { kind: 'unfinished', at: now } : { kind: 'gone' }),
    };
    const image = c.image;
    const fs = c.fs;
    if (!c.running || !image || !fs) {
      end({ kind: 'gone' });
      return settle;
    }
    const cap: Capture = { stdout: '', stderr: '', combined: '' };
    const host: ProcessHost = {
      fs: new OverlayFileSystem(fs, this.h.options.budgets.maxFsBytes),
      net: quietNetwork(this.h.network(p)),
      env: c.env,
      hostname: hostnameOf(p),
      write: captureInto(cap),
      limits: this.processLimits(),
    };
    const spawned = image.spawn(argv, host, this.now, 'exec');
    if ('startError' in spawned) {
      end({ kind: 'startError', error: spawned.startError });
      return settle;
    }
    // Mirrors runExec's loop; where runExec would end the run (a budget), the shadow ends instead.
    const advance = () => {
      for (let guard = 0; guard <= 10_000; guard++) {
        const step = spawned.run(engine.now);
        if (step.kind === 'exited') {
          end({ kind: 'exited', exitCode: step.exitCode, ...cap });
          return;
        }
        if (step.kind === 'budget') {
          end({ kind: 'unfinished', at: engine.now });
          return;
        }
        const wake = step.kind === 'blocked' ? step.wakeAt : Number.POSITIVE_INFINITY;
        if (wake > deadline) return;
        if (wake <= engine.now) continue;
        wakeTimer = engine.schedule(
          wake,
          Prio.timer,
          () => (alive() ? advance() : end({ kind: 'gone' })),
          true,
        );
        return;
      }
      end({ kind: 'unfinished', at: engine.now });
    };
    poll = engine.schedule(
      deadline,
      Prio.shadowDeadline,
      () => end(alive() ? { kind: 'unfinished', at: deadline } : { kind: 'gone' }),
      true,
    );
    advance();
    return settle;
  }

  /** Runs a lifecycle handler (pkg/kubelet/lifecycle/handlers.go); `error` is the kubelet's message. */
  private *runHook(
    p: PodRt,
    c: ContainerRt,
    handler: LifecycleHandler,
    deadline: number,
  ): Generator<Wait, { error?: string; timedOut?: boolean }, void> {
    const podText = formatPod(p);
    if (handler.exec) {
      const cmd = handler.exec.command;
      const r = yield* this.runExec(p, c, cmd, deadline);
      const cmdText = `[${cmd.join(' ')}]`;
      if (r.kind === 'exited') {
        if (r.exitCode === 0) return {};
        return {
          error: `Exec lifecycle hook (${cmdText}) for Container "${c.spec.name}" in Pod "${podText}" failed - error: command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.stderr}, message: ${JSON.stringify(r.combined)}`,
        };
      }
      if (r.kind === 'startError') {
        return {
          error: `Exec lifecycle hook (${cmdText}) for Container "${c.spec.name}" in Pod "${podText}" failed - error: rpc error: code = Unknown desc = failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${r.error}: unknown, message: ""`,
        };
      }
      if (r.kind === 'timeout') return { timedOut: true };
      return {
        error: `Exec lifecycle hook (${cmdText}) for Container "${c.spec.name}" in Pod "${podText}" failed - error: container not running, message: ""`,
      };
    }
    if (handler.httpGet) {
      const g = handler.httpGet;
      const port = resolvePort(g.port, c.spec.ports);
      const path = g.path ?? '/';
      const prefix = `HTTP lifecycle hook (${path}) for Container "${c.spec.name}" in Pod "${podText}" failed - error: `;
      if (port === undefined) return { error: prefix + unresolvedPortError(g.port) };
      const out = httpHookOutcome(this.connectFor(p), p.ip ?? '', port, g);
      if (out.kind === 'hang') {
        yield { until: deadline };
        return { timedOut: true };
      }
      if (out.kind === 'error') {
        if (out.durationMs) yield { until: Math.min(deadline, this.now + out.durationMs) };
        return { error: prefix + out.message };
      }
      return {};
    }
    if (handler.sleep) {
      const until = Math.min(deadline, this.now + Math.max(0, handler.sleep.seconds) * 1000);
      yield { until };
      return {};
    }
    return { error: `invalid handler: tcpSocket is not supported for lifecycle hooks` };
  }

  /** The Pod's TCP connect, one function per Pod (probes ask for it every tick). */
  private connectFor(p: PodRt): Connect {
    let f = this.connects.get(p);
    if (!f) {
      const net = this.h.network(p);
      f = (ip, port) => net.connect(ip, port);
      this.connects.set(p, f);
    }
    return f;
  }

  // -------------------------------------------------------------------------------------------
  // Kill

  /** Grace for a kill: deletionGracePeriodSeconds, else spec terminationGracePeriodSeconds. */
  private podGrace(p: PodRt): number {
    return p.deletionGracePeriodSeconds ?? p.pod.spec.terminationGracePeriodSeconds;
  }

  /**
   * Whether the Pod's state must not be recorded now: kuberuntime's SyncPod kills a container
   * (liveness, startup, definition changed) and starts its next instance in one sync, and the
   * status is generated only between syncs, so a watch never sees the killed instance
   * terminated when it restarts at once. Only at the instant of the death, while that sync runs.
   */
  holdsRecord(p: PodRt): boolean {
    const hold = p.killRestart;
    if (!hold || !p.worker || p.worker.done || p.worker.cancelled) return false;
    for (const c of hold) if (!c.running && c.lastExitAt === this.now) return true;
    return false;
  }

  /**
   * killContainer (kuberuntime_container.go), section 4.3: Killing event, preStop inside the
   * grace period, grace minus the hook's whole seconds (min 2 s), stop signal, SIGKILL at the end.
   */
  *killContainer(
    p: PodRt,
    c: ContainerRt,
    message: string | undefined,
    graceOverride: number | undefined,
  ): Generator<Wait, void, void> {
    if (!c.running) return;
    const id = c.containerID;
    c.killing = true;
    this.event(p, c, 'Normal', 'Killing', message ?? `Stopping container ${c.spec.name}`);
    let grace = graceOverride ?? this.podGrace(p);
    const preStop = c.spec.lifecycle?.preStop;
    if (preStop && grace > 0) {
      const began = this.now;
      const res = yield* this.runHook(p, c, preStop, began + grace * 1000);
      if (res.error !== undefined && c.running && c.containerID === id) {
        this.event(p, c, 'Warning', 'FailedPreStopHook', 'PreStopHook failed');
      }
      grace -= Math.floor((this.now - began) / 1000);
    }
    if (grace < MIN_GRACE_SECONDS) grace = MIN_GRACE_SECONDS;
    const alive = () => c.running && c.containerID === id;
    if (alive()) {
      c.proc!.signal('SIGTERM', this.now);
      this.driveMain(p, c);
    }
    if (alive()) yield { until: this.now + grace * 1000, cond: () => !alive() };
    if (alive()) {
      c.proc!.signal('SIGKILL', this.now);
      this.driveMain(p, c);
      if (alive()) this.containerExited(p, c, 137);
    }
    c.killing = false;
  }

  // -------------------------------------------------------------------------------------------
  // Probes

  private scheduleProbe(p: PodRt, c: ContainerRt, w: ProbeWorker, at: number): void {
    this.h.engine.cancel(w.timer);
    w.timer = this.h.engine.schedule(at, Prio.probe, () => {
      w.timer = undefined;
      this.probeTick(p, c, w);
    });
  }

  private containerView(p: PodRt, c: ContainerRt): ContainerView {
    const v: ContainerView = {
      running: c.running && c.postStartDone && c.state.kind === 'running',
      started: isStarted(c),
      terminatedForGood:
        !c.running && c.instances > 0 && c.role === 'regular' && p.pod.spec.restartPolicy === 'Never',
    };
    // While postStart runs the status has not caught up with the new instance: the worker
    // sees no container ID yet and waits (worker.go "probe target container not found").
    if (c.containerID !== undefined && !(c.running && !c.postStartDone)) v.id = c.containerID;
    if (c.startedAt !== undefined && c.running) v.startedAt = c.startedAt;
    return v;
  }

  private probeTick(p: PodRt, c: ContainerRt, w: ProbeWorker): void {
    if (w.busy) return;
    const before = w.result;
    const d = probeDue(
      w,
      this.now,
      { terminal: p.terminalPhase !== undefined, deleting: p.deletionTimestamp !== undefined },
      this.containerView(p, c),
    );
    if (d.published !== undefined && d.published !== before) this.h.changed(p);
    if (d.kind === 'stop') return;
    if (d.kind === 'skip') {
      // A worker that can only act on a new container instance (startup worker once started,
      // on hold, container not running) is parked and re-armed when the next instance runs;
      // the ticks it skips meanwhile change nothing.
      const view = this.containerView(p, c);
      if (w.onHold || !view.running || (w.type === 'startup' && view.started)) return;
      this.scheduleProbe(p, c, w, nextTickAt(w, this.now + 1));
      return;
    }
    const ranAt = this.now;
    w.busy = true;
    if (!w.probe.exec) {
      // Network probes answer at once or after their timeout: no task needed.
      const out: HandlerOutcome = networkProbeOutcome(
        w.probe,
        p.ip ?? '',
        c.spec.ports,
        this.connectFor(p),
      ) ?? {
        kind: 'error',
        output: 'missing probe handler',
      };
      if (out.durationMs && out.durationMs > 0) {
        this.h.engine.schedule(this.now + out.durationMs, Prio.timer, () =>
          this.probeFinished(p, c, w, ranAt, out),
        );
      } else this.probeFinished(p, c, w, ranAt, out);
      return;
    }
    // An exec probe: most commands end at once; one that waits goes on in a task.
    const started = this.startExec(p, c, w.probe.exec.command);
    if (started.kind !== 'running') {
      this.probeFinished(p, c, w, ranAt, this.execProbeOutcome(p, c, w, started));
      return;
    }
    const running: RunningExec = started;
    const deadline = ranAt + Math.max(1, w.probe.timeoutSeconds) * 1000;
    const self = this;
    function* run(): Generator<Wait, void, void> {
      const end = yield* self.finishExec(c, running, deadline);
      self.probeFinished(p, c, w, ranAt, self.execProbeOutcome(p, c, w, end));
    }
    this.h.engine.startTask(run(), p.scope);
  }

  /** A probe run that began at `ranAt` ended: record it, then arm the worker's next tick. */
  private probeFinished(
    p: PodRt,
    c: ContainerRt,
    w: ProbeWorker,
    ranAt: number,
    outcome: HandlerOutcome,
  ): void {
    w.busy = false;
    this.probeDone(p, c, w, outcome);
    if (!w.stopped) this.scheduleProbe(p, c, w, nextProbeAt(w, ranAt, this.now));
  }

  /** What an exec probe's process end means (pkg/probe/exec). */
  private execProbeOutcome(p: PodRt, c: ContainerRt, w: ProbeWorker, r: ProcEnd): HandlerOutcome {
    const probe = w.probe;
    const cmd = probe.exec?.command ?? [];
    if (r.kind === 'exited') return execOutcome(cmd, { exitCode: r.exitCode, output: r.combined });
    if (r.kind === 'timeout')
      return execOutcome(cmd, { timedOut: true, timeoutSeconds: probe.timeoutSeconds });
    if (r.kind === 'startError') {
      this.noteOnce(
        p,
        c,
        w.type,
        `The ${w.type} probe of container "${c.spec.name}" runs "${cmd[0] ?? ''}", which image ${c.spec.image} does not have: the probe errors and its result is discarded, so it never ${w.type === 'readiness' ? 'makes the container ready' : 'restarts the container'} (k/k#106682). Wrap it in sh -c to turn it into an ordinary failure.`,
      );
      return execOutcome(cmd, { startError: r.error, execId: hexExecId(p, c, w, this.now) });
    }
    return { kind: 'error', output: `container "${c.spec.name}" is not running` };
  }

  private probeDone(p: PodRt, c: ContainerRt, w: ProbeWorker, outcome: HandlerOutcome): void {
    if (p.removed && p.terminator === undefined) return;
    this.h.trace.probes.push({
      at: this.now,
      pod: p.pod.metadata.name,
      namespace: p.pod.metadata.namespace,
      container: c.spec.name,
      probe: w.type,
      result: outcome.kind === 'error' ? 'error' : outcome.kind === 'failure' ? 'failure' : 'success',
      // The kubelet discards a successful probe's output (prober.go keeps only the result); the
      // trace keeps its start for explanations and tooltips, so a day of probes stays small.
      output:
        outcome.kind === 'failure' || outcome.kind === 'error'
          ? (outcome.output ?? '')
          : (outcome.output ?? '').slice(0, SUCCESS_OUTPUT_CHARS),
    });
    const ev = probeEvent(w.type, outcome);
    if (ev) this.event(p, c, ev.type, ev.reason, ev.message);
    const before = w.result;
    const r = recordOutcome(w, outcome);
    if (r.published !== undefined) this.published(p, c, w, r.published, before);
  }

  /** A probe run published a result (results manager): update status on change, act on verdicts. */
  private published(
    p: PodRt,
    c: ContainerRt,
    w: ProbeWorker,
    result: ProbeResult,
    before: ProbeResult,
  ): void {
    if (result !== before) this.h.changed(p);
    if (!c.running) return;
    if ((w.type === 'liveness' || w.type === 'startup') && result === 'failure') {
      const restart = c.role === 'sidecar' || p.pod.spec.restartPolicy !== 'Never';
      const base = probeKillMessage(w.type, c.spec.name);
      c.killRequest = {
        message: restart ? base : base.replace(/, will be restarted$/, ''),
        restart,
        graceSeconds: w.probe.terminationGracePeriodSeconds ?? this.podGrace(p),
      };
      this.requestSync(p);
    } else if (w.type === 'startup' && result === 'success') {
      this.triggerReadiness(p, c);
      this.requestSync(p);
    }
  }

  /** Re-arms parked probe workers at the tick they would have reached (same phase, same order). */
  private rearmProbes(p: PodRt, c: ContainerRt): void {
    for (const w of c.probes) {
      if (w.stopped || w.busy || w.timer) continue;
      let next = nextTickAt(w, this.now);
      // A tick of this very instant would already have run before an event of lower priority.
      if (next === this.now && this.h.engine.currentPrio > Prio.probe) next = nextTickAt(w, this.now + 1);
      this.scheduleProbe(p, c, w, next);
    }
  }

  /** Readiness manual trigger on container start and startup success (section 13). */
  private triggerReadiness(p: PodRt, c: ContainerRt): void {
    for (const w of c.probes) {
      if (w.type !== 'readiness' || w.busy) continue;
      if (manualTrigger(w, this.now, this.containerView(p, c))) this.scheduleProbe(p, c, w, this.now);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Image update (apply)

  /** Applies new images to a running Pod: changed containers are killed and restarted ("definition changed"). */
  updateImages(p: PodRt, images: Map<string, string>): void {
    for (const c of allContainers(p)) {
      const img = images.get(c.spec.name);
      if (img === undefined || img === c.spec.image) continue;
      c.spec = { ...c.spec, image: img };
      c.hash = specHash(c.spec);
      if (c.running) {
        c.killRequest = {
          message: `Container ${c.spec.name} definition changed, will be restarted`,
          restart: true,
        };
      }
    }
    this.h.changed(p);
    this.requestSync(p);
  }

  // -------------------------------------------------------------------------------------------
  // Termination

  /** Graceful deletion: kill everything (regular in parallel, then sidecars in reverse), terminal phase, removal (section 9). */
  startTermination(p: PodRt, why: 'delete' | 'deadline' | 'completed'): void {
    if (p.terminator && !p.terminator.done) {
      // Already stopping (deadline, completion): a deletion's grace period may be shorter; the
      // running flow removes the object at its end because the Pod now has a deletionTimestamp.
      if (why === 'delete') {
        for (const c of allContainers(p)) {
          if (c.running) this.h.engine.startTask(this.killContainer(p, c, undefined, undefined), p.scope);
        }
      }
      return;
    }
    this.h.engine.cancelTask(p.worker);
    p.worker = undefined;
    this.h.engine.cancel(p.syncTimer);
    p.syncTimer = undefined;
    this.h.engine.cancel(p.deadlineTimer);
    const self = this;
    function* run(): Generator<Wait, void, void> {
      // A kill already in progress (liveness, postStart) is overtaken by this one when its grace
      // period is shorter: containerd's second StopContainer sends SIGKILL at its own deadline.
      const regular = p.regular.filter((c) => c.running);
      const tasks = regular.map((c) =>
        self.h.engine.startTask(self.killContainer(p, c, undefined, undefined), p.scope),
      );
      yield { cond: () => tasks.every((t) => t.done) && p.regular.every((c) => !c.running) };
      for (const c of [...p.init].reverse()) {
        if (c.role !== 'sidecar' || !c.running) continue;
        yield* self.killContainer(p, c, undefined, undefined);
      }
      for (const c of p.init) {
        if (c.role === 'init' && c.running && !c.killing)
          yield* self.killContainer(p, c, undefined, undefined);
      }
      if (p.deletionTimestamp !== undefined) {
        if (!p.terminalPhase) {
          const ok = p.regular.every((c) => c.state.kind === 'terminated' && c.state.exitCode === 0);
          p.terminalPhase = ok ? 'Succeeded' : 'Failed';
        }
        self.h.changed(p);
        if (!p.removed) {
          self.h.flush(p);
          self.h.remove(p);
        }
      } else {
        self.h.changed(p);
      }
    }
    p.terminator = this.h.engine.startTask(run(), p.scope);
  }

  /** API DELETE with a grace period: deletionTimestamp, Terminating, then the kubelet's termination. */
  deletePod(p: PodRt, graceSeconds: number, force: boolean): void {
    if (p.deletionTimestamp === undefined) {
      p.deletionTimestamp = this.now + graceSeconds * 1000;
      p.deletionGracePeriodSeconds = graceSeconds;
    } else if (graceSeconds < (p.deletionGracePeriodSeconds ?? Number.POSITIVE_INFINITY)) {
      // A second DELETE may only shorten the grace period.
      p.deletionTimestamp = Math.min(p.deletionTimestamp, this.now + graceSeconds * 1000);
      p.deletionGracePeriodSeconds = graceSeconds;
    }
    this.h.changed(p);
    if (force) this.h.remove(p);
    if (p.admittedAt === undefined) {
      if (!p.removed) this.h.remove(p);
      return;
    }
    if (p.terminalPhase && !allContainers(p).some((c) => c.running)) {
      if (!p.removed) this.h.remove(p);
      return;
    }
    this.startTermination(p, 'delete');
  }

  /** activeDeadlineSeconds reached (section 9): Failed, DeadlineExceeded, containers killed. */
  private deadlineExceeded(p: PodRt): void {
    if (p.terminalPhase || p.removed || p.deletionTimestamp !== undefined) return;
    p.terminalPhase = 'Failed';
    p.reason = 'DeadlineExceeded';
    p.message = 'Pod was active on the node longer than the specified deadline';
    this.event(p, undefined, 'Warning', 'DeadlineExceeded', p.message);
    this.h.changed(p);
    this.startTermination(p, 'deadline');
  }

  /** Called when the status turned terminal by itself (getPhase): stop what still runs. */
  becameTerminal(p: PodRt): void {
    this.h.engine.cancel(p.deadlineTimer);
    if (allContainers(p).some((c) => c.running)) this.startTermination(p, 'completed');
  }

  // -------------------------------------------------------------------------------------------
  // Listeners for the network view

  /** Servers listening in the Pod's network namespace. */
  listeners(p: PodRt): readonly Listener[] {
    let out: readonly Listener[] = [];
    for (const c of p.init) out = containerListeners(c, out);
    for (const c of p.regular) out = containerListeners(c, out);
    return out;
  }
}

/** `before` followed by the servers of container `c` (copied only when both have some). */
function containerListeners(c: ContainerRt, before: readonly Listener[]): readonly Listener[] {
  let out = before;
  if (c.running && c.proc) out = joined(out, c.proc.listeners());
  for (const x of c.extra) out = joined(out, x.listeners());
  return out;
}

function joined(a: readonly Listener[], b: readonly Listener[]): readonly Listener[] {
  return b.length === 0 ? a : a.length === 0 ? b : [...a, ...b];
}

/** Drops an ended exec'd process from the container's list (usually the last one added). */
function removeExtra(c: ContainerRt, proc: Process): void {
  const i = c.extra.lastIndexOf(proc);
  if (i >= 0) c.extra.splice(i, 1);
}

/** The spec hash the kubelet uses to detect a changed definition (only the image may change). */
export function specHash(c: Container): string {
  return stableJson({ image: c.image });
}

/** The Pod's network for a shadow exec: servers answer without writing access logs. */
function quietNetwork(net: PodNetwork): PodNetwork {
  return {
    resolve: (name) => net.resolve(name),
    nslookup: (name) => net.nslookup(name),
    connect(ip, port) {
      const l = net.connect(ip, port);
      if (typeof l === 'string' || !l.http) return l;
      const http = l.http;
      // Without `now` and `remoteAddr` a server (nginx) logs nothing (runtime contract).
      return {
        port: l.port,
        http: (req) => http({ method: req.method, path: req.path, headers: req.headers }),
      };
    },
  };
}

function hexExecId(p: PodRt, c: ContainerRt, w: ProbeWorker, now: number): string {
  return containerId(p.uid, `${c.spec.name}/${w.type}/exec`, now).slice('containerd://'.length);
}

/** Registries that exist on the Internet (an unknown host fails in DNS instead). */
const KNOWN_REGISTRIES = new Set([
  'docker.io',
  'registry-1.docker.io',
  'registry.k8s.io',
  'k8s.gcr.io',
  'gcr.io',
  'quay.io',
  'ghcr.io',
  'public.ecr.aws',
  'mcr.microsoft.com',
]);

/**
 * containerd's error for an image that cannot be pulled (section 8; the texts of containerd 1.7,
 * approximated — see docs/deviations.md): an unknown registry host fails in DNS, an unknown tag
 * of a known repository is `not found`, any other repository is `pull access denied`.
 */
export function pullError(ref: string): string {
  const full = normalizeRef(ref);
  const head = `failed to pull and unpack image "${full}": failed to resolve reference "${full}"`;
  const host = full.split('/')[0] ?? '';
  if (!KNOWN_REGISTRIES.has(host)) {
    const repo = full.slice(host.length + 1).replace(/[:@].*$/, '');
    const tag = /[:@]([^/]*)$/.exec(full.slice(host.length + 1))?.[1] ?? 'latest';
    return `${head}: failed to do request: Head "https://${host}/v2/${repo}/manifests/${tag}": dial tcp: lookup ${host.replace(/:\d+$/, '')}: no such host`;
  }
  // A well-known repository that podlab does not simulate is never called nonexistent.
  if (knownButNotSimulated(ref) !== undefined)
    return `${head}: podlab does not simulate this image (the repository exists; see docs/runtime.md for the images podlab runs)`;
  // A repository of the built-in catalogue: a tag podlab does not know is "not found" there.
  const repository = repositoryOf(ref);
  if (repository !== undefined && isSimulatedRepository(repository)) return `${head}: ${full}: not found`;
  return `${head}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed`;
}

/** docker.io normalisation of an image reference (`busybox` → `docker.io/library/busybox:latest`). */
export function normalizeRef(ref: string): string {
  let name = ref;
  let tag = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    tag = name.slice(at);
    name = name.slice(0, at);
  } else {
    const slash = name.lastIndexOf('/');
    const colon = name.lastIndexOf(':');
    if (colon > slash) {
      tag = `:${name.slice(colon + 1)}`;
      name = name.slice(0, colon);
    } else tag = ':latest';
  }
  const first = name.split('/')[0] ?? '';
  const hasRegistry =
    name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) name = name.includes('/') ? `docker.io/${name}` : `docker.io/library/${name}`;
  return `${name}${tag}`;
}

/** The Pod's emptyDir volumes and, unless automount is off, its service-account token volume (pod-files.ts). */
function podVolumes(p: PodRt, maxBytes: number, now: number): Map<string, FileSystem> {
  const volumes = emptyDirVolumes(p.pod, maxBytes);
  if (automountsToken(p.pod)) volumes.set(tokenVolumeName(p.uid), tokenVolume(p.pod, now, p.uid));
  return volumes;
}

/** The admission-added read-only token mount of a container (none if automount is off or the path is mounted). */
function tokenMounts(p: PodRt, c: Container): { name: string; mountPath: string }[] {
  if (!automountsToken(p.pod) || !mountsToken(c)) return [];
  return [{ name: tokenVolumeName(p.uid), mountPath: SERVICE_ACCOUNT_MOUNT_PATH }];
}
