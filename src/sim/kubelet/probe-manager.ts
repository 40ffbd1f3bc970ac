/**
 * The prober manager (k/k pkg/kubelet/prober/prober_manager.go) and the part of the worker
 * (worker.go run/doProbe) that needs the node: one worker per container and probe type, its
 * ticks in virtual time, running the handler (prober.go runProbe) and publishing the result.
 * The worker's state machine is `probe-worker.ts`, the handlers `probe-handlers.ts` and
 * `probe-http.ts`; liveness and startup results go to the results caches (`probe-results.ts`),
 * which the pod worker reads. kubernetes-semantics.md sections 3 and 13.
 */
import type { Probe } from '../../model/k8s.ts';
import { Prio, type Wait } from '../engine.ts';
import { containerId } from '../util.ts';
import type { KubeletContext } from './context.ts';
import type { ExecRunner, ProcEnd, RunningExec } from './exec.ts';
import { execOutcome, networkProbeOutcome } from './probe-handlers.ts';
import type { ProbeResults } from './probe-results.ts';
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
  recordOutcome,
} from './probe-worker.ts';
import { isStarted } from './status.ts';
import { allContainers, type ContainerRt, type PodRt } from './types.ts';

/** Characters of a successful probe's output kept in the trace (explanations show 160). */
const SUCCESS_OUTPUT_CHARS = 160;

/** The results caches the workers publish liveness and startup results to (prober_manager.go livenessManager, startupManager). */
export interface ProbeResultCaches {
  liveness: ProbeResults;
  startup: ProbeResults;
}

/** The node's probe workers. */
export class ProbeManager {
  constructor(
    private readonly ctx: KubeletContext,
    private readonly exec: ExecRunner,
    private readonly results: ProbeResultCaches,
  ) {}

  /** prober_manager AddPod: workers for regular containers and sidecars only, first tick now. */
  addPod(p: PodRt): void {
    const now = this.ctx.now;
    for (const c of allContainers(p)) {
      if (c.role === 'init') continue;
      const pairs: [ProbeType, Probe | undefined][] = [
        ['startup', c.spec.startupProbe],
        ['readiness', c.spec.readinessProbe],
        ['liveness', c.spec.livenessProbe],
      ];
      for (const [type, probe] of pairs) {
        if (!probe) continue;
        const w = newProbeWorker(type, c.spec.name, probe, now);
        c.probes.push(w);
        this.schedule(p, c, w, now);
      }
    }
  }

  /** Re-arms parked probe workers at the tick they would have reached (same phase, same order). */
  rearm(p: PodRt, c: ContainerRt): void {
    const now = this.ctx.now;
    for (const w of c.probes) {
      if (w.stopped || w.busy || w.timer) continue;
      let next = nextTickAt(w, now);
      // A tick of this very instant would already have run before an event of lower priority.
      if (next === now && this.ctx.h.engine.currentPrio > Prio.probe) next = nextTickAt(w, now + 1);
      this.schedule(p, c, w, next);
    }
  }

  /** Readiness manual trigger on container start and startup success (section 13). */
  triggerReadiness(p: PodRt, c: ContainerRt): void {
    for (const w of c.probes) {
      if (w.type !== 'readiness' || w.busy) continue;
      if (manualTrigger(w, this.ctx.now, containerView(p, c))) this.schedule(p, c, w, this.ctx.now);
    }
  }

  private schedule(p: PodRt, c: ContainerRt, w: ProbeWorker, at: number): void {
    const engine = this.ctx.h.engine;
    engine.cancel(w.timer);
    w.timer = engine.schedule(at, Prio.probe, () => {
      w.timer = undefined;
      this.tick(p, c, w);
    });
  }

  /** One tick of a worker (doProbe): steps 1-7 decide, step 8 runs the handler. */
  private tick(p: PodRt, c: ContainerRt, w: ProbeWorker): void {
    if (w.busy) return;
    const now = this.ctx.now;
    const before = w.result;
    const d = probeDue(
      w,
      now,
      { terminal: p.terminalPhase !== undefined, deleting: p.deletionTimestamp !== undefined },
      containerView(p, c),
    );
    if (d.published !== undefined) {
      if (d.published !== before) this.ctx.h.changed(p);
      this.cache(p, c, w, d.published);
    }
    if (d.kind === 'stop') return;
    if (d.kind === 'skip') {
      // A worker that can only act on a new container instance (startup worker once started,
      // on hold, container not running) is parked and re-armed when the next instance runs;
      // the ticks it skips meanwhile change nothing.
      const view = containerView(p, c);
      if (w.onHold || !view.running || (w.type === 'startup' && view.started)) return;
      this.schedule(p, c, w, nextTickAt(w, now + 1));
      return;
    }
    w.busy = true;
    if (!w.probe.exec) {
      // Network probes answer at once or after their timeout: no task needed.
      const out: HandlerOutcome = networkProbeOutcome(
        w.probe,
        p.ip ?? '',
        c.spec.ports,
        this.ctx.connectFor(p),
      ) ?? {
        kind: 'error',
        output: 'missing probe handler',
      };
      if (out.durationMs && out.durationMs > 0) {
        this.ctx.h.engine.schedule(now + out.durationMs, Prio.timer, () => this.finished(p, c, w, now, out));
      } else this.finished(p, c, w, now, out);
      return;
    }
    // An exec probe: most commands end at once; one that waits goes on in a task.
    const started = this.exec.start(p, c, w.probe.exec.command);
    if (started.kind !== 'running') {
      this.finished(p, c, w, now, this.execProbeOutcome(p, c, w, started));
      return;
    }
    const running: RunningExec = started;
    const deadline = now + Math.max(1, w.probe.timeoutSeconds) * 1000;
    const self = this;
    function* run(): Generator<Wait, void, void> {
      const end = yield* self.exec.finish(c, running, deadline);
      self.finished(p, c, w, now, self.execProbeOutcome(p, c, w, end));
    }
    this.ctx.h.engine.startTask(run(), p.scope);
  }

  /** A probe run that began at `ranAt` ended: record it, then arm the worker's next tick. */
  private finished(p: PodRt, c: ContainerRt, w: ProbeWorker, ranAt: number, outcome: HandlerOutcome): void {
    w.busy = false;
    this.record(p, c, w, outcome);
    if (!w.stopped) this.schedule(p, c, w, nextProbeAt(w, ranAt, this.ctx.now));
  }

  /** What an exec probe's process end means (pkg/probe/exec). */
  private execProbeOutcome(p: PodRt, c: ContainerRt, w: ProbeWorker, r: ProcEnd): HandlerOutcome {
    const probe = w.probe;
    const cmd = probe.exec?.command ?? [];
    if (r.kind === 'exited') return execOutcome(cmd, { exitCode: r.exitCode, output: r.combined });
    if (r.kind === 'timeout')
      return execOutcome(cmd, { timedOut: true, timeoutSeconds: probe.timeoutSeconds });
    if (r.kind === 'startError') {
      this.ctx.noteOnce(
        p,
        c,
        w.type,
        `The ${w.type} probe of container "${c.spec.name}" runs "${cmd[0] ?? ''}", which image ${c.spec.image} does not have: the probe errors and its result is discarded, so it never ${w.type === 'readiness' ? 'makes the container ready' : 'restarts the container'} (k/k#106682). Wrap it in sh -c to turn it into an ordinary failure.`,
      );
      return execOutcome(cmd, { startError: r.error, execId: hexExecId(p, c, w, this.ctx.now) });
    }
    return { kind: 'error', output: `container "${c.spec.name}" is not running` };
  }

  /** Steps 9-10 of doProbe: the trace's probe record, the probe's event, the threshold count and publishing. */
  private record(p: PodRt, c: ContainerRt, w: ProbeWorker, outcome: HandlerOutcome): void {
    if (p.removed && p.terminator === undefined) return;
    this.ctx.h.trace.probes.push({
      at: this.ctx.now,
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
    if (ev) this.ctx.event(p, c, ev.type, ev.reason, ev.message);
    const before = w.result;
    const r = recordOutcome(w, outcome);
    if (r.published === undefined) return;
    if (r.published !== before) this.ctx.h.changed(p);
    // Startup success: the container is started, readiness may probe at once (section 13).
    if (w.type === 'startup' && r.published === 'success' && c.running) this.triggerReadiness(p, c);
    this.cache(p, c, w, r.published);
  }

  /** Writes a liveness or startup result to its cache (readiness is read from the worker by status.ts). */
  private cache(p: PodRt, c: ContainerRt, w: ProbeWorker, result: ProbeResult): void {
    if (w.type === 'readiness' || w.lastContainerId === undefined) return;
    this.results[w.type].set(p, c, w.lastContainerId, result);
  }
}

/** The container as a worker sees it in the pod status. */
function containerView(p: PodRt, c: ContainerRt): ContainerView {
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

function hexExecId(p: PodRt, c: ContainerRt, w: ProbeWorker, now: number): string {
  return containerId(p.uid, `${c.spec.name}/${w.type}/exec`, now).slice('containerd://'.length);
}
