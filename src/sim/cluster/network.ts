/**
 * The cluster network as seen from inside one Pod (`PodNetwork` of src/model/runtime.ts):
 * DNS through the cluster resolver, TCP to Pod IPs directly and to Service ClusterIPs through
 * kube-proxy (iptables mode, the 1.33 default). kubernetes-semantics.md section 10.
 */
import type { ConnectError, Listener, PodNetwork } from '../../model/runtime.ts';
import type { ClusterOptions } from '../../model/trace.ts';
import { busyboxNslookup, libcResolve } from './dns.ts';
import { allServices, type ClusterView, endpointPods, isHeadless, targetPortOn } from './endpoints.ts';
import { parseIPv4 } from './ips.ts';

/** The Pod the network is seen from. */
export interface NetworkOrigin {
  namespace: string;
  /** The Pod's own IP, for `localhost` / 127.0.0.1 and its hostname in /etc/hosts. */
  ip?: string;
  /** The Pod's hostname (`spec.hostname` or its name), which /etc/hosts maps to its IP. */
  hostname?: string;
}

/** The network as seen from one Pod. The view is read at each call, so it follows the cluster. */
export function podNetwork(view: ClusterView, from: NetworkOrigin, options: ClusterOptions): PodNetwork {
  return {
    resolve(name: string): string | undefined {
      return hostsLookup(from, name) ?? libcResolve(view, from.namespace, name);
    },
    nslookup(name: string) {
      return busyboxNslookup(view, from.namespace, name, options.busyboxShortNameLookup);
    },
    connect(ip: string, port: number): Listener | ConnectError {
      return connectFrom(view, from, ip, port);
    },
  };
}

/** The kubelet-managed /etc/hosts: `127.0.0.1 localhost`, `<podIP> <hostname>`. */
function hostsLookup(from: NetworkOrigin, name: string): string | undefined {
  const n = (name.endsWith('.') ? name.slice(0, -1) : name).toLowerCase();
  if (n === 'localhost' || n === 'localhost.localdomain') return '127.0.0.1';
  if (from.ip !== undefined && from.hostname !== undefined && n === from.hostname.toLowerCase())
    return from.ip;
  return undefined;
}

function listenerOn(listeners: readonly Listener[], port: number): Listener | undefined {
  return listeners.find((l) => l.port === port);
}

/**
 * TCP connect from a Pod: loopback -> the Pod's own listeners; a Pod IP -> that Pod's listener
 * on the port, else `refused` (RST); a ClusterIP -> kube-proxy DNAT to the first ready endpoint
 * (sorted by IP: podlab's fixed choice where iptables picks at random) with the Service port
 * mapped to its targetPort, `refused` when no endpoint is ready (the REJECT rule), `timeout` for
 * a port the Service does not declare (no rule matches the VIP); any other address `timeout`.
 */
export function connectFrom(
  view: ClusterView,
  from: NetworkOrigin,
  ip: string,
  port: number,
): Listener | ConnectError {
  const quad = parseIPv4(ip);
  if (!quad) return 'timeout';
  if (quad[0] === 127) {
    const self = from.ip === undefined ? undefined : podAt(view, from.ip);
    return (self && listenerOn(self, port)) ?? 'refused';
  }
  const pod = podAt(view, ip);
  if (pod) return listenerOn(pod, port) ?? 'refused';
  const services = allServices(view);
  for (const svc of services) {
    if (isHeadless(svc) || svc.clusterIP === '' || svc.clusterIP !== ip) continue;
    const sp = (svc.service.spec.ports ?? []).find((p) => p.port === port && p.protocol === 'TCP');
    if (!sp) return 'timeout';
    if (svc.staticEndpoints) {
      const target = typeof sp.targetPort === 'number' ? sp.targetPort : sp.port;
      const ep = svc.staticEndpoints[0];
      return (ep && listenerOn(ep.listeners, target)) ?? 'refused';
    }
    for (const { pod: p, ready } of endpointPods(svc, view)) {
      if (!ready) continue;
      const target = targetPortOn(sp, p);
      if (target === undefined) continue;
      return listenerOn(p.listeners(), target) ?? 'refused';
    }
    return 'refused';
  }
  return 'timeout';
}

/** Listeners at a Pod IP (scenario Pods, then the static endpoints of built-in Services). */
function podAt(view: ClusterView, ip: string): readonly Listener[] | undefined {
  if (view.livePodAt) {
    const p = view.livePodAt(ip);
    if (p) return p.listeners();
  } else {
    for (const p of view.pods()) if (p.ip === ip && !p.terminal) return p.listeners();
  }
  for (const s of allServices(view)) {
    for (const e of s.staticEndpoints ?? []) if (e.ip === ip) return e.listeners;
  }
  return undefined;
}
