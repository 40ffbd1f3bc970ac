/**
 * Check evaluation against a trace (scenario-format.md, section 1.4), with temporal forms:
 * `at T` (the state after every event of T), `within [T1, T2]` (holds at some instant),
 * `throughout [T1, T2]` (holds at every instant). States only change at record instants, so a
 * window is evaluated at T1 and at every change instant in (T1, T2].
 */

import { evaluateSeen } from './checks/config.ts';
import type { EvalContext, Verdict } from './checks/context.ts';
import { evaluateDeployment } from './checks/deployment.ts';
import { evaluateEvent } from './checks/event.ts';
import { evaluateExec } from './checks/exec.ts';
import { evaluateJob } from './checks/job.ts';
import { evaluateManifest } from './checks/manifest.ts';
import { evaluatePod } from './checks/pod.ts';
import { evaluateService } from './checks/service.ts';
import type { Check } from './types.ts';

export type { EvalContext, ExecOutcome, ExecRequest, ExecSubject, Verdict } from './checks/context.ts';
export { checkExec, planExecs } from './checks/exec.ts';

/** Evaluates one check. Never throws on a missing subject: it fails with a message. */
export function evaluateCheck(check: Check, ctx: EvalContext): Verdict {
  const s = check.subject;
  if (s.kind === 'manifest') return evaluateManifest(ctx, s);
  const w = check.when!;
  switch (s.kind) {
    case 'pod':
      return evaluatePod(ctx, s, w);
    case 'event':
      return evaluateEvent(ctx, s, w);
    case 'exec':
      return evaluateExec(ctx, s, w);
    case 'env':
    case 'file':
      return evaluateSeen(ctx, s, w);
    case 'service':
      return evaluateService(ctx, s, w);
    case 'job':
      return evaluateJob(ctx, s, w);
    case 'deployment':
      return evaluateDeployment(ctx, s, w);
  }
}
