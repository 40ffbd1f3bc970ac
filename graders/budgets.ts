/**
 * How a run that hit one of its size or time budgets is reported to the student (issue 20): a
 * `rejected` result whose error names the limit, its value, when the run stopped and what in
 * the submission made it grow, in words a student can act on.
 */
import type { Pod } from '../src/model/k8s.ts';
import type { BudgetName, Trace } from '../src/model/trace.ts';
import { TRACE_BUDGETS } from './adapters.ts';

/**
 * The wall time one grade may take before the adapter's `shouldStop` ends its run (the grader
 * function's Lambda timeout is 20 s: infra/api-stack.ts). A run it ends is a rejected result.
 */
export const GRADE_WALL_TIME_MS = 10_000;

/**
 * Budgets that reject the submission: the run was too big to grade. The container budgets
 * (shell steps, log and filesystem bytes) instead end a graded run, like a node's limits would.
 */
export const REJECTING_BUDGETS: ReadonlySet<BudgetName> = new Set([
  'events',
  'traceEntries',
  'traceBytes',
  'probes',
  'containerEvents',
  'time',
]);

/** `1h2m3s`, `24h`, `950ms`: a virtual instant for people. */
export function humanDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = Math.floor(ms / 1000);
  const parts: string[] = [];
  if (s >= 3600) parts.push(`${Math.floor(s / 3600)}h`);
  if (s % 3600 >= 60) parts.push(`${Math.floor((s % 3600) / 60)}m`);
  if (s % 60 > 0) parts.push(`${s % 60}s`);
  return parts.join('');
}

/** 2000000 -> `2,000,000` (no locale: the pure core must not depend on one). */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** What the Pods run: `40 containers with probes every 1s`. */
function workload(pods: readonly Pod[], horizonMs: number): string {
  let containers = 0;
  let fastest = Number.POSITIVE_INFINITY;
  for (const p of pods) {
    for (const c of [...(p.spec?.initContainers ?? []), ...(p.spec?.containers ?? [])]) {
      containers++;
      for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) {
        if (probe) fastest = Math.min(fastest, probe.periodSeconds ?? 10);
      }
    }
  }
  const probes = Number.isFinite(fastest) ? ` probed every ${fastest}s` : '';
  return `${containers} container${containers === 1 ? '' : 's'}${probes} for ${humanDuration(horizonMs)}`;
}

/** The limit in words, with its value. */
function limitOf(budget: BudgetName, maxEvents: number): string {
  switch (budget) {
    case 'events':
      return `more than ${count(maxEvents)} simulation events`;
    case 'traceEntries':
      return `more than ${count(TRACE_BUDGETS.maxTraceEntries)} recorded state changes, events, probe results and log lines`;
    case 'traceBytes':
      return `more than ${TRACE_BUDGETS.maxTraceBytes / 2 ** 20} MB of recorded history`;
    case 'probes':
      return `more than ${count(TRACE_BUDGETS.maxProbeRuns)} probe executions`;
    case 'containerEvents':
      return `more than ${count(TRACE_BUDGETS.maxEventsPerContainer)} Kubernetes events about one container`;
    case 'time':
      return `more than ${GRADE_WALL_TIME_MS / 1000} s of grading time`;
    default:
      return `its ${budget} budget`;
  }
}

/**
 * The student-facing error of a run that hit a rejecting budget, e.g. "the simulation stopped at
 * 23m54s: more than 48 MB of recorded history (40 containers probed every 1s for 24h); use fewer
 * containers or probe less often".
 */
export function budgetMessage(
  trace: Trace,
  pods: readonly Pod[],
  horizonMs: number,
  maxEvents: number,
): string {
  const r = trace.endReason;
  if (r.kind !== 'budget') return '';
  return `error: the simulation stopped at ${humanDuration(trace.endAt)}: ${limitOf(r.budget, maxEvents)} (${workload(pods, horizonMs)}); use fewer containers or probe less often, so that the run fits in the lab's limits`;
}
