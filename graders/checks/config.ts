/**
 * `env` and `file` checks (issue 19 §4): the value of an environment variable, or the content
 * of a file, that a container sees at T. Both are what `kubectl exec POD -c C -- printenv NAME`
 * or `-- cat PATH` shows, so they run as shadow execs like `exec` checks (exec.ts): the exec's
 * process gets the container's environment as it was fixed at the container's creation, and
 * reads the container's filesystem with its mounts (a configMap volume after the kubelet's
 * update, a subPath mount as its start pinned it). The image needs `printenv` / `cat`.
 */
import { formatAt } from '../duration.ts';
import type { CheckSubject, When } from '../types.ts';
import { type EvalContext, type ExecOutcome, type Verdict, windowText } from './context.ts';
import { execPlan, seenExec } from './exec.ts';

/** The subject of an env or file check. */
type SeenSubject = Extract<CheckSubject, { kind: 'env' | 'file' }>;

/** What the container saw: a value, nothing (unset variable, no such file), or why it could not be read. */
type Seen = { value: string } | { absent: true } | { error: string };

function seen(s: SeenSubject, r: ExecOutcome): Seen {
  if ('error' in r) return { error: r.error };
  if (r.exitCode === 0) {
    // printenv prints the value and a newline; cat prints the file as it is.
    return { value: s.kind === 'env' && r.stdout.endsWith('\n') ? r.stdout.slice(0, -1) : r.stdout };
  }
  // kubectl exec adds its own line about the exit status to the command's stderr.
  const stderr = r.stderr.replace(/command terminated with exit code \d+\n?$/, '').trim();
  if (s.kind === 'env' && r.exitCode === 1 && stderr === '') return { absent: true };
  if (s.kind === 'file' && stderr.endsWith('No such file or directory')) return { absent: true };
  // `kubectl exec` itself failed (no such Pod, the container is not running).
  if (stderr.startsWith('error: ')) return { error: stderr.slice(0, 200) };
  return {
    error: `exit code ${r.exitCode}${stderr ? ` (stderr: ${JSON.stringify(stderr.slice(0, 200))})` : ''}`,
  };
}

function quote(v: string): string {
  return JSON.stringify(v.length > 200 ? `${v.slice(0, 200)}…` : v);
}

function observedText(s: SeenSubject, x: Seen): string {
  if ('error' in x) return x.error;
  if ('absent' in x) return s.kind === 'env' ? 'not set' : 'no such file';
  return quote(x.value);
}

function holds(s: SeenSubject, x: Seen): boolean {
  if ('error' in x) return false;
  const present = 'value' in x;
  if (s.exists !== undefined) return present === s.exists;
  if (!present) return false;
  if (s.kind === 'env') return x.value === s.value;
  if (s.content !== undefined) return x.value === s.content;
  return x.value.includes(s.contains ?? '');
}

function wanted(s: SeenSubject): string {
  if (s.exists !== undefined)
    return s.exists ? 'to exist' : s.kind === 'env' ? 'to be unset' : 'not to exist';
  if (s.kind === 'env') return `to be ${quote(s.value ?? '')}`;
  if (s.content !== undefined) return `to hold exactly ${quote(s.content)}`;
  return `to contain ${quote(s.contains ?? '')}`;
}

function what(s: SeenSubject): string {
  const where = `${s.pod}${s.container !== undefined ? ` (container ${s.container})` : ''}`;
  return s.kind === 'env' ? `env var ${s.name} in ${where}` : `file ${s.path} in ${where}`;
}

/** Evaluates an `env` or `file` check at the instants its window plans (exec.ts execPlan). */
export function evaluateSeen(ctx: EvalContext, s: SeenSubject, w: When): Verdict {
  const exec = seenExec(s);
  const { instants: ts, truncated } = execPlan(ctx.index, exec, w, ctx.maxExecInstants);
  const results = ts.map((t) => {
    const x = seen(s, ctx.execOutcome(exec, t));
    return { t, ok: holds(s, x), observed: observedText(s, x) };
  });
  const note = truncated ? ` (evaluated at ${ctx.maxExecInstants} instants spread over the window only)` : '';
  if (w.kind === 'within') {
    const hit = results.find((x) => x.ok);
    if (hit) return { passed: true, output: `${what(s)}: observed ${hit.observed} at ${formatAt(hit.t)}` };
    const first = results[0]!;
    return {
      passed: false,
      output: `expected ${what(s)} ${wanted(s)} ${windowText(w)}; observed ${first.observed} at ${formatAt(first.t)}${results.length > 1 ? ' and at every later change in the window' : ''}${note}`,
    };
  }
  const bad = results.find((x) => !x.ok);
  if (!bad)
    return { passed: true, output: `${what(s)}: observed ${results[0]!.observed} ${windowText(w)}${note}` };
  return {
    passed: false,
    output: `expected ${what(s)} ${wanted(s)} ${windowText(w)}; observed ${bad.observed}${w.kind === 'at' ? '' : ` at ${formatAt(bad.t)}`}${note}`,
  };
}
