/**
 * The files every Pod has (issue 15 section 3), as the kubelet and the ServiceAccount admission
 * plugin make them on Kubernetes 1.33:
 * - `/etc/hosts` (pkg/kubelet/kubelet_pods.go managedHostsFileContent / hostsEntriesFromHostAliases),
 * - `/etc/resolv.conf` (pkg/kubelet/network/dns/dns.go GetPodDNS: ClusterFirst search path,
 *   the kube-dns nameserver, `options ndots:5`; Default = the node's file; None = dnsConfig only),
 * - `/etc/hostname` (the Pod's hostname, kubelet GeneratePodHostNameAndDomain, 63 chars at most),
 * - the service-account token volume at /var/run/secrets/kubernetes.io/serviceaccount
 *   (plugin/pkg/admission/serviceaccount/admission.go: projected `kube-api-access-<5 chars>`,
 *   files `token`, `ca.crt`, `namespace`), skipped with `automountServiceAccountToken: false`
 *   or when the container already mounts that path.
 * podlab writes the etc files into each new container filesystem (same content on every
 * restart, hiding the image's files as the kubelet's bind mounts do) and mounts the token volume
 * through volumes.ts, read-only, with the atomic writer's `..data` layout (atomic-writer.ts).
 */
import type { Container, Pod } from '../../model/k8s.ts';
import type { FileSystem } from '../../model/runtime.ts';
import { CLUSTER_DOMAIN, searchDomains } from '../cluster/dns.ts';
import { KUBE_DNS_IP } from '../cluster/ips.ts';
import { memoize } from '../util.ts';
import { AtomicWriterVolume, timestampDirName } from './atomic-writer.ts';

/** Where the ServiceAccount admission plugin mounts the token volume (DefaultAPITokenMountPath). */
export const SERVICE_ACCOUNT_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The node's /etc/resolv.conf (a kind node's file, podlab's model for dnsPolicy Default and hostNetwork). */
export const NODE_RESOLV_CONF = 'nameserver 172.18.0.1\noptions ndots:0\n';

/** The Pod fields the files depend on that podlab's typed PodSpec does not carry. */
interface PodFileFields {
  automountServiceAccountToken?: boolean;
  hostNetwork?: boolean;
  hostAliases?: { ip?: string; hostnames?: string[] }[];
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name?: string; value?: string }[] };
}

function extra(pod: Pod): PodFileFields {
  return pod.spec as unknown as PodFileFields;
}

/** The Pod's hostname: spec.hostname, else the Pod's name truncated to 63 characters (kubelet truncatePodHostnameIfNeeded, which also trims a trailing '-' or '.'). */
export function podHostname(pod: Pod): string {
  const h = pod.spec.hostname ?? pod.metadata.name;
  if (h.length <= 63) return h;
  return h.slice(0, 63).replace(/[-.]+$/, '');
}

/** `/etc/hosts` as kubelet managedHostsFileContent writes it for a Pod with IP `podIP`. */
export function hostsFile(pod: Pod, podIP: string): string {
  const ns = pod.metadata.namespace ?? 'default';
  const hostname = podHostname(pod);
  const lines = [
    '# Kubernetes-managed hosts file.',
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'fe00::0\tip6-mcastprefix',
    'fe00::1\tip6-allnodes',
    'fe00::2\tip6-allrouters',
  ];
  const sub = pod.spec.subdomain;
  if (podIP !== '') {
    lines.push(
      sub ? `${podIP}\t${hostname}.${sub}.${ns}.svc.${CLUSTER_DOMAIN}\t${hostname}` : `${podIP}\t${hostname}`,
    );
  }
  const aliases = extra(pod).hostAliases ?? [];
  if (aliases.length > 0) {
    lines.push('', '# Entries added by HostAliases.');
    for (const a of aliases) lines.push(`${a.ip ?? ''}\t${(a.hostnames ?? []).join('\t')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `/etc/resolv.conf` for the Pod's dnsPolicy and dnsConfig (dns.go GetPodDNS and appendDNSConfig). */
export function resolvConf(pod: Pod): string {
  const ns = pod.metadata.namespace ?? 'default';
  const x = extra(pod);
  let policy = pod.spec.dnsPolicy ?? 'ClusterFirst';
  // dns.go getPodDNSType: ClusterFirst on hostNetwork falls back to Default.
  if (policy === 'ClusterFirst' && x.hostNetwork) policy = 'Default';
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: string[] = [];
  if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') {
    nameservers = [KUBE_DNS_IP];
    searches = searchDomains(ns);
    options = ['ndots:5'];
  } else if (policy === 'Default') {
    nameservers = ['172.18.0.1'];
    options = ['ndots:0'];
  }
  const cfg = x.dnsConfig;
  if (cfg) {
    nameservers = dedupe([...nameservers, ...(cfg.nameservers ?? [])]);
    searches = dedupe([...searches, ...(cfg.searches ?? [])]);
    options = mergeOptions(options, cfg.options ?? []);
  }
  const out: string[] = [];
  if (searches.length > 0) out.push(`search ${searches.join(' ')}`);
  for (const n of nameservers) out.push(`nameserver ${n}`);
  if (options.length > 0) out.push(`options ${options.join(' ')}`);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}

function dedupe(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** dns.go mergeDNSOptions: a dnsConfig option replaces the one of the same name. */
function mergeOptions(base: string[], extraOptions: { name?: string; value?: string }[]): string[] {
  const byName = new Map<string, string>();
  for (const o of base) byName.set(o.split(':')[0] ?? o, o);
  for (const o of extraOptions) {
    if (!o.name) continue;
    byName.set(o.name, o.value === undefined ? o.name : `${o.name}:${o.value}`);
  }
  return [...byName.values()];
}

/** Writes /etc/hosts, /etc/resolv.conf and /etc/hostname into a new container filesystem. */
export function writeEtcFiles(fs: FileSystem, pod: Pod, podIP: string): void {
  let files = ETC_FILES.get(pod);
  if (files === undefined || files.podIP !== podIP) {
    const hostNetwork = extra(pod).hostNetwork === true;
    files = {
      podIP,
      // hostNetwork Pods get the node's /etc/hosts (kubelet_pods.go nodeHostsFileContent); podlab's node file.
      hosts: hostNetwork ? NODE_HOSTS : hostsFile(pod, podIP),
      resolv: resolvConf(pod),
      hostname: `${hostNetwork ? 'podlab-node' : podHostname(pod)}\n`,
    };
    ETC_FILES.set(pod, files);
  }
  fs.mkdir('/etc', true);
  fs.writeFile('/etc/hosts', files.hosts);
  fs.writeFile('/etc/resolv.conf', files.resolv);
  fs.writeFile('/etc/hostname', files.hostname);
}

/** The etc files of a Pod object, written once for all its containers and restarts. */
const ETC_FILES = new WeakMap<Pod, { podIP: string; hosts: string; resolv: string; hostname: string }>();

/** The node's /etc/hosts as podlab models it (hostNetwork Pods). */
export const NODE_HOSTS =
  '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n172.18.0.2\tpodlab-node\n';

/** Whether the ServiceAccount admission plugin gives this Pod the token volume. */
export function automountsToken(pod: Pod): boolean {
  return extra(pod).automountServiceAccountToken !== false;
}

/** The deterministic `kube-api-access-xxxxx` name (upstream: 5 random chars of utilrand.String; podlab seeds them from the Pod's uid). */
export function tokenVolumeName(seed: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789'; // utilrand's alphanums
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  let s = '';
  for (let i = 0; i < 5; i++) {
    s += alphabet[h % alphabet.length];
    h = Math.floor(h / alphabet.length) ^ (Math.imul(h, 2654435761) >>> 0);
    h >>>= 0;
  }
  return `kube-api-access-${s}`;
}

/** A fixed cluster CA certificate (placeholder PEM; podlab has no PKI). */
const CA_CRT = '-----BEGIN CERTIFICATE-----\nMIIBpodlabSimulatedClusterCA\n-----END CERTIFICATE-----\n';

/**
 * The token volume's content: token, ca.crt and namespace (no trailing newline), written at
 * `now` by the atomic writer into a tmpfs (projected volumes wrap an emptyDir of medium Memory)
 * with the admission plugin's defaultMode 0644; `seed` (the Pod's uid) names its `..` directory.
 */
export function tokenVolume(pod: Pod, now: number, seed: string): FileSystem {
  const ns = pod.metadata.namespace ?? 'default';
  const header = 'eyJhbGciOiJSUzI1NiIsImtpZCI6InBvZGxhYiJ9';
  const claims = `{"aud":["https://kubernetes.default.svc.${CLUSTER_DOMAIN}"],"kubernetes.io":{"namespace":"${ns}","pod":{"name":"${pod.metadata.name}"},"serviceaccount":{"name":"default"}},"sub":"system:serviceaccount:${ns}:default"}`;
  const token = `${header}.${claimsBase64url(claims)}.c2ltdWxhdGVk`;
  const file = (content: string) => ({ content, mode: 0o644 });
  const payload = new Map([
    ['ca.crt', file(CA_CRT)],
    ['namespace', file(ns)],
    ['token', file(token)],
  ]);
  return new AtomicWriterVolume(payload, timestampDirName(now, `${seed}/token`), 0o1777);
}

/** The token's encoded claims, remembered: the same Pod names recur from run to run. */
const claimsBase64url = memoize(base64url, 256);

function base64url(s: string): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const bytes = [...s].map((c) => c.charCodeAt(0) & 0xff);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const k = Math.min(3, bytes.length - i) + 1;
    for (let j = 0; j < k; j++) out += chars[(n >> (18 - 6 * j)) & 63];
  }
  return out;
}

/** Whether the container gets the token mount (admission.go: unless it already mounts the path). */
export function mountsToken(container: Container): boolean {
  return !(container.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH);
}
