/**
 * `simulate(objects, actions, options) -> Trace`: the deterministic simulator with the
 * runtime's image catalogue (busybox, nginx, scenario images).
 */
import type { ApiObject } from '../model/k8s.ts';
import type { Action, SimOptions, Trace } from '../model/trace.ts';
import { resolveImage } from './runtime/index.ts';
import { simulateWith } from './simulation.ts';

export { defaultPod } from '../manifest/defaults.ts';
export { defaultSimOptions, MAX_HORIZON_MS } from './simulation.ts';

/**
 * Runs `objects` (applied at t=0 in order) and the operator `actions` for the horizon of
 * `options.budgets` and returns everything that happened. Deterministic: the same input gives
 * a byte-identical trace. Budgets end the run with `endReason.kind === 'budget'`.
 */
export function simulate(objects: ApiObject[], actions: Action[], options: SimOptions): Trace {
  return simulateWith(objects, actions, options, resolveImage);
}
