/**
 * The LMS use cases: outbound webhooks (emit, deliver with retries, replay, endpoints and
 * secret rotation), inbound webhook verification, LTI 1.3 login and launch, and grade
 * passback per the scenario's policy with a per-student sync status.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { decodeJwt } from 'jose';
import { attemptDelivery, nextDelayMs } from './delivery.ts';
import {
  AgsClient,
  type Fetch,
  isInstructor,
  loginRedirect,
  newToolKey,
  nextScoreTimestamp,
  PlatformError,
  PlatformKeys,
  type PlatformRegistration,
  type Score,
  TokenClient,
  type ToolKey,
  toolJwks,
  verifyLaunch,
} from './lti.ts';
import { checkDeliveryUrl, type DeliveryGuard } from './ssrf.ts';
import {
  type EndpointRecord,
  EVENT_TYPES,
  type EventType,
  type JobKind,
  type LmsStore,
  type MessageRecord,
  parseSyncRef,
  type SyncStatus,
  syncRef,
} from './store.ts';
import { newWebhookSecret, signedHeaders, type VerifyFailure, verifyWebhook } from './webhooks.ts';

/** Where jobs wait: SQS in AWS, the store-backed poller locally. */
export interface JobQueue {
  enqueue(kind: JobKind, ref: string, delayMs: number): Promise<void>;
}

/** What passback needs to know of grades, from the submissions store. */
export interface GradeSource {
  /** Every result of a student for a scenario (current results, after regrades). */
  results(
    course: string,
    scenario: string,
    student: string,
  ): Promise<
    {
      submissionId: string;
      score: number;
      maxScore: number;
      createdAt: string;
      status: 'graded' | 'rejected';
    }[]
  >;
  /** The scenario's title and score policy (best by default). */
  scenario(
    course: string,
    scenario: string,
  ): Promise<{ title: string; scorePolicy: 'best' | 'latest' } | undefined>;
}

/** A refusal the HTTP layer turns into 4xx with these words. */
export class LmsError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 422,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface LmsDeps {
  store: LmsStore;
  queue: JobQueue;
  grades: GradeSource;
  /** Epoch ms; injected. */
  now: () => number;
  /** In [0, 1); for retry jitter. */
  random: () => number;
  /** Allow deliveries to private and loopback addresses (local servers and tests only). */
  allowPrivate: boolean;
  /** Origins delivered to even though the guard is on (a test receiver on loopback). */
  allowedOrigins?: readonly string[];
  fetch?: Fetch;
}

const iso = (ms: number) => new Date(ms).toISOString();

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
const digest = (s: string) => createHash('sha256').update(s).digest('hex');

/** Verify-failure reasons in words for the sender. */
const VERIFY_WORDS: Record<VerifyFailure, string> = {
  'missing-headers': 'webhook-id, webhook-timestamp and webhook-signature headers are required',
  'bad-timestamp': 'webhook-timestamp is not a Unix time in seconds',
  'stale-timestamp': 'webhook-timestamp is more than 5 minutes away from now',
  'bad-signature': 'no webhook-signature matches the course secret',
};

/** An inbound event after its signature and freshness were checked. */
export interface InboundEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

export class LmsService {
  private toolKeyCache?: ToolKey;
  private readonly platformKeys: PlatformKeys;

  constructor(private readonly deps: LmsDeps) {
    this.platformKeys = new PlatformKeys(deps.fetch, deps.now);
  }

  // --- outbound webhooks -----------------------------------------------------------------

  /** The SSRF guard of registrations and deliveries. */
  private guard(): DeliveryGuard {
    return {
      allowPrivate: this.deps.allowPrivate,
      ...(this.deps.allowedOrigins ? { allowedOrigins: this.deps.allowedOrigins } : {}),
    };
  }

  /** Registers an endpoint for a course; the secret is returned once. */
  async createEndpoint(
    course: string,
    url: string,
    eventTypes: string[] | undefined,
  ): Promise<{ endpoint: EndpointRecord; secret: string }> {
    const check = await checkDeliveryUrl(url, this.guard());
    if (!check.ok)
      throw new LmsError(
        422,
        check.kind === 'unsafe' ? 'unsafe_url' : 'invalid_endpoint',
        `the endpoint URL is refused: ${check.reason}`,
      );
    const types = eventTypes && eventTypes.length > 0 ? eventTypes : [...EVENT_TYPES];
    const unknown = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
    if (unknown.length > 0)
      throw new LmsError(
        422,
        'invalid_endpoint',
        `unknown event types: ${unknown.join(', ')}; known: ${EVENT_TYPES.join(', ')}`,
      );
    const secret = newWebhookSecret();
    const endpoint: EndpointRecord = {
      course,
      id: `ep_${randomUUID().replaceAll('-', '').slice(0, 20)}`,
      url: check.url.toString(),
      secrets: [{ secret }],
      eventTypes: types as EventType[],
      disabled: false,
      createdAt: iso(this.deps.now()),
    };
    await this.deps.store.putEndpoint(endpoint);
    return { endpoint, secret };
  }

  /**
   * Rotates an endpoint's secret: the new one signs from now on, and the old one keeps signing
   * too (both signatures sent) for 24 hours so the receiver can switch without a gap.
   */
  async rotateSecret(course: string, id: string): Promise<{ secret: string; previousValidUntil: string }> {
    const endpoint = await this.deps.store.getEndpoint(course, id);
    if (!endpoint) throw new LmsError(404, 'not_found', `no webhook endpoint ${id} in this course`);
    const secret = newWebhookSecret();
    const until = iso(this.deps.now() + 86_400_000);
    const current = endpoint.secrets[0];
    endpoint.secrets = [{ secret }, ...(current ? [{ secret: current.secret, expiresAt: until }] : [])];
    endpoint.disabled = false;
    delete endpoint.disabledReason;
    await this.deps.store.putEndpoint(endpoint);
    return { secret, previousValidUntil: until };
  }

  /** Endpoints of a course, secrets withheld. */
  async listEndpoints(course: string): Promise<Omit<EndpointRecord, 'secrets'>[]> {
    return (await this.deps.store.listEndpoints(course)).map(({ secrets: _s, ...rest }) => rest);
  }

  /**
   * Emits an event to every enabled endpoint of the course subscribed to its type. `eventId`
   * makes it idempotent: emitting the same event twice creates each message once.
   */
  async emit(
    course: string,
    type: EventType,
    eventId: string,
    data: Record<string, unknown>,
  ): Promise<number> {
    const endpoints = (await this.deps.store.listEndpoints(course)).filter(
      (e) => !e.disabled && e.eventTypes.includes(type),
    );
    let created = 0;
    for (const e of endpoints) {
      const now = this.deps.now();
      const message: MessageRecord = {
        id: `msg_${digest(`${e.id} ${type} ${eventId}`).slice(0, 26)}`,
        course,
        endpointId: e.id,
        type,
        body: JSON.stringify({ type, timestamp: iso(now), data }),
        createdAt: iso(now),
        state: 'pending',
        attempts: [],
        nextAttemptAt: now,
      };
      if (await this.deps.store.createMessage(message)) {
        created++;
        await this.deps.queue.enqueue('webhook', message.id, 0);
      }
    }
    return created;
  }

  /** One delivery attempt of a message, and its next step. Safe to call twice (the second is a no-op). */
  async deliver(id: string): Promise<MessageRecord['state'] | 'gone'> {
    const store = this.deps.store;
    const message = await store.getMessage(id);
    if (!message) return 'gone';
    if (message.state !== 'pending') return message.state;
    const now = this.deps.now();
    if (message.nextAttemptAt !== undefined && message.nextAttemptAt > now) {
      // Woken early (SQS delays are capped at 15 minutes): wait again.
      await this.deps.queue.enqueue('webhook', id, message.nextAttemptAt - now);
      return 'pending';
    }
    const endpoint = await store.getEndpoint(message.course, message.endpointId);
    if (!endpoint || endpoint.disabled) {
      await store.recordAttempt(
        id,
        message.attempts.length,
        { at: iso(now), latencyMs: 0, error: 'endpoint disabled' },
        { state: 'disabled' },
      );
      return 'disabled';
    }
    const secrets = endpoint.secrets
      .filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now)
      .map((s) => s.secret);
    const outcome = await attemptDelivery(
      endpoint.url,
      signedHeaders(secrets, id, Math.floor(now / 1000), message.body),
      message.body,
      { ...this.guard(), now: this.deps.now },
    );
    const attempt = {
      at: iso(now),
      latencyMs: outcome.latencyMs,
      ...(outcome.status !== undefined ? { status: outcome.status } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
    };
    const n = message.attempts.length + 1;
    if (outcome.verdict === 'delivered') {
      await store.recordAttempt(id, n - 1, attempt, { state: 'delivered' });
      return 'delivered';
    }
    if (outcome.verdict === 'disable') {
      if (await store.recordAttempt(id, n - 1, attempt, { state: 'disabled' }))
        await store.putEndpoint({
          ...endpoint,
          disabled: true,
          disabledReason: `the receiver answered 410 Gone at ${iso(now)}`,
        });
      return 'disabled';
    }
    const delay = nextDelayMs(n, this.deps.random(), outcome.retryAfterSeconds);
    if (delay === undefined) {
      await store.recordAttempt(id, n - 1, attempt, { state: 'dead' });
      return 'dead';
    }
    if (await store.recordAttempt(id, n - 1, attempt, { state: 'pending', nextAttemptAt: now + delay })) {
      await this.deps.queue.enqueue('webhook', id, delay);
    }
    return 'pending';
  }

  /** A course's messages with every attempt, newest first. */
  async deliveries(
    course: string,
    limit: number,
    cursor?: string,
  ): Promise<{ items: MessageRecord[]; cursor?: string }> {
    return this.deps.store.listMessages(course, limit, cursor);
  }

  /** Delivers a finished message again (an instructor's replay). */
  async replay(course: string, id: string): Promise<void> {
    const message = await this.deps.store.getMessage(id);
    if (!message || message.course !== course)
      throw new LmsError(404, 'not_found', `no delivery ${id} in this course`);
    if (message.state === 'pending')
      throw new LmsError(409, 'pending', 'this message is still being delivered');
    await this.deps.store.requeue(id, this.deps.now());
    await this.deps.queue.enqueue('webhook', id, 0);
  }

  // --- inbound webhooks --------------------------------------------------------------

  /** Creates (or replaces) the secret inbound webhooks of a course are signed with; returned once. */
  async newInboundSecret(course: string): Promise<string> {
    const secret = newWebhookSecret();
    await this.deps.store.putInboundSecret(course, secret);
    return secret;
  }

  /**
   * Checks an inbound webhook (signature in constant time, 5-minute tolerance) and records its
   * id. Returns `duplicate` for a webhook-id seen before: events are hints and may repeat.
   */
  async receive(
    course: string,
    headers: { id?: string | null; timestamp?: string | null; signature?: string | null },
    body: string,
  ): Promise<{ duplicate: true } | { duplicate: false; event: InboundEvent }> {
    const secret = await this.deps.store.getInboundSecret(course);
    if (!secret) throw new LmsError(401, 'unsigned', 'this course has no inbound webhook secret');
    const nowSeconds = Math.floor(this.deps.now() / 1000);
    const verdict = verifyWebhook([secret], headers, body, nowSeconds);
    if (!verdict.ok) throw new LmsError(401, verdict.reason, VERIFY_WORDS[verdict.reason]);
    let parsed: { type?: unknown; data?: unknown };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      throw new LmsError(400, 'bad_request', 'the webhook body is not JSON');
    }
    if (typeof parsed.type !== 'string' || typeof parsed.data !== 'object' || parsed.data === null)
      throw new LmsError(
        400,
        'bad_request',
        'a webhook body is {"type": "...", "timestamp": "...", "data": {...}}',
      );
    if (!(await this.deps.store.markInboundSeen(course, verdict.id, nowSeconds))) return { duplicate: true };
    return {
      duplicate: false,
      event: { id: verdict.id, type: parsed.type, data: parsed.data as Record<string, unknown> },
    };
  }

  /** Forgets an inbound id whose processing failed, so the sender's retry is processed. */
  async releaseInbound(course: string, id: string): Promise<void> {
    await this.deps.store.forgetInbound(course, id);
  }

  // --- LTI 1.3 -----------------------------------------------------------------------

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
      const check = await checkDeliveryUrl(reg[k], this.guard());
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

  // --- grade passback ----------------------------------------------------------------

  /**
   * A student's grade for a scenario changed: queue a sync if the student came from an LMS.
   * `unlessGraded`: only when no score was sent for the student yet (a rejected submission).
   */
  async gradeChanged(
    course: string,
    scenario: string,
    student: string,
    options: { unlessGraded?: boolean } = {},
  ): Promise<boolean> {
    if (!(await this.deps.store.getGradeTarget(course, scenario, student))) return false;
    const prev = await this.deps.store.getSyncStatus(course, scenario, student);
    if (options.unlessGraded && prev?.scoreGiven !== undefined) return false;
    const now = this.deps.now();
    await this.deps.store.putSyncStatus(
      {
        ...(prev ?? { attempts: 0 }),
        course,
        scenario,
        student,
        state: 'pending',
        updatedAt: iso(now),
        attempts: 0,
      },
      now,
    );
    await this.deps.queue.enqueue('passback', syncRef(course, scenario, student), 0);
    return true;
  }

  /** Queues a sync for one student, or every student of the scenario who came from an LMS. */
  async resync(course: string, scenario: string, student?: string): Promise<number> {
    if (student) return (await this.gradeChanged(course, scenario, student)) ? 1 : 0;
    let n = 0;
    let cursor: string | undefined;
    do {
      const page = await this.deps.store.listGradeTargets(course, scenario, cursor);
      for (const t of page.items) if (await this.gradeChanged(course, scenario, t.student)) n++;
      cursor = page.cursor;
    } while (cursor);
    return n;
  }

  /** Per-student sync status of a scenario. */
  async syncStatus(
    course: string,
    scenario: string,
    cursor?: string,
  ): Promise<{ items: SyncStatus[]; cursor?: string }> {
    return this.deps.store.listSyncStatus(course, scenario, cursor);
  }

  /** Sends one student's score to the platform; the passback worker's job. */
  async sync(ref: string): Promise<SyncStatus['state'] | 'nothing'> {
    const { course, scenario, student } = parseSyncRef(ref);
    const store = this.deps.store;
    const target = await store.getGradeTarget(course, scenario, student);
    const status = await store.getSyncStatus(course, scenario, student);
    if (!target || !status || status.state === 'synced' || status.state === 'failed') return 'nothing';
    const info = await this.deps.grades.scenario(course, scenario);
    const results = await this.deps.grades.results(course, scenario, student);
    const now = this.deps.now();
    const fail = async (message: string, transient: boolean): Promise<SyncStatus['state']> => {
      const attempts = status.attempts + 1;
      const delay = transient ? nextDelayMs(attempts, this.deps.random()) : undefined;
      const state = delay === undefined ? 'failed' : 'retrying';
      await store.putSyncStatus(
        { ...status, state, message, attempts, updatedAt: iso(now) },
        delay === undefined ? undefined : now + delay,
      );
      if (delay !== undefined) await this.deps.queue.enqueue('passback', ref, delay);
      else
        await this.emit(course, 'grade.sync_failed', `${ref} ${status.updatedAt} ${attempts}`, {
          scenario,
          student,
          reason: message,
        });
      return state;
    };
    if (!info) return fail('the scenario no longer exists', false);
    if (results.length === 0) return fail('the student has no submission to send', false);
    // A rejected submission uses no attempt, so it never stands for the student's grade; with
    // only rejected ones, the platform learns the work was submitted but could not be graded.
    const graded = results.filter((r) => r.status === 'graded');
    const chosen =
      graded.length === 0
        ? undefined
        : info.scorePolicy === 'latest'
          ? graded.reduce((a, b) => (b.createdAt > a.createdAt ? b : a))
          : graded.reduce((a, b) =>
              b.score > a.score || (b.score === a.score && b.createdAt > a.createdAt) ? b : a,
            );
    const maxScore = chosen?.maxScore ?? results[0]!.maxScore;
    const reg = await store.getRegistration(target.issuer, target.clientId, target.deploymentId);
    if (!reg) return fail('the platform registration was removed', false);
    const tokens = new TokenClient(await this.toolKey(), this.deps.fetch, this.deps.now);
    const ags = new AgsClient(tokens, this.deps.fetch);
    const findLineItem = () =>
      ags.lineItem(
        reg,
        { ...(target.lineitems ? { lineitems: target.lineitems } : {}), scope: [] },
        {
          ...(target.resourceLinkId ? { resourceLinkId: target.resourceLinkId } : {}),
          label: info.title,
          scoreMaximum: maxScore,
          tag: `podlab:${scenario}`,
        },
      );
    try {
      let lineitem = target.lineitem ?? (await findLineItem());
      if (!target.lineitem) await store.putGradeTarget({ ...target, lineitem });
      const timestamp = nextScoreTimestamp(now, status.lastTimestamp);
      const attempts = `${results.length} submission${results.length === 1 ? '' : 's'}`;
      const score: Score = chosen
        ? {
            userId: target.sub,
            scoreGiven: chosen.score,
            scoreMaximum: chosen.maxScore,
            timestamp,
            comment: `podlab: ${chosen.score}/${chosen.maxScore} (${info.scorePolicy} of ${graded.length} graded, ${attempts})`,
          }
        : {
            userId: target.sub,
            activityProgress: 'Submitted',
            gradingProgress: 'Failed',
            timestamp,
            comment: `podlab: not graded: kubectl would not apply the submitted manifests (${attempts})`,
          };
      try {
        await ags.postScore(reg, lineitem, score);
      } catch (err) {
        // The line item was deleted on the platform (an instructor removed the column): find or
        // create the link's line item again through the line items service, once.
        if (!(err instanceof PlatformError && err.status === 404 && target.lineitems)) throw err;
        lineitem = await findLineItem();
        await store.putGradeTarget({ ...target, lineitem });
        await ags.postScore(reg, lineitem, score);
      }
      if (!chosen) {
        await store.putSyncStatus({
          ...status,
          state: 'synced',
          lastTimestamp: timestamp,
          lineitem,
          attempts: status.attempts + 1,
          updatedAt: iso(now),
          message: 'sent "submitted, not graded": every submission was rejected',
        });
        return 'synced';
      }
      await store.putSyncStatus({
        ...status,
        state: 'synced',
        scoreGiven: chosen.score,
        scoreMaximum: chosen.maxScore,
        submissionId: chosen.submissionId,
        lastTimestamp: timestamp,
        lineitem,
        attempts: status.attempts + 1,
        updatedAt: iso(now),
        message: `sent ${chosen.score}/${chosen.maxScore}`,
      });
      await this.emit(course, 'grade.synced', `${ref} ${timestamp}`, {
        scenario,
        student,
        score: chosen.score,
        max_score: chosen.maxScore,
        submission_id: chosen.submissionId,
      });
      return 'synced';
    } catch (err) {
      if (err instanceof PlatformError) return fail(err.message, err.transient);
      return fail(`unexpected failure: ${(err as Error).message}`, true);
    }
  }
}
