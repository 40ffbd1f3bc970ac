import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgsClient,
  type Launch,
  newToolKey,
  nextScoreTimestamp,
  PlatformError,
  PlatformKeys,
  type PlatformRegistration,
  scoresUrl,
  TokenClient,
  type ToolKey,
  toolJwks,
  verifyLaunch,
} from '../../functions/lms/lti.ts';
import { type Peer, startPeer } from './peer.ts';

let key: ToolKey;
let peer: Peer;
let reg: PlatformRegistration;
/** One fixed instant for podlab and the platform alike: no test here reads the wall clock. */
const NOW = Date.parse('2026-11-27T10:00:00.000Z');
let now = NOW;
const clock = () => now;
/** podlab's cache of platform keys, on the same injected clock. */
let keys: PlatformKeys;

beforeAll(async () => {
  key = await newToolKey();
  peer = await startPeer(() => toolJwks([key]));
  peer.nowSeconds = () => Math.floor(now / 1000);
  keys = new PlatformKeys(fetch, clock);
  reg = peer.registration('k8s-101');
  peer.students.add('student-1');
});
afterAll(() => peer.close());

describe('launch id_token', () => {
  it('GIVEN a platform-signed launch WHEN verified THEN podlab keeps sub, context, link, AGS claim and nonce', async () => {
    const launch = await verifyLaunch(
      await peer.idToken({ sub: 'student-1', nonce: 'n-1', custom: { scenario: 'liveness-exec' } }),
      reg,
      NOW,
      keys,
    );
    expect(launch.userId).toBe('student-1');
    expect(launch.contextId).toBe('course-ctx-1');
    expect(launch.resourceLinkId).toBe('link-1');
    expect(launch.nonce).toBe('n-1');
    expect(launch.custom.scenario).toBe('liveness-exec');
    expect(launch.ags?.lineitems).toBe(`${peer.url}/lineitems`);
  });

  it.each([
    ['another audience', { aud: 'someone-else' }, /aud/],
    ['an expired token', { exp: Math.floor(NOW / 1000) - 60 }, /exp/],
  ])('rejects %s', async (_name, extra, pattern) => {
    await expect(
      verifyLaunch(await peer.idToken({ sub: 's', nonce: 'n', ...extra }), reg, NOW, keys),
    ).rejects.toThrow(pattern);
  });

  it('checks expiry against the injected clock, not the wall clock', async () => {
    const token = await peer.idToken({ sub: 's', nonce: 'n' }); // issued at NOW, valid 5 minutes
    await expect(verifyLaunch(token, reg, NOW + 240_000, keys)).resolves.toMatchObject({ userId: 's' });
    await expect(verifyLaunch(token, reg, NOW + 360_000, keys)).rejects.toThrow(/exp/);
  });

  it('rejects a token signed by another key', async () => {
    const other = await newToolKey();
    const forged = (await peer.idToken({ sub: 's', nonce: 'n' })).split('.');
    const { SignJWT, importJWK } = await import('jose');
    const payload = JSON.parse(Buffer.from(forged[1]!, 'base64url').toString());
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: 'platform-1' })
      .sign(await importJWK(other.privateJwk, 'RS256'));
    await expect(verifyLaunch(token, reg, NOW, keys)).rejects.toThrow(/signature/);
  });

  it('rejects a launch from another deployment', async () => {
    await expect(
      verifyLaunch(
        await peer.idToken({ sub: 's', nonce: 'n' }),
        { ...reg, deploymentId: 'other' },
        NOW,
        keys,
      ),
    ).rejects.toThrow(/deployment/);
  });
});

describe('IMS Security Framework rules of a launch', () => {
  it.each([
    [
      'several audiences with azp naming podlab',
      { aud: ['podlab-client', 'other-tool'], azp: 'podlab-client' },
      null,
    ],
    ['one audience in an array, no azp', { aud: ['podlab-client'] }, null],
    [
      'several audiences and no azp',
      { aud: ['podlab-client', 'other-tool'] },
      /several audiences and no azp/,
    ],
    [
      'an azp naming another client',
      { aud: ['podlab-client', 'other-tool'], azp: 'other-tool' },
      /azp other-tool/,
    ],
    ['podlab missing from the audiences', { aud: ['other-tool', 'third'], azp: 'other-tool' }, /aud/],
  ])('%s', async (_name, claims, refusal) => {
    const token = await peer.idToken({ sub: 's', nonce: 'n', ...claims });
    const verified = verifyLaunch(token, reg, now, keys);
    if (refusal) await expect(verified).rejects.toThrow(refusal);
    else await expect(verified).resolves.toMatchObject({ userId: 's' });
  });

  it('GIVEN the platform rotates its key WHEN a launch names the new kid THEN podlab fetches the JWKS again, once; a kid nobody published fetches nothing more', async () => {
    await verifyLaunch(await peer.idToken({ sub: 's', nonce: 'n' }), reg, now, keys);
    const before = peer.log.jwksFetches;
    await peer.rotateKey();
    now += 11_000; // past the refetch cool-down
    await expect(
      verifyLaunch(await peer.idToken({ sub: 's', nonce: 'n' }), reg, now, keys),
    ).resolves.toMatchObject({ userId: 's' });
    expect(peer.log.jwksFetches).toBe(before + 1);
    const [, body, sig] = (await peer.idToken({ sub: 's', nonce: 'n' })).split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'never-published' })).toString(
      'base64url',
    );
    await expect(verifyLaunch(`${header}.${body}.${sig}`, reg, now + 1000, keys)).rejects.toThrow();
    expect(peer.log.jwksFetches).toBe(before + 1);
  });
});

describe('AGS score passback against the local platform', () => {
  it('GIVEN no line item WHEN scores are sent twice THEN one line item is created, the token is cached, both scores land FullyGraded', async () => {
    const tokens = new TokenClient(key, fetch, clock);
    const ags = new AgsClient(tokens);
    const launch = await verifyLaunch(await peer.idToken({ sub: 'student-1', nonce: 'n-2' }), reg, NOW, keys);
    const link = {
      resourceLinkId: launch.resourceLinkId,
      label: 'Liveness (exec)',
      scoreMaximum: 6,
      tag: 'podlab:liveness-exec',
    };
    const first = await ags.lineItem(reg, launch.ags as NonNullable<Launch['ags']>, link);
    const second = await ags.lineItem(reg, launch.ags as NonNullable<Launch['ags']>, link);
    expect(second).toBe(first);
    expect(peer.log.lineItemsCreated).toBe(1);
    const t1 = nextScoreTimestamp(NOW);
    await ags.postScore(reg, first, { userId: 'student-1', scoreGiven: 4, scoreMaximum: 6, timestamp: t1 });
    await ags.postScore(reg, first, {
      userId: 'student-1',
      scoreGiven: 6,
      scoreMaximum: 6,
      timestamp: nextScoreTimestamp(NOW, t1),
    });
    const mine = peer.log.scores.filter((s) => s.body.userId === 'student-1');
    expect(mine.map((s) => s.body.scoreGiven)).toEqual([4, 6]);
    expect(mine[0]!.body).toMatchObject({
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      scoreMaximum: 6,
    });
    expect(peer.log.tokenRequests).toBe(2); // one per scope set: lineitem, score
    expect(peer.log.assertionsRejected).toEqual([]);
  });

  it('maps the platform refusals to words an instructor can act on', async () => {
    const ags = new AgsClient(new TokenClient(key, fetch, clock));
    const item = `${peer.url}/lineitems/1`;
    const notStudent = ags.postScore(reg, item, {
      userId: 'teacher-9',
      scoreGiven: 1,
      scoreMaximum: 6,
      timestamp: nextScoreTimestamp(NOW),
    });
    await expect(notStudent).rejects.toThrow(/not a student of the course, or the course is not published/);
    const stale = ags.postScore(reg, item, {
      userId: 'student-1',
      scoreGiven: 1,
      scoreMaximum: 6,
      timestamp: '2001-01-01T00:00:00.000Z',
    });
    await expect(stale).rejects.toThrow(/timestamp as older/);
    await expect(stale).rejects.toSatisfy((e: unknown) => e instanceof PlatformError && !e.transient);
  });

  it('sends the Score media type and ISO 8601 timestamps with milliseconds and a time zone, strictly increasing', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const recording = (url: string, init: RequestInit) => {
      sent.push({ url, init });
      return fetch(url, init);
    };
    const ags = new AgsClient(new TokenClient(key, recording, clock), recording);
    const item = `${peer.url}/lineitems/preset?x=1`;
    const t1 = nextScoreTimestamp(now);
    const t2 = nextScoreTimestamp(now, t1); // same instant: one millisecond later
    for (const timestamp of [t1, t2])
      await ags.postScore(reg, item, { userId: 'student-1', scoreGiven: 1, scoreMaximum: 2, timestamp });
    const posts = sent.filter((s) => s.url.endsWith('/scores?x=1'));
    expect(posts).toHaveLength(2);
    for (const p of posts) {
      expect((p.init.headers as Record<string, string>)['content-type']).toBe(
        'application/vnd.ims.lis.v1.score+json',
      );
      expect(JSON.parse(String(p.init.body)).timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    expect(Date.parse(t2) - Date.parse(t1)).toBe(1);
  });

  it('a progress without a score is what Moodle accepts: no scoreGiven, its own activity and grading progress', async () => {
    const ags = new AgsClient(new TokenClient(key, fetch, clock));
    await ags.postScore(reg, `${peer.url}/lineitems/preset?x=1`, {
      userId: 'student-1',
      activityProgress: 'Submitted',
      gradingProgress: 'Failed',
      timestamp: nextScoreTimestamp(now + 60_000),
    });
    expect(peer.log.scores.at(-1)!.body).toEqual({
      userId: 'student-1',
      activityProgress: 'Submitted',
      gradingProgress: 'Failed',
      timestamp: expect.any(String),
    });
  });

  it('an unreachable platform is a transient failure', async () => {
    const ags = new AgsClient(new TokenClient(key, fetch, clock));
    const down = { ...reg, tokenUrl: 'http://127.0.0.1:9/token' };
    await expect(
      ags.postScore(down, `${peer.url}/lineitems/1`, {
        userId: 'student-1',
        scoreGiven: 1,
        scoreMaximum: 1,
        timestamp: nextScoreTimestamp(NOW),
      }),
    ).rejects.toSatisfy((e: unknown) => e instanceof PlatformError && e.transient);
  });

  it('a client assertion signed with an unregistered key is refused by the platform', async () => {
    const stranger = await newToolKey();
    await expect(new TokenClient(stranger, fetch, clock).token(reg, ['x'])).rejects.toThrow(
      /refused podlab's credentials/,
    );
  });
});

describe('helpers', () => {
  it.each([
    [
      'https://lms.example/api/lti/courses/1/line_items/7',
      'https://lms.example/api/lti/courses/1/line_items/7/scores',
    ],
    ['https://lms.example/lineitems/7?type_id=3', 'https://lms.example/lineitems/7/scores?type_id=3'],
    ['https://lms.example/lineitems/7/', 'https://lms.example/lineitems/7/scores'],
  ])('scores URL of %s', (lineitem, expected) => {
    expect(scoresUrl(lineitem)).toBe(expected);
  });

  it('score timestamps are strictly increasing even within one millisecond', () => {
    const a = nextScoreTimestamp(1_700_000_000_000);
    const b = nextScoreTimestamp(1_700_000_000_000, a);
    expect(Date.parse(b)).toBe(Date.parse(a) + 1);
    expect(a).toMatch(/\.\d{3}Z$/);
  });
});
