/**
 * What every part of podlab's kubelet shares: the simulator host it runs in, the virtual clock,
 * Kubernetes Events, trace notes and the pod worker's sync request. The parts themselves are
 * `pod-worker.ts`, `runtime-manager.ts`, `image-manager.ts`, `container-process.ts`, `exec.ts`,
 * `lifecycle-hooks.ts`, `probe-manager.ts` and `probe-results.ts`; `kubelet.ts` wires them.
 */
import type { Image, PodNetwork, ProcessHost } from '../../model/runtime.ts';
import type { SimEvent, SimOptions, Trace } from '../../model/trace.ts';
import type { ConfigData } from '../cluster/config-store.ts';
import type { ServiceEntry } from '../cluster/endpoints.ts';
import type { Engine } from '../engine.ts';
import type { Connect } from './probe-http.ts';
import type { ContainerRt, PodRt } from './types.ts';

/** The node's name (a one-node cluster; see docs/deviations.md). */
export const NODE_NAME = 'podlab-node';

/** What the kubelet needs from the rest of the simulator. */
export interface KubeletHost {
  engine: Engine;
  options: SimOptions;
  trace: Trace;
  resolveImage(ref: string): Image | undefined;
  /** The network as seen from this Pod. */
  network(p: PodRt): PodNetwork;
  /** Pod IP for the sandbox. */
  allocateIP(p: PodRt): string;
  /** The cluster's Services now, built-in ones included (for the Service env variables). */
  services(): readonly ServiceEntry[];
  /** A ConfigMap's or Secret's keys now (undefined: it does not exist). */
  config(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): ConfigData | undefined;
  /** The Pod's status may have changed. */
  changed(p: PodRt): void;
  /** Record the Pod's state now (before a removal at the same instant). */
  flush(p: PodRt): void;
  /** Remove the API object (kubelet's final delete with grace 0). */
  remove(p: PodRt): void;
}

/** Asks the pod worker for a sync of the Pod at `at` (default now). */
export type SyncRequest = (p: PodRt, at?: number) => void;

/** Format of a Pod in kubelet messages: `<name>_<namespace>(<uid>)` (format.Pod). */
export function formatPod(p: PodRt): string {
  return `${p.pod.metadata.name}_${p.pod.metadata.namespace}(${p.uid})`;
}

/** The host, the clock and the services every part of the kubelet uses. */
export class KubeletContext {
  /** Notes already written to the trace (one per probe or container and cause). */
  private readonly notedCauses = new Set<string>();
  private readonly connects = new WeakMap<PodRt, Connect>();
  private syncRequest: SyncRequest | undefined;

  constructor(readonly h: KubeletHost) {}

  /** The virtual instant now. */
  get now(): number {
    return this.h.engine.now;
  }

  /** Names the pod worker that answers `requestSync` (set once, by the pod worker). */
  setSyncRequest(request: SyncRequest): void {
    this.syncRequest = request;
  }

  /** Asks the pod worker for a sync at `at` (default now); requests at one instant coalesce. */
  requestSync(p: PodRt, at?: number): void {
    this.syncRequest?.(p, at);
  }

  /** Records a Kubernetes Event about the Pod (or one of its containers). */
  event(
    p: PodRt,
    c: ContainerRt | undefined,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source = 'kubelet',
  ): void {
    const e: SimEvent = {
      at: this.now,
      object: `Pod/${p.pod.metadata.name}`,
      namespace: p.pod.metadata.namespace,
      type,
      reason,
      message,
      source,
    };
    if (c) e.container = c.spec.name;
    this.h.trace.events.push(e);
  }

  /** Adds a note about container `c` to the trace, once per container and `cause`. */
  noteOnce(p: PodRt, c: ContainerRt, cause: string, message: string): void {
    const key = `${p.key}/${c.spec.name}/${cause}`;
    if (this.notedCauses.has(key)) return;
    this.notedCauses.add(key);
    this.h.trace.notes.push({ message, pod: p.pod.metadata.name, container: c.spec.name });
  }

  /** The Pod's TCP connect, one function per Pod (probes ask for it every tick). */
  connectFor(p: PodRt): Connect {
    let f = this.connects.get(p);
    if (!f) {
      const net = this.h.network(p);
      f = (ip, port) => net.connect(ip, port);
      this.connects.set(p, f);
    }
    return f;
  }

  /** A process's bounds, from the run's budgets. */
  processLimits(): ProcessHost['limits'] {
    const b = this.h.options.budgets;
    return { maxShellSteps: b.maxShellSteps, maxOutputBytes: b.maxLogBytes, maxFsBytes: b.maxFsBytes };
  }

  /** Grace for a kill: deletionGracePeriodSeconds, else spec terminationGracePeriodSeconds. */
  podGrace(p: PodRt): number {
    return p.deletionGracePeriodSeconds ?? p.pod.spec.terminationGracePeriodSeconds;
  }
}
