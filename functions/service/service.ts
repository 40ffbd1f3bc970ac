/**
 * The use cases of the HTTP API, independent of HTTP: scenarios (publish, read, versions),
 * submissions (grade, store exactly once, read back), regrade, stats. Routes parse requests,
 * call one of these, and map the outcome; business rules live here.
 *
 * This module composes them: the shared context (deps, access rules, the parsed-scenario
 * cache) in context.ts, and the use cases by concern in scenarios.ts, submissions.ts and
 * results.ts; the returned shapes are in views.ts.
 */
import { createContext, type ServiceDeps } from './context.ts';
import { resultUseCases } from './results.ts';
import { scenarioUseCases } from './scenarios.ts';
import { submissionUseCases } from './submissions.ts';

/** The hard cap of a submitted manifest in bytes (scenario-format.md: maxBytes hard cap). */
export const MAX_MANIFEST_BYTES = 262_144;
/** The cap of a scenario file in bytes. */
export const MAX_SCENARIO_BYTES = 262_144;
/** Default and largest page sizes of list endpoints (functions/storage/paging.ts). */
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../storage/paging.ts';
/** Dependencies, hooks, the attempt cap and submission ids (context.ts). */
export { HARD_MAX_ATTEMPTS, randomSubmissionId, type ServiceDeps, type ServiceEvents } from './context.ts';
/** What the use cases return (views.ts). */
export type {
  RegradeQueued,
  RegradeReport,
  ScenarioStats,
  SubmissionRow,
  SubmissionView,
} from './views.ts';

/** The service: every use case of the API. */
export function createService(deps: ServiceDeps) {
  const ctx = createContext(deps);
  const scenarios = scenarioUseCases(ctx);
  return { ...scenarios, ...submissionUseCases(ctx), ...resultUseCases(ctx, scenarios) };
}

/** The service's type. */
export type Service = ReturnType<typeof createService>;
