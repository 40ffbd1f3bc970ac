/**
 * Cluster DNS: the answers of CoreDNS's kubernetes plugin for zone `cluster.local`
 * (kubernetes/dns docs/specification.md), the Pod's libc resolver (search path, ndots:5) and
 * busybox 1.32.0 `nslookup` (kubernetes-semantics.md section 10.1, mirror/busybox
 * networking/nslookup.c @1_32_0).
 */
import type { ClusterOptions } from '../../model/trace.ts';
import { allServices, type ClusterView, endpointPods, endpointsOf, isHeadless } from './endpoints.ts';
import { compareIPs, KUBE_DNS_IP, parseIPv4 } from './ips.ts';

/** The cluster domain. */
export const CLUSTER_DOMAIN = 'cluster.local';

/** `search` line of a ClusterFirst Pod's resolv.conf (no node search domains in podlab). */
export function searchDomains(namespace: string): string[] {
  return [`${namespace}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
}

export type DnsType = 'A' | 'AAAA' | 'PTR';

export type DnsRecord =
  | { type: 'A'; name: string; address: string }
  | { type: 'CNAME'; name: string; target: string }
  | { type: 'PTR'; name: string; target: string };

/** A DNS reply: NXDOMAIN, or NOERROR with zero (NODATA) or more records. */
export interface DnsReply {
  rcode: 'NOERROR' | 'NXDOMAIN';
  records: DnsRecord[];
}

const NXDOMAIN: DnsReply = { rcode: 'NXDOMAIN', records: [] };
const NODATA: DnsReply = { rcode: 'NOERROR', records: [] };

function namespacesOf(view: ClusterView): Set<string> {
  const ns = new Set<string>(['default', 'kube-system', 'kube-public', 'kube-node-lease']);
  for (const p of view.pods()) ns.add(p.namespace);
  for (const s of view.services()) ns.add(s.service.metadata.namespace);
  return ns;
}

/**
 * CoreDNS's answer to one query. Owner names echo the question as asked (without a trailing
 * dot). Names outside `cluster.local` get NXDOMAIN: podlab's cluster has no upstream resolver.
 */
export function dnsQuery(view: ClusterView, qname: string, qtype: DnsType): DnsReply {
  const asked = qname.endsWith('.') ? qname.slice(0, -1) : qname;
  const name = asked.toLowerCase();
  if (qtype === 'PTR') return reverse(view, asked, name);
  if (name === CLUSTER_DOMAIN || name === `svc.${CLUSTER_DOMAIN}` || name === `pod.${CLUSTER_DOMAIN}`)
    return NODATA;
  const suffix = `.${CLUSTER_DOMAIN}`;
  if (!name.endsWith(suffix)) return NXDOMAIN;
  const labels = name.slice(0, -suffix.length).split('.');
  const kind = labels[labels.length - 1];
  if (kind === 'pod') return podRecord(view, asked, labels, qtype);
  if (kind !== 'svc') return NXDOMAIN;
  const rest = labels.slice(0, -1);
  const namespaces = namespacesOf(view);
  if (rest.length === 1) return namespaces.has(rest[0]!) ? NODATA : NXDOMAIN;
  if (rest.length === 2) return serviceRecord(view, asked, rest[0]!, rest[1]!, qtype);
  if (rest.length === 3) return endpointRecord(view, asked, rest[0]!, rest[1]!, rest[2]!, qtype);
  return NXDOMAIN;
}

function findService(view: ClusterView, namespace: string, name: string) {
  return allServices(view).find(
    (s) => s.service.metadata.namespace === namespace && s.service.metadata.name.toLowerCase() === name,
  );
}

function serviceRecord(
  view: ClusterView,
  asked: string,
  svcName: string,
  ns: string,
  qtype: DnsType,
): DnsReply {
  const svc = findService(view, ns, svcName);
  if (!svc) return NXDOMAIN;
  const owner = asked;
  if (svc.service.spec.type === 'ExternalName') {
    const target = svc.service.spec.externalName ?? '';
    return target === '' ? NODATA : { rcode: 'NOERROR', records: [{ type: 'CNAME', name: owner, target }] };
  }
  // podlab has no IPv6: every AAAA question about an existing name is NODATA.
  if (qtype !== 'A') return NODATA;
  if (!isHeadless(svc)) {
    return { rcode: 'NOERROR', records: [{ type: 'A', name: owner, address: svc.clusterIP }] };
  }
  // Headless: one A record per ready endpoint; none ready -> NOERROR with no answer (not NXDOMAIN).
  const ready = endpointsOf(svc, view).ready;
  return { rcode: 'NOERROR', records: ready.map((address) => ({ type: 'A', name: owner, address })) };
}

/** `<hostname>.<svc>.<ns>.svc` (pods with hostname+subdomain) and `<a-b-c-d>.<svc>.<ns>.svc` of headless endpoints. */
function endpointRecord(
  view: ClusterView,
  asked: string,
  host: string,
  svcName: string,
  ns: string,
  qtype: DnsType,
): DnsReply {
  const svc = findService(view, ns, svcName);
  if (!svc || !isHeadless(svc)) return NXDOMAIN;
  const addresses: string[] = [];
  for (const { pod, ready } of endpointPods(svc, view)) {
    if (!ready) continue;
    const named = pod.hostname !== undefined && pod.subdomain?.toLowerCase() === svcName;
    const label = named ? pod.hostname!.toLowerCase() : pod.ip!.replaceAll('.', '-');
    if (label === host) addresses.push(pod.ip!);
  }
  if (addresses.length === 0) return NXDOMAIN;
  if (qtype !== 'A') return NODATA;
  return { rcode: 'NOERROR', records: addresses.map((address) => ({ type: 'A', name: asked, address })) };
}

/** `<a-b-c-d>.<ns>.pod.cluster.local` (CoreDNS `pods insecure`, the kubeadm default: no existence check). */
function podRecord(view: ClusterView, asked: string, labels: string[], qtype: DnsType): DnsReply {
  if (labels.length !== 3)
    return labels.length === 2 && namespacesOf(view).has(labels[0]!) ? NODATA : NXDOMAIN;
  const ip = labels[0]!.replaceAll('-', '.');
  if (!parseIPv4(ip) || labels[0]!.split('-').length !== 4) return NXDOMAIN;
  if (qtype !== 'A') return NODATA;
  return { rcode: 'NOERROR', records: [{ type: 'A', name: asked, address: ip }] };
}

/** PTR for Service ClusterIPs and headless endpoints; anything else NXDOMAIN. */
function reverse(view: ClusterView, asked: string, name: string): DnsReply {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa$/.exec(name);
  if (!m) return NXDOMAIN;
  const ip = `${m[4]}.${m[3]}.${m[2]}.${m[1]}`;
  const targets: string[] = [];
  for (const svc of allServices(view)) {
    const { namespace, name: svcName } = svc.service.metadata;
    if (svc.clusterIP === ip && !isHeadless(svc))
      targets.push(`${svcName}.${namespace}.svc.${CLUSTER_DOMAIN}`);
    if (isHeadless(svc)) {
      for (const { pod, ready } of endpointPods(svc, view)) {
        if (!ready || pod.ip !== ip) continue;
        const named = pod.hostname !== undefined && pod.subdomain === svcName;
        const label = named ? pod.hostname! : ip.replaceAll('.', '-');
        targets.push(`${label}.${svcName}.${namespace}.svc.${CLUSTER_DOMAIN}`);
      }
    }
  }
  if (targets.length === 0) return NXDOMAIN;
  return {
    rcode: 'NOERROR',
    records: targets.sort().map((target) => ({ type: 'PTR', name: asked, target })),
  };
}

/**
 * The Pod's libc resolver (glibc/uclibc `getaddrinfo` with `search <ns>.svc.cluster.local
 * svc.cluster.local cluster.local` and `options ndots:5`): an IP literal is itself; a name with a
 * trailing dot is absolute; fewer than 5 dots tries the search domains first, then the name;
 * otherwise the name first. The first A record wins (CoreDNS's `loadbalance` order is random on
 * a real cluster; podlab takes the numerically smallest address). CNAMEs are followed.
 */
export function libcResolve(view: ClusterView, namespace: string, name: string): string | undefined {
  if (parseIPv4(name)) return name;
  if (name === '' || name === '.') return undefined;
  const candidates: string[] = [];
  if (name.endsWith('.')) {
    candidates.push(name.slice(0, -1));
  } else {
    const dots = name.split('.').length - 1;
    const searched = searchDomains(namespace).map((d) => `${name}.${d}`);
    if (dots >= 5) candidates.push(name, ...searched);
    else candidates.push(...searched, name);
  }
  for (const c of candidates) {
    const ip = lookupA(view, c, 0);
    if (ip !== undefined) return ip;
  }
  return undefined;
}

function lookupA(view: ClusterView, name: string, depth: number): string | undefined {
  if (depth > 8) return undefined;
  const reply = dnsQuery(view, name, 'A');
  if (reply.rcode !== 'NOERROR') return undefined;
  const addresses = reply.records.flatMap((r) => (r.type === 'A' ? [r.address] : [])).sort(compareIPs);
  if (addresses.length > 0) return addresses[0];
  const cname = reply.records.find((r) => r.type === 'CNAME');
  if (cname && cname.type === 'CNAME') {
    return parseIPv4(cname.target) ? cname.target : lookupA(view, cname.target, depth + 1);
  }
  return undefined;
}

/** What `nslookup` printed and how it ended. */
export interface NslookupResult {
  stdout: string;
  stderr: string;
  exitCode: number;
  durationMs: number;
}

/** busybox nslookup's total wait for unanswered queries (G.default_timeout = 5 s). */
export const NSLOOKUP_TIMEOUT_MS = 5000;

interface Query {
  /** The name as busybox prints it (the argument, or `<arg>.<search domain>`). */
  name: string;
  type: DnsType;
}

/**
 * busybox 1.32.0 `nslookup NAME` from a Pod in `namespace` (nameserver 10.96.0.10).
 *
 * - An IPv4 literal is a PTR query. A name with a dot is queried verbatim (A, then AAAA).
 * - A dotless name: `strict` follows section 10.1: one A and one AAAA query per search domain;
 *   all of them carry the same DNS ID, so only the first reply to arrive counts and the rest wait
 *   out the 5 s timeout. podlab fixes the first reply to be an NXDOMAIN of a search expansion,
 *   as observed with busybox:1.32.0 (sandervanvugt/cka#2): it is reported under the first
 *   expansion, the five others print `*** Can't find …: No answer`, exit 1, 5 s. So in `strict`
 *   short names never resolve. `resolve` (default) looks the name up as
 *   `<name>.<namespace>.svc.cluster.local` (what course material expects): exit 0 iff that
 *   Service exists, output exactly as for that FQDN, 0 s.
 */
export function busyboxNslookup(
  view: ClusterView,
  namespace: string,
  name: string,
  mode: ClusterOptions['busyboxShortNameLookup'],
): NslookupResult {
  let queries: Query[];
  let answered: number;
  let firstReplyOverride: DnsReply | undefined;
  let durationMs = 0;
  if (parseIPv4(name)) {
    const [a, b, c, d] = parseIPv4(name)!;
    queries = [{ name: `${d}.${c}.${b}.${a}.in-addr.arpa`, type: 'PTR' }];
    answered = 1;
  } else if (name.includes('.')) {
    queries = [
      { name, type: 'A' },
      { name, type: 'AAAA' },
    ];
    answered = 2;
  } else if (mode === 'strict') {
    const domains = searchDomains(namespace);
    queries = [
      ...domains.map((d) => ({ name: `${name}.${d}`, type: 'A' as const })),
      ...domains.map((d) => ({ name: `${name}.${d}`, type: 'AAAA' as const })),
    ];
    answered = 1;
    firstReplyOverride = NXDOMAIN;
    durationMs = NSLOOKUP_TIMEOUT_MS;
  } else {
    const fqdn = `${name}.${namespace}.svc.${CLUSTER_DOMAIN}`;
    queries = [
      { name: fqdn, type: 'A' },
      { name: fqdn, type: 'AAAA' },
    ];
    answered = 2;
  }
  let out = `Server:\t\t${KUBE_DNS_IP}\nAddress:\t${KUBE_DNS_IP}:53\n\n`;
  let exitCode = 0;
  for (let i = 0; i < answered; i++) {
    const q = queries[i]!;
    const reply = i === 0 && firstReplyOverride ? firstReplyOverride : dnsQuery(view, q.name, q.type);
    if (reply.rcode !== 'NOERROR') {
      out += `** server can't find ${q.name}: ${reply.rcode}\n`;
      exitCode = 1;
    } else if (reply.records.length === 0) {
      out += `*** Can't find ${q.name}: No answer\n`;
    } else {
      // CoreDNS answers for its zone are authoritative: no "Non-authoritative answer:" line.
      for (const r of reply.records) {
        if (r.type === 'A') out += `Name:\t${r.name}\nAddress: ${r.address}\n`;
        else if (r.type === 'CNAME') out += `${r.name}\tcanonical name = ${r.target}\n`;
        else out += `${r.name}\tname = ${r.target}\n`;
      }
    }
    out += '\n';
  }
  if (answered < queries.length) {
    for (const q of queries.slice(answered)) out += `*** Can't find ${q.name}: No answer\n`;
    out += '\n';
  }
  return { stdout: out, stderr: '', exitCode, durationMs };
}
