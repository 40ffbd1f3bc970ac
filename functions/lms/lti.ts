/**
 * LTI 1.3 and Assignment and Grade Services 2.0, the tool's side (lms.md): the tool's RS256 key
 * and JWKS, the launch's id_token check, the client-credentials token with a signed JWT
 * assertion, line items, and score passback.
 */

import { randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose';

export const AGS_SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
export const AGS_LINEITEM_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem';
const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';

/** One platform deployment podlab is registered with. */
export interface PlatformRegistration {
  issuer: string;
  clientId: string;
  deploymentId: string;
  /** OIDC authorization endpoint for the login redirect. */
  authLoginUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  /** The podlab course launches from this deployment map to. */
  course: string;
}

/** The tool's signing key, as stored (private JWK with its kid). */
export interface ToolKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

/** A new RS256 key pair for the tool. */
export async function newToolKey(): Promise<ToolKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const kid = randomUUID();
  return {
    kid,
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
}

/** The JWKS document the tool publishes. */
export function toolJwks(keys: ToolKey[]): { keys: JWK[] } {
  return { keys: keys.map((k) => k.publicJwk) };
}

/** The OIDC login redirect URL (third-party initiated login, LTI 1.3 core section 5.1.1). */
export function loginRedirect(
  reg: PlatformRegistration,
  params: { loginHint: string; messageHint?: string; redirectUri: string; state: string; nonce: string },
): string {
  const url = new URL(reg.authLoginUrl);
  const q = url.searchParams;
  q.set('scope', 'openid');
  q.set('response_type', 'id_token');
  q.set('response_mode', 'form_post');
  q.set('prompt', 'none');
  q.set('client_id', reg.clientId);
  q.set('redirect_uri', params.redirectUri);
  q.set('login_hint', params.loginHint);
  if (params.messageHint) q.set('lti_message_hint', params.messageHint);
  q.set('state', params.state);
  q.set('nonce', params.nonce);
  return url.toString();
}

/** What podlab keeps from a verified launch. */
export interface Launch {
  issuer: string;
  deploymentId: string;
  userId: string;
  contextId?: string;
  resourceLinkId?: string;
  roles: string[];
  /** The AGS endpoint claim, when the platform grants score passback. */
  ags?: { lineitem?: string; lineitems?: string; scope: string[] };
  /** `custom.scenario` names the lab to land on. */
  custom: Record<string, string>;
  nonce: string;
}

/**
 * The platforms' signing keys: each JWKS fetched through the injected fetch and kept for
 * `maxAgeMs` by the injected clock. A launch signed with a key id the cached set lacks (the
 * platform rotated its key) fetches the set again at once, at most every `cooldownMs`, so a
 * stream of forged key ids cannot make podlab hammer the platform.
 */
export class PlatformKeys {
  private readonly sets = new Map<string, { jwks: JSONWebKeySet; fetchedAt: number }>();

  constructor(
    private readonly fetchFn: Fetch = fetch,
    private readonly now: () => number = Date.now,
    private readonly maxAgeMs = 10 * 60_000,
    private readonly cooldownMs = 10_000,
  ) {}

  /** The key set of `jwksUrl` that should hold `kid`. */
  async keySet(jwksUrl: string, kid: string | undefined): Promise<JSONWebKeySet> {
    const cached = this.sets.get(jwksUrl);
    const age = cached ? this.now() - cached.fetchedAt : Number.POSITIVE_INFINITY;
    const knows = cached !== undefined && (kid === undefined || cached.jwks.keys.some((k) => k.kid === kid));
    if (cached && age < this.maxAgeMs && (knows || age < this.cooldownMs)) return cached.jwks;
    const res = await callPlatform(this.fetchFn, jwksUrl, {
      method: 'GET',
      headers: { accept: 'application/json' },
    });
    const jwks = (await res.json()) as JSONWebKeySet;
    if (!Array.isArray(jwks?.keys))
      throw new PlatformError(`the platform JWKS at ${jwksUrl} has no keys`, res.status, false);
    this.sets.set(jwksUrl, { jwks, fetchedAt: this.now() });
    return jwks;
  }
}

/**
 * Verifies a launch's id_token: RS256 signature against the platform JWKS, issuer, audience
 * (the client id; when `aud` lists several, `azp` must name podlab's client id: IMS Security
 * Framework 5.1.3), expiry, deployment id and message type. The caller checks and consumes the
 * nonce (single use) against what it stored at login. `now` (ms) is the clock `exp`, `iat` and
 * `nbf` are checked against: the caller's injected clock, never jose's own reading of the wall clock.
 */
export async function verifyLaunch(
  idToken: string,
  reg: PlatformRegistration,
  now: number,
  keys: PlatformKeys,
): Promise<Launch> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(idToken).kid;
  } catch {
    throw new Error('the id_token is not a JWS');
  }
  const jwks = createLocalJWKSet(await keys.keySet(reg.jwksUrl, kid));
  const { payload } = await jwtVerify(idToken, jwks, {
    issuer: reg.issuer,
    audience: reg.clientId,
    algorithms: ['RS256'],
    currentDate: new Date(now),
  });
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp === undefined)
    throw new Error('the id_token has several audiences and no azp (authorized party)');
  if (payload.azp !== undefined && payload.azp !== reg.clientId)
    throw new Error(`the id_token's azp ${String(payload.azp)} is not podlab's client id`);
  const claim = (name: string) => (payload as Record<string, unknown>)[CLAIM + name];
  if (claim('deployment_id') !== reg.deploymentId)
    throw new Error('the launch comes from an unknown deployment');
  if (claim('version') !== '1.3.0') throw new Error('not an LTI 1.3.0 launch');
  const type = claim('message_type');
  if (type !== 'LtiResourceLinkRequest') throw new Error(`unsupported message type ${String(type)}`);
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new Error('the launch has no user (sub)');
  if (typeof payload.nonce !== 'string') throw new Error('the launch has no nonce');
  const context = claim('context') as { id?: string } | undefined;
  const link = claim('resource_link') as { id?: string } | undefined;
  const ags = (payload as Record<string, unknown>)[AGS_CLAIM] as Launch['ags'] | undefined;
  const custom = (claim('custom') as Record<string, unknown> | undefined) ?? {};
  return {
    issuer: reg.issuer,
    deploymentId: reg.deploymentId,
    userId: payload.sub,
    ...(context?.id ? { contextId: context.id } : {}),
    ...(link?.id ? { resourceLinkId: link.id } : {}),
    roles: Array.isArray(claim('roles')) ? (claim('roles') as string[]) : [],
    ...(ags ? { ags: { ...ags, scope: Array.isArray(ags.scope) ? ags.scope : [] } } : {}),
    custom: Object.fromEntries(Object.entries(custom).map(([k, v]) => [k, String(v)])),
    nonce: payload.nonce as string,
  };
}

/** Whether the launch's roles make the user a learner (students get submissions, instructors the dashboard). */
export function isInstructor(launch: Launch): boolean {
  return launch.roles.some((r) =>
    /#(Instructor|Administrator|ContentDeveloper|TeachingAssistant)$|membership\/Instructor/.test(r),
  );
}

/** A failure talking to the platform, with words an instructor can act on. */
export class PlatformError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    /** Worth retrying later (429, 5xx, network). */
    readonly transient: boolean,
  ) {
    super(message);
  }
}

/** The HTTP client podlab uses towards a platform (global fetch by default). */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Caches access tokens per (token URL, client id, scopes) until shortly before they expire. */
export class TokenClient {
  private readonly cache = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly key: ToolKey,
    private readonly fetchFn: Fetch = fetch,
    private readonly now: () => number = Date.now,
  ) {}

  /** The JWT client assertion (RFC 7523): iss = sub = client id, aud = token URL, 5-minute life, unique jti. */
  async assertion(reg: PlatformRegistration): Promise<string> {
    const iat = Math.floor(this.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: this.key.kid, typ: 'JWT' })
      .setIssuer(reg.clientId)
      .setSubject(reg.clientId)
      .setAudience(reg.tokenUrl)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 300)
      .setJti(randomUUID())
      .sign(await importJWK(this.key.privateJwk, 'RS256'));
  }

  /** A bearer token for `scopes`, from the cache or the platform's token endpoint. */
  async token(reg: PlatformRegistration, scopes: string[]): Promise<string> {
    const cacheKey = `${reg.tokenUrl} ${reg.clientId} ${scopes.join(' ')}`;
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expiresAt > this.now()) return cached.token;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: await this.assertion(reg),
      scope: scopes.join(' '),
    });
    const res = await callPlatform(this.fetchFn, reg.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
    });
    const json = (await res.json()) as { access_token?: string; expires_in?: number };
    if (!json.access_token)
      throw new PlatformError('the platform token endpoint returned no access_token', res.status, false);
    const life = typeof json.expires_in === 'number' ? json.expires_in : 3600;
    // Renew a minute early so a token never expires between cache read and use.
    this.cache.set(cacheKey, {
      token: json.access_token,
      expiresAt: this.now() + Math.max(0, life - 60) * 1000,
    });
    return json.access_token;
  }

  /** Forgets a token the platform refused (401). */
  forget(reg: PlatformRegistration, scopes: string[]): void {
    this.cache.delete(`${reg.tokenUrl} ${reg.clientId} ${scopes.join(' ')}`);
  }
}

function describeFailure(status: number, text: string, url: string): PlatformError {
  const detail = text.slice(0, 300).replace(/\s+/g, ' ').trim();
  if (status === 401 || status === 403)
    return new PlatformError(
      `the platform refused podlab's credentials (${status}): check the registration's client id and that the tool key is registered. ${detail}`,
      status,
      false,
    );
  if (status === 404)
    return new PlatformError(
      `the line item or endpoint ${url} does not exist on the platform (404)`,
      status,
      false,
    );
  if (status === 422)
    return new PlatformError(
      `the platform would not record the score (422): the user is not a student of the course, or the course is not published. ${detail}`,
      status,
      false,
    );
  if (status === 400 && /timestamp/i.test(detail))
    return new PlatformError(
      `the platform refused the score's timestamp as older than one it has (400): a newer score was already sent. ${detail}`,
      status,
      false,
    );
  if (status === 400)
    return new PlatformError(
      `the platform rejected the request as incorrect (400): ${detail}`,
      status,
      false,
    );
  if (status === 429)
    return new PlatformError(`the platform is rate limiting podlab (429); will retry`, status, true);
  return new PlatformError(
    `the platform answered ${status}${status >= 500 ? '; will retry' : ''}: ${detail}`,
    status,
    status >= 500,
  );
}

async function callPlatform(fetchFn: Fetch, url: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetchFn(url, { ...init, signal: AbortSignal.timeout(15_000) });
  } catch (err) {
    throw new PlatformError(
      `could not reach the platform at ${new URL(url).host}: ${(err as Error).message}; will retry`,
      undefined,
      true,
    );
  }
  if (!res.ok) throw describeFailure(res.status, await res.text().catch(() => ''), url);
  return res;
}

/** `{lineitem}/scores`, inserted before any query string (AGS 2.0, section 3.4). */
export function scoresUrl(lineitem: string): string {
  const url = new URL(lineitem);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/scores`;
  return url.toString();
}

/**
 * A score as AGS 2.0 posts it (section 3.4): a graded score, FullyGraded and Completed, or a
 * progress without a score (e.g. submitted work that could not be graded).
 */
export type Score = {
  userId: string;
  comment?: string;
  /** ISO 8601 with milliseconds and a time zone; strictly increasing per user and line item. */
  timestamp: string;
} & (
  | { scoreGiven: number; scoreMaximum: number }
  | {
      activityProgress: 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
      gradingProgress: 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';
    }
);

/** Talks AGS to one platform: line items and scores. */
export class AgsClient {
  constructor(
    private readonly tokens: TokenClient,
    private readonly fetchFn: Fetch = fetch,
  ) {}

  private async call(
    reg: PlatformRegistration,
    scopes: string[],
    url: string,
    init: RequestInit,
  ): Promise<Response> {
    const send = async () =>
      callPlatform(this.fetchFn, url, {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          authorization: `Bearer ${await this.tokens.token(reg, scopes)}`,
        },
      });
    try {
      return await send();
    } catch (err) {
      // A cached token the platform revoked early: fetch a new one once.
      if (err instanceof PlatformError && err.status === 401) {
        this.tokens.forget(reg, scopes);
        return send();
      }
      throw err;
    }
  }

  /**
   * The line item for a resource link: the launch's own, else the one the platform lists for
   * the link, else a new one (created once: creating twice makes duplicates in the gradebook).
   */
  async lineItem(
    reg: PlatformRegistration,
    ags: NonNullable<Launch['ags']>,
    link: { resourceLinkId?: string; label: string; scoreMaximum: number; tag: string },
  ): Promise<string> {
    if (ags.lineitem) return ags.lineitem;
    if (!ags.lineitems)
      throw new PlatformError(
        'the launch grants no line item service (no lineitem or lineitems URL)',
        undefined,
        false,
      );
    const scopes = [AGS_LINEITEM_SCOPE];
    const list = new URL(ags.lineitems);
    if (link.resourceLinkId) list.searchParams.set('resource_link_id', link.resourceLinkId);
    list.searchParams.set('tag', link.tag);
    const res = await this.call(reg, scopes, list.toString(), {
      method: 'GET',
      headers: { accept: 'application/vnd.ims.lis.v2.lineitemcontainer+json' },
    });
    const items = (await res.json()) as { id: string; tag?: string; resourceLinkId?: string }[];
    const found = items.find(
      (i) => i.tag === link.tag || (link.resourceLinkId && i.resourceLinkId === link.resourceLinkId),
    );
    if (found) return found.id;
    const created = await this.call(reg, scopes, ags.lineitems, {
      method: 'POST',
      headers: {
        'content-type': 'application/vnd.ims.lis.v2.lineitem+json',
        accept: 'application/vnd.ims.lis.v2.lineitem+json',
      },
      body: JSON.stringify({
        scoreMaximum: link.scoreMaximum,
        label: link.label,
        tag: link.tag,
        ...(link.resourceLinkId ? { resourceLinkId: link.resourceLinkId } : {}),
      }),
    });
    return ((await created.json()) as { id: string }).id;
  }

  /** Posts a score: a given score as FullyGraded and Completed, or the progress it names. */
  async postScore(reg: PlatformRegistration, lineitem: string, score: Score): Promise<void> {
    const body =
      'scoreGiven' in score
        ? {
            userId: score.userId,
            scoreGiven: score.scoreGiven,
            scoreMaximum: score.scoreMaximum,
            activityProgress: 'Completed',
            gradingProgress: 'FullyGraded',
          }
        : {
            userId: score.userId,
            activityProgress: score.activityProgress,
            gradingProgress: score.gradingProgress,
          };
    await this.call(reg, [AGS_SCORE_SCOPE], scoresUrl(lineitem), {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.ims.lis.v1.score+json' },
      body: JSON.stringify({
        ...body,
        timestamp: score.timestamp,
        ...(score.comment ? { comment: score.comment } : {}),
      }),
    });
  }
}

/** A timestamp strictly after `previous` (ISO with ms), never before `nowMs`. */
export function nextScoreTimestamp(nowMs: number, previous?: string): string {
  const prev = previous ? Date.parse(previous) : Number.NEGATIVE_INFINITY;
  return new Date(Math.max(nowMs, prev + 1)).toISOString();
}

/** Claims a test platform needs to issue launches; exported for the local LMS peer in tests. */
export type LaunchClaims = JWTPayload & Record<string, unknown>;
