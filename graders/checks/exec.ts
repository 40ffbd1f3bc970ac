/** `exec` checks: a command run in a container at planned instants (shadow execs of the graded run). */
import { formatAt } from '../duration.ts';
import { podKey, type TraceIndex } from '../trace-index.ts';
import type { Check, CheckSubject, When } from '../types.ts';
import {
  type EvalContext,
  type ExecOutcome,
  type ExecRequest,
  type ExecSubject,
  instants,
  type Verdict,
  windowText,
} from './context.ts';

/**
 * The shadow exec that shows what an env or file check (config.ts) looks at: what
 * `kubectl exec POD -c C -- printenv NAME` or `-- cat PATH` shows.
 */
export function seenExec(s: Extract<CheckSubject, { kind: 'env' | 'file' }>): ExecSubject {
  return {
    kind: 'exec',
    pod: s.pod,
    namespace: s.namespace,
    ...(s.container !== undefined ? { container: s.container } : {}),
    command: s.kind === 'env' ? ['printenv', s.name] : ['cat', s.path],
  };
}

/** The shadow exec a check runs at its instants, if it runs one (exec, env and file checks). */
export function checkExec(c: Check): ExecSubject | undefined {
  if (c.subject.kind === 'exec') return c.subject;
  if (c.subject.kind === 'env' || c.subject.kind === 'file') return seenExec(c.subject);
  return undefined;
}

function execHolds(s: ExecSubject, r: ExecOutcome): { ok: boolean; observed: string } {
  if ('error' in r) return { ok: false, observed: r.error };
  const problems: string[] = [];
  if (s.exitCode !== undefined && r.exitCode !== s.exitCode) problems.push(`exit code ${r.exitCode}`);
  if (s.stdout !== undefined && !r.stdout.includes(s.stdout))
    problems.push(`stdout ${JSON.stringify(r.stdout.slice(0, 200))}`);
  if (s.stderr !== undefined && !r.stderr.includes(s.stderr))
    problems.push(`stderr ${JSON.stringify(r.stderr.slice(0, 200))}`);
  if (problems.length > 0) {
    if (s.exitCode === undefined || r.exitCode === s.exitCode) problems.unshift(`exit code ${r.exitCode}`);
    const extra =
      r.stderr.trim() && s.stderr === undefined
        ? ` (stderr: ${JSON.stringify(r.stderr.trim().slice(0, 200))})`
        : '';
    return { ok: false, observed: `${[...new Set(problems)].join(', ')}${extra}` };
  }
  return {
    ok: true,
    observed: `exit code ${r.exitCode}${r.stdout.trim() ? `, stdout ${JSON.stringify(r.stdout.trim().slice(0, 120))}` : ''}`,
  };
}

/**
 * Instants of a window at which an exec check is run: the Pod's status changes, and the
 * instants at which the container's files or processes may have changed without a status
 * change (scenario-format.md 1.4, `within`/`throughout` mean any/every instant): the Pod's
 * events, probe runs and log lines, and operator actions.
 */
function execInstants(index: TraceIndex, ns: string, pod: string, w: When): number[] {
  const base = instants(index, [podKey(ns, pod)], w);
  if (w.kind === 'at') return base;
  const set = new Set(base);
  const add = (t: number) => {
    if (t > w.from && t <= w.to) set.add(t);
  };
  for (const e of index.eventsOf(podKey(ns, pod))) add(e.at);
  for (const p of index.trace.probes) if (p.pod === pod && p.namespace === ns) add(p.at);
  for (const l of index.trace.logs) if (l.pod === pod && l.namespace === ns) add(l.at);
  for (const a of index.trace.actions) add(a.at);
  // A kubelet rewrite of a mounted configMap/secret volume changes files without any event.
  for (const n of index.trace.notes) if (n.at !== undefined && n.pod === pod) add(n.at);
  return [...set].sort((a, b) => a - b);
}

/** `n` of the sorted instants `ts`, evenly spread, keeping the first and the last. */
function spread(ts: number[], n: number): number[] {
  if (n <= 1) return ts.slice(0, n);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = ts[Math.round((i * (ts.length - 1)) / (n - 1))]!;
    if (out[out.length - 1] !== t) out.push(t);
  }
  return out;
}

/** The instants an exec check runs its command at, at most `max` of them spread evenly. */
export function execPlan(
  index: TraceIndex,
  s: ExecSubject,
  w: When,
  max: number,
): { instants: number[]; truncated: boolean } {
  const ts = execInstants(index, s.namespace, s.pod, w);
  return ts.length > max
    ? { instants: spread(ts, max), truncated: true }
    : { instants: ts, truncated: false };
}

/**
 * The exec runs the scenario's checks need against a run's trace (plan, before judging): every
 * instant of each exec check's window, as `evaluateCheck` will look them up.
 */
export function planExecs(
  checks: readonly Check[],
  index: TraceIndex,
  maxExecInstants: number,
): ExecRequest[] {
  const out: ExecRequest[] = [];
  for (const c of checks) {
    const subject = checkExec(c);
    if (subject === undefined || c.when === undefined) continue;
    for (const at of execPlan(index, subject, c.when, maxExecInstants).instants) out.push({ subject, at });
  }
  return out;
}

/** Evaluates an `exec` check. */
export function evaluateExec(ctx: EvalContext, s: ExecSubject, w: When): Verdict {
  const cmd = s.command.join(' ');
  const wants: string[] = [];
  if (s.exitCode !== undefined) wants.push(`exit code ${s.exitCode}`);
  if (s.stdout !== undefined) wants.push(`stdout containing ${JSON.stringify(s.stdout)}`);
  if (s.stderr !== undefined) wants.push(`stderr containing ${JSON.stringify(s.stderr)}`);
  const expected = wants.length > 0 ? wants.join(', ') : 'the command to run';
  const { instants: ts, truncated } = execPlan(ctx.index, s, w, ctx.maxExecInstants);
  const results = ts.map((t) => ({ t, r: execHolds(s, ctx.execOutcome(s, t)) }));
  const note = truncated ? ` (evaluated at ${ctx.maxExecInstants} instants spread over the window only)` : '';
  if (w.kind === 'within') {
    const hit = results.find((x) => x.r.ok);
    if (hit)
      return {
        passed: true,
        output: `\`${cmd}\` in ${s.pod}: observed ${hit.r.observed} at ${formatAt(hit.t)}`,
      };
    const first = results[0]!;
    return {
      passed: false,
      output: `expected \`${cmd}\` in ${s.pod} to give ${expected} ${windowText(w)}; observed ${first.r.observed} at ${formatAt(first.t)}${results.length > 1 ? ' and at every later change in the window' : ''}${note}`,
    };
  }
  const bad = results.find((x) => !x.r.ok);
  if (!bad)
    return {
      passed: true,
      output: `\`${cmd}\` in ${s.pod}: observed ${results[0]!.r.observed} ${windowText(w)}${note}`,
    };
  return {
    passed: false,
    output: `expected \`${cmd}\` in ${s.pod} to give ${expected} ${windowText(w)}; observed ${bad.r.observed}${w.kind === 'at' ? '' : ` at ${formatAt(bad.t)}`}${note}`,
  };
}
