/**
 * The webhook use cases: outbound (endpoints, secret rotation, emit, deliver with retries,
 * replay) and inbound (course secret, signature and freshness check, duplicates).
 */
import { randomUUID } from 'node:crypto';
import { attemptDelivery, nextDelayMs } from './delivery.ts';
import { deliveryGuard, digest, iso, type LmsDeps, LmsError } from './service-common.ts';
import { checkDeliveryUrl } from './ssrf.ts';
import { type EndpointRecord, EVENT_TYPES, type EventType, type MessageRecord } from './store.ts';
import { newWebhookSecret, signedHeaders, type VerifyFailure, verifyWebhook } from './webhooks.ts';

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

/** Outbound and inbound webhooks of the courses. */
export class WebhookService {
  constructor(private readonly deps: LmsDeps) {}

  /** Registers an endpoint for a course; the secret is returned once. */
  async createEndpoint(
    course: string,
    url: string,
    eventTypes: string[] | undefined,
  ): Promise<{ endpoint: EndpointRecord; secret: string }> {
    const check = await checkDeliveryUrl(url, deliveryGuard(this.deps));
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
      { ...deliveryGuard(this.deps), now: this.deps.now },
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
}
