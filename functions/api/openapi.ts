/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas in schemas.ts
 * (z.toJSONSchema emits JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 */
import * as z from '../../graders/zod.ts';
import { MAX_PAGE_SIZE } from '../storage/paging.ts';
import * as S from './schemas.ts';

const COMPONENTS: Record<string, z.ZodMiniType> = {
  Error: S.ErrorBody,
  SubmissionJson: S.SubmissionJson,
  Me: S.Me,
  Submission: S.Submission,
  SubmissionRow: S.SubmissionRow,
  SubmissionPage: S.SubmissionPage,
  MySubmissions: S.MySubmissions,
  ScenarioSummary: S.ScenarioSummary,
  ScenarioPage: S.ScenarioPage,
  ScenarioDetail: S.ScenarioDetail,
  ScenarioPut: S.ScenarioPut,
  VersionPage: S.VersionPage,
  RegradeReport: S.RegradeReport,
  Stats: S.Stats,
  Health: S.Health,
  Jwks: S.Jwks,
  RegistrationPut: S.RegistrationPut,
  SyncPage: S.SyncPage,
  Queued: S.Queued,
  EndpointCreated: S.EndpointCreated,
  EndpointList: S.EndpointList,
  SecretRotated: S.SecretRotated,
  DeliveryPage: S.DeliveryPage,
  InboundSecret: S.InboundSecret,
  InboundOutcome: S.InboundOutcome,
};

const ref = (name: keyof typeof COMPONENTS & string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });
const err = (description: string) => ({ description, ...json('Error') });
const nameParam = {
  name: 'name',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: 'scenario name',
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const pageParams = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE } },
  { name: 'cursor', in: 'query', schema: { type: 'string' } },
];
const authErrors = { '401': err('missing or invalid bearer token'), '403': err('wrong role or course') };
const instructorErrors = { ...authErrors, '403': err('not an instructor') };
const freeJsonBody = (description: string, properties: Record<string, unknown>, required: string[] = []) => ({
  required: true,
  description,
  content: { 'application/json': { schema: { type: 'object', properties, required } } },
});
const redirect = (description: string) => ({
  description,
  headers: { Location: { required: true, schema: { type: 'string' } } },
});
const form = (properties: Record<string, unknown>, required: string[] = []) => ({
  required: true,
  content: {
    'application/x-www-form-urlencoded': { schema: { type: 'object', properties, required } },
  },
});
const yamlBody = (description: string) => ({
  required: true,
  description,
  content: {
    'text/yaml': { schema: { type: 'string' } },
    'application/yaml': { schema: { type: 'string' } },
    'text/plain': { schema: { type: 'string' } },
  },
});

let cached: unknown;

/** The OpenAPI document (built once). */
export function openApiDocument(): unknown {
  if (cached) return cached;
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { uri: (id) => `#/components/schemas/${id}`, io: 'output' });
  for (const s of Object.values(schemas)) {
    delete (s as Record<string, unknown>).$schema;
    delete (s as Record<string, unknown>).$id;
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'podlab API',
      version: '1',
      license: { name: 'UNLICENSED', identifier: 'LicenseRef-UNLICENSED' },
      description:
        'Grades Kubernetes pod-lifecycle labs with a deterministic simulator. Errors are `{error: {code, message, details?}}`; an invalid manifest is a `rejected` result (201), not an HTTP error.',
    },
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'plb_… token from `podlab token create`' },
      },
    },
    servers: [{ url: '/', description: 'the origin serving this document' }],
    security: [{ bearer: [] }],
    paths: {
      '/openapi.json': {
        get: {
          operationId: 'openApi',
          summary: 'this document',
          security: [],
          responses: {
            '200': {
              description: 'the OpenAPI 3.1 document',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
      '/.well-known/jwks.json': {
        get: {
          operationId: 'toolJwks',
          summary: "podlab's public keys, to register with an LTI platform",
          security: [],
          responses: { '200': { description: 'the JWKS', ...json('Jwks') } },
        },
      },
      '/v1/lti/login': {
        get: {
          operationId: 'ltiLogin',
          summary:
            'LTI 1.3 third-party initiated login: redirects to the platform with a single-use state and nonce',
          security: [],
          parameters: [
            'iss',
            'login_hint',
            'client_id',
            'lti_message_hint',
            'target_link_uri',
            'lti_deployment_id',
          ].map((name) => ({
            name,
            in: 'query',
            required: ['iss', 'login_hint'].includes(name),
            schema: { type: 'string' },
          })),
          responses: {
            '302': redirect("the platform's authorization endpoint"),
            '400': err('iss or login_hint missing'),
            '404': err('no registration for this issuer and client'),
          },
        },
        post: {
          operationId: 'ltiLoginPost',
          summary: 'the same login initiation, form-posted',
          security: [],
          requestBody: form(
            Object.fromEntries(
              [
                'iss',
                'login_hint',
                'client_id',
                'lti_message_hint',
                'target_link_uri',
                'lti_deployment_id',
              ].map((n) => [n, { type: 'string' }]),
            ),
            ['iss', 'login_hint'],
          ),
          responses: {
            '302': redirect("the platform's authorization endpoint"),
            '400': err('iss or login_hint missing'),
            '404': err('no registration for this issuer and client'),
          },
        },
      },
      '/v1/lti/launch': {
        post: {
          operationId: 'ltiLaunch',
          summary:
            'LTI 1.3 launch: verifies the id_token and opens the page with an 8-hour session token in the URL fragment',
          security: [],
          requestBody: form({ id_token: { type: 'string' }, state: { type: 'string' } }, [
            'id_token',
            'state',
          ]),
          responses: {
            '302': redirect('the web page, /#/lti?token=…&scenario=…'),
            '400': err('id_token or state missing'),
            '401': err('unknown state, bad signature, expired token, wrong nonce or deployment'),
          },
        },
      },
      '/v1/lti/registrations': {
        put: {
          operationId: 'putRegistration',
          summary: "register the course's LTI platform deployment (instructor)",
          requestBody: freeJsonBody(
            'the platform deployment',
            Object.fromEntries(
              ['issuer', 'clientId', 'deploymentId', 'authLoginUrl', 'tokenUrl', 'jwksUrl'].map((n) => [
                n,
                { type: 'string' },
              ]),
            ),
            ['issuer', 'clientId', 'deploymentId', 'authLoginUrl', 'tokenUrl', 'jwksUrl'],
          ),
          responses: {
            '200': { description: 'registered', ...json('RegistrationPut') },
            '400': err('not a JSON object, or a field missing or not a URL'),
            ...instructorErrors,
          },
        },
      },
      '/v1/lti/sync': {
        get: {
          operationId: 'listSyncStatus',
          summary: "each launched student's grade sync state for a scenario (instructor)",
          parameters: [
            { name: 'scenario', in: 'query', required: true, schema: { type: 'string' } },
            pageParams[1],
          ],
          responses: {
            '200': { description: 'a page', ...json('SyncPage') },
            '400': err('scenario is required'),
            ...instructorErrors,
          },
        },
        post: {
          operationId: 'resync',
          summary: 'send the grades of one or every launched student again (instructor)',
          requestBody: freeJsonBody(
            'what to resync',
            { scenario: { type: 'string' }, student: { type: 'string' } },
            ['scenario'],
          ),
          responses: {
            '202': { description: 'the number of syncs queued', ...json('Queued') },
            '400': err('scenario is required'),
            ...instructorErrors,
          },
        },
      },
      '/v1/webhooks/endpoints': {
        post: {
          operationId: 'createWebhookEndpoint',
          summary: 'register an outbound webhook endpoint (instructor); its secret is shown once',
          requestBody: freeJsonBody(
            'the endpoint',
            { url: { type: 'string' }, eventTypes: { type: 'array', items: { type: 'string' } } },
            ['url'],
          ),
          responses: {
            '201': { description: 'created', ...json('EndpointCreated') },
            '400': err('url is required'),
            '422': err(
              'the URL is refused (scheme, credentials, private address) or an event type is unknown',
            ),
            ...instructorErrors,
          },
        },
        get: {
          operationId: 'listWebhookEndpoints',
          summary: "the course's webhook endpoints (instructor)",
          responses: {
            '200': { description: 'the endpoints', ...json('EndpointList') },
            ...instructorErrors,
          },
        },
      },
      '/v1/webhooks/endpoints/{id}/rotate': {
        post: {
          operationId: 'rotateWebhookSecret',
          summary: "rotate an endpoint's secret (instructor): both sign for 24 hours",
          parameters: [idParam],
          responses: {
            '200': { description: 'the new secret', ...json('SecretRotated') },
            '404': err('no such endpoint'),
            ...instructorErrors,
          },
        },
      },
      '/v1/webhooks/deliveries': {
        get: {
          operationId: 'listWebhookDeliveries',
          summary: 'outbound messages and every delivery attempt, newest first (instructor)',
          parameters: pageParams,
          responses: { '200': { description: 'a page', ...json('DeliveryPage') }, ...instructorErrors },
        },
      },
      '/v1/webhooks/deliveries/{id}/replay': {
        post: {
          operationId: 'replayWebhookDelivery',
          summary: 'deliver a message again (instructor)',
          parameters: [idParam],
          responses: {
            '202': { description: 'queued', ...json('Queued') },
            '404': err('no such message'),
            '409': err('the message is still being delivered'),
            ...instructorErrors,
          },
        },
      },
      '/v1/lms/inbound-secret': {
        post: {
          operationId: 'newInboundSecret',
          summary: 'create or replace the secret inbound webhooks are signed with (instructor); shown once',
          responses: {
            '201': { description: 'the secret and the URL to send to', ...json('InboundSecret') },
            ...instructorErrors,
          },
        },
      },
      '/v1/lms/webhooks': {
        post: {
          operationId: 'receiveLmsWebhook',
          summary:
            'a signed inbound event (Standard Webhooks); submission.created grades the submission it carries',
          security: [],
          parameters: [
            { name: 'course', in: 'query', required: true, schema: { type: 'string' } },
            ...['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => ({
              name,
              in: 'header',
              required: true,
              schema: { type: 'string' },
            })),
          ],
          requestBody: freeJsonBody(
            '{type, timestamp, data}',
            { type: { type: 'string' }, timestamp: { type: 'string' }, data: { type: 'object' } },
            ['type', 'data'],
          ),
          responses: {
            '200': {
              description: 'a webhook-id already seen, or the submission it made before',
              ...json('InboundOutcome'),
            },
            '201': { description: 'graded (or rejected) as a new submission', ...json('InboundOutcome') },
            '202': { description: 'an event type podlab does not act on', ...json('InboundOutcome') },
            '400': err('not JSON, or the event lacks its fields'),
            '401': err('unsigned, bad signature, or a timestamp more than 5 minutes away'),
            '404': err('no such scenario'),
            '413': err('body over the limit'),
            '415': err('not application/json'),
          },
        },
      },
      '/healthz': {
        get: {
          operationId: 'health',
          summary: 'liveness',
          security: [],
          responses: { '200': { description: 'ok', ...json('Health') } },
        },
      },
      '/v1/me': {
        get: {
          operationId: 'whoAmI',
          summary: 'who the token belongs to',
          responses: { '200': { description: 'ok', ...json('Me') }, ...authErrors },
        },
      },
      '/v1/scenarios': {
        get: {
          operationId: 'listScenarios',
          summary: "the course's scenarios (students: published only)",
          parameters: pageParams,
          responses: { '200': { description: 'a page', ...json('ScenarioPage') }, ...authErrors },
        },
      },
      '/v1/scenarios/{name}': {
        get: {
          operationId: 'getScenario',
          summary: 'one scenario; hidden checks stripped for students',
          parameters: [nameParam],
          responses: {
            '200': { description: 'ok', ...json('ScenarioDetail') },
            '404': err('no such scenario'),
            ...authErrors,
          },
        },
        put: {
          operationId: 'putScenario',
          summary: 'create or replace a scenario (instructor); every version is kept, the latest is current',
          parameters: [nameParam],
          requestBody: yamlBody('the scenario file (scenario-format.md section 1)'),
          responses: {
            '200': { description: 'this version was already stored', ...json('ScenarioPut') },
            '201': { description: 'a new version, now current', ...json('ScenarioPut') },
            '413': err('body over 262144 bytes'),
            '415': err('not YAML'),
            '422': err('invalid scenario: details lists {message, path, line, column}'),
            ...authErrors,
          },
        },
      },
      '/v1/scenarios/{name}/versions': {
        get: {
          operationId: 'listScenarioVersions',
          summary: 'every stored version (instructor)',
          parameters: [nameParam, ...pageParams],
          responses: { '200': { description: 'a page', ...json('VersionPage') }, ...authErrors },
        },
      },
      '/v1/scenarios/{name}/submissions': {
        post: {
          operationId: 'submit',
          summary: 'submit a manifest (student); graded synchronously',
          parameters: [
            nameParam,
            {
              name: 'Idempotency-Key',
              in: 'header',
              schema: { type: 'string', maxLength: 255 },
              description:
                'same key and body: the stored answer again (Idempotent-Replayed: true); same key, other body: 409',
            },
          ],
          requestBody: {
            ...yamlBody('the manifests (at most 262144 bytes), or JSON {"manifest": "…"}'),
            content: { ...yamlBody('').content, 'application/json': { schema: ref('SubmissionJson') } },
          },
          responses: {
            '201': { description: 'graded or rejected; student view', ...json('Submission') },
            '400': err('bad JSON or invalid UTF-8'),
            '404': err('no such scenario'),
            '409': err('Idempotency-Key reused with another body'),
            '413': err('body over the limit'),
            '415': err('unsupported content type'),
            '429': err('attempt limit reached'),
            '500': err(
              'podlab failed while grading (a bug): nothing stored, no attempt used; error.requestId',
            ),
            ...authErrors,
          },
        },
        get: {
          operationId: 'listSubmissions',
          summary: 'every submission (instructor), oldest first; CSV with Accept: text/csv or ?format=csv',
          parameters: [
            nameParam,
            ...pageParams,
            { name: 'format', in: 'query', schema: { enum: ['json', 'csv'] } },
          ],
          responses: {
            '200': {
              description: 'a page (CSV: next cursor in the X-Next-Cursor header)',
              content: {
                'application/json': { schema: ref('SubmissionPage') },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            ...authErrors,
          },
        },
      },
      '/v1/submissions/{id}': {
        get: {
          operationId: 'getSubmission',
          summary:
            'one submission with its current result (owner: student view; instructor: full, with history)',
          parameters: [idParam],
          responses: {
            '200': { description: 'ok', ...json('Submission') },
            '404': err("no such submission, or another user's (answered alike, so ids cannot be probed)"),
            ...authErrors,
          },
        },
      },
      '/v1/submissions/{id}/timeline.svg': {
        get: {
          operationId: 'getTimeline',
          summary: 'the timeline picture of the current result (re-simulated; same access as the submission)',
          parameters: [idParam],
          responses: {
            '200': { description: 'SVG', content: { 'image/svg+xml': { schema: { type: 'string' } } } },
            '404': err(
              "no such submission (or another user's, answered alike), or no picture (rejected, or graded by another simulator version)",
            ),
            ...authErrors,
          },
        },
      },
      '/v1/me/submissions': {
        get: {
          operationId: 'listMySubmissions',
          summary: "the caller's own attempts at a scenario",
          parameters: [
            { name: 'scenario', in: 'query', required: true, schema: { type: 'string' } },
            ...pageParams,
          ],
          responses: { '200': { description: 'a page', ...json('MySubmissions') }, ...authErrors },
        },
      },
      '/v1/scenarios/{name}/regrade': {
        post: {
          operationId: 'regrade',
          summary:
            'regrade against the current version (instructor): locally one page per call, repeat with the cursor; in AWS the whole scenario is queued (202) and fans out over the regrade queue',
          parameters: [nameParam, ...pageParams],
          responses: {
            '200': { description: 'counts of one page', ...json('RegradeReport') },
            '202': { description: 'the regrade of every submission was queued' },
            ...authErrors,
          },
        },
      },
      '/v1/scenarios/{name}/stats': {
        get: {
          operationId: 'getStats',
          summary: 'attempts, students, score distribution, pass rate per check (instructor)',
          parameters: [nameParam],
          responses: { '200': { description: 'ok', ...json('Stats') }, ...authErrors },
        },
      },
    },
  };
  // Any operation can meet a fault in podlab or a busy store (functions/api/app.ts onError).
  const paths = (cached as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> })
    .paths;
  for (const item of Object.values(paths))
    for (const op of Object.values(item)) {
      op.responses['500'] ??= err(
        'a fault in podlab: the error names the request id (also in x-request-id) to report',
      );
      op.responses['503'] ??= err('the store is busy or unreachable: retry after Retry-After seconds');
    }
  return cached;
}
