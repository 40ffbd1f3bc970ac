/**
 * The SSRF guard for outbound deliveries (lms.md): no delivery to loopback, link-local,
 * private, unique-local, cloud metadata or other special-purpose addresses unless the
 * deployment allows it. Addresses are parsed and classified by `ipaddr.js` (its tables follow
 * the IANA special-purpose registries, RFC 6890); IPv6 forms that carry an IPv4 address are
 * judged by that IPv4 address.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Which destinations deliveries may reach. */
export interface DeliveryGuard {
  /** Any address (local servers and tests). */
  allowPrivate: boolean;
  /**
   * Origins (`http://127.0.0.1:8080`) reached even though the guard is on, such as a test
   * receiver on loopback. Only the exact origin: a redirect elsewhere is never followed.
   */
  allowedOrigins?: readonly string[];
}

/** How an address was judged: `range` is ipaddr.js's name for it ('unicast' is public). */
export interface AddressVerdict {
  blocked: boolean;
  range: string;
  /** The IPv4 address an IPv6 form carries (mapped, compatible, NAT64, 6to4), when it was judged by it. */
  embedded?: string;
}

const ipv4FromParts = (high: number, low: number) =>
  new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);

/**
 * The IPv4 address an IPv6 address stands for, when traffic to it reaches that IPv4 host:
 * IPv4-mapped ::ffff:a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d (RFC 4291, 6145), the
 * deprecated IPv4-compatible ::a.b.c.d (RFC 4291 §2.5.5.1), the NAT64 well-known prefix
 * 64:ff9b::/96 (RFC 6052) and 6to4 2002:AABB:CCDD::/48 (RFC 3056).
 */
function embeddedIpv4(v6: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = v6.parts;
  const last = () => ipv4FromParts(p[6]!, p[7]!);
  const zeros = (from: number, to: number) => p.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && p[5] === 0xffff) return last(); // ::ffff:a.b.c.d
  if (zeros(0, 4) && p[4] === 0xffff && p[5] === 0) return last(); // ::ffff:0:a.b.c.d
  if (zeros(0, 6) && (p[6] !== 0 || p[7]! > 1)) return last(); // ::a.b.c.d, but not :: or ::1
  if (p[0] === 0x64 && p[1] === 0xff9b && zeros(2, 6)) return last(); // 64:ff9b::/96
  if (p[0] === 0x2002) return ipv4FromParts(p[1]!, p[2]!); // 6to4
  return undefined;
}

/**
 * IPv6 ranges refused outright, whatever they carry: Teredo 2001::/32 hides its client's
 * address; 64:ff9b:1::/48 is the local-use NAT64 prefix (RFC 8215), inside the operator's
 * network, with an operator-chosen layout.
 */
function refusedTunnel(v6: ipaddr.IPv6): string | undefined {
  if (v6.range() === 'teredo') return 'teredo';
  if (v6.match(ipaddr.IPv6.parse('64:ff9b:1::'), 48)) return 'rfc8215';
  return undefined;
}

/**
 * Judges one IP literal (dotted IPv4 or IPv6, as the URL parser and DNS give them): only
 * global unicast passes. Anything that does not parse as an address is blocked.
 */
export function classifyAddress(ip: string): AddressVerdict {
  if (isIP(ip) === 0) return { blocked: true, range: 'invalid' };
  const parsed = ipaddr.parse(ip);
  if (parsed.kind() === 'ipv6') {
    const v6 = parsed as ipaddr.IPv6;
    const tunnel = refusedTunnel(v6);
    if (tunnel) return { blocked: true, range: tunnel };
    const v4 = embeddedIpv4(v6);
    if (v4) {
      const range = v4.range();
      return { blocked: range !== 'unicast', range, embedded: v4.toString() };
    }
  }
  const range = parsed.range();
  return { blocked: range !== 'unicast', range };
}

/** Whether an IP literal is one a production delivery must never reach. */
export function isBlockedAddress(ip: string): boolean {
  return classifyAddress(ip).blocked;
}

/** Words for a refused address: "127.0.0.1 (loopback)", "::ffff:7f00:1 (IPv4 127.0.0.1, loopback)". */
export function describeRefusal(ip: string): string {
  const v = classifyAddress(ip);
  return v.embedded ? `${ip} (IPv4 ${v.embedded}, ${v.range})` : `${ip} (${v.range})`;
}

/** Why a non-public address is refused, in words. */
export const REFUSAL =
  'is not a public address (loopback, private, link-local, metadata and other special-purpose addresses are refused)';

/** Whether the guard applies to this URL (it is on and the origin is not exempt). */
export function guarded(url: URL, guard: DeliveryGuard): boolean {
  return !guard.allowPrivate && !(guard.allowedOrigins ?? []).includes(url.origin);
}

/** The host of a URL as an address or a name: IPv6 without its brackets. */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Checks a delivery URL: http(s) only, and every address its host resolves to must be public
 * unless the guard allows it. The WHATWG URL parser has already turned every IPv4 spelling
 * (2130706433, 0177.0.0.1, 0x7f.1, 127.1) into dotted form. Returns the reason when refused:
 * `invalid` for a URL that cannot be used at all, `unsafe` for a destination the guard refuses.
 */
export async function checkDeliveryUrl(
  raw: string,
  options: DeliveryGuard & { resolve?: (host: string) => Promise<string[]> },
): Promise<{ ok: true; url: URL } | { ok: false; kind: 'invalid' | 'unsafe'; reason: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, kind: 'invalid', reason: 'not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, kind: 'invalid', reason: 'only http and https URLs are allowed' };
  if (url.username || url.password)
    return { ok: false, kind: 'invalid', reason: 'URLs with credentials are not allowed' };
  if (!guarded(url, options)) return { ok: true, url };
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = isIP(host)
      ? [host]
      : options.resolve
        ? await options.resolve(host)
        : (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  } catch {
    return { ok: false, kind: 'invalid', reason: `the host ${host} does not resolve` };
  }
  if (addresses.length === 0)
    return { ok: false, kind: 'invalid', reason: `the host ${host} does not resolve` };
  const blocked = addresses.find(isBlockedAddress);
  if (blocked) {
    const subject =
      blocked === host
        ? describeRefusal(host)
        : `the host ${host} resolves to ${describeRefusal(blocked)}, which`;
    return { ok: false, kind: 'unsafe', reason: `${subject} ${REFUSAL}` };
  }
  return { ok: true, url };
}
