/**
 * Processes exec'd in a running container (exec probes, exec hooks, `kubectl exec`): the CRI's
 * ExecSync / Exec as kuberuntime_container.go RunInContainer uses them, with the output captured
 * up to pkg/probe/exec's limit. An exec'd process shares the container's filesystem, network and
 * PID namespace; it ends with its command, at its deadline, or with the container instance.
 */
import type { PodNetwork, Process, ProcessHost, ProcessStep } from '../../model/runtime.ts';
import { Prio, type Timer, type Wait } from '../engine.ts';
import type { ContainerProcesses } from './container-process.ts';
import type { KubeletContext } from './context.ts';
import { OverlayFileSystem } from './overlay-fs.ts';
import { type ContainerRt, hostnameOf, type PodRt } from './types.ts';

/** Exec output kept for probe/hook/exec results (pkg/probe/exec maxReadLength: 10 KiB). */
export const MAX_EXEC_OUTPUT = 10 * 1024;

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

/** An exec'd process that did not end at once (`ExecRunner.start`). */
export interface RunningExec {
  kind: 'running';
  proc: Process;
  cap: Capture;
  /** The container instance it runs in. */
  id: string | undefined;
  /** What its first run returned. */
  step: ProcessStep;
}

/** Runs processes inside the node's running containers. */
export class ExecRunner {
  constructor(
    private readonly ctx: KubeletContext,
    private readonly main: ContainerProcesses,
  ) {}

  /** Spawns `argv` in the container's current filesystem and runs it to its end or `deadline`. */
  *run(p: PodRt, c: ContainerRt, argv: string[], deadline: number): Generator<Wait, ProcEnd, void> {
    const started = this.start(p, c, argv);
    if (started.kind !== 'running') return started;
    return yield* this.finish(c, started, deadline);
  }

  /**
   * Spawns `argv` and runs it until it first waits: how it ended if it did not (most probe and
   * hook commands end at once, with no task needed), else the process to drive with `finish`.
   */
  start(p: PodRt, c: ContainerRt, argv: string[]): ProcEnd | RunningExec {
    if (!c.running || !c.image || !c.fs) return { kind: 'gone' };
    const cap: Capture = { stdout: '', stderr: '', combined: '' };
    const proc = c.image.spawn(argv, this.execHost(p, c, cap), this.ctx.now, 'exec');
    if ('startError' in proc) return { kind: 'startError', error: proc.startError };
    c.extra.push(proc);
    let step: ProcessStep;
    try {
      step = proc.run(this.ctx.now);
    } catch (err) {
      removeExtra(c, proc);
      throw err;
    }
    if (step.kind !== 'exited') return { kind: 'running', proc, cap, id: c.containerID, step };
    removeExtra(c, proc);
    return { kind: 'exited', exitCode: step.exitCode, ...cap };
  }

  /** Drives a started exec (`start`) to its end or `deadline`. */
  *finish(c: ContainerRt, run: RunningExec, deadline: number): Generator<Wait, ProcEnd, void> {
    const { proc, cap, id } = run;
    const alive = () => c.running && c.containerID === id;
    let step = run.step;
    try {
      for (let guard = 0; guard < 1_000_000; guard++) {
        if (step.kind === 'exited') return { kind: 'exited', exitCode: step.exitCode, ...cap };
        if (step.kind === 'budget') {
          this.ctx.h.engine.stop({ kind: 'budget', budget: step.budget, detail: step.detail });
        }
        const wake = step.kind === 'blocked' ? step.wakeAt : Number.POSITIVE_INFINITY;
        if (wake >= deadline) {
          yield { until: deadline, cond: () => !alive() };
          if (!alive()) return { kind: 'gone' };
          return { kind: 'timeout', ...cap };
        }
        yield { until: wake, cond: () => !alive() };
        if (!alive()) return { kind: 'gone' };
        step = proc.run(this.ctx.now);
      }
      return { kind: 'timeout', ...cap };
    } finally {
      removeExtra(c, proc);
    }
  }

  /**
   * A shadow exec (`Action.shadow`): spawns `argv` like `run` but in a copy-on-write view of
   * the container's filesystem, with a network whose servers log nothing, output captured, not
   * listed among the Pod's processes, and driven by free engine events, so that the run goes on
   * exactly as without it. `done` gets its end: exited, start error, gone (the container instance
   * ended meanwhile) or unfinished at `deadline`; `settle` ends it at the end of the run.
   */
  shadow(
    p: PodRt,
    c: ContainerRt,
    argv: string[],
    deadline: number,
    done: (r: ProcEnd | { kind: 'unfinished'; at: number }) => void,
  ): { settle(now: number): void } {
    const engine = this.ctx.h.engine;
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
      fs: new OverlayFileSystem(fs, this.ctx.h.options.budgets.maxFsBytes),
      net: quietNetwork(this.ctx.h.network(p)),
      env: c.env,
      hostname: hostnameOf(p),
      write: captureInto(cap),
      limits: this.ctx.processLimits(),
    };
    const spawned = image.spawn(argv, host, this.ctx.now, 'exec');
    if ('startError' in spawned) {
      end({ kind: 'startError', error: spawned.startError });
      return settle;
    }
    // Mirrors run's loop; where run would end the simulation (a budget), the shadow ends instead.
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

  private execHost(p: PodRt, c: ContainerRt, cap: Capture): ProcessHost {
    const id = c.containerID;
    const sameInstance = () => c.running && c.containerID === id;
    return {
      fs: c.fs!,
      net: this.ctx.h.network(p),
      env: c.env,
      hostname: hostnameOf(p),
      write: captureInto(cap),
      // An exec'd process shares the container's PID namespace: `echo x > /proc/1/fd/1` writes
      // to the container log, `kill 1` / `nginx -s quit` signal its PID 1.
      mainOutput: (stream, text, at) => {
        if (sameInstance()) this.main.log(p, c, stream, text, at);
      },
      signalMain: (signal) => {
        // Delivered once the sender's step ends, at this instant; PID 1 then runs its handler.
        this.ctx.h.engine.schedule(this.ctx.now, Prio.process, () => {
          if (!sameInstance() || !c.proc) return;
          c.proc.signal(signal, this.ctx.now);
          this.main.drive(p, c);
        });
      },
      limits: this.ctx.processLimits(),
    };
  }
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

/** Drops an ended exec'd process from the container's list (usually the last one added). */
function removeExtra(c: ContainerRt, proc: Process): void {
  const i = c.extra.lastIndexOf(proc);
  if (i >= 0) c.extra.splice(i, 1);
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
