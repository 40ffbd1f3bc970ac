/**
 * The cluster as the network sees it: Pods with their IPs and listeners, Services with their
 * ClusterIPs, and the EndpointSlice controller's choice of endpoints (kubernetes-semantics.md
 * sections 9 and 10; k/k pkg/controller/endpointslice, pkg/api/v1/endpoints).
 */
import type { ContainerPort, Service, ServicePort } from '../../model/k8s.ts';
import type { Listener } from '../../model/runtime.ts';
import { compareIPs, KUBE_DNS_IP, KUBERNETES_SERVICE_IP } from './ips.ts';

/** A Pod as the network sees it at one instant. */
export interface PodEntry {
  namespace: string;
  name: string;
  /** Absent until the sandbox exists. */
  ip?: string;
  labels: Record<string, string>;
  /** The Pod's Ready condition. */
  ready: boolean;
  /** Has a deletionTimestamp. */
  terminating: boolean;
  /** Phase Succeeded/Failed: never an endpoint (ShouldPodBeInEndpoints). */
  terminal?: boolean;
  /** Servers listening in the Pod's network namespace now (all containers). */
  listeners(): readonly Listener[];
  /** Declared container ports of all containers, for named Service targetPorts. */
  ports?: ContainerPort[];
  /**
   * `spec.hostname` only when the Pod sets it: the EndpointSlice controller gives an endpoint a
   * hostname (and CoreDNS a `<hostname>.<subdomain>.<ns>.svc` record) only for an explicit
   * `spec.hostname` with `spec.subdomain` equal to the headless Service's name.
   */
  hostname?: string;
  /** `spec.subdomain`: with a headless Service of that name, `<hostname>.<subdomain>.<ns>.svc.cluster.local`. */
  subdomain?: string;
}

/** A Service and the address it was given. */
export interface ServiceEntry {
  service: Service;
  /** The allocated ClusterIP; `None` for headless; empty for ExternalName. */
  clusterIP: string;
  /**
   * Endpoints that are not simulated Pods (the API server behind `kubernetes`, CoreDNS behind
   * `kube-dns`); when present they replace the selector.
   */
  staticEndpoints?: { ip: string; listeners: Listener[] }[];
}

/** What the network needs from the simulated API server. */
export interface ClusterView {
  pods(): Iterable<PodEntry>;
  services(): Iterable<ServiceEntry>;
  /**
   * The first of `pods()` at `ip` that is not terminal, visiting the same entries in the same
   * order (optional: a faster path for the connects probes make every tick).
   */
  livePodAt?(ip: string): PodEntry | undefined;
}

/** The node's address (kind's first node), where the API server listens. */
export const NODE_IP = '172.18.0.2';
/** CoreDNS replicas (kubeadm runs two), below the first scenario Pod address 10.244.0.10. */
export const COREDNS_POD_IPS = ['10.244.0.2', '10.244.0.3'];

function builtin(
  namespace: string,
  name: string,
  clusterIP: string,
  ports: ServicePort[],
  selector: Record<string, string> | undefined,
  endpoints: { ip: string; listeners: Listener[] }[],
): ServiceEntry {
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace,
      labels: selector ? { ...selector } : { component: 'apiserver', provider: 'kubernetes' },
    },
    spec: { type: 'ClusterIP', clusterIP, ports, sessionAffinity: 'None', ...(selector ? { selector } : {}) },
  };
  return { service, clusterIP, staticEndpoints: endpoints };
}

/**
 * The Services every kubeadm cluster has: `default/kubernetes` (10.96.0.1:443 -> the API server
 * on the node, 6443) and `kube-system/kube-dns` (10.96.0.10:53 -> CoreDNS). A Service of the same
 * namespace and name in the view replaces the built-in one.
 */
function buildBuiltinServices(): ServiceEntry[] {
  const dnsListeners = (): Listener[] => [{ port: 53 }, { port: 9153 }];
  return [
    builtin(
      'default',
      'kubernetes',
      KUBERNETES_SERVICE_IP,
      [{ name: 'https', protocol: 'TCP', port: 443, targetPort: 6443 }],
      undefined,
      [{ ip: NODE_IP, listeners: [{ port: 6443 }] }],
    ),
    builtin(
      'kube-system',
      'kube-dns',
      KUBE_DNS_IP,
      [
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
        { name: 'metrics', protocol: 'TCP', port: 9153, targetPort: 9153 },
      ],
      { 'k8s-app': 'kube-dns' },
      COREDNS_POD_IPS.map((ip) => ({ ip, listeners: dnsListeners() })),
    ),
  ];
}

/** Freezes a value and everything in it (plain data). */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Built once: every container start, DNS lookup and probe connect asks for them. */
const BUILTIN_SERVICES: readonly ServiceEntry[] = deepFreeze(buildBuiltinServices());

/** The built-in Services (shared and frozen). */
export function builtinServices(): readonly ServiceEntry[] {
  return BUILTIN_SERVICES;
}

/** The view's Services plus the built-in ones it does not override. */
export function allServices(view: ClusterView): ServiceEntry[] {
  const out: ServiceEntry[] = [];
  const seen = new Set<string>();
  for (const s of view.services()) {
    out.push(s);
    seen.add(`${s.service.metadata.namespace}/${s.service.metadata.name}`);
  }
  for (const b of builtinServices()) {
    if (!seen.has(`${b.service.metadata.namespace}/${b.service.metadata.name}`)) out.push(b);
  }
  return out;
}

/** True for `clusterIP: None`. */
export function isHeadless(svc: ServiceEntry): boolean {
  return svc.clusterIP === 'None' || svc.service.spec.clusterIP === 'None';
}

/** Whether a Pod matches the Service's selector (all pairs equal; an empty selector matches nothing). */
export function selects(svc: Service, pod: PodEntry): boolean {
  const sel = svc.spec.selector;
  if (!sel) return false;
  const keys = Object.keys(sel);
  if (keys.length === 0) return false;
  return keys.every((k) => pod.labels[k] === sel[k]);
}

/** The Pods behind a Service with their endpoint readiness, sorted by IP then name. */
export function endpointPods(svc: ServiceEntry, view: ClusterView): { pod: PodEntry; ready: boolean }[] {
  const s = svc.service;
  if (s.spec.type === 'ExternalName' || svc.staticEndpoints) return [];
  const out: { pod: PodEntry; ready: boolean }[] = [];
  for (const pod of view.pods()) {
    if (pod.namespace !== s.metadata.namespace) continue;
    // ShouldPodBeInEndpoints: no IP or a terminal phase -> not an endpoint at all.
    if (pod.ip === undefined || pod.ip === '' || pod.terminal) continue;
    if (!selects(s, pod)) continue;
    // EndpointSlice conditions: ready = publishNotReadyAddresses || (Ready && !terminating).
    const ready = s.spec.publishNotReadyAddresses === true || (pod.ready && !pod.terminating);
    out.push({ pod, ready });
  }
  out.sort((a, b) => compareIPs(a.pod.ip!, b.pod.ip!) || (a.pod.name < b.pod.name ? -1 : 1));
  return out;
}

/**
 * Endpoints of a Service: Pods in its namespace matching its selector; ready = Ready and not
 * terminating (every matching Pod is ready with `publishNotReadyAddresses`). Sorted addresses.
 */
export function endpointsOf(svc: ServiceEntry, view: ClusterView): { ready: string[]; notReady: string[] } {
  if (svc.staticEndpoints) {
    return { ready: svc.staticEndpoints.map((e) => e.ip).sort(compareIPs), notReady: [] };
  }
  const ready: string[] = [];
  const notReady: string[] = [];
  for (const e of endpointPods(svc, view)) (e.ready ? ready : notReady).push(e.pod.ip!);
  return { ready: dedupe(ready), notReady: dedupe(notReady) };
}

function dedupe(ips: string[]): string[] {
  return ips.filter((ip, i) => i === 0 || ips[i - 1] !== ip);
}

/**
 * Resolves a Service targetPort on one endpoint Pod: a number is used as is; a name must match
 * a declared container port of the Pod (else the Pod is no endpoint for that port).
 */
export function targetPortOn(port: ServicePort, pod: PodEntry): number | undefined {
  const t = port.targetPort;
  if (typeof t === 'number') return t > 0 ? t : port.port;
  if (t === '') return port.port;
  if (/^\d+$/.test(t)) return Number(t);
  return pod.ports?.find((p) => p.name === t && p.protocol === port.protocol)?.containerPort;
}
