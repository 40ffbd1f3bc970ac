/**
 * The operator's `exec` action (scenario-format.md 1.2): `kubectl exec POD [-c C] -- CMD` run
 * by the kubelet in virtual time, with kubectl's output texts.
 */
import { podKey } from '../model/object-key.ts';
import type { PodPhase } from '../model/status.ts';
import type { Action, ActionResult, Trace } from '../model/trace.ts';
import type { Engine, Wait } from './engine.ts';
import type { Kubelet, ProcEnd } from './kubelet/kubelet.ts';
import { allContainers, type ContainerRt, type PodRt } from './kubelet/types.ts';
import { SHADOW_EXEC_MS } from './options.ts';

/** An exec still running at the end of the run, or a shadow exec to settle. */
export interface PendingExec {
  index: number;
  at: number;
  finish: (end: number) => void;
}

/** What an exec action reads and writes of the run. */
export interface ExecContext {
  engine: Engine;
  kubelet: Kubelet;
  trace: Trace;
  pod(key: string): PodRt | undefined;
  /** The Pod's phase as last recorded. */
  phase(p: PodRt): PodPhase | undefined;
  results: ActionResult[];
  pendingExecs: PendingExec[];
  pendingShadows: { settle(now: number): void }[];
}

/**
 * `kubectl exec` at the action's instant: the container kubectl picks (with its "Defaulted
 * container" notice), kubectl's and the runtime's refusals, then the command, to its end or
 * the end of the run (a shadow exec: against a copy of the container, bounded by SHADOW_EXEC_MS).
 */
export function runExecAction(ctx: ExecContext, a: Extract<Action, { kind: 'exec' }>, index: number): void {
  const at = ctx.engine.now;
  const ns = a.namespace || 'default';
  const p = ctx.pod(podKey(ns, a.pod));
  const fail = (msg: string) =>
    ctx.results.push({ at, index, kind: 'exec', stdout: '', stderr: lines([msg]), exitCode: 1 });
  if (!p) {
    fail(`Error from server (NotFound): pods "${a.pod}" not found`);
    return;
  }
  let notice = '';
  let c: ContainerRt | undefined;
  if (a.container === undefined || a.container === '') {
    c = p.regular[0];
    if (c && allContainers(p).length > 1) {
      const names = [...p.regular.map((x) => x.spec.name), ...p.init.map((x) => `${x.spec.name} (init)`)];
      notice = `Defaulted container "${c.spec.name}" out of: ${names.join(', ')}\n`;
    }
  } else {
    c = allContainers(p).find((x) => x.spec.name === a.container);
    if (!c) {
      fail(`Error from server (BadRequest): container ${a.container} is not valid for pod ${a.pod}`);
      return;
    }
  }
  if (!c) {
    fail(`error: pod ${a.pod} has no containers`);
    return;
  }
  const phase = ctx.phase(p);
  if (p.terminalPhase || phase === 'Succeeded' || phase === 'Failed') {
    fail(
      `${notice}error: cannot exec into a container in a completed pod; current phase is ${p.terminalPhase ?? phase}`,
    );
    return;
  }
  if (!c.running) {
    fail(`${notice}error: unable to upgrade connection: container not found ("${c.spec.name}")`);
    return;
  }
  const cmd = a.command ?? [];
  if (cmd.length === 0) {
    fail(`${notice}error: you must specify at least one command for the container`);
    return;
  }
  if (a.shadow === true) {
    const settle = ctx.kubelet.shadowExec(p, c, cmd, at + SHADOW_EXEC_MS, (r) => {
      if (r.kind === 'unfinished') {
        ctx.results.push({
          at,
          index,
          kind: 'exec',
          stdout: '',
          stderr: `${notice}error: the command had not finished by ${r.at} ms\n`,
          exitCode: 124,
          unfinishedAt: r.at,
        });
        return;
      }
      const [stdout, stderr, code] = execResult(r);
      ctx.results.push({ at, index, kind: 'exec', stdout, stderr: notice + stderr, exitCode: code });
    });
    ctx.pendingShadows.push(settle);
    return;
  }
  const container = c;
  let finished = false;
  const finish = (stdout: string, stderr: string, code: number, _t: number) => {
    if (finished) return;
    finished = true;
    ctx.results.push({ at, index, kind: 'exec', stdout, stderr: notice + stderr, exitCode: code });
  };
  function* run(): Generator<Wait, void, void> {
    const r = yield* ctx.kubelet.runExec(p!, container, cmd, Number.POSITIVE_INFINITY);
    const [stdout, stderr, code] = execResult(r);
    finish(stdout, stderr, code, ctx.engine.now);
  }
  ctx.engine.startTask(run(), p.scope);
  if (!finished) {
    ctx.pendingExecs.push({
      index,
      at,
      finish: (end) => {
        if (finished) return;
        // No ActionResult: kubectl would still be waiting for the command.
        finished = true;
        ctx.trace.notes.push({
          message: `exec action ${index} (${cmd.join(' ')}) was still running when the simulation ended at ${end} ms; it has no result`,
          pod: a.pod,
          container: container.spec.name,
        });
      },
    });
  }
}

/** kubectl exec's stdout, stderr and exit code for a command's end. */
export function execResult(r: ProcEnd): [string, string, number] {
  if (r.kind === 'exited') {
    return [
      r.stdout,
      r.stderr + (r.exitCode !== 0 ? `command terminated with exit code ${r.exitCode}\n` : ''),
      r.exitCode,
    ];
  }
  if (r.kind === 'startError') {
    return [
      '',
      `OCI runtime exec failed: exec failed: unable to start container process: ${r.error}: unknown\ncommand terminated with exit code 126\n`,
      126,
    ];
  }
  if (r.kind === 'gone') return ['', 'command terminated with exit code 137\n', 137];
  return [r.stdout, r.stderr, 124];
}

/** Joins output lines, each ending with a newline. */
export function lines(xs: string[]): string {
  return xs.map((x) => (x.endsWith('\n') ? x : `${x}\n`)).join('');
}
