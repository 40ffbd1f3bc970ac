import { columnsOf } from '../adapters.ts';
import { formatAt } from '../duration.ts';
import { explainPod } from '../explain.ts';
import { serviceKey } from '../trace-index.ts';
import type { CheckSubject, When } from '../types.ts';
import { countHolds, type EvalContext, formatCount, instants, type Verdict, windowText } from './context.ts';

function selectorText(sel: Record<string, string> | undefined): string {
  return sel
    ? Object.entries(sel)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : '(none)';
}

function explainService(ctx: EvalContext, s: Extract<CheckSubject, { kind: 'service' }>, t: number): string {
  const key = serviceKey(s.namespace, s.name);
  const rec = ctx.index.stateAt(key, t);
  if (!rec?.exists) {
    const all = ctx.index.records(key);
    const later = all.find((r) => r.at > t && r.exists);
    const gone = [...all].reverse().find((r) => r.at <= t && !r.exists);
    if (gone) return `: the Service was deleted at ${formatAt(gone.at)}`;
    if (later) return `: the Service is created only at ${formatAt(later.at)}`;
    return `: no Service named ${s.name} is created in namespace ${s.namespace}`;
  }
  const svc = ctx.services.get(key);
  const sel = svc?.spec.selector;
  if (!sel || Object.keys(sel).length === 0)
    return `: the Service has no selector, so it has no endpoints of its own`;
  const parts: string[] = [];
  let matching = 0;
  for (const [key, pod] of ctx.pods) {
    if (pod.metadata.namespace !== s.namespace) continue;
    const labels = pod.metadata.labels ?? {};
    if (!Object.entries(sel).every(([k, v]) => labels[k] === v)) continue;
    const snap = ctx.index.snapshotAt(key, t, 'Pod');
    if (!snap) continue;
    matching++;
    const cols = columnsOf(pod, snap, t);
    const ready = snap.status.conditions.find((c) => c.type === 'Ready')?.status === 'True';
    if (snap.deletionTimestamp !== undefined) parts.push(`Pod ${pod.metadata.name} is terminating`);
    else if (!ready) {
      const why = explainPod(
        { index: ctx.index, pods: ctx.pods, images: ctx.images },
        s.namespace,
        pod.metadata.name,
        t,
        'ready',
        { wantReady: true },
      );
      parts.push(`Pod ${pod.metadata.name} is not ready (READY ${cols.ready})${why ? `: ${why}` : ''}`);
    } else parts.push(`Pod ${pod.metadata.name} is ready`);
  }
  if (matching === 0) {
    const others = [...ctx.pods.values()]
      .filter((p) => p.metadata.namespace === s.namespace)
      .slice(0, 3)
      .map(
        (p) =>
          `${p.metadata.name} has ${selectorText(p.metadata.labels) === '(none)' ? 'no labels' : `labels ${selectorText(p.metadata.labels)}`}`,
      );
    return `: no Pod with labels ${selectorText(sel)} exists at ${formatAt(t)}${others.length > 0 ? ` (${others.join('; ')})` : ''}`;
  }
  return `: ${parts.slice(0, 3).join('; ')}`;
}

/** Evaluates a `service` check. */
export function evaluateService(
  ctx: EvalContext,
  s: Extract<CheckSubject, { kind: 'service' }>,
  w: When,
): Verdict {
  const key = serviceKey(s.namespace, s.name);
  // Endpoints change with the Pods behind the Service: include every Pod's change instants.
  const keys = [key, ...ctx.pods.keys()];
  const ts = instants(ctx.index, keys, w);
  const observe = (t: number) => {
    const snap = ctx.index.snapshotAt(key, t, 'Service');
    const problems: string[] = [];
    const seen: string[] = [];
    if (s.exists !== undefined) {
      seen.push(snap ? 'the Service exists' : 'the Service does not exist');
      if (Boolean(snap) !== s.exists)
        problems.push(snap ? 'the Service exists' : 'the Service does not exist');
    }
    if (s.readyEndpoints !== undefined) {
      if (!snap) problems.push(`Service ${s.name} does not exist`);
      else {
        const n = snap.readyAddresses.length;
        seen.push(`${n} ready endpoint${n === 1 ? '' : 's'}`);
        if (!countHolds(s.readyEndpoints, n)) problems.push(`${n} ready endpoint${n === 1 ? '' : 's'}`);
      }
    }
    return { t, ok: problems.length === 0, problems, seen };
  };
  const results = ts.map(observe);
  const wants: string[] = [];
  if (s.exists !== undefined) wants.push(s.exists ? 'the Service to exist' : 'the Service to be gone');
  if (s.readyEndpoints !== undefined) wants.push(`${formatCount(s.readyEndpoints)} ready endpoint(s)`);
  const expected = `expected ${wants.join(' and ')} for Service ${s.name} ${windowText(w)}`;
  if (w.kind === 'within') {
    const hit = results.find((r) => r.ok);
    if (hit) return { passed: true, output: `observed ${hit.seen.join(', ')} at ${formatAt(hit.t)}` };
    const first = results[0]!;
    return {
      passed: false,
      output: `${expected}; observed ${first.problems.join(', ')} at ${formatAt(first.t)}${results.length > 1 ? ' and at every later change in the window' : ''}${explainService(ctx, s, first.t)}`,
    };
  }
  const bad = results.find((r) => !r.ok);
  if (!bad) return { passed: true, output: `observed ${results[0]!.seen.join(', ')} ${windowText(w)}` };
  return {
    passed: false,
    output: `${expected}; observed ${bad.problems.join(', ')}${w.kind === 'at' ? '' : ` at ${formatAt(bad.t)}`}${explainService(ctx, s, bad.t)}`,
  };
}
