/**
 * A real local LMS for the tests: an HTTP server on loopback that plays the platform side of
 * LTI 1.3 / AGS (JWKS, token endpoint checking the client assertion, line items, scores with
 * Canvas's and Moodle's rules) and a Standard Webhooks receiver that verifies signatures.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalJWKSet, exportJWK, generateKeyPair, type JWK, jwtVerify, SignJWT } from 'jose';
import type { PlatformRegistration } from '../../functions/lms/lti.ts';
import { verifyWebhook } from '../../functions/lms/webhooks.ts';

interface LineItem {
  id: string;
  label: string;
  scoreMaximum: number;
  tag?: string;
  resourceLinkId?: string;
}

/** AGS 2.0 Score `activityProgress` and `gradingProgress` values. */
const ACTIVITY = new Set(['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed']);
const GRADING = new Set(['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady']);

/** What the peer saw, for assertions. */
export interface PeerLog {
  tokenRequests: number;
  assertionsRejected: string[];
  lineItemsCreated: number;
  scores: { lineitem: string; body: Record<string, unknown> }[];
  webhooks: { id: string; type: string; body: string }[];
  webhookAttempts: number;
  jwksFetches: number;
  /** Score posts refused, with the status the platform answered. */
  scoresRefused: { status: number; body: Record<string, unknown> }[];
}

export interface Peer {
  url: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  log: PeerLog;
  students: Set<string>;
  lineItems: LineItem[];
  /** How podlab registers this platform for `course` (its issuer, client, endpoints). */
  registration(course: string): PlatformRegistration;
  /** Issues a signed launch id_token as the platform would. */
  idToken(claims: {
    sub: string;
    nonce: string;
    roles?: string[];
    custom?: Record<string, string>;
    lineitem?: boolean;
    exp?: number;
    aud?: string | string[];
    azp?: string;
  }): Promise<string>;
  /** The webhook receiver's behaviour: answers these statuses first, then 204. */
  webhookScript: number[];
  webhookSecrets: string[];
  /** Replaces the platform's signing key with a new one of a new kid (a key rotation). */
  rotateKey(): Promise<void>;
  /** Deletes a line item, as an instructor removing the gradebook column would. */
  deleteLineItem(id: string): void;
  /** The receiver's clock in Unix seconds (tests that drive time set it). */
  nowSeconds: () => number;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, payload?: unknown, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(payload === undefined ? '' : typeof payload === 'string' ? payload : JSON.stringify(payload));
}

/** Starts the peer; `toolJwks` is podlab's public JWKS, against which client assertions are checked. */
export async function startPeer(toolJwks: () => { keys: JWK[] }): Promise<Peer> {
  let { privateKey, publicKey } = await generateKeyPair('RS256');
  let kid = 'platform-1';
  let platformJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const tokens = new Set<string>();
  const seenJti = new Set<string>();
  const lastTimestamp = new Map<string, number>();
  const deleted = new Set<string>();
  let nextToken = 1;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const peer: Peer = {
    url,
    issuer: url,
    clientId: 'podlab-client',
    deploymentId: 'deployment-1',
    log: {
      tokenRequests: 0,
      assertionsRejected: [],
      lineItemsCreated: 0,
      scores: [],
      webhooks: [],
      webhookAttempts: 0,
      jwksFetches: 0,
      scoresRefused: [],
    },
    students: new Set(),
    lineItems: [],
    webhookScript: [],
    webhookSecrets: [],
    nowSeconds: () => Math.floor(Date.now() / 1000),
    registration(course) {
      return {
        issuer: peer.issuer,
        clientId: peer.clientId,
        deploymentId: peer.deploymentId,
        authLoginUrl: `${peer.url}/auth`,
        tokenUrl: `${peer.url}/token`,
        jwksUrl: `${peer.url}/jwks`,
        course,
      };
    },
    async idToken(c) {
      const now = peer.nowSeconds();
      return new SignJWT({
        nonce: c.nonce,
        ...(c.azp !== undefined ? { azp: c.azp } : {}),
        'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiResourceLinkRequest',
        'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
        'https://purl.imsglobal.org/spec/lti/claim/deployment_id': peer.deploymentId,
        'https://purl.imsglobal.org/spec/lti/claim/roles': c.roles ?? [
          'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner',
        ],
        'https://purl.imsglobal.org/spec/lti/claim/context': { id: 'course-ctx-1', title: 'Kubernetes' },
        'https://purl.imsglobal.org/spec/lti/claim/resource_link': { id: 'link-1' },
        'https://purl.imsglobal.org/spec/lti/claim/custom': c.custom ?? {},
        'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
          scope: [
            'https://purl.imsglobal.org/spec/lti-ags/scope/score',
            'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
          ],
          lineitems: `${url}/lineitems`,
          ...(c.lineitem ? { lineitem: `${url}/lineitems/preset?x=1` } : {}),
        },
      })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(url)
        .setSubject(c.sub)
        .setAudience(c.aud ?? peer.clientId)
        .setIssuedAt(now)
        .setExpirationTime(c.exp ?? now + 300)
        .sign(privateKey);
    },
    async rotateKey() {
      ({ privateKey, publicKey } = await generateKeyPair('RS256'));
      kid = `platform-${Number(kid.split('-')[1]) + 1}`;
      platformJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
    },
    deleteLineItem(id) {
      peer.lineItems = peer.lineItems.filter((i) => i.id !== id);
      deleted.add(id);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  server.on('request', async (req, res) => {
    const path = new URL(req.url ?? '/', url);
    const text = await body(req);
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (path.pathname === '/jwks') {
      peer.log.jwksFetches++;
      return send(res, 200, { keys: [platformJwk] });
    }
    if (path.pathname === '/token' && req.method === 'POST') {
      peer.log.tokenRequests++;
      const form = new URLSearchParams(text);
      try {
        if (form.get('grant_type') !== 'client_credentials') throw new Error('grant_type');
        if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer')
          throw new Error('assertion type');
        const { payload } = await jwtVerify(
          form.get('client_assertion') ?? '',
          createLocalJWKSet(toolJwks()),
          {
            issuer: peer.clientId,
            subject: peer.clientId,
            audience: `${url}/token`,
            algorithms: ['RS256'],
            currentDate: new Date(peer.nowSeconds() * 1000),
          },
        );
        if (!payload.jti || seenJti.has(payload.jti)) throw new Error('jti reused');
        if (!payload.exp || !payload.iat || payload.exp - payload.iat > 300)
          throw new Error('assertion lives too long');
        seenJti.add(payload.jti);
      } catch (err) {
        peer.log.assertionsRejected.push((err as Error).message);
        return send(res, 401, { error: 'invalid_client' });
      }
      const token = `tok-${nextToken++}`;
      tokens.add(token);
      return send(res, 200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: 3600,
        scope: form.get('scope'),
      });
    }
    if (path.pathname.startsWith('/lineitems')) {
      if (!tokens.has(bearer)) return send(res, 401, { error: 'unauthorized' });
      if (path.pathname === '/lineitems' && req.method === 'GET') {
        const tag = path.searchParams.get('tag');
        const link = path.searchParams.get('resource_link_id');
        return send(
          res,
          200,
          peer.lineItems.filter((i) => (!tag || i.tag === tag) && (!link || i.resourceLinkId === link)),
          'application/vnd.ims.lis.v2.lineitemcontainer+json',
        );
      }
      if (path.pathname === '/lineitems' && req.method === 'POST') {
        const item = JSON.parse(text) as Omit<LineItem, 'id'>;
        const created = { ...item, id: `${url}/lineitems/${peer.log.lineItemsCreated + 1}` };
        peer.lineItems.push(created);
        peer.log.lineItemsCreated++;
        return send(res, 201, created, 'application/vnd.ims.lis.v2.lineitem+json');
      }
      const scores = /^\/lineitems\/([^/]+)\/scores$/.exec(path.pathname);
      if (scores && req.method === 'POST') {
        const refuse = (status: number, payload: unknown) => {
          peer.log.scoresRefused.push({ status, body: JSON.parse(text) as Record<string, unknown> });
          return send(res, status, payload);
        };
        if (req.headers['content-type'] !== 'application/vnd.ims.lis.v1.score+json')
          return send(res, 415, { error: 'content type' });
        if (deleted.has(`${url}/lineitems/${scores[1]}`))
          return refuse(404, { error: 'line item not found' });
        const score = JSON.parse(text) as Record<string, unknown>;
        // Moodle (mod/lti/service/gradebookservices scores.php): userId, timestamp,
        // activityProgress and gradingProgress are required, scoreGiven is optional but needs
        // scoreMaximum, numbers must be numbers; else "Incorrect score received".
        const missing = ['userId', 'activityProgress', 'gradingProgress', 'timestamp'].some(
          (f) => score[f] === undefined,
        );
        const badNumbers =
          (score.scoreGiven !== undefined &&
            (typeof score.scoreGiven !== 'number' || typeof score.scoreMaximum !== 'number')) ||
          (score.scoreMaximum !== undefined && typeof score.scoreMaximum !== 'number');
        if (missing || badNumbers) return refuse(400, { status: 400, reason: 'Incorrect score received' });
        if (!ACTIVITY.has(String(score.activityProgress)) || !GRADING.has(String(score.gradingProgress)))
          return refuse(400, { status: 400, reason: 'Incorrect score received' });
        // Canvas: 422 for a user who is not a student of the course.
        if (!peer.students.has(String(score.userId)))
          return refuse(422, {
            errors: { type: 'unprocessable', message: 'User not found in course or is not a student' },
          });
        // AGS 2.0: an ISO 8601 timestamp with sub-second precision and a time zone; Canvas
        // answers 400 to one not newer than the last one.
        const key = `${scores[1]} ${score.userId}`;
        const ts = Date.parse(String(score.timestamp));
        if (!/T\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$/.test(String(score.timestamp)) || Number.isNaN(ts))
          return refuse(400, { error: 'bad timestamp' });
        if (ts <= (lastTimestamp.get(key) ?? Number.NEGATIVE_INFINITY))
          return refuse(400, { errors: [{ message: 'score timestamp not after previous timestamp' }] });
        lastTimestamp.set(key, ts);
        peer.log.scores.push({ lineitem: scores[1]!, body: score });
        return send(res, 200, { resultUrl: `${url}/results/${peer.log.scores.length}` });
      }
    }
    if (path.pathname === '/webhooks' && req.method === 'POST') {
      peer.log.webhookAttempts++;
      const scripted = peer.webhookScript.shift();
      if (scripted !== undefined) {
        if (scripted === 429) res.setHeader('retry-after', '2');
        return send(res, scripted, { scripted });
      }
      const verdict = verifyWebhook(
        peer.webhookSecrets,
        {
          id: req.headers['webhook-id'] as string,
          timestamp: req.headers['webhook-timestamp'] as string,
          signature: req.headers['webhook-signature'] as string,
        },
        text,
        peer.nowSeconds(),
      );
      if (!verdict.ok) return send(res, 401, { error: verdict.reason });
      // A receiver keeps each webhook-id once: retries of a delivered message are not new events.
      if (!peer.log.webhooks.some((w) => w.id === verdict.id))
        peer.log.webhooks.push({
          id: verdict.id,
          type: (JSON.parse(text) as { type: string }).type,
          body: text,
        });
      return send(res, 204);
    }
    send(res, 404, { error: 'not found' });
  });
  return peer;
}
