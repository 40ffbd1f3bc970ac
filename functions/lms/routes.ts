/**
 * The LMS routes of the HTTP API: LTI 1.3 (JWKS, login initiation, launch), registrations and
 * grade sync for instructors, outbound webhook endpoints and deliveries, and the signed inbound
 * webhook `POST /v1/lms/webhooks?course=C`.
 */
import type { Context } from 'hono';
import type { AppEnv, RouteModule } from '../api/app.ts';
import { decodeUtf8, guardBody, readBody } from '../api/http.ts';
import { AppError, ERROR_STATUS, type ErrorCode } from '../service/errors.ts';
import { createToken, ID_PATTERN, LTI_SESSION_LABEL, LTI_SESSION_MS } from '../service/tokens.ts';
import { DEFAULT_PAGE_SIZE } from '../storage/paging.ts';
import { courseAdmin } from './course-admin.ts';
import { LmsError, type LmsService } from './service.ts';

/** Inbound webhook bodies are small events; the manifest inside is held to the API's own limit later. */
const INBOUND_LIMIT = 600 * 1024;

/** The API code of an LMS refusal by its status. */
const BY_STATUS: Record<LmsError['status'], ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  422: 'invalid_scenario',
};

async function lmsCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof LmsError) {
      // A refusal with an API code of its own (unsafe_url) keeps it; the others map by status.
      const own = err.code as ErrorCode;
      const code = ERROR_STATUS[own] === err.status ? own : BY_STATUS[err.status];
      throw new AppError(code, err.message, { reason: err.code });
    }
    throw err;
  }
}

async function jsonBody(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const text = decodeUtf8(await readBody(c));
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new AppError('bad_request', 'the body must be a JSON object');
}

/** The LMS routes, given the LMS service. */
export function lmsRoutes(lms: LmsService): RouteModule {
  return (app, { service, deps, requireAuth }) => {
    /** The signed-in instructor's administration of their course (course-admin.ts refuses anyone else). */
    const admin = (c: Context<AppEnv>) => courseAdmin(lms, c.var.principal);
    const json = guardBody({ 'application/json': 64 * 1024 }, 'this request');

    app.get('/.well-known/jwks.json', async (c) => c.json(await lms.jwks()));

    const login = async (c: Context<AppEnv>) => {
      const params: Record<string, string | undefined> = { ...c.req.query() };
      if (c.req.method === 'POST') {
        const form = await c.req.parseBody();
        for (const [k, v] of Object.entries(form)) if (typeof v === 'string') params[k] = v;
      }
      const origin = new URL(c.req.url).origin;
      return c.redirect(await lmsCall(() => lms.login(params, `${origin}/v1/lti/launch`)), 302);
    };
    app.get('/v1/lti/login', login);
    app.post('/v1/lti/login', login);

    app.post('/v1/lti/launch', async (c) => {
      const form = await c.req.parseBody();
      const idToken = typeof form.id_token === 'string' ? form.id_token : '';
      const state = typeof form.state === 'string' ? form.state : '';
      if (!idToken || !state) throw new AppError('bad_request', 'a launch posts id_token and state');
      const who = await lmsCall(() => lms.launch(idToken, state));
      if (!ID_PATTERN.test(who.user))
        throw new AppError(
          'bad_request',
          `the platform user id cannot be used as a podlab user: ${who.user}`,
        );
      const now = deps.clock();
      const { token } = await createToken(deps.repo, {
        role: who.role,
        user: who.user,
        course: who.course,
        label: LTI_SESSION_LABEL,
        now,
        expiresAt: new Date(now.getTime() + LTI_SESSION_MS),
      });
      // The token travels in the URL fragment: browsers never send fragments to servers or logs.
      const q = new URLSearchParams({ token, ...(who.scenario ? { scenario: who.scenario } : {}) });
      return c.redirect(`/#/lti?${q}`, 302);
    });

    app.put('/v1/lti/registrations', requireAuth, json, async (c) => {
      const course = admin(c);
      const b = await jsonBody(c);
      const registration = await lmsCall(() =>
        course.register({
          issuer: String(b.issuer ?? ''),
          clientId: String(b.clientId ?? ''),
          deploymentId: String(b.deploymentId ?? ''),
          authLoginUrl: String(b.authLoginUrl ?? ''),
          tokenUrl: String(b.tokenUrl ?? ''),
          jwksUrl: String(b.jwksUrl ?? ''),
        }),
      );
      return c.json({ registration, jwks_url: `${new URL(c.req.url).origin}/.well-known/jwks.json` }, 200);
    });

    app.get('/v1/lti/sync', requireAuth, async (c) => {
      const course = admin(c);
      const scenario = c.req.query('scenario');
      if (!scenario) throw new AppError('bad_request', 'scenario is required');
      return c.json(await course.syncStatus(scenario, c.req.query('cursor')));
    });

    app.post('/v1/lti/sync', requireAuth, json, async (c) => {
      const course = admin(c);
      const b = await jsonBody(c);
      if (typeof b.scenario !== 'string') throw new AppError('bad_request', 'scenario is required');
      const queued = await course.resync(b.scenario, typeof b.student === 'string' ? b.student : undefined);
      return c.json({ queued }, 202);
    });

    app.post('/v1/webhooks/endpoints', requireAuth, json, async (c) => {
      const course = admin(c);
      const b = await jsonBody(c);
      if (typeof b.url !== 'string') throw new AppError('bad_request', 'url is required');
      const types = Array.isArray(b.eventTypes) ? b.eventTypes.map(String) : undefined;
      const { endpoint, secret } = await lmsCall(() => course.createEndpoint(b.url as string, types));
      const { secrets: _s, ...shown } = endpoint;
      return c.json({ endpoint: shown, secret }, 201);
    });

    app.get('/v1/webhooks/endpoints', requireAuth, async (c) =>
      c.json({ items: await admin(c).listEndpoints() }),
    );

    app.post('/v1/webhooks/endpoints/:id/rotate', requireAuth, async (c) => {
      const course = admin(c);
      return c.json(await lmsCall(() => course.rotateSecret(c.req.param('id'))));
    });

    app.get('/v1/webhooks/deliveries', requireAuth, async (c) => {
      const course = admin(c);
      const limit = Number(c.req.query('limit') ?? DEFAULT_PAGE_SIZE);
      return c.json(
        await course.deliveries(Number.isFinite(limit) ? limit : DEFAULT_PAGE_SIZE, c.req.query('cursor')),
      );
    });

    app.post('/v1/webhooks/deliveries/:id/replay', requireAuth, async (c) => {
      const course = admin(c);
      await lmsCall(() => course.replay(c.req.param('id')));
      return c.json({ queued: true }, 202);
    });

    app.post('/v1/lms/inbound-secret', requireAuth, async (c) => {
      const course = admin(c);
      return c.json(
        {
          secret: await course.newInboundSecret(),
          url: `${new URL(c.req.url).origin}/v1/lms/webhooks?course=${encodeURIComponent(course.course)}`,
        },
        201,
      );
    });

    app.post('/v1/lms/webhooks', guardBody({ 'application/json': INBOUND_LIMIT }, 'a webhook'), async (c) => {
      const course = c.req.query('course') ?? '';
      if (!ID_PATTERN.test(course))
        throw new AppError('bad_request', 'the webhook URL names its course: /v1/lms/webhooks?course=C');
      const body = decodeUtf8(await readBody(c));
      const received = await lmsCall(() =>
        lms.receive(
          course,
          {
            id: c.req.header('webhook-id'),
            timestamp: c.req.header('webhook-timestamp'),
            signature: c.req.header('webhook-signature'),
          },
          body,
        ),
      );
      if (received.duplicate) return c.json({ duplicate: true }, 200);
      const { event } = received;
      if (event.type !== 'submission.created') return c.json({ ignored: event.type }, 202);
      const { student, scenario, manifest } = event.data as {
        student?: unknown;
        scenario?: unknown;
        manifest?: unknown;
      };
      try {
        if (
          typeof student !== 'string' ||
          !ID_PATTERN.test(student) ||
          typeof scenario !== 'string' ||
          typeof manifest !== 'string'
        )
          throw new AppError(
            'bad_request',
            'submission.created carries data.student, data.scenario and data.manifest (strings)',
          );
        // The webhook-id is the idempotency key: the same event graded twice is one submission.
        const { view, replayed } = await service.submit(
          { role: 'student', user: student, course },
          scenario,
          manifest,
          `webhook-${event.id}`,
        );
        return c.json(
          { submission: view.id, status: view.status, score: view.score, max_score: view.max_score },
          replayed ? 200 : 201,
        );
      } catch (err) {
        // Not processed: forget the id so the sender's retry is handled.
        await lms.releaseInbound(course, event.id);
        throw err;
      }
    });
  };
}
