import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgsClient,
  type Launch,
  newToolKey,
  nextScoreTimestamp,
  PlatformError,
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
const clock = () => NOW;

beforeAll(async () => {
  key = await newToolKey();
  peer = await startPeer(() => toolJwks([key]));
  peer.nowSeconds = () => Math.floor(NOW / 1000);
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
      verifyLaunch(await peer.idToken({ sub: 's', nonce: 'n', ...extra }), reg, NOW),
    ).rejects.toThrow(pattern);
  });

  it('checks expiry against the injected clock, not the wall clock', async () => {
    const token = await peer.idToken({ sub: 's', nonce: 'n' }); // issued at NOW, valid 5 minutes
    await expect(verifyLaunch(token, reg, NOW + 240_000)).resolves.toMatchObject({ userId: 's' });
    await expect(verifyLaunch(token, reg, NOW + 360_000)).rejects.toThrow(/exp/);
  });

  it('rejects a token signed by another key', async () => {
    const other = await newToolKey();
    const forged = (await peer.idToken({ sub: 's', nonce: 'n' })).split('.');
    const { SignJWT, importJWK } = await import('jose');
    const payload = JSON.parse(Buffer.from(forged[1]!, 'base64url').toString());
    const token = await new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: 'platform-1' })
      .sign(await importJWK(other.privateJwk, 'RS256'));
    await expect(verifyLaunch(token, reg, NOW)).rejects.toThrow(/signature/);
  });

  it('rejects a launch from another deployment', async () => {
    await expect(
      verifyLaunch(await peer.idToken({ sub: 's', nonce: 'n' }), { ...reg, deploymentId: 'other' }, NOW),
    ).rejects.toThrow(/deployment/);
  });
});

describe('AGS score passback against the local platform', () => {
  it('GIVEN no line item WHEN scores are sent twice THEN one line item is created, the token is cached, both scores land FullyGraded', async () => {
    const tokens = new TokenClient(key, fetch, clock);
    const ags = new AgsClient(tokens);
    const launch = await verifyLaunch(await peer.idToken({ sub: 'student-1', nonce: 'n-2' }), reg, NOW);
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
