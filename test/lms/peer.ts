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

/** What the peer saw, for assertions. */
export interface PeerLog {
  tokenRequests: number;
  assertionsRejected: string[];
  lineItemsCreated: number;
  scores: { lineitem: string; body: Record<string, unknown> }[];
  webhooks: { id: string; type: string; body: string }[];
  webhookAttempts: number;
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
    aud?: string;
  }): Promise<string>;
  /** The webhook receiver's behaviour: answers these statuses first, then 204. */
  webhookScript: number[];
  webhookSecrets: string[];
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
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const platformJwk = { ...(await exportJWK(publicKey)), kid: 'platform-1', alg: 'RS256', use: 'sig' };
  const tokens = new Set<string>();
  const seenJti = new Set<string>();
  const lastTimestamp = new Map<string, number>();
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
        .setProtectedHeader({ alg: 'RS256', kid: 'platform-1' })
        .setIssuer(url)
        .setSubject(c.sub)
        .setAudience(c.aud ?? peer.clientId)
        .setIssuedAt(now)
        .setExpirationTime(c.exp ?? now + 300)
        .sign(privateKey);
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  server.on('request', async (req, res) => {
    const path = new URL(req.url ?? '/', url);
    const text = await body(req);
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (path.pathname === '/jwks') return send(res, 200, { keys: [platformJwk] });
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
        const created = { ...item, id: `${url}/lineitems/${peer.lineItems.length + 1}` };
        peer.lineItems.push(created);
        peer.log.lineItemsCreated++;
        return send(res, 201, created, 'application/vnd.ims.lis.v2.lineitem+json');
      }
      const scores = /^\/lineitems\/([^/]+)\/scores$/.exec(path.pathname);
      if (scores && req.method === 'POST') {
        if (req.headers['content-type'] !== 'application/vnd.ims.lis.v1.score+json')
          return send(res, 415, { error: 'content type' });
        const score = JSON.parse(text) as Record<string, unknown>;
        // Moodle: every required field or "Incorrect score received".
        for (const f of [
          'userId',
          'scoreGiven',
          'scoreMaximum',
          'activityProgress',
          'gradingProgress',
          'timestamp',
        ])
          if (score[f] === undefined)
            return send(res, 400, { status: 400, reason: 'Incorrect score received' });
        // Canvas: 422 for a user who is not a student of the course.
        if (!peer.students.has(String(score.userId)))
          return send(res, 422, {
            errors: { type: 'unprocessable', message: 'User not found in course or is not a student' },
          });
        // Canvas: 400 for a timestamp not newer than the last one.
        const key = `${scores[1]} ${score.userId}`;
        const ts = Date.parse(String(score.timestamp));
        if (!/\.\d{3}/.test(String(score.timestamp)) || Number.isNaN(ts))
          return send(res, 400, { error: 'bad timestamp' });
        if (ts <= (lastTimestamp.get(key) ?? Number.NEGATIVE_INFINITY))
          return send(res, 400, { errors: [{ message: 'score timestamp not after previous timestamp' }] });
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
