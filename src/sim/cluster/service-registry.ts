/**
 * The Services of the simulated API server: create and update (the cluster IP and node port
 * allocators' conflicts), delete, and the endpoints records written when the Pods behind a
 * Service change.
 */
import type { Service } from '../../model/k8s.ts';
import { serviceKey } from '../../model/object-key.ts';
import type { ServiceSnapshot } from '../../model/status.ts';
import type { ObjectRecord } from '../../model/trace.ts';
import { snapshotRecord } from '../trace-budget.ts';
import { objectUid, stableJson } from '../util.ts';
import { type ClusterView, endpointsOf, serviceIP } from './index.ts';

/** A Service the API server holds. */
export interface ServiceRt {
  key: string;
  service: Service;
  uid: string;
  creationTimestamp: number;
  clusterIP: string;
  lastRecord?: string;
  removed: boolean;
}

/** The Service registry of one run. */
export class ServiceRegistry {
  private readonly byKey = new Map<string, ServiceRt>();
  /** Every Service ever created, in creation order. */
  readonly list: ServiceRt[] = [];
  private serial = 0;
  /** The endpoints may have changed: `flush` at the end of the step. */
  dirty = false;

  constructor(private readonly records: ObjectRecord[]) {}

  /** The live Service `namespace/name`. */
  get(namespace: string, name: string): ServiceRt | undefined {
    return this.byKey.get(serviceKey(namespace, name));
  }

  /** kubectl delete of a Service: false when there is none. */
  delete(namespace: string, name: string, now: number): boolean {
    const s = this.get(namespace, name);
    if (!s) return false;
    s.removed = true;
    this.byKey.delete(s.key);
    this.records.push({ at: now, key: s.key, exists: false });
    return true;
  }

  /** Records every live Service whose endpoints changed. */
  flush(view: ClusterView, now: number): void {
    this.dirty = false;
    for (const s of this.list) {
      if (s.removed) continue;
      const ep = endpointsOf({ service: s.service, clusterIP: s.clusterIP }, view);
      const snap: ServiceSnapshot = {
        kind: 'Service',
        namespace: s.service.metadata.namespace,
        name: s.service.metadata.name,
        uid: s.uid,
        creationTimestamp: s.creationTimestamp,
        clusterIP: s.clusterIP,
        readyAddresses: ep.ready,
        notReadyAddresses: ep.notReady,
      };
      const text = JSON.stringify(snap);
      if (text !== s.lastRecord) {
        s.lastRecord = text;
        this.records.push(snapshotRecord(now, s.key, snap, text));
      }
    }
  }

  /**
   * The registry allocators' refusal of a new Service whose cluster IP or node port a live
   * Service holds (alloc.go allocIPs / initNodePorts; the loader checked the file alone).
   */
  private allocationConflict(service: Service): string | undefined {
    const live = this.list.filter((s) => !s.removed);
    const ip = service.spec.clusterIP;
    if (ip && ip !== 'None' && live.some((s) => s.clusterIP === ip))
      return `spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP is already allocated`;
    if (service.spec.type !== 'NodePort' && service.spec.type !== 'LoadBalancer') return undefined;
    const held = new Set(live.flatMap((s) => (s.service.spec.ports ?? []).map((p) => p.nodePort ?? 0)));
    const ports = service.spec.ports ?? [];
    for (let i = 0; i < ports.length; i++) {
      const np = ports[i]!.nodePort ?? 0;
      if (np !== 0 && held.has(np))
        return `spec.ports[${i}].nodePort: Invalid value: ${np}: provided port is already allocated`;
    }
    return undefined;
  }

  /** kubectl apply of a Service: created with a cluster IP, or updated in place. */
  apply(service: Service, now: number): { out?: string; err?: string } {
    const ns = service.metadata.namespace;
    const key = serviceKey(ns, service.metadata.name);
    const existing = this.byKey.get(key);
    if (existing) {
      const a = stableJson({
        ...existing.service.spec,
        clusterIP: undefined,
        labels: existing.service.metadata.labels,
      });
      const b = stableJson({ ...service.spec, clusterIP: undefined, labels: service.metadata.labels });
      if (service.spec.clusterIP && service.spec.clusterIP !== existing.clusterIP) {
        return {
          err: `The Service "${service.metadata.name}" is invalid: spec.clusterIPs[0]: Invalid value: []string{"${service.spec.clusterIP}"}: may not change once set`,
        };
      }
      if (a === b) return { out: `service/${service.metadata.name} unchanged` };
      existing.service = { ...service, metadata: { ...service.metadata, uid: existing.uid } };
      this.dirty = true;
      return { out: `service/${service.metadata.name} configured` };
    }
    const conflict = this.allocationConflict(service);
    if (conflict) return { err: `The Service "${service.metadata.name}" is invalid: ${conflict}` };
    const serial = this.serial++;
    const uid = objectUid('Service', ns, service.metadata.name, serial);
    const clusterIP =
      service.spec.type === 'ExternalName'
        ? ''
        : service.spec.clusterIP
          ? service.spec.clusterIP
          : serviceIP(serial);
    const rt: ServiceRt = {
      key,
      service: { ...service, metadata: { ...service.metadata, uid }, spec: { ...service.spec, clusterIP } },
      uid,
      creationTimestamp: now,
      clusterIP,
      removed: false,
    };
    this.byKey.set(key, rt);
    this.list.push(rt);
    this.dirty = true;
    return { out: `service/${service.metadata.name} created` };
  }
}
