/**
 * The simulator's default options and fixed bounds: the horizon cap, the trace budgets, the
 * shadow-exec bound (scenario-format.md 1.3, issue 20).
 */
import type { SimOptions } from '../model/trace.ts';

/** Virtual time a shadow exec may run before its result is `unfinishedAt` (graders' exec-check bound). */
export const SHADOW_EXEC_MS = 60_000;

/** The longest horizon a run may have (scenario-format.md: duration <= 24h). */
export const MAX_HORIZON_MS = 24 * 3600 * 1000;

/**
 * The default bounds on a trace (issue 20): a few hundred MB of memory at most, a grade within
 * seconds. Legal labs stay far below (a 24 h run of one container probed every 10 s by two
 * probes holds about 17,000 probe records).
 */
export const TRACE_BUDGETS = {
  maxTraceEntries: 300_000,
  maxTraceBytes: 48 * 1024 * 1024,
  maxProbeRuns: 200_000,
  maxEventsPerContainer: 10_000,
} as const;

/** Default options: 300 s horizon, generous budgets, the scenario-format 1.3 cluster defaults. */
export function defaultSimOptions(): SimOptions {
  return {
    budgets: {
      horizonMs: 300_000,
      maxEvents: 5_000_000,
      maxShellSteps: 1_000_000,
      maxLogBytes: 1024 * 1024,
      maxFsBytes: 1024 * 1024,
      ...TRACE_BUDGETS,
    },
    cluster: { busyboxShortNameLookup: 'resolve', imagePullMs: 0 },
    images: {},
  };
}
