/**
 * The prober's results cache (k/k pkg/kubelet/prober/results/results_manager.go): the latest
 * liveness or startup result per container instance (container ID). The probe workers write it;
 * the pod worker reads it when it syncs (kuberuntime_manager.go computePodActions kills a
 * container whose liveness or startup result is Failure). `Set` notifies the subscriber only
 * when the result changed, as the manager's `Updates()` channel does; the kubelet's sync loop
 * turns an update into a pod sync (kubelet.go syncLoopIteration → handleProbeSync).
 */
import type { ProbeResult } from './probe-worker.ts';
import type { ContainerRt, PodRt } from './types.ts';

/** One change of a container instance's result (results.Update). */
export interface ResultUpdate {
  pod: PodRt;
  container: ContainerRt;
  containerId: string;
  result: ProbeResult;
}

/** One results manager (the kubelet has one for liveness and one for startup). */
export class ProbeResults {
  private readonly results = new Map<string, ProbeResult>();
  private subscriber: ((u: ResultUpdate) => void) | undefined;

  /** Names who hears of changed results (the kubelet's sync loop). */
  subscribe(onUpdate: (u: ResultUpdate) => void): void {
    this.subscriber = onUpdate;
  }

  /** The cached result of a container instance, if its worker published one. */
  get(containerId: string | undefined): ProbeResult | undefined {
    return containerId === undefined ? undefined : this.results.get(containerId);
  }

  /** Caches a result; an update goes out when it differs from the cached one (manager.Set). */
  set(p: PodRt, c: ContainerRt, containerId: string, result: ProbeResult): void {
    if (this.results.get(containerId) === result) return;
    this.results.set(containerId, result);
    this.subscriber?.({ pod: p, container: c, containerId, result });
  }

  /** Forgets a container instance (manager.Remove: its worker stopped or saw a new container). */
  remove(containerId: string | undefined): void {
    if (containerId !== undefined) this.results.delete(containerId);
  }
}
