/**
 * The SSRF guard for outbound deliveries (lms.md): no delivery to loopback, link-local,
 * private, unique-local or cloud metadata addresses unless the deployment allows it.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';

function ipv4Blocked(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return (
    a === 0 || // "this" network
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, incl. 169.254.169.254 metadata
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast and reserved
  );
}

function ipv6Blocked(ip: string): boolean {
  const lower = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return ipv4Blocked(mapped[1]!);
  return (
    lower === '::' ||
    lower === '::1' ||
    lower.startsWith('fe8') ||
    lower.startsWith('fe9') ||
    lower.startsWith('fea') ||
    lower.startsWith('feb') || // fe80::/10 link-local
    lower.startsWith('fc') ||
    lower.startsWith('fd') || // fc00::/7 unique local, incl. fd00:ec2::254 metadata
    lower.startsWith('ff') // multicast
  );
}

/** Whether an IP literal is one a production delivery must never reach. */
export function isBlockedAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return ipv4Blocked(ip);
  if (family === 6) return ipv6Blocked(ip);
  return true;
}

/**
 * Checks a delivery URL: http(s) only, and every address its host resolves to must be public
 * unless `allowPrivate` (local servers and tests). Returns the reason when refused.
 */
export async function checkDeliveryUrl(
  raw: string,
  options: { allowPrivate: boolean; resolve?: (host: string) => Promise<string[]> },
): Promise<{ ok: true; url: URL } | { ok: false; reason: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { ok: false, reason: 'only http and https URLs are allowed' };
  if (url.username || url.password) return { ok: false, reason: 'URLs with credentials are not allowed' };
  if (options.allowPrivate) return { ok: true, url };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host)
      ? [host]
      : options.resolve
        ? await options.resolve(host)
        : (await lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return { ok: false, reason: `the host ${host} does not resolve` };
  }
  if (addresses.length === 0) return { ok: false, reason: `the host ${host} does not resolve` };
  const blocked = addresses.find(isBlockedAddress);
  if (blocked)
    return {
      ok: false,
      reason: `the host ${host} resolves to ${blocked}, a private, loopback or link-local address`,
    };
  return { ok: true, url };
}
