/**
 * The graders' only contact points with the manifest loader, the simulator and its printers and
 * runtime, so their signatures are read in one place (the model's types and `src/errors` are
 * shared vocabulary, imported directly; test/graders/adapters.test.ts keeps it so).
 */
import type { Pod } from '../src/model/k8s.ts';
import type { Image } from '../src/model/runtime.ts';
import type { DeploymentSnapshot, PodSnapshot } from '../src/model/status.ts';
import type { ImageDefinition, Trace } from '../src/model/trace.ts';
import { deploymentView, podColumns, rolloutStatus, watchTranscript } from '../src/sim/printers/index.ts';
import { knownButNotSimulated, resolveImage, simulatedRepositories } from '../src/sim/runtime/index.ts';

export { defaultPullPolicy } from '../src/manifest/defaults.ts';
export { type LoadedObject, loadManifests } from '../src/manifest/index.ts';
export { flowNestingOffset } from '../src/manifest/yaml.ts';
export { defaultSimOptions, SIMULATOR_VERSION } from '../src/sim/index.ts';
export { resolveImage } from '../src/sim/runtime/index.ts';
export { SHADOW_EXEC_MS, simulateWith, TRACE_BUDGETS } from '../src/sim/simulation.ts';
export { measuredJson } from '../src/sim/trace-budget.ts';

/** READY, STATUS and RESTARTS of `kubectl get pods` for a Pod at instant `now`. */
export function columnsOf(
  pod: Pod,
  snapshot: PodSnapshot,
  now: number,
): { ready: string; status: string; restartCount: number } {
  const c = podColumns(pod, snapshot, now);
  return { ready: c.ready, status: c.status, restartCount: c.restartCount };
}

/** `kubectl rollout status deployment/NAME --watch=false` for a recorded Deployment: its text (or error) and whether it is done. */
export function rolloutStatusOf(snapshot: DeploymentSnapshot): { text: string; done: boolean } {
  const r = rolloutStatus(deploymentView(snapshot));
  return { text: r.error ?? r.text, done: r.done };
}

/** The `kubectl get pods -w`-like transcript of the run. */
export function transcriptOf(trace: Trace, pods: Pod[]): string {
  return watchTranscript(trace, pods);
}

/** The image a reference runs, or undefined when it would fail to pull. */
export function imageOf(ref: string, images: Record<string, ImageDefinition>): Image | undefined {
  const r = resolveImage(ref, images) as unknown;
  if (r && typeof r === 'object' && 'hasExecutable' in r) return r as Image;
  if (r && typeof r === 'object' && 'image' in r) return (r as { image?: Image }).image;
  return undefined;
}

/** The repository of a well-known image that exists but that podlab does not simulate, if `ref` names one. */
export function notSimulatedRepository(
  ref: string,
  images: Record<string, ImageDefinition>,
): string | undefined {
  return knownButNotSimulated(ref, images);
}

/** The repositories podlab simulates (Docker Hub's library images by their short names). */
export function simulatedImageNames(): string[] {
  return simulatedRepositories();
}
