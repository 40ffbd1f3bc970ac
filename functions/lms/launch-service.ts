/**
 * The LTI 1.3 use cases: the tool's key, platform registrations, OIDC login and launch.
 */
import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import {
  isInstructor,
  loginRedirect,
  newToolKey,
  PlatformKeys,
  type PlatformRegistration,
  type ToolKey,
  toolJwks,
  verifyLaunch,
} from './lti.ts';
import { deliveryGuard, digest, type LmsDeps, LmsError } from './service-common.ts';
import { checkDeliveryUrl } from './ssrf.ts';

/**
 * The podlab user of a platform user: `<sub>@<issuer host>` when that is a valid podlab id,
 * else a digest of issuer and sub (platform subs may hold any characters).
 */
export function ltiUserId(issuer: string, sub: string): string {
  const host = new URL(issuer).hostname;
  const plain = `${sub}@${host}`;
  return /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/.test(plain)
    ? plain
    : `lti-${digest(`${issuer} ${sub}`).slice(0, 24)}@${host.slice(0, 90)}`;
}

/** LTI 1.3: the tool's key, registrations, login and launch. */
export class LaunchService {
  private toolKeyCache?: ToolKey;
  private readonly platformKeys: PlatformKeys;

  constructor(private readonly deps: LmsDeps) {
    this.platformKeys = new PlatformKeys(deps.fetch, deps.now);
  }

  /** The tool's key pair, created once and kept in the store. */
  async toolKey(): Promise<ToolKey> {
    if (this.toolKeyCache) return this.toolKeyCache;
    const stored =
      (await this.deps.store.getToolKey()) ?? (await this.deps.store.putToolKeyIfAbsent(await newToolKey()));
    this.toolKeyCache = stored;
    return stored;
  }

  /** The tool's public JWKS. */
  async jwks(): Promise<{ keys: unknown[] }> {
    return toolJwks([await this.toolKey()]);
  }

  /** Registers a platform deployment for a course. */
  async register(reg: PlatformRegistration): Promise<void> {
    for (const [k, v] of Object.entries(reg))
      if (typeof v !== 'string' || v === '')
        throw new LmsError(422, 'invalid_registration', `${k} is required`);
    for (const k of ['authLoginUrl', 'tokenUrl', 'jwksUrl'] as const) {
      try {
        new URL(reg[k]);
      } catch {
        throw new LmsError(422, 'invalid_registration', `${k} is not a URL`);
      }
    }
    // podlab itself calls the token and JWKS URLs (the login URL is only a browser redirect):
    // they pass the same SSRF guard as webhook endpoints.
    for (const k of ['tokenUrl', 'jwksUrl'] as const) {
      const check = await checkDeliveryUrl(reg[k], deliveryGuard(this.deps));
      if (!check.ok)
        throw new LmsError(
          422,
          check.kind === 'unsafe' ? 'unsafe_url' : 'invalid_registration',
          `${k} is refused: ${check.reason}`,
        );
    }
    await this.deps.store.putRegistration(reg);
  }

  /** OIDC third-party login initiation: remembers state and nonce, returns the platform redirect. */
  async login(params: Record<string, string | undefined>, redirectUri: string): Promise<string> {
    const { iss, login_hint, client_id, lti_message_hint, lti_deployment_id } = params;
    if (!iss || !login_hint) throw new LmsError(400, 'bad_request', 'iss and login_hint are required');
    if (!client_id)
      throw new LmsError(400, 'bad_request', 'client_id is required (podlab serves several platforms)');
    const regs = await this.deps.store.listRegistrations(iss, client_id);
    const reg = regs.find((r) => !lti_deployment_id || r.deploymentId === lti_deployment_id);
    if (!reg)
      throw new LmsError(404, 'not_registered', `no registration for issuer ${iss} and client ${client_id}`);
    const state = randomBytes(24).toString('base64url');
    const nonce = randomBytes(24).toString('base64url');
    await this.deps.store.putLoginState(
      state,
      { nonce, issuer: iss, clientId: client_id },
      Math.floor(this.deps.now() / 1000),
    );
    return loginRedirect(reg, {
      loginHint: login_hint,
      ...(lti_message_hint ? { messageHint: lti_message_hint } : {}),
      redirectUri,
      state,
      nonce,
    });
  }

  /**
   * The launch: the state must be one this tool issued (single use), the id_token must verify,
   * and its nonce must be the state's. Maps the platform user to a podlab user of the course and
   * keeps the AGS endpoint for passback of the launched scenario.
   */
  async launch(
    idToken: string,
    state: string,
  ): Promise<{ course: string; user: string; role: 'student' | 'instructor'; scenario?: string }> {
    const nowSeconds = Math.floor(this.deps.now() / 1000);
    const issued = await this.deps.store.takeLoginState(state, nowSeconds);
    if (!issued) throw new LmsError(401, 'bad_state', 'the launch state is unknown, expired or already used');
    let claims: ReturnType<typeof decodeJwt>;
    try {
      claims = decodeJwt(idToken);
    } catch {
      throw new LmsError(401, 'bad_token', 'the id_token is not a JWT');
    }
    const deploymentId = String(claims['https://purl.imsglobal.org/spec/lti/claim/deployment_id'] ?? '');
    const reg = await this.deps.store.getRegistration(issued.issuer, issued.clientId, deploymentId);
    if (!reg)
      throw new LmsError(401, 'not_registered', 'the launch comes from a deployment podlab does not know');
    let launch: Awaited<ReturnType<typeof verifyLaunch>>;
    try {
      launch = await verifyLaunch(idToken, reg, this.deps.now(), this.platformKeys);
    } catch (err) {
      throw new LmsError(401, 'bad_token', `the id_token did not verify: ${(err as Error).message}`);
    }
    if (launch.nonce !== issued.nonce)
      throw new LmsError(401, 'bad_nonce', 'the id_token nonce does not match the login');
    const user = ltiUserId(reg.issuer, launch.userId);
    const role = isInstructor(launch) ? 'instructor' : 'student';
    await this.deps.store.putUserLink({
      issuer: reg.issuer,
      clientId: reg.clientId,
      sub: launch.userId,
      course: reg.course,
      student: user,
      deploymentId,
    });
    const scenario = launch.custom.scenario;
    if (role === 'student' && scenario && launch.ags) {
      await this.deps.store.putGradeTarget({
        course: reg.course,
        scenario,
        student: user,
        issuer: reg.issuer,
        clientId: reg.clientId,
        deploymentId,
        sub: launch.userId,
        ...(launch.resourceLinkId ? { resourceLinkId: launch.resourceLinkId } : {}),
        ...(launch.ags.lineitem ? { lineitem: launch.ags.lineitem } : {}),
        ...(launch.ags.lineitems ? { lineitems: launch.ags.lineitems } : {}),
      });
    }
    return { course: reg.course, user, role, ...(scenario ? { scenario } : {}) };
  }
}
