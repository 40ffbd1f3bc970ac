/**
 * The end of a Pod on the node (k/k pkg/kubelet/pod_workers.go syncTerminatingPod /
 * syncTerminatedPod, kubelet.go SyncTerminatingPod, kuberuntime_manager.go KillPod): graceful
 * deletion, activeDeadlineSeconds (active_deadline.go), completion with sidecars, then the
 * terminal phase and the kubelet's final delete. kubernetes-semantics.md section 9.
 */
import { Prio, type Wait } from '../engine.ts';
import type { KubeletContext } from './context.ts';
import type { RuntimeManager } from './runtime-manager.ts';
import { allContainers, type ContainerRt, type PodRt } from './types.ts';

/** Stops the node's Pods. */
export class PodTermination {
  constructor(
    private readonly ctx: KubeletContext,
    private readonly runtime: RuntimeManager,
  ) {}

  /** (Re)arms the activeDeadlineSeconds timer, measured from status.startTime. */
  armDeadline(p: PodRt): void {
    const engine = this.ctx.h.engine;
    engine.cancel(p.deadlineTimer);
    p.deadlineTimer = undefined;
    const ads = p.pod.spec.activeDeadlineSeconds;
    if (ads === undefined || p.startTime === undefined || p.terminalPhase) return;
    p.deadlineTimer = engine.schedule(p.startTime + ads * 1000, Prio.deadline, () =>
      this.deadlineExceeded(p),
    );
  }

  /** Graceful deletion: kill everything (regular in parallel, then sidecars in reverse), terminal phase, removal (section 9). */
  start(p: PodRt, why: 'delete' | 'deadline' | 'completed'): void {
    const engine = this.ctx.h.engine;
    const kill = (c: ContainerRt) => this.runtime.killContainer(p, c, undefined, undefined);
    if (p.terminator && !p.terminator.done) {
      // Already stopping (deadline, completion): a deletion's grace period may be shorter; the
      // running flow removes the object at its end because the Pod now has a deletionTimestamp.
      if (why === 'delete') {
        for (const c of allContainers(p)) if (c.running) engine.startTask(kill(c), p.scope);
      }
      return;
    }
    engine.cancelTask(p.worker);
    p.worker = undefined;
    engine.cancel(p.syncTimer);
    p.syncTimer = undefined;
    engine.cancel(p.deadlineTimer);
    const h = this.ctx.h;
    function* run(): Generator<Wait, void, void> {
      // A kill already in progress (liveness, postStart) is overtaken by this one when its grace
      // period is shorter: containerd's second StopContainer sends SIGKILL at its own deadline.
      const regular = p.regular.filter((c) => c.running);
      const tasks = regular.map((c) => engine.startTask(kill(c), p.scope));
      yield { cond: () => tasks.every((t) => t.done) && p.regular.every((c) => !c.running) };
      for (const c of [...p.init].reverse()) {
        if (c.role !== 'sidecar' || !c.running) continue;
        yield* kill(c);
      }
      for (const c of p.init) {
        if (c.role === 'init' && c.running && !c.killing) yield* kill(c);
      }
      if (p.deletionTimestamp !== undefined) {
        if (!p.terminalPhase) {
          const ok = p.regular.every((c) => c.state.kind === 'terminated' && c.state.exitCode === 0);
          p.terminalPhase = ok ? 'Succeeded' : 'Failed';
        }
        h.changed(p);
        if (!p.removed) {
          h.flush(p);
          h.remove(p);
        }
      } else {
        h.changed(p);
      }
    }
    p.terminator = engine.startTask(run(), p.scope);
  }

  /** API DELETE with a grace period: deletionTimestamp, Terminating, then the kubelet's termination. */
  deletePod(p: PodRt, graceSeconds: number, force: boolean): void {
    const now = this.ctx.now;
    const h = this.ctx.h;
    if (p.deletionTimestamp === undefined) {
      p.deletionTimestamp = now + graceSeconds * 1000;
      p.deletionGracePeriodSeconds = graceSeconds;
    } else if (graceSeconds < (p.deletionGracePeriodSeconds ?? Number.POSITIVE_INFINITY)) {
      // A second DELETE may only shorten the grace period.
      p.deletionTimestamp = Math.min(p.deletionTimestamp, now + graceSeconds * 1000);
      p.deletionGracePeriodSeconds = graceSeconds;
    }
    h.changed(p);
    if (force) h.remove(p);
    if (p.admittedAt === undefined) {
      if (!p.removed) h.remove(p);
      return;
    }
    if (p.terminalPhase && !allContainers(p).some((c) => c.running)) {
      if (!p.removed) h.remove(p);
      return;
    }
    this.start(p, 'delete');
  }

  /** activeDeadlineSeconds reached (section 9): Failed, DeadlineExceeded, containers killed. */
  private deadlineExceeded(p: PodRt): void {
    if (p.terminalPhase || p.removed || p.deletionTimestamp !== undefined) return;
    p.terminalPhase = 'Failed';
    p.reason = 'DeadlineExceeded';
    p.message = 'Pod was active on the node longer than the specified deadline';
    this.ctx.event(p, undefined, 'Warning', 'DeadlineExceeded', p.message);
    this.ctx.h.changed(p);
    this.start(p, 'deadline');
  }

  /** Called when the status turned terminal by itself (getPhase): stop what still runs. */
  becameTerminal(p: PodRt): void {
    this.ctx.h.engine.cancel(p.deadlineTimer);
    if (allContainers(p).some((c) => c.running)) this.start(p, 'completed');
  }
}
