/**
 * The outbound webhook guard under attack (issue 20 §2): every spelling of a loopback,
 * private or metadata address an instructor could register, names that resolve to one, and
 * a receiver that redirects to one. Addresses other than loopback are only classified here,
 * never contacted; every delivery below goes to a real receiver on 127.0.0.1, and each
 * refusal has a control run with the guard off that does reach it (so the guard, not the
 * network, is what stopped it).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptDelivery } from '../../functions/lms/delivery.ts';
import { checkDeliveryUrl, classifyAddress } from '../../functions/lms/ssrf.ts';
import { signedHeaders } from '../../functions/lms/webhooks.ts';

const guardOn = { allowPrivate: false } as const;
const noDns = async (host: string): Promise<string[]> => {
  throw new Error(`no DNS in this test (asked for ${host})`);
};

describe('IPv4 spellings: the URL parser normalises them, the guard judges the result', () => {
  it.each([
    ['decimal', 'http://2130706433/x', '127.0.0.1'],
    ['octal', 'http://0177.0.0.1/x', '127.0.0.1'],
    ['hex, short', 'http://0x7f.1/x', '127.0.0.1'],
    ['hex, one number', 'http://0x7f000001/x', '127.0.0.1'],
    ['hex, dotted', 'http://0x7f.0x0.0x0.0x1/x', '127.0.0.1'],
    ['octal, one number', 'http://017700000001/x', '127.0.0.1'],
    ['short, two parts', 'http://127.1/x', '127.0.0.1'],
    ['short, three parts', 'http://127.0.1/x', '127.0.0.1'],
    ['percent-encoded', 'http://%31%32%37.0.0.1/x', '127.0.0.1'],
    ['full-width digits', 'http://１２７.0.0.1/x', '127.0.0.1'],
    ['zero', 'http://0/x', '0.0.0.0'],
    ['metadata, decimal', 'http://2852039166/latest/meta-data/', '169.254.169.254'],
    ['metadata, trailing dot', 'http://169.254.169.254./latest/', '169.254.169.254'],
    ['private, hex', 'http://0xa000001/x', '10.0.0.1'],
    ['private, octal short', 'http://0300.0250.1/x', '192.168.0.1'],
  ])('%s: %s is %s and refused', async (_name, url, host) => {
    expect(new URL(url).hostname).toBe(host);
    const r = await checkDeliveryUrl(url, { ...guardOn, resolve: noDns });
    expect(r).toMatchObject({ ok: false, kind: 'unsafe' });
    expect(r.ok ? '' : r.reason).toContain(host);
  });
});

describe('IPv6 forms that carry an IPv4 address are judged by it', () => {
  it.each([
    ['IPv4-mapped (the reported bypass)', 'http://[::ffff:127.0.0.1]:8080/x', '::ffff:7f00:1', '127.0.0.1'],
    ['IPv4-mapped, hex', 'http://[::ffff:7f00:1]/x', '::ffff:7f00:1', '127.0.0.1'],
    ['IPv4-mapped, long form', 'http://[0:0:0:0:0:ffff:7f00:1]/x', '::ffff:7f00:1', '127.0.0.1'],
    ['IPv4-mapped metadata', 'http://[::ffff:169.254.169.254]/x', '::ffff:a9fe:a9fe', '169.254.169.254'],
    ['IPv4-mapped private', 'http://[::ffff:10.0.0.5]/x', '::ffff:a00:5', '10.0.0.5'],
    ['IPv4-translated', 'http://[::ffff:0:127.0.0.1]/x', '::ffff:0:7f00:1', '127.0.0.1'],
    ['IPv4-compatible', 'http://[::127.0.0.1]/x', '::7f00:1', '127.0.0.1'],
    ['IPv4-compatible private', 'http://[::192.168.1.1]/x', '::c0a8:101', '192.168.1.1'],
    ['NAT64 metadata', 'http://[64:ff9b::169.254.169.254]/x', '64:ff9b::a9fe:a9fe', '169.254.169.254'],
    ['NAT64 loopback', 'http://[64:ff9b::7f00:1]/x', '64:ff9b::7f00:1', '127.0.0.1'],
    ['6to4 of loopback', 'http://[2002:7f00:1::1]/x', '2002:7f00:1::1', '127.0.0.1'],
    ['6to4 of a VPC address', 'http://[2002:ac10:1::]/x', '2002:ac10:1::', '172.16.0.1'],
  ])('%s: %s', async (_name, url, host, embedded) => {
    expect(new URL(url).hostname).toBe(`[${host}]`);
    expect(classifyAddress(host)).toMatchObject({ blocked: true, embedded });
    const r = await checkDeliveryUrl(url, guardOn);
    expect(r).toMatchObject({ ok: false, kind: 'unsafe' });
    expect(r.ok ? '' : r.reason).toContain(`IPv4 ${embedded}`);
  });

  it.each([
    ['IPv4-mapped', '::ffff:93.184.216.34', '93.184.216.34'],
    ['NAT64', '64:ff9b::93.184.216.34', '93.184.216.34'],
    ['6to4', '2002:5db8:d822::1', '93.184.216.34'],
  ])('%s of a public address stays public: %s', (_name, ip, embedded) => {
    expect(classifyAddress(ip)).toEqual({ blocked: false, range: 'unicast', embedded });
  });
});

describe('every special-purpose range is refused, global unicast passes', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['169.254.0.1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.255', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'reserved'], // TEST-NET-1 documentation
    ['198.51.100.7', 'reserved'], // TEST-NET-2
    ['203.0.113.9', 'reserved'], // TEST-NET-3
    ['198.18.0.1', 'reserved'], // benchmarking
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['fe80::1', 'linkLocal'],
    ['febf::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'], // the EC2 IPv6 metadata address
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'], // documentation
    ['100::1', 'discard'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'teredo'],
    ['64:ff9b:1::a00:1', 'rfc8215'],
    ['not-an-ip', 'invalid'],
  ])('%s is refused (%s)', (ip, range) => {
    expect(classifyAddress(ip)).toMatchObject({ blocked: true, range });
  });

  it.each([
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '8.8.8.8',
    '2606:2800:220:1:248:1893:25c8:1946',
    '2a00:1450:4001:80b::200e',
  ])('%s passes', (ip) => {
    expect(classifyAddress(ip)).toEqual({ blocked: false, range: 'unicast' });
  });
});

describe('names are judged by every address they resolve to', () => {
  it('localhost (resolved by the system) is refused', async () => {
    const r = await checkDeliveryUrl('http://localhost:8080/hook', guardOn);
    expect(r).toMatchObject({ ok: false, kind: 'unsafe' });
    expect(r.ok ? '' : r.reason).toMatch(/^the host localhost resolves to (127\.0\.0\.1|::1) \(loopback\)/);
  });

  it.each([
    ['one loopback among public ones', ['93.184.216.34', '127.0.0.1']],
    ['metadata', ['169.254.169.254']],
    ['a mapped private address', ['::ffff:10.0.0.5']],
    ['unique-local', ['2606:2800:220:1::1', 'fd12::1']],
  ])('a name resolving to %s is refused', async (_name, addresses) => {
    const r = await checkDeliveryUrl('https://hooks.example/x', {
      ...guardOn,
      resolve: async () => addresses,
    });
    expect(r).toMatchObject({ ok: false, kind: 'unsafe' });
  });

  it('a name resolving to public addresses only is accepted; the guard off accepts anything', async () => {
    const publicOnly = async () => ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'];
    expect(
      await checkDeliveryUrl('https://hooks.example/x', { ...guardOn, resolve: publicOnly }),
    ).toMatchObject({
      ok: true,
    });
    expect(await checkDeliveryUrl('http://[::ffff:127.0.0.1]/x', { allowPrivate: true })).toMatchObject({
      ok: true,
    });
  });
});

/** A receiver on 127.0.0.1 that counts requests and answers with `answer`. */
async function receiver(answer: (res: import('node:http').ServerResponse) => void) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => answer(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    hits,
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('deliveries are checked again at connect time', () => {
  let target: Awaited<ReturnType<typeof receiver>>;
  let redirector: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    target = await receiver((res) => res.writeHead(204).end());
    redirector = await receiver((res) =>
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}/internal` }).end(),
    );
  });
  afterAll(async () => {
    await target?.close();
    await redirector?.close();
  });

  const body = '{"type":"submission.graded"}';
  const headers = signedHeaders(['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'], 'msg_ssrf', 1_700_000_000, body);
  const send = (url: string, options: Parameters<typeof attemptDelivery>[3]) =>
    attemptDelivery(url, headers, body, { ...options, timeoutMs: 5_000 });

  it.each([
    [
      'the mapped form',
      (p: number) => `http://[::ffff:127.0.0.1]:${p}/x`,
      /::ffff:7f00:1 \(IPv4 127\.0\.0\.1, loopback\)/,
    ],
    ['the decimal form', (p: number) => `http://2130706433:${p}/x`, /127\.0\.0\.1 \(loopback\)/],
    ['the short form', (p: number) => `http://127.1:${p}/x`, /127\.0\.0\.1 \(loopback\)/],
    ['localhost', (p: number) => `http://localhost:${p}/x`, /localhost resolves to .*loopback/],
  ])(
    '%s is refused before any byte is sent; with the guard off it reaches the receiver',
    async (_n, url, words) => {
      const before = target.hits.length;
      const refused = await send(url(target.port), guardOn);
      expect(refused).toMatchObject({ verdict: 'retry' });
      expect(refused.error).toMatch(words);
      expect(target.hits.length).toBe(before);
      const control = await send(url(target.port), { allowPrivate: true });
      expect(control).toMatchObject({ verdict: 'delivered', status: 204 });
      expect(target.hits.length).toBe(before + 1);
    },
  );

  it('a name that re-resolves to loopback after registration (DNS rebinding) is refused in the socket lookup', async () => {
    const url = `http://hooks.example:${target.port}/x`;
    let answer = ['93.184.216.34'];
    const resolve = async () => answer;
    expect(await checkDeliveryUrl(url, { ...guardOn, resolve })).toMatchObject({ ok: true });
    answer = ['127.0.0.1'];
    const before = target.hits.length;
    const refused = await send(url, { ...guardOn, resolve });
    expect(refused.error).toMatch(/^refused: hooks\.example resolves to 127\.0\.0\.1 \(loopback\)/);
    expect(target.hits.length).toBe(before);
    expect(await send(url, { allowPrivate: true, resolve })).toMatchObject({ verdict: 'delivered' });
    expect(target.hits.length).toBe(before + 1);
  });

  it('a redirect to a private address is not followed, with the guard on or off', async () => {
    const before = target.hits.length;
    // The redirector itself is let through by origin, as a public receiver would be.
    for (const guard of [
      { allowPrivate: false, allowedOrigins: [redirector.origin] },
      { allowPrivate: true },
    ]) {
      const outcome = await send(`${redirector.origin}/hook`, guard);
      expect(outcome).toMatchObject({ verdict: 'retry', status: 302 });
      expect(outcome.error).toBe(
        `redirect to http://127.0.0.1:${target.port}/internal not followed: webhook deliveries never follow redirects`,
      );
    }
    expect(redirector.hits).toEqual(['POST /hook', 'POST /hook']);
    expect(target.hits.length).toBe(before);
  });

  it('an allowed origin lets only that origin through', async () => {
    const guard = { allowPrivate: false, allowedOrigins: [redirector.origin] };
    expect(await checkDeliveryUrl(`${redirector.origin}/x`, guard)).toMatchObject({ ok: true });
    expect(await checkDeliveryUrl(`${target.origin}/x`, guard)).toMatchObject({ ok: false, kind: 'unsafe' });
    const before = target.hits.length;
    expect((await send(`${target.origin}/x`, guard)).error).toMatch(/^refused: 127\.0\.0\.1 \(loopback\)/);
    expect(target.hits.length).toBe(before);
  });
});
