/**
 * The `job` check (issue 19 §4): a Job's condition (Complete, Failed and the 1.33 interim
 * SuccessCriteriaMet/FailureTarget, optionally with its reason) and its succeeded/failed/active
 * counts, at an instant, within a window or throughout it, from the Job records of the trace.
 */
import type { CheckSubject, When } from '../types.ts';
import {
  countHolds,
  type EvalContext,
  formatCount,
  instants,
  type Verdict,
  windowText,
  windowVerdict,
} from './context.ts';

type JobSubject = Extract<CheckSubject, { kind: 'job' }>;

/** What the Job shows at `t`, and what of it differs from the check. */
function observe(ctx: EvalContext, s: JobSubject, key: string, t: number) {
  const snap = ctx.index.snapshotAt(key, t, 'Job');
  if (!snap) return { t, ok: false, problems: [`Job ${s.name} does not exist`], seen: [] as string[] };
  const problems: string[] = [];
  const seen: string[] = [];
  if (s.condition !== undefined) {
    const c = snap.status.conditions.find((x) => x.type === s.condition);
    const names = snap.status.conditions.map((x) => `${x.type} (${x.reason})`);
    const text = names.length === 0 ? 'no conditions' : `conditions ${names.join(', ')}`;
    seen.push(text);
    if (!c || (s.reason !== undefined && c.reason !== s.reason)) problems.push(text);
  }
  for (const field of ['succeeded', 'failed', 'active'] as const) {
    const want = s[field];
    if (want === undefined) continue;
    const n = snap.status[field];
    seen.push(`${field} ${n}`);
    if (!countHolds(want, n)) problems.push(`${field} ${n}`);
  }
  return { t, ok: problems.length === 0, problems, seen };
}

/** Evaluates a `job` check. */
export function evaluateJob(ctx: EvalContext, s: JobSubject, w: When): Verdict {
  const key = `Job/${s.namespace}/${s.name}`;
  const results = instants(ctx.index, [key], w).map((t) => observe(ctx, s, key, t));
  const wants: string[] = [];
  if (s.condition !== undefined)
    wants.push(`condition ${s.condition}${s.reason !== undefined ? ` with reason ${s.reason}` : ''}`);
  for (const field of ['succeeded', 'failed', 'active'] as const) {
    const want = s[field];
    if (want !== undefined) wants.push(`${field} ${formatCount(want)}`);
  }
  const expected = `expected ${wants.join(' and ')} for Job ${s.name} ${windowText(w)}`;
  return windowVerdict(results, expected, w);
}
