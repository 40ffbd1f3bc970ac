/** `manifest` checks: a field of a submitted object, as the API server defaulted it. */
import { formatSteps, jsonEqual, lookup, parseFieldPath } from '../paths.ts';
import type { CheckSubject } from '../types.ts';
import type { EvalContext, Verdict } from './context.ts';

function show(v: unknown): string {
  const text = JSON.stringify(v);
  return text === undefined ? 'undefined' : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Evaluates a `manifest` check. */
export function evaluateManifest(ctx: EvalContext, s: Extract<CheckSubject, { kind: 'manifest' }>): Verdict {
  const entry = ctx.submitted.get(`${s.objectKind}/${s.namespace}/${s.name}`);
  if (!entry) {
    const names = [...ctx.submitted.keys()].map((k) => `${k.split('/')[0]}/${k.split('/')[2]}`);
    return {
      passed: false,
      output: `expected a ${s.objectKind} named ${s.name} in the submission; found ${names.length > 0 ? names.join(', ') : 'no objects'}`,
    };
  }
  const parsed = parseFieldPath(s.path);
  if (!parsed.ok) return { passed: false, output: parsed.message };
  // The defaulted object first (typed fields with API defaults), then the object as written.
  let hit = lookup(entry.object, parsed.steps);
  if (!hit.found) hit = lookup(entry.raw, parsed.steps);
  const where = `${s.path} of ${s.objectKind} ${s.name}`;
  const problems: string[] = [];
  const expected: string[] = [];
  if (s.exists !== undefined) {
    expected.push(s.exists ? 'to be set' : 'to be unset');
    if (hit.found !== s.exists)
      problems.push(hit.found ? `it is set to ${show(hit.value)}` : 'it is not set');
  }
  if (s.hasEquals) {
    expected.push(`to equal ${show(s.equals)}`);
    if (!hit.found || !jsonEqual(hit.value, s.equals))
      problems.push(hit.found ? `found ${show(hit.value)}` : 'it is not set');
  }
  if (s.oneOf !== undefined) {
    expected.push(`to be one of ${s.oneOf.map(show).join(', ')}`);
    if (!hit.found || !s.oneOf.some((o) => jsonEqual(hit.value, o)))
      problems.push(hit.found ? `found ${show(hit.value)}` : 'it is not set');
  }
  if (s.matches !== undefined) {
    expected.push(`to match /${s.matches}/`);
    const ok =
      hit.found &&
      (typeof hit.value === 'string' || typeof hit.value === 'number') &&
      new RegExp(s.matches).test(String(hit.value));
    if (!ok) problems.push(hit.found ? `found ${show(hit.value)}` : 'it is not set');
  }
  if (problems.length === 0) {
    return { passed: true, output: hit.found ? `${where} is ${show(hit.value)}` : `${where} is not set` };
  }
  let detail = '';
  if (!hit.found) {
    const upto = parsed.steps.slice(0, hit.missingAt);
    detail =
      upto.length > 0
        ? ` (${formatSteps(upto)} has no ${formatSteps(parsed.steps.slice(hit.missingAt, hit.missingAt + 1)).replace(/^\./, '')})`
        : '';
  }
  return {
    passed: false,
    output: `expected ${where} ${expected.join(' and ')}; ${[...new Set(problems)].join(', ')}${detail}`,
  };
}
