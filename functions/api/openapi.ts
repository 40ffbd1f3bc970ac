/**
 * The OpenAPI 3.1 document of the API, generated from the zod schemas in schemas.ts
 * (z.toJSONSchema emits JSON Schema 2020-12, the dialect of OpenAPI 3.1).
 */
import * as z from '../../graders/zod.ts';
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
const pageParams = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } },
  { name: 'cursor', in: 'query', schema: { type: 'string' } },
];
const authErrors = { '401': err('missing or invalid bearer token'), '403': err('wrong role or course') };
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
      description:
        'Grades Kubernetes pod-lifecycle labs with a deterministic simulator. Errors are `{error: {code, message, details?}}`; an invalid manifest is a `rejected` result (201), not an HTTP error.',
    },
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'plb_… token from `podlab token create`' },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/healthz': {
        get: {
          summary: 'liveness',
          security: [],
          responses: { '200': { description: 'ok', ...json('Health') } },
        },
      },
      '/v1/me': {
        get: {
          summary: 'who the token belongs to',
          responses: { '200': { description: 'ok', ...json('Me') }, ...authErrors },
        },
      },
      '/v1/scenarios': {
        get: {
          summary: "the course's scenarios (students: published only)",
          parameters: pageParams,
          responses: { '200': { description: 'a page', ...json('ScenarioPage') }, ...authErrors },
        },
      },
      '/v1/scenarios/{name}': {
        get: {
          summary: 'one scenario; hidden checks stripped for students',
          parameters: [nameParam],
          responses: {
            '200': { description: 'ok', ...json('ScenarioDetail') },
            '404': err('no such scenario'),
            ...authErrors,
          },
        },
        put: {
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
          summary: 'every stored version (instructor)',
          parameters: [nameParam, ...pageParams],
          responses: { '200': { description: 'a page', ...json('VersionPage') }, ...authErrors },
        },
      },
      '/v1/scenarios/{name}/submissions': {
        post: {
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
            ...authErrors,
          },
        },
        get: {
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
          summary:
            'one submission with its current result (owner: student view; instructor: full, with history)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'ok', ...json('Submission') },
            '404': err("no such submission, or another user's (answered alike, so ids cannot be probed)"),
            ...authErrors,
          },
        },
      },
      '/v1/submissions/{id}/timeline.svg': {
        get: {
          summary: 'the timeline picture of the current result (re-simulated; same access as the submission)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
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
          summary: 'attempts, students, score distribution, pass rate per check (instructor)',
          parameters: [nameParam],
          responses: { '200': { description: 'ok', ...json('Stats') }, ...authErrors },
        },
      },
    },
  };
  return cached;
}
