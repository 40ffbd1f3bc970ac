import type { Service } from '../../src/model/k8s.ts';
import type { Listener } from '../../src/model/runtime.ts';
import type { ClusterOptions } from '../../src/model/trace.ts';
import type { ClusterView, PodEntry, ServiceEntry } from '../../src/sim/cluster/index.ts';

/** A mutable cluster for tests. */
export class TestCluster implements ClusterView {
  podList: PodEntry[] = [];
  serviceList: ServiceEntry[] = [];
  pods(): Iterable<PodEntry> {
    return this.podList;
  }
  services(): Iterable<ServiceEntry> {
    return this.serviceList;
  }
  addPod(p: Partial<PodEntry> & { name: string; ip: string; listens?: Listener[] }): PodEntry {
    const listens = p.listens ?? [];
    const entry: PodEntry = {
      namespace: 'default',
      labels: {},
      ready: true,
      terminating: false,
      listeners: () => listens,
      ...p,
    };
    this.podList.push(entry);
    return entry;
  }
  addService(
    name: string,
    clusterIP: string,
    spec: Partial<Service['spec']> = {},
    namespace = 'default',
  ): ServiceEntry {
    const entry: ServiceEntry = {
      service: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name, namespace },
        spec: { type: 'ClusterIP', sessionAffinity: 'None', ...spec },
      },
      clusterIP,
    };
    this.serviceList.push(entry);
    return entry;
  }
}

export const resolveMode: ClusterOptions = { busyboxShortNameLookup: 'resolve', imagePullMs: 0 };
export const strictMode: ClusterOptions = { busyboxShortNameLookup: 'strict', imagePullMs: 0 };

/** An HTTP listener answering 200 on `/`, 404 elsewhere. */
export function web(port: number): Listener {
  return { port, http: (r) => (r.path === '/' ? { status: 200, body: 'ok' } : { status: 404, body: 'nf' }) };
}
