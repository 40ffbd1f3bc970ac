import { memoize } from '../util.ts';
/**
 * Deterministic cluster addresses (kubernetes-semantics.md section 13: podlab assigns IPs in
 * creation order instead of the random IPAM/allocator choices of a real cluster).
 * Pods live in 10.244.0.0/16 (the flannel/kind default pod CIDR), Services in 10.96.0.0/12
 * (the kubeadm default service CIDR). Host bytes 0 and 255 are skipped.
 */

/** The `kubernetes` Service in `default` (first address of the service CIDR). */
export const KUBERNETES_SERVICE_IP = '10.96.0.1';
/** The `kube-dns` Service in `kube-system` (kubeadm's tenth address), the Pods' nameserver. */
export const KUBE_DNS_IP = '10.96.0.10';

const HOSTS_PER_OCTET = 254;

/** Pod number `index` (0-based creation order) -> `10.244.0.10`, `10.244.0.11`, … (wraps after 65 024). */
export function podIP(index: number): string {
  const k = (nonNegative(index) + 9) % (256 * HOSTS_PER_OCTET);
  return `10.244.${Math.trunc(k / HOSTS_PER_OCTET)}.${(k % HOSTS_PER_OCTET) + 1}`;
}

/**
 * Service number `index` (0-based creation order of the scenario's Services) -> `10.96.0.11`,
 * `10.96.0.12`, … (after the built-in 10.96.0.1 and 10.96.0.10; wraps inside 10.96.0.0/12).
 */
export function serviceIP(index: number): string {
  const k = (nonNegative(index) + 10) % (16 * 256 * HOSTS_PER_OCTET);
  const third = Math.trunc(k / HOSTS_PER_OCTET);
  return `10.${96 + Math.trunc(third / 256)}.${third % 256}.${(k % HOSTS_PER_OCTET) + 1}`;
}

function nonNegative(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.trunc(n) : 0;
}

/**
 * Parses a dotted-quad IPv4 address; undefined when `s` is not one. Memoised: probes connect to
 * the same few addresses every second (the results are frozen).
 */
export const parseIPv4: (s: string) => readonly [number, number, number, number] | undefined = memoize(
  parseIPv4Uncached,
  1024,
);

function parseIPv4Uncached(s: string): readonly [number, number, number, number] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return Object.freeze([out[0]!, out[1]!, out[2]!, out[3]!] as const);
}

/** Numeric IPv4 order (so 10.244.0.9 sorts before 10.244.0.10); non-IPs sort last, by text. */
export function compareIPs(a: string, b: string): number {
  const pa = parseIPv4(a);
  const pb = parseIPv4(b);
  if (pa && pb) {
    for (let i = 0; i < 4; i++) if (pa[i]! !== pb[i]!) return pa[i]! - pb[i]!;
    return 0;
  }
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
