/**
 * Admission of a scenario (issue 20 §1): warnings for the instructor when the scenario's
 * duration leaves too little room in a run's budgets for the answers students are likely to
 * write, which would then be rejected as too large to grade. Warnings never block publishing.
 */
import type { ApiObject } from '../src/model/k8s.ts';
import { TRACE_BUDGETS } from './adapters.ts';
import { humanDuration } from './budgets.ts';
import type { Scenario } from './types.ts';

/** A note for the scenario's author, with the field it concerns. */
export interface ScenarioWarning {
  message: string;
  path?: string;
}

/**
 * Probe executions per second that a lab answer commonly makes at most: two containers, each
 * with a liveness and a readiness probe every second.
 */
const COMMON_PROBES_PER_SECOND = 4;

/** Probe executions per second of the scenario's own setup Pods (each probe every periodSeconds). */
function setupProbeRate(setup: readonly ApiObject[]): number {
  let rate = 0;
  for (const o of setup) {
    if (o.kind !== 'Pod') continue;
    for (const c of [...(o.spec.initContainers ?? []), ...o.spec.containers]) {
      for (const p of [c.livenessProbe, c.readinessProbe, c.startupProbe]) if (p) rate += 1 / p.periodSeconds;
    }
  }
  return rate;
}

/** What an instructor should know before publishing `scenario`: runs that would not fit. */
export function admissionWarnings(scenario: Scenario): ScenarioWarning[] {
  const seconds = scenario.durationMs / 1000;
  const capacity = TRACE_BUDGETS.maxProbeRuns;
  const setupRuns = setupProbeRate(scenario.setup) * seconds;
  const duration = humanDuration(scenario.durationMs);
  if (setupRuns > capacity) {
    return [
      {
        path: 'spec.duration',
        message: `the scenario's own Pods probe about ${Math.round(setupRuns).toLocaleString('en-US')} times in ${duration}, beyond the ${capacity.toLocaleString('en-US')} probe executions one run may make: every submission would be rejected as too large to grade; shorten spec.duration or probe less often`,
      },
    ];
  }
  const perSecond = (capacity - setupRuns) / seconds;
  if (perSecond >= COMMON_PROBES_PER_SECOND) return [];
  return [
    {
      path: 'spec.duration',
      message: `over ${duration} a run has room for ${perSecond.toFixed(1)} probe executions per second (${capacity.toLocaleString('en-US')} in all): an answer with two containers, each probed twice a second, would be rejected as too large to grade; shorten spec.duration, or ask for a longer periodSeconds in the instructions`,
    },
  ];
}
