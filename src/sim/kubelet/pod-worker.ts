/**
 * The pod worker (k/k pkg/kubelet/pod_workers.go UpdatePod / podWorkerLoop, kubelet.go
 * HandlePodAdditions and SyncPod, kuberuntime_manager.go computePodActions + SyncPod):
 * admission, one sync at a time per Pod, which containers to kill and start, the
 * activeDeadlineSeconds timer, and the probe results that make it sync. The termination of a
 * Pod (deletion, deadline, completion) is `pod-termination.ts`. kubernetes-semantics.md
 * sections 4.1, 9 and 13.
 */
import { Prio, type Wait } from '../engine.ts';
import { type KubeletContext, NODE_NAME } from './context.ts';
import type { PodTermination } from './pod-termination.ts';
import type { ProbeManager, ProbeResultCaches } from './probe-manager.ts';
import type { ResultUpdate } from './probe-results.ts';
import { probeKillMessage } from './probe-worker.ts';
import { type RuntimeManager, specHash } from './runtime-manager.ts';
import { isStarted } from './status.ts';
import { allContainers, type ContainerRt, type PodRt } from './types.ts';

/** Why the sync kills a running container, and whether it starts it again. */
type KillRequest = NonNullable<ContainerRt['killRequest']>;

/** The node's pod workers. */
export class PodWorker {
  constructor(
    private readonly ctx: KubeletContext,
    private readonly runtime: RuntimeManager,
    private readonly probes: ProbeManager,
    private readonly results: ProbeResultCaches,
    private readonly termination: PodTermination,
  ) {
    ctx.setSyncRequest((p, at) => this.requestSync(p, at));
    results.liveness.subscribe((u) => this.probeResultChanged('liveness', u));
    results.startup.subscribe((u) => this.probeResultChanged('startup', u));
  }

  /** The kubelet admits a new Pod: Scheduled event, probe workers, first sync (section 13: all in 0 s). */
  admit(p: PodRt): void {
    const ctx = this.ctx;
    p.admittedAt = ctx.now;
    p.startTime = ctx.now;
    ctx.event(
      p,
      undefined,
      'Normal',
      'Scheduled',
      `Successfully assigned ${p.pod.metadata.namespace}/${p.pod.metadata.name} to ${NODE_NAME}`,
      'default-scheduler',
    );
    this.probes.addPod(p);
    this.termination.armDeadline(p);
    ctx.h.changed(p);
    this.requestSync(p);
  }

  /** Asks the pod worker for a sync at `at` (default now); requests at one instant coalesce. */
  requestSync(p: PodRt, at = this.ctx.now): void {
    const engine = this.ctx.h.engine;
    if (p.removed && p.terminator === undefined) return;
    if (p.syncTimer && !p.syncTimer.cancelled && p.syncTimer.at <= at) return;
    engine.cancel(p.syncTimer);
    p.syncTimer = engine.schedule(at, Prio.sync, () => {
      p.syncTimer = undefined;
      if (p.worker && !p.worker.done && !p.worker.cancelled) {
        p.syncPending = true;
        return;
      }
      this.startSync(p);
    });
  }

  /**
   * A liveness or startup result changed (the results managers' Updates, kubelet.go
   * syncLoopIteration → handleProbeSync): a Failure kills the container at the sync that follows,
   * a startup Success lets the next containers start. Upstream syncs on every startup update;
   * podlab skips the syncs that find nothing to do (container not running, Pod being deleted).
   */
  private probeResultChanged(type: 'liveness' | 'startup', u: ResultUpdate): void {
    const { pod: p, container: c, result } = u;
    if (!c.running) return;
    const startupSuccess = type === 'startup' && result === 'success' && p.deletionTimestamp === undefined;
    if (result === 'failure' || startupSuccess) this.requestSync(p);
  }

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
    this.ctx.h.changed(p);
    this.requestSync(p);
  }

  private startSync(p: PodRt): void {
    p.syncPending = false;
    const self = this;
    function* run(): Generator<Wait, void, void> {
      yield* self.syncPod(p);
      p.worker = undefined;
      if (p.syncPending) self.requestSync(p);
    }
    p.worker = this.ctx.h.engine.startTask(run(), p.scope);
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

  /**
   * Why the sync must kill running container `c` (computePodActions): its definition changed,
   * else its liveness result, else its startup result is Failure in the results cache.
   */
  private killReason(p: PodRt, c: ContainerRt): KillRequest | undefined {
    if (c.killRequest) return c.killRequest;
    for (const type of ['liveness', 'startup'] as const) {
      if (this.results[type].get(c.containerID) !== 'failure') continue;
      const restart = c.role === 'sidecar' || p.pod.spec.restartPolicy !== 'Never';
      const base = probeKillMessage(type, c.spec.name);
      const probe = type === 'liveness' ? c.spec.livenessProbe : c.spec.startupProbe;
      return {
        message: restart ? base : base.replace(/, will be restarted$/, ''),
        restart,
        // killContainer: the probe's terminationGracePeriodSeconds overrides the Pod's.
        graceSeconds: probe?.terminationGracePeriodSeconds ?? this.ctx.podGrace(p),
      };
    }
    return undefined;
  }

  /** One SyncPod (kuberuntime_manager.go computePodActions + SyncPod), section 4.1. */
  private *syncPod(p: PodRt): Generator<Wait, void, void> {
    if (p.terminalPhase || p.deletionTimestamp !== undefined || p.removed) return;
    if (p.terminator && !p.terminator.done) return;
    if (!p.sandbox) {
      p.sandbox = true;
      p.ip = this.ctx.h.allocateIP(p);
      this.ctx.h.changed(p);
    }
    // doBackOff reads the pod status as it was when the sync began.
    const prevExit = new Map<ContainerRt, number | undefined>();
    for (const c of allContainers(p)) prevExit.set(c, c.lastExitAt);

    // 1. Kill containers that must die (liveness/startup verdicts, definition changed), in parallel.
    const restartAfterKill = yield* this.killForSync(p);
    for (const c of allContainers(p)) if (!c.running) c.killRequest = undefined;

    const start = (c: ContainerRt) => this.runtime.startWithBackoff(p, c, prevExit.get(c));
    const wanted = (c: ContainerRt) => this.shouldRestart(p, c) || restartAfterKill.has(c);
    // 2. Init containers (plain: one at a time, each must exit 0; sidecars: next once started).
    const initialized = p.regular.some((c) => c.everStarted) || this.initDone(p);
    if (!initialized) {
      for (const c of p.init) {
        if (c.role === 'init' && c.completed) continue;
        if (c.role === 'sidecar' && isStarted(c)) continue;
        if (c.running) break;
        if (wanted(c)) yield* start(c);
        break;
      }
      return;
    }
    for (const c of p.init) {
      if (c.role === 'sidecar' && !c.running && wanted(c)) {
        yield* start(c);
        if (p.deletionTimestamp !== undefined || p.terminalPhase) return;
      }
    }
    // 3. Regular containers, sequentially in spec order.
    for (const c of p.regular) {
      if (c.running) continue;
      if (wanted(c)) {
        yield* start(c);
        if (p.deletionTimestamp !== undefined || p.terminalPhase) return;
      }
    }
    // 4. All regular containers done for good: stop the sidecars, then the pod is terminal.
    if (
      p.pod.spec.restartPolicy !== 'Always' &&
      p.regular.every((c) => c.instances > 0 && !c.running && !this.shouldRestart(p, c)) &&
      p.init.some((c) => c.role === 'sidecar' && c.running)
    ) {
      this.termination.start(p, 'completed');
    }
  }

  /** Step 1 of SyncPod: kills the containers `killReason` names, in parallel; returns those to start again. */
  private *killForSync(p: PodRt): Generator<Wait, Set<ContainerRt>, void> {
    const restartAfterKill = new Set<ContainerRt>();
    const kills: [ContainerRt, KillRequest][] = [];
    for (const c of allContainers(p)) {
      const req = c.running ? this.killReason(p, c) : undefined;
      if (req) kills.push([c, req]);
    }
    if (kills.length === 0) return restartAfterKill;
    const engine = this.ctx.h.engine;
    const tasks = kills.map(([c, req]) => {
      c.killRequest = undefined;
      if (req.restart) restartAfterKill.add(c);
      return engine.startTask(this.runtime.killContainer(p, c, req.message, req.graceSeconds), p.scope);
    });
    p.killRestart = restartAfterKill;
    yield { cond: () => tasks.every((t) => t.done || t.cancelled) };
    return restartAfterKill;
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
    for (const c of hold) if (!c.running && c.lastExitAt === this.ctx.now) return true;
    return false;
  }
}
