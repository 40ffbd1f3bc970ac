import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptDelivery, nextDelayMs, RETRY_DELAYS_MS } from '../../functions/lms/delivery.ts';
import { checkDeliveryUrl, isBlockedAddress } from '../../functions/lms/ssrf.ts';
import { newWebhookSecret, signature, signedHeaders, verifyWebhook } from '../../functions/lms/webhooks.ts';
import { type Peer, startPeer } from './peer.ts';

const now = 1_700_000_000;

describe('Standard Webhooks signatures', () => {
  // The Standard Webhooks specification's own example.
  it('matches the specification test vector', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const body = '{"test": 2432232314}';
    expect(signature(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, body)).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
  });

  it('verifies its own signature and refuses tampering, staleness and missing headers', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'submission.created' });
    const h = signedHeaders([secret], 'msg_1', now, body);
    const headers = {
      id: h['webhook-id'],
      timestamp: h['webhook-timestamp'],
      signature: h['webhook-signature'],
    };
    expect(verifyWebhook([secret], headers, body, now)).toEqual({ ok: true, id: 'msg_1', timestamp: now });
    expect(verifyWebhook([secret], headers, `${body} `, now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyWebhook([secret], { ...headers, id: 'msg_2' }, body, now)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyWebhook([newWebhookSecret()], headers, body, now)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verifyWebhook([secret], headers, body, now + 301)).toEqual({
      ok: false,
      reason: 'stale-timestamp',
    });
    expect(verifyWebhook([secret], headers, body, now - 301)).toEqual({
      ok: false,
      reason: 'stale-timestamp',
    });
    expect(verifyWebhook([secret], headers, body, now + 300).ok).toBe(true);
    expect(verifyWebhook([secret], { ...headers, signature: undefined }, body, now)).toEqual({
      ok: false,
      reason: 'missing-headers',
    });
    expect(verifyWebhook([secret], { ...headers, timestamp: '1e9' }, body, now)).toEqual({
      ok: false,
      reason: 'bad-timestamp',
    });
  });

  it('sends both signatures during a rotation, and either secret verifies', () => {
    const [oldS, newS] = [newWebhookSecret(), newWebhookSecret()];
    const h = signedHeaders([newS, oldS], 'msg_r', now, '{}');
    expect(h['webhook-signature']!.split(' ')).toHaveLength(2);
    const headers = { id: 'msg_r', timestamp: String(now), signature: h['webhook-signature'] };
    expect(verifyWebhook([oldS], headers, '{}', now).ok).toBe(true);
    expect(verifyWebhook([newS], headers, '{}', now).ok).toBe(true);
  });
});

describe('retry schedule', () => {
  it('backs off exponentially over about a day, then dead-letters', () => {
    const total = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(24);
    expect(total / 3_600_000).toBeLessThan(30);
    for (let i = 1; i < RETRY_DELAYS_MS.length; i++)
      expect(RETRY_DELAYS_MS[i]!).toBeGreaterThanOrEqual(RETRY_DELAYS_MS[i - 1]!);
    expect(nextDelayMs(RETRY_DELAYS_MS.length + 1, 0.5)).toBeUndefined();
  });
  it('jitters within ±10 % and honours a longer Retry-After', () => {
    expect(nextDelayMs(1, 0)).toBe(4_500);
    expect(nextDelayMs(1, 0.999_999)).toBe(5_500);
    expect(nextDelayMs(1, 0.5, 120)).toBe(120_000);
    expect(nextDelayMs(2, 0.5, 1)).toBe(300_000);
  });
});

describe('SSRF guard', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['::1', true],
    ['fe80::1', true],
    ['fd00:ec2::254', true],
    ['::ffff:127.0.0.1', true],
    ['93.184.216.34', false],
    ['2606:2800:220:1:248:1893:25c8:1946', false],
  ])('%s blocked: %s', (ip, blocked) => {
    expect(isBlockedAddress(ip)).toBe(blocked);
  });

  it('refuses a host that resolves to a private address, allows it when configured', async () => {
    const resolve = async () => ['10.0.0.5'];
    expect(await checkDeliveryUrl('https://hooks.example/x', { allowPrivate: false, resolve })).toMatchObject(
      { ok: false },
    );
    expect(await checkDeliveryUrl('https://hooks.example/x', { allowPrivate: true, resolve })).toMatchObject({
      ok: true,
    });
    expect(await checkDeliveryUrl('ftp://hooks.example/x', { allowPrivate: true })).toMatchObject({
      ok: false,
    });
    expect(await checkDeliveryUrl('https://user:pw@hooks.example/x', { allowPrivate: true })).toMatchObject({
      ok: false,
    });
  });
});

describe('delivery attempts against a real receiver', () => {
  let peer: Peer;
  const secret = newWebhookSecret();
  beforeAll(async () => {
    peer = await startPeer(() => ({ keys: [] }));
    peer.webhookSecrets.push(secret);
  });
  afterAll(() => peer.close());

  const message = (id: string) => {
    const body = JSON.stringify({
      type: 'submission.graded',
      timestamp: new Date().toISOString(),
      data: { id },
    });
    return { body, headers: signedHeaders([secret], id, Math.floor(Date.now() / 1000), body) };
  };

  it('refuses loopback unless private addresses are allowed', async () => {
    const m = message('msg_ssrf');
    const refused = await attemptDelivery(`${peer.url}/webhooks`, m.headers, m.body, { allowPrivate: false });
    expect(refused.verdict).toBe('retry');
    expect(refused.error).toMatch(/private/);
    expect(peer.log.webhookAttempts).toBe(0);
  });

  it('a receiver that fails then recovers sees the message exactly once by webhook-id', async () => {
    peer.webhookScript.push(500, 429);
    const m = message('msg_retry');
    const a1 = await attemptDelivery(`${peer.url}/webhooks`, m.headers, m.body, { allowPrivate: true });
    const a2 = await attemptDelivery(`${peer.url}/webhooks`, m.headers, m.body, { allowPrivate: true });
    const a3 = await attemptDelivery(`${peer.url}/webhooks`, m.headers, m.body, { allowPrivate: true });
    const a4 = await attemptDelivery(`${peer.url}/webhooks`, m.headers, m.body, { allowPrivate: true });
    expect([a1.verdict, a2.verdict, a3.verdict, a4.verdict]).toEqual([
      'retry',
      'retry',
      'delivered',
      'delivered',
    ]);
    expect(a2.retryAfterSeconds).toBe(2);
    expect(peer.log.webhooks.filter((w) => w.id === 'msg_retry')).toHaveLength(1);
  });

  it('410 disables; a tampered body is refused by the receiver', async () => {
    peer.webhookScript.push(410);
    const m = message('msg_gone');
    expect(
      (await attemptDelivery(`${peer.url}/webhooks`, m.headers, m.body, { allowPrivate: true })).verdict,
    ).toBe('disable');
    const t = message('msg_tampered');
    const outcome = await attemptDelivery(
      `${peer.url}/webhooks`,
      t.headers,
      t.body.replace('graded', 'rejected'),
      { allowPrivate: true },
    );
    expect(outcome).toMatchObject({ verdict: 'retry', status: 401 });
  });

  it('a connection refused is a retry with the error in words', async () => {
    const m = message('msg_down');
    const outcome = await attemptDelivery('http://127.0.0.1:9/webhooks', m.headers, m.body, {
      allowPrivate: true,
    });
    expect(outcome.verdict).toBe('retry');
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });
});
