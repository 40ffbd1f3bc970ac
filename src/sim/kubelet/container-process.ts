/**
 * A container's main process as the runtime runs it: its process host, its log (the container
 * log files, kuberuntime_logs.go), its steps in virtual time and its exit, which the PLEG reports
 * to the pod worker as ContainerDied (pkg/kubelet/pleg/generic.go). The termination message is
 * kuberuntime_container.go getTerminationMessage / readLastStringFromContainerLogs.
 */
import type { FileSystem, Listener, Process, ProcessHost, ProcessStep } from '../../model/runtime.ts';
import type { Trace } from '../../model/trace.ts';
import { Prio } from '../engine.ts';
import type { KubeletContext } from './context.ts';
import { type ContainerRt, hostnameOf, type PodRt, type Terminated } from './types.ts';

/** What one log line counts against the log budget beyond its text: the trace record it becomes. */
export const LOG_LINE_OVERHEAD_BYTES = 64;

/** The main processes of the node's containers: their hosts, logs, steps and exits. */
export class ContainerProcesses {
  constructor(private readonly ctx: KubeletContext) {}

  /** The process host of container `c`'s main process on filesystem `fs`. */
  mainHost(p: PodRt, c: ContainerRt, fs: FileSystem): ProcessHost {
    return {
      fs,
      net: this.ctx.h.network(p),
      env: c.env,
      hostname: hostnameOf(p),
      write: (stream, text, at) => this.log(p, c, stream, text, at),
      limits: this.ctx.processLimits(),
    };
  }

  /** Appends `text` to the container's log (complete lines become trace records). */
  log(p: PodRt, c: ContainerRt, stream: 'stdout' | 'stderr', text: string, at: number): void {
    const h = this.ctx.h;
    // Each line costs a trace record besides its text: `yes` must not fill memory with records.
    let lines = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    const bytes = text.length + lines * LOG_LINE_OVERHEAD_BYTES;
    c.logBytes += bytes;
    if (c.logBytes > h.options.budgets.maxLogBytes) {
      h.engine.stop({
        kind: 'budget',
        budget: 'logBytes',
        detail: `container "${c.spec.name}" of Pod "${p.pod.metadata.name}" wrote more than ${h.options.budgets.maxLogBytes} bytes of log output by ${at} ms`,
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
    this.ctx.h.trace.logs.push(l);
  }

  private flushLogs(p: PodRt, c: ContainerRt): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (c.logPartial[stream] !== '') {
        this.pushLog(p, c, stream, c.logPartial[stream], this.ctx.now);
        c.logPartial[stream] = '';
      }
    }
  }

  /** Runs the container's main process from now until it blocks or exits. */
  drive(p: PodRt, c: ContainerRt): void {
    const proc = c.proc;
    if (!proc || !c.running) return;
    this.ctx.h.engine.cancel(c.procTimer);
    c.procTimer = undefined;
    const step = proc.run(this.ctx.now);
    this.onStep(p, c, proc, step);
  }

  private onStep(p: PodRt, c: ContainerRt, proc: Process, step: ProcessStep): void {
    switch (step.kind) {
      case 'blocked':
        c.procTimer = this.ctx.h.engine.schedule(step.wakeAt, Prio.process, () => {
          if (c.proc === proc) this.drive(p, c);
        });
        return;
      case 'idle':
        return;
      case 'exited':
        this.exited(p, c, step.exitCode);
        return;
      case 'budget':
        this.ctx.h.engine.stop({
          kind: 'budget',
          budget: step.budget,
          detail: `${step.detail} (container "${c.spec.name}" of Pod "${p.pod.metadata.name}")`,
        });
    }
  }

  /** The main process ended: the container is terminated (containerd reasons, section 4.4); PLEG triggers a sync. */
  exited(p: PodRt, c: ContainerRt, exitCode: number): void {
    const now = this.ctx.now;
    this.flushLogs(p, c);
    this.ctx.h.engine.cancel(c.procTimer);
    c.procTimer = undefined;
    c.proc = undefined;
    c.running = false;
    c.extra.length = 0;
    const t: Terminated = {
      kind: 'terminated',
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      finishedAt: now,
    };
    if (c.startedAt !== undefined) t.startedAt = c.startedAt;
    const message = this.terminationMessage(p, c, exitCode);
    if (message !== '') t.message = message;
    c.state = t;
    c.postStartDone = false;
    c.lastExitAt = now;
    c.lastExitCode = exitCode;
    if (c.role === 'init' && exitCode === 0) c.completed = true;
    this.ctx.h.changed(p);
    this.ctx.h.engine.notify(p.scope);
    // Probe workers see the container not running at their next tick (worker.go step 4).
    this.ctx.requestSync(p);
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
    const lines = this.ctx.h.trace.logs.filter(
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
}

/** Servers listening in the Pod's network namespace (main and exec'd processes of its containers). */
export function podListeners(p: PodRt): readonly Listener[] {
  let out: readonly Listener[] = [];
  for (const c of p.init) out = containerListeners(c, out);
  for (const c of p.regular) out = containerListeners(c, out);
  return out;
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
