/**
 * postStart and preStop handlers (k/k pkg/kubelet/lifecycle/handlers.go HandlerRunner.Run):
 * exec in the container, httpGet against the Pod IP, sleep; the error texts are the kubelet's.
 * kubernetes-semantics.md section 5.
 */
import type { LifecycleHandler } from '../../model/k8s.ts';
import type { Wait } from '../engine.ts';
import { formatPod, type KubeletContext } from './context.ts';
import type { ExecRunner } from './exec.ts';
import { resolvePort, unresolvedPortError } from './probe-handlers.ts';
import { httpHookOutcome } from './probe-http.ts';
import type { ContainerRt, PodRt } from './types.ts';

/** How a hook ended: `error` is the kubelet's message; `timedOut` when it ran into its deadline. */
export interface HookEnd {
  error?: string;
  timedOut?: boolean;
}

/** Runs lifecycle handlers in the node's containers. */
export class HookRunner {
  constructor(
    private readonly ctx: KubeletContext,
    private readonly exec: ExecRunner,
  ) {}

  /** Runs `handler` for container `c` until it ends or `deadline`. */
  *run(
    p: PodRt,
    c: ContainerRt,
    handler: LifecycleHandler,
    deadline: number,
  ): Generator<Wait, HookEnd, void> {
    if (handler.exec) return yield* this.runExec(p, c, handler.exec.command, deadline);
    if (handler.httpGet) {
      const g = handler.httpGet;
      const port = resolvePort(g.port, c.spec.ports);
      const path = g.path ?? '/';
      const prefix = `HTTP lifecycle hook (${path}) for Container "${c.spec.name}" in Pod "${formatPod(p)}" failed - error: `;
      if (port === undefined) return { error: prefix + unresolvedPortError(g.port) };
      const out = httpHookOutcome(this.ctx.connectFor(p), p.ip ?? '', port, g);
      if (out.kind === 'hang') {
        yield { until: deadline };
        return { timedOut: true };
      }
      if (out.kind === 'error') {
        if (out.durationMs) yield { until: Math.min(deadline, this.ctx.now + out.durationMs) };
        return { error: prefix + out.message };
      }
      return {};
    }
    if (handler.sleep) {
      const until = Math.min(deadline, this.ctx.now + Math.max(0, handler.sleep.seconds) * 1000);
      yield { until };
      return {};
    }
    return { error: `invalid handler: tcpSocket is not supported for lifecycle hooks` };
  }

  /** An exec handler: handlers.go runs the command with ExecSync and reports its exit and output. */
  private *runExec(
    p: PodRt,
    c: ContainerRt,
    cmd: string[],
    deadline: number,
  ): Generator<Wait, HookEnd, void> {
    const r = yield* this.exec.run(p, c, cmd, deadline);
    const head = `Exec lifecycle hook ([${cmd.join(' ')}]) for Container "${c.spec.name}" in Pod "${formatPod(p)}" failed - error: `;
    if (r.kind === 'exited') {
      if (r.exitCode === 0) return {};
      return {
        error: `${head}command '${cmd.join(' ')}' exited with ${r.exitCode}: ${r.stderr}, message: ${JSON.stringify(r.combined)}`,
      };
    }
    if (r.kind === 'startError') {
      return {
        error: `${head}rpc error: code = Unknown desc = failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: ${r.error}: unknown, message: ""`,
      };
    }
    if (r.kind === 'timeout') return { timedOut: true };
    return { error: `${head}container not running, message: ""` };
  }
}
