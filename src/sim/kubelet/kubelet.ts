/**
 * The kubelet of podlab's single node: the parts below, wired together, behind the surface the
 * simulation calls. kubernetes-semantics.md sections 3, 4, 5, 6, 8, 9 and 13; the map of the
 * files beside upstream's is in docs/simulator.md.
 *
 * - `pod-worker.ts`: admission, syncs, computePodActions (pod_workers.go, kubelet.go SyncPod);
 * - `pod-termination.ts`: deletion, activeDeadlineSeconds, completion (syncTerminatingPod);
 * - `runtime-manager.ts`: start and kill one container (kuberuntime_container.go);
 * - `image-manager.ts`: pulls, pull back-off, pull errors (images/image_manager.go);
 * - `container-process.ts`: a container's main process, its log and its exit (PLEG);
 * - `exec.ts`, `lifecycle-hooks.ts`: exec'd processes, postStart/preStop (lifecycle/handlers.go);
 * - `probe-manager.ts`, `probe-worker.ts`, `probe-results.ts`: the prober (prober/).
 *
 * Sequential kubelet work (one sync of a pod, one container kill, one hook) runs as engine
 * tasks (generators) in virtual time; processes run through the runtime contract.
 */
import type { Listener } from '../../model/runtime.ts';
import type { Wait } from '../engine.ts';
import { ConfigVolumeSync } from './config-sync.ts';
import { ContainerProcesses, podListeners } from './container-process.ts';
import { KubeletContext, type KubeletHost } from './context.ts';
import { ExecRunner, type ProcEnd } from './exec.ts';
import { ImageManager } from './image-manager.ts';
import { HookRunner } from './lifecycle-hooks.ts';
import { PodTermination } from './pod-termination.ts';
import { PodWorker } from './pod-worker.ts';
import { ProbeManager, type ProbeResultCaches } from './probe-manager.ts';
import { ProbeResults } from './probe-results.ts';
import { RuntimeManager } from './runtime-manager.ts';
import type { ContainerRt, PodRt } from './types.ts';

export { LOG_LINE_OVERHEAD_BYTES } from './container-process.ts';
export { formatPod, type KubeletHost, NODE_NAME } from './context.ts';
export type { ProcEnd } from './exec.ts';
export { normalizeRef, pullError } from './image-manager.ts';
export { resolveArgv, specHash } from './runtime-manager.ts';

/** The single node's kubelet. */
export class Kubelet {
  private readonly exec: ExecRunner;
  private readonly termination: PodTermination;
  private readonly worker: PodWorker;
  private readonly configSync: ConfigVolumeSync;

  constructor(h: KubeletHost) {
    const ctx = new KubeletContext(h);
    const main = new ContainerProcesses(ctx);
    this.exec = new ExecRunner(ctx, main);
    const results: ProbeResultCaches = { liveness: new ProbeResults(), startup: new ProbeResults() };
    const probes = new ProbeManager(ctx, this.exec, results);
    this.configSync = new ConfigVolumeSync({
      engine: h.engine,
      reader: (p) => (kind, name) => h.config(kind, p.pod.metadata.namespace, name),
      warn: (p, reason, message) => ctx.event(p, undefined, 'Warning', reason, message),
      note: (p, message) => h.trace.notes.push({ message, pod: p.pod.metadata.name, at: h.engine.now }),
    });
    const runtime = new RuntimeManager(
      ctx,
      new ImageManager(ctx),
      main,
      new HookRunner(ctx, this.exec),
      probes,
      this.configSync,
    );
    this.termination = new PodTermination(ctx, runtime);
    this.worker = new PodWorker(ctx, runtime, probes, results, this.termination);
  }

  /** A ConfigMap or Secret was created, changed or deleted (the API server's watch). */
  configChanged(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): void {
    this.configSync.changed(kind, namespace, name);
  }

  /** The kubelet admits a new Pod: Scheduled event, probe workers, first sync (section 13: all in 0 s). */
  admit(p: PodRt): void {
    this.worker.admit(p);
  }

  /** (Re)arms the activeDeadlineSeconds timer, measured from status.startTime. */
  armDeadline(p: PodRt): void {
    this.termination.armDeadline(p);
  }

  /** Applies new images to a running Pod: changed containers are killed and restarted ("definition changed"). */
  updateImages(p: PodRt, images: Map<string, string>): void {
    this.worker.updateImages(p, images);
  }

  /** API DELETE with a grace period: deletionTimestamp, Terminating, then the kubelet's termination. */
  deletePod(p: PodRt, graceSeconds: number, force: boolean): void {
    this.termination.deletePod(p, graceSeconds, force);
  }

  /** Called when the status turned terminal by itself (getPhase): stop what still runs. */
  becameTerminal(p: PodRt): void {
    this.termination.becameTerminal(p);
  }

  /** Whether the Pod's state must not be recorded now (a sync is between a kill and the restart). */
  holdsRecord(p: PodRt): boolean {
    return this.worker.holdsRecord(p);
  }

  /** Servers listening in the Pod's network namespace. */
  listeners(p: PodRt): readonly Listener[] {
    return podListeners(p);
  }

  /** `kubectl exec`: runs `argv` in container `c` to its end or `deadline`. */
  runExec(p: PodRt, c: ContainerRt, argv: string[], deadline: number): Generator<Wait, ProcEnd, void> {
    return this.exec.run(p, c, argv, deadline);
  }

  /** A shadow exec (`Action.shadow`) that leaves the run as it is; see `ExecRunner.shadow`. */
  shadowExec(
    p: PodRt,
    c: ContainerRt,
    argv: string[],
    deadline: number,
    done: (r: ProcEnd | { kind: 'unfinished'; at: number }) => void,
  ): { settle(now: number): void } {
    return this.exec.shadow(p, c, argv, deadline, done);
  }
}
