/**
 * Services, endpoints, addresses and DNS of the simulated cluster (kubernetes-semantics.md
 * sections 9, 10 and 13). See docs/probes-and-network.md.
 */
export {
  busyboxNslookup,
  CLUSTER_DOMAIN,
  type DnsRecord,
  type DnsReply,
  type DnsType,
  dnsQuery,
  libcResolve,
  NSLOOKUP_TIMEOUT_MS,
  type NslookupResult,
  searchDomains,
} from './dns.ts';
export {
  allServices,
  builtinServices,
  type ClusterView,
  COREDNS_POD_IPS,
  endpointPods,
  endpointsOf,
  isHeadless,
  NODE_IP,
  type PodEntry,
  type ServiceEntry,
  selects,
  targetPortOn,
} from './endpoints.ts';
export { compareIPs, KUBE_DNS_IP, KUBERNETES_SERVICE_IP, parseIPv4, podIP, serviceIP } from './ips.ts';
export { connectFrom, type NetworkOrigin, podNetwork } from './network.ts';
