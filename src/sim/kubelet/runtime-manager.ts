/**
 * The kubelet's runtime manager for one container (k/k pkg/kubelet/kuberuntime/
 * kuberuntime_container.go startContainer / killContainer, kuberuntime_manager.go doBackOff):
 * crash-loop back-off, volumes, image, config (environment), create, start, postStart; the kill
 * with preStop and grace period. kubernetes-semantics.md sections 4.2, 4.3, 5 and 8.
 */
import type { Container } from '../../model/k8s.ts';
import type { FileSystem, Image, Process } from '../../model/runtime.ts';
import { NODE_IP } from '../cluster/endpoints.ts';
import type { Wait } from '../engine.ts';
import { containerId, goDuration, stableJson } from '../util.ts';
import { Backoff } from './backoff.ts';
import type { ConfigVolumeSync } from './config-sync.ts';
import type { ContainerProcesses } from './container-process.ts';
import { formatPod, type KubeletContext, NODE_NAME } from './context.ts';
import { containerEnv, expandCommand } from './env.ts';
import type { ImageManager } from './image-manager.ts';
import type { HookRunner } from './lifecycle-hooks.ts';
import { freshFilesystem } from './overlay-fs.ts';
import {
  automountsToken,
  mountsToken,
  SERVICE_ACCOUNT_MOUNT_PATH,
  tokenVolume,
  tokenVolumeName,
  writeEtcFiles,
} from './pod-files.ts';
import type { ProbeManager } from './probe-manager.ts';
import { type ContainerRt, hostnameOf, type PodRt } from './types.ts';
import { configVolumes, emptyDirVolumes, withMounts } from './volumes.ts';

/** A failed sync is retried 10 s later (pod_workers.go backOffPeriod, without jitter). */
const ERROR_RESYNC_MS = 10_000;
/** kuberuntime_container.go minimumGracePeriodInSeconds. */
const MIN_GRACE_SECONDS = 2;

/** Starts and kills the node's containers. */
export class RuntimeManager {
  /** Crash-loop back-off per container definition (`<podUID>/<name>/<hash>`). */
  readonly crashBackoff = new Backoff();

  constructor(
    private readonly ctx: KubeletContext,
    private readonly images: ImageManager,
    private readonly main: ContainerProcesses,
    private readonly hooks: HookRunner,
    private readonly probes: ProbeManager,
    /** Rewrites mounted configMap/secret volumes at a Pod's periodic sync after a change (config-sync.ts). */
    private readonly configSync: ConfigVolumeSync,
  ) {}

  /** doBackOff + startContainer (kuberuntime_manager.go), section 4.2; `exitAt`: the exit the sync saw. */
  *startWithBackoff(p: PodRt, c: ContainerRt, exitAt: number | undefined): Generator<Wait, void, void> {
    const ctx = this.ctx;
    const key = `${p.uid}/${c.spec.name}/${c.hash}`;
    if (exitAt !== undefined) {
      if (this.crashBackoff.isInBackOffSince(key, exitAt, ctx.now)) {
        const d = goDuration(this.crashBackoff.get(key));
        const message = `back-off ${d} restarting failed container=${c.spec.name} pod=${formatPod(p)}`;
        setWaiting(c, 'CrashLoopBackOff', message);
        // One BackOff event per back-off period (upstream repeats it at every sync meanwhile).
        if (c.backOffEventFor !== exitAt) {
          c.backOffEventFor = exitAt;
          ctx.event(
            p,
            c,
            'Warning',
            'BackOff',
            `Back-off restarting failed container ${c.spec.name} in pod ${formatPod(p)}`,
          );
        }
        ctx.h.changed(p);
        ctx.requestSync(p, this.crashBackoff.expiresAt(key, exitAt));
        return;
      }
      this.crashBackoff.next(key, exitAt, ctx.now);
    }
    yield* this.startContainer(p, c);
  }

  /**
   * A start that failed before the container was created (image, config): the container waits
   * with `reason`, and the pod worker tries again after its error back-off.
   */
  private startFailed(p: PodRt, c: ContainerRt, reason: string, message: string): void {
    setWaiting(c, reason, message);
    this.ctx.h.changed(p);
    this.ctx.requestSync(p, this.ctx.now + ERROR_RESYNC_MS);
  }

  /**
   * Volumes are set up before any container (volumemanager WaitForAttachAndMount): a
   * configMap/secret volume whose object is missing keeps the Pod in ContainerCreating.
   */
  private mountVolumes(p: PodRt): boolean {
    if (p.volumes) return true;
    const ctx = this.ctx;
    const maxFsBytes = ctx.h.options.budgets.maxFsBytes;
    const config = configVolumes(
      p.pod,
      (kind, name) => ctx.h.config(kind, p.pod.metadata.namespace, name),
      ctx.now,
      p.uid,
    );
    if ('failed' in config) {
      ctx.event(p, undefined, 'Warning', 'FailedMount', config.failed);
      ctx.requestSync(p, ctx.now + ERROR_RESYNC_MS);
      return false;
    }
    const volumes = podVolumes(p, maxFsBytes, ctx.now);
    for (const [name, fs] of config.volumes) volumes.set(name, fs);
    p.volumes = volumes;
    this.configSync.track(p);
    return true;
  }

  /**
   * The container's config (generateContainerConfig): its environment, from the Services that
   * exist now; a missing ConfigMap or Secret stops it (undefined: the start failed).
   */
  private containerConfig(p: PodRt, c: ContainerRt, image: Image): [string, string][] | undefined {
    const ctx = this.ctx;
    const env = containerEnv({
      pod: p.pod,
      container: c.spec,
      uid: p.uid,
      podIP: p.ip ?? '',
      nodeName: NODE_NAME,
      hostIP: NODE_IP,
      services: ctx.h.services(),
      config: (kind, name) => ctx.h.config(kind, p.pod.metadata.namespace, name),
      warn: (reason, message) => ctx.event(p, c, 'Warning', reason, message),
    });
    if ('error' in env) {
      ctx.noteOnce(
        p,
        c,
        'config',
        `${env.error}: the container stays in CreateContainerConfigError until the object (or key) exists; the kubelet retries at each pod sync and the environment is fixed when the container is created.`,
      );
      ctx.event(p, c, 'Warning', 'Failed', `Error: ${env.error}`);
      this.startFailed(p, c, 'CreateContainerConfigError', env.error);
      return undefined;
    }
    c.env = runtimeEnv(p, env.env, image.path);
    return env.env;
  }

  /** Pull (if needed), create, start, postStart: kuberuntime_container.go startContainer. */
  private *startContainer(p: PodRt, c: ContainerRt): Generator<Wait, void, void> {
    const ctx = this.ctx;
    if (!this.mountVolumes(p)) return;
    const pulled = yield* this.images.ensureImageExists(p, c);
    if (pulled.kind === 'failed') this.startFailed(p, c, pulled.reason, pulled.message);
    if (pulled.kind !== 'ready' || !pulled.image) return;
    const image = pulled.image;
    const env = this.containerConfig(p, c, image);
    if (!env) return;

    // Create.
    const attempt = c.instances;
    c.instances++;
    if (c.state.kind === 'terminated') c.lastState = c.state;
    c.restartCount = attempt;
    c.containerID = containerId(p.uid, c.spec.name, attempt);
    c.image = image;
    c.postStartDone = false;
    ctx.event(p, c, 'Normal', 'Created', `Created container: ${c.spec.name}`);
    const maxFsBytes = ctx.h.options.budgets.maxFsBytes;
    // emptyDir volumes: created with the Pod's first container, shared, kept across restarts.
    p.volumes ??= podVolumes(p, maxFsBytes, ctx.now);
    const own = freshFilesystem(image, maxFsBytes);
    writeEtcFiles(own, p.pod, p.ip ?? '');
    const fs = withMounts(own, c.spec, p.volumes, tokenMounts(p, c.spec));
    c.fs = fs;
    c.logPartial = { stdout: '', stderr: '' };
    const host = this.main.mainHost(p, c, fs);
    c.host = host;
    const argv = resolveArgv(expandCommand(c.spec, env), image);
    const spawned: Process | { startError: string } =
      argv.length === 0 ? { startError: 'no command specified' } : image.spawn(argv, host, ctx.now, 'main');
    if ('startError' in spawned) {
      // containerd: the task cannot start; terminated StartError 128, kubelet shows RunContainerError.
      const err = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${spawned.startError}: unknown`;
      ctx.event(p, c, 'Warning', 'Failed', `Error: ${err}`);
      c.state = {
        kind: 'terminated',
        exitCode: 128,
        reason: 'StartError',
        message: err,
        finishedAt: ctx.now,
      };
      c.lastExitAt = ctx.now;
      c.lastExitCode = 128;
      setWaiting(c, 'RunContainerError', err);
      ctx.h.changed(p);
      ctx.requestSync(p);
      return;
    }
    ctx.event(p, c, 'Normal', 'Started', `Started container ${c.spec.name}`);
    c.proc = spawned;
    c.running = true;
    c.startedAt = ctx.now;
    c.startFailure = undefined;
    if (c.role === 'regular') c.everStarted = true;
    const postStart = c.spec.lifecycle?.postStart;
    c.state = postStart
      ? { kind: 'waiting', reason: p.init.length > 0 ? 'PodInitializing' : 'ContainerCreating' }
      : { kind: 'running', startedAt: ctx.now };
    c.postStartDone = !postStart;
    ctx.h.changed(p);
    const id = c.containerID;
    this.main.drive(p, c);
    if (postStart && c.running && c.containerID === id) {
      const res = yield* this.hooks.run(p, c, postStart, Number.POSITIVE_INFINITY);
      if (!c.running || c.containerID !== id) return;
      if (res.error !== undefined) {
        ctx.event(p, c, 'Warning', 'FailedPostStartHook', 'PostStartHook failed');
        // A task of its own: a deletion that cancels this sync must not abandon the kill.
        const kill = ctx.h.engine.startTask(
          this.killContainer(p, c, 'FailedPostStartHook', undefined),
          p.scope,
        );
        yield { cond: () => kill.done || kill.cancelled };
        setWaiting(c, 'PostStartHookError', res.error);
        ctx.h.changed(p);
        return;
      }
      c.postStartDone = true;
      c.state = { kind: 'running', startedAt: c.startedAt ?? ctx.now };
      ctx.h.changed(p);
    }
    if (c.running && c.containerID === id) {
      this.probes.rearm(p, c);
      this.probes.triggerReadiness(p, c);
      // PLEG ContainerStarted: another sync follows (e.g. the next init after a sidecar).
      if (c.role !== 'regular') ctx.requestSync(p);
    }
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
    const ctx = this.ctx;
    const id = c.containerID;
    c.killing = true;
    ctx.event(p, c, 'Normal', 'Killing', message ?? `Stopping container ${c.spec.name}`);
    let grace = graceOverride ?? ctx.podGrace(p);
    const preStop = c.spec.lifecycle?.preStop;
    if (preStop && grace > 0) {
      const began = ctx.now;
      const res = yield* this.hooks.run(p, c, preStop, began + grace * 1000);
      if (res.error !== undefined && c.running && c.containerID === id) {
        ctx.event(p, c, 'Warning', 'FailedPreStopHook', 'PreStopHook failed');
      }
      grace -= Math.floor((ctx.now - began) / 1000);
    }
    if (grace < MIN_GRACE_SECONDS) grace = MIN_GRACE_SECONDS;
    const alive = () => c.running && c.containerID === id;
    if (alive()) {
      c.proc!.signal('SIGTERM', ctx.now);
      this.main.drive(p, c);
    }
    if (alive()) yield { until: ctx.now + grace * 1000, cond: () => !alive() };
    if (alive()) {
      c.proc!.signal('SIGKILL', ctx.now);
      this.main.drive(p, c);
      if (alive()) this.main.exited(p, c, 137);
    }
    c.killing = false;
  }
}

/** Sets a waiting state, moving a terminated state to lastState (kubelet reasonCache). */
export function setWaiting(c: ContainerRt, reason: string, message?: string): void {
  if (c.state.kind === 'terminated') c.lastState = c.state;
  c.state = message === undefined ? { kind: 'waiting', reason } : { kind: 'waiting', reason, message };
  c.startFailure = { reason, message: message ?? '' };
}

/** Resolves the argv of a container from command/args and the image's ENTRYPOINT/CMD (Kubernetes rules). */
export function resolveArgv(spec: Pick<Container, 'command' | 'args'>, image: Image): string[] {
  if (spec.command && spec.command.length > 0) return [...spec.command, ...(spec.args ?? [])];
  if (spec.args && spec.args.length > 0) return [...image.entrypoint, ...spec.args];
  return [...image.entrypoint, ...image.cmd];
}

/** The spec hash the kubelet uses to detect a changed definition (only the image may change). */
export function specHash(c: Container): string {
  return stableJson({ image: c.image });
}

/** The runtime's variables (image PATH, HOSTNAME, HOME), then the kubelet's (`env.ts`). */
function runtimeEnv(
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
  for (const [name, value] of kubeletEnv) {
    if (name === '__proto__')
      Object.defineProperty(env, name, { value, writable: true, enumerable: true, configurable: true });
    else env[name] = value;
  }
  return env;
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
