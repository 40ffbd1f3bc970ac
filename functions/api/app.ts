/**
 * The HTTP API: one platform-neutral hono app. `podlab serve` runs it on Node
 * (@hono/node-server), AWS runs it on Lambda (lambda.ts); tests call `app.request()`.
 * Routes parse the request, call one use case of the service and map the outcome.
 */
import { randomUUID } from 'node:crypto';
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { InternalError } from '../../src/errors/internal.ts';
import { AppError, type ErrorCode, type HttpError, isHttpError } from '../service/errors.ts';
import {
  createService,
  MAX_MANIFEST_BYTES,
  MAX_SCENARIO_BYTES,
  type Service,
  type ServiceDeps,
} from '../service/service.ts';
import { cachedAuthenticator, type Principal } from '../service/tokens.ts';
import { MAX_PAGE_SIZE } from '../storage/paging.ts';
import { RetryableError } from '../storage/types.ts';
import { decodeUtf8, guardBody, mediaType, pageParams, readBody, toCsv, YAML_TYPES } from './http.ts';
import { openApiDocument } from './openapi.ts';
import { SubmissionJson } from './schemas.ts';

/** Variables routes can read from the context. */
export type AppEnv = { Variables: { requestId: string; principal: Principal } };

/** A structured log line sink (one JSON object per call). */
export type LogSink = (entry: Record<string, unknown>) => void;

/** What an extra route module gets: the app to add routes to, the service and the auth middleware. */
export interface RouteContext {
  service: Service;
  deps: AppDeps;
  /** Verifies the bearer token and sets `c.get('principal')`. */
  requireAuth: MiddlewareHandler<AppEnv>;
}

/** A module of extra routes (e.g. the LMS webhooks, the static web page), added after the API's own. */
export type RouteModule = (app: Hono<AppEnv>, ctx: RouteContext) => void;

/** Dependencies of the app. */
export interface AppDeps extends ServiceDeps {
  /** One line per request and per internal error; silent when absent. */
  log?: LogSink;
  /** Extra route modules. */
  routes?: RouteModule[];
}

const YAML_LIMITS = (max: number) => Object.fromEntries([...YAML_TYPES].map((t) => [t, max]));
/** JSON doubles as much as every character is escaped; the manifest inside is then held to MAX_MANIFEST_BYTES. */
const SUBMISSION_LIMITS = {
  ...YAML_LIMITS(MAX_MANIFEST_BYTES),
  'application/json': 2 * MAX_MANIFEST_BYTES + 1024,
};

function errorJson(c: Context, status: number, code: ErrorCode | string, message: string, details?: unknown) {
  const body: { error: { code: string; message: string; details?: unknown } } = { error: { code, message } };
  if (details !== undefined) body.error.details = details;
  return c.json(body, status as 400);
}

/** A 500: `{error: {code: "internal", message, requestId}}`, nothing internal in it (the log has it all). */
function internalJson(c: Context<AppEnv>, message: string) {
  const requestId = c.var.requestId;
  c.header('x-request-id', requestId);
  return c.json(
    { error: { code: 'internal', message: `${message} (request id ${requestId})`, requestId } },
    500,
  );
}

/** The HTTP answer of any error: its own when it carries one, hono's HTTPException mapped, else a 500. */
function httpAnswer(err: unknown): HttpError {
  if (isHttpError(err)) return err;
  if (err instanceof HTTPException) {
    const code = err.status === 413 ? 'payload_too_large' : 'bad_request';
    return { status: err.status, code, clientMessage: err.message || 'bad request' };
  }
  return { status: 500, code: 'internal', clientMessage: 'internal error' };
}

/** The log line of an error worth a log line (a busy store, a bug), or undefined for a client's error. */
function failureLog(err: unknown, c: Context<AppEnv>): Record<string, unknown> | undefined {
  if (err instanceof RetryableError) {
    return { level: 'warn', msg: 'storage unavailable', error: err.message, request_id: c.var.requestId };
  }
  if (err instanceof InternalError) {
    // A bug of the loader, simulator or graders: the input's digest finds the case again.
    return {
      level: 'error',
      msg: 'internal error',
      request_id: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      user: c.var.principal?.user,
      course: c.var.principal?.course,
      stage: err.stage,
      scenario: err.scenario,
      scenario_version: err.scenarioVersion,
      input_digest: err.inputDigest,
      error_name: err.causeName,
      error: err.detail,
    };
  }
  if (isHttpError(err) || err instanceof HTTPException) return undefined;
  return {
    level: 'error',
    msg: 'internal error',
    error: err instanceof Error ? (err.stack ?? err.message) : String(err),
    error_name: err instanceof Error ? err.name : typeof err,
    request_id: c.var.requestId,
    method: c.req.method,
    path: c.req.path,
  };
}

/** Creates the app. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const service = createService(deps);
  const app = new Hono<AppEnv>();
  const log = deps.log;

  app.use('*', async (c, next) => {
    const incoming = c.req.header('x-request-id');
    const requestId = incoming && /^[A-Za-z0-9._-]{1,64}$/.test(incoming) ? incoming : randomUUID();
    c.set('requestId', requestId);
    const t0 = performance.now();
    await next();
    c.header('x-request-id', requestId);
    c.header('X-Content-Type-Options', 'nosniff');
    log?.({
      level: 'info',
      msg: 'request',
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      latency_ms: Math.round((performance.now() - t0) * 100) / 100,
      request_id: requestId,
      user: c.var.principal?.user,
      course: c.var.principal?.course,
    });
  });

  const authenticate = cachedAuthenticator(deps.repo, { now: () => deps.clock().getTime() });
  const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
    c.set('principal', await authenticate(c.req.header('authorization')));
    await next();
  };

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/openapi.json', (c) => c.json(openApiDocument() as object));

  app.get('/v1/me', requireAuth, (c) => {
    const p = c.var.principal;
    return c.json({ user: p.user, role: p.role, course: p.course });
  });

  app.get('/v1/scenarios', requireAuth, async (c) =>
    c.json(await service.listScenarios(c.var.principal, pageParams(c))),
  );

  app.get('/v1/scenarios/:name', requireAuth, async (c) =>
    c.json(await service.getScenario(c.var.principal, c.req.param('name'))),
  );

  app.put(
    '/v1/scenarios/:name',
    requireAuth,
    guardBody(YAML_LIMITS(MAX_SCENARIO_BYTES), 'a scenario'),
    async (c) => {
      const yaml = decodeUtf8(await readBody(c));
      const r = await service.putScenario(c.var.principal, c.req.param('name'), yaml);
      return c.json(r, r.created ? 201 : 200);
    },
  );

  app.get('/v1/scenarios/:name/versions', requireAuth, async (c) =>
    c.json(await service.listVersions(c.var.principal, c.req.param('name'), pageParams(c))),
  );

  app.post(
    '/v1/scenarios/:name/submissions',
    requireAuth,
    guardBody(SUBMISSION_LIMITS, 'a submission'),
    async (c) => {
      const text = decodeUtf8(await readBody(c));
      let manifest = text;
      if (mediaType(c) === 'application/json') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch (e) {
          throw new AppError('bad_request', `invalid JSON: ${(e as Error).message}`);
        }
        const r = SubmissionJson.safeParse(parsed);
        if (!r.success) {
          throw new AppError(
            'bad_request',
            'a JSON submission is {"manifest": "<YAML text>"}',
            r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
          );
        }
        manifest = r.data.manifest;
        if (Buffer.byteLength(manifest, 'utf8') > MAX_MANIFEST_BYTES) {
          throw new AppError('payload_too_large', `manifest over the limit of ${MAX_MANIFEST_BYTES} bytes`, {
            limit: MAX_MANIFEST_BYTES,
          });
        }
      }
      const key = c.req.header('idempotency-key');
      const r = await service.submit(c.var.principal, c.req.param('name'), manifest, key);
      c.header('Location', `/v1/submissions/${r.view.id}`);
      if (r.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(r.view, r.status as 201);
    },
  );

  app.get('/v1/scenarios/:name/submissions', requireAuth, async (c) => {
    const accept = c.req.header('accept') ?? '';
    const csv = /\btext\/csv\b/i.test(accept) || c.req.query('format') === 'csv';
    const page = pageParams(c);
    if (csv && page.limit === undefined) page.limit = MAX_PAGE_SIZE;
    const r = await service.listSubmissions(c.var.principal, c.req.param('name'), page);
    if (!csv) return c.json(r);
    if (r.cursor) {
      c.header('X-Next-Cursor', r.cursor);
      c.header('Link', `<${c.req.path}?cursor=${r.cursor}>; rel="next"`);
    }
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${c.req.param('name')}-submissions.csv"`);
    const header = [
      'id',
      'student',
      'attempt',
      'status',
      'score',
      'max_score',
      'scenario_version',
      'submitted_at',
    ];
    return c.body(
      toCsv(
        header,
        r.items.map((i) => [
          i.id,
          i.student,
          i.attempt,
          i.status,
          i.score,
          i.max_score,
          i.scenario_version,
          i.submitted_at,
        ]),
      ),
    );
  });

  app.get('/v1/submissions/:id', requireAuth, async (c) =>
    c.json(await service.getSubmission(c.var.principal, c.req.param('id'))),
  );

  app.get('/v1/submissions/:id/timeline.svg', requireAuth, async (c) => {
    const svg = await service.timeline(c.var.principal, c.req.param('id'));
    c.header('Content-Type', 'image/svg+xml; charset=utf-8');
    // Opened on its own, the picture may style itself but never run or load anything.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    c.header('Cache-Control', 'private, max-age=300');
    return c.body(svg);
  });

  app.get('/v1/me/submissions', requireAuth, async (c) => {
    const name = c.req.query('scenario');
    if (!name) throw new AppError('bad_request', 'query parameter "scenario" is required');
    return c.json(await service.listMySubmissions(c.var.principal, name, pageParams(c)));
  });

  app.post('/v1/scenarios/:name/regrade', requireAuth, async (c) => {
    const r = await service.regrade(c.var.principal, c.req.param('name'), pageParams(c));
    return c.json(r, 'queued' in r ? 202 : 200);
  });

  app.get('/v1/scenarios/:name/stats', requireAuth, async (c) =>
    c.json(await service.stats(c.var.principal, c.req.param('name'))),
  );

  for (const mod of deps.routes ?? []) mod(app, { service, deps, requireAuth });

  app.notFound((c) => errorJson(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`));

  app.onError((err, c) => {
    const entry = failureLog(err, c);
    if (entry) log?.(entry);
    const answer = httpAnswer(err);
    for (const [name, value] of Object.entries(answer.headers ?? {})) c.header(name, value);
    if (answer.status === 500) return internalJson(c, answer.clientMessage);
    return errorJson(c, answer.status, answer.code, answer.clientMessage, answer.details);
  });

  return app;
}

/** The service of an app's deps (for workers that run use cases without HTTP). */
export { createService };
