/**
 * The `deployment` check (issue 19 §2): a Deployment's status counts (replicas, readyReplicas,
 * updatedReplicas, availableReplicas), one of its conditions (Available, Progressing,
 * ReplicaFailure, with status and reason), its revision, and its rollout as `kubectl rollout
 * status` reports it, at an instant, within a window or throughout it.
 */
import { rolloutStatusOf } from '../adapters.ts';
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

type DeploymentSubject = Extract<CheckSubject, { kind: 'deployment' }>;

const COUNTS = ['replicas', 'readyReplicas', 'updatedReplicas', 'availableReplicas'] as const;

/** What the Deployment shows at `t`, and what of it differs from the check. */
function observe(ctx: EvalContext, s: DeploymentSubject, key: string, t: number) {
  const snap = ctx.index.snapshotAt(key, t, 'Deployment');
  const problems: string[] = [];
  const seen: string[] = [];
  if (s.exists !== undefined) {
    const text = snap ? 'it exists' : 'it does not exist';
    seen.push(text);
    if (!!snap !== s.exists) problems.push(text);
  }
  if (!snap) {
    const rest = Object.keys(s).some((k) => !['kind', 'name', 'namespace', 'exists'].includes(k));
    if (rest && s.exists !== false) problems.push(`Deployment ${s.name} does not exist`);
    return { t, ok: problems.length === 0, problems, seen };
  }
  for (const field of COUNTS) {
    const want = s[field];
    if (want === undefined) continue;
    const n = snap.status[field];
    seen.push(`${field} ${n}`);
    if (!countHolds(want, n)) problems.push(`${field} ${n}`);
  }
  if (s.condition !== undefined) {
    const c = snap.status.conditions.find((x) => x.type === s.condition);
    const text = c ? `${c.type} ${c.status} (${c.reason})` : `no ${s.condition} condition`;
    seen.push(text);
    if (
      !c ||
      (s.status !== undefined && c.status !== s.status) ||
      (s.reason !== undefined && c.reason !== s.reason)
    )
      problems.push(text);
  }
  if (s.revision !== undefined) {
    seen.push(`revision ${snap.revision}`);
    if (snap.revision !== s.revision) problems.push(`revision ${snap.revision}`);
  }
  if (s.rolloutComplete !== undefined || s.rolloutStatus !== undefined) {
    const r = rolloutStatusOf(snap);
    const text = `rollout status ${JSON.stringify(r.text.trimEnd())}`;
    seen.push(text);
    const complete = s.rolloutComplete === undefined || r.done === s.rolloutComplete;
    const says = s.rolloutStatus === undefined || r.text.includes(s.rolloutStatus);
    if (!complete || !says) problems.push(text);
  }
  return { t, ok: problems.length === 0, problems, seen };
}

/** What the check wants, in words. */
function wanted(s: DeploymentSubject): string[] {
  const wants: string[] = [];
  if (s.exists !== undefined) wants.push(s.exists ? 'it to exist' : 'it not to exist');
  for (const field of COUNTS) {
    const want = s[field];
    if (want !== undefined) wants.push(`${field} ${formatCount(want)}`);
  }
  if (s.condition !== undefined)
    wants.push(
      `condition ${s.condition}${s.status !== undefined ? ` ${s.status}` : ''}${s.reason !== undefined ? ` with reason ${s.reason}` : ''}`,
    );
  if (s.revision !== undefined) wants.push(`revision ${s.revision}`);
  if (s.rolloutComplete !== undefined)
    wants.push(s.rolloutComplete ? 'the rollout complete' : 'the rollout not complete');
  if (s.rolloutStatus !== undefined) wants.push(`rollout status saying ${JSON.stringify(s.rolloutStatus)}`);
  return wants;
}

/** Evaluates a `deployment` check. */
export function evaluateDeployment(ctx: EvalContext, s: DeploymentSubject, w: When): Verdict {
  const key = `Deployment/${s.namespace}/${s.name}`;
  const results = instants(ctx.index, [key], w).map((t) => observe(ctx, s, key, t));
  const expected = `expected ${wanted(s).join(' and ')} for Deployment ${s.name} ${windowText(w)}`;
  return windowVerdict(results, expected, w);
}
