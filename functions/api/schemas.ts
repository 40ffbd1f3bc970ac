/**
 * The API's request and response shapes as zod schemas: request bodies are validated with
 * them, and /openapi.json is generated from them (z.toJSONSchema).
 */
import * as z from '../../graders/zod.ts';

/** `schema` with a description for /openapi.json (a registered copy, as classic zod's `.meta()`). */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  const copy = schema.clone();
  z.globalRegistry.add(copy, { description });
  return copy;
}

/** A whole number. */
const int = () => z.number().check(z.int());

/** Every error response. */
export const ErrorBody = z.object({
  error: z.object({
    code: described(z.string(), 'machine-readable code, e.g. not_found, attempt_limit'),
    message: z.string(),
    details: z.optional(z.unknown()),
    requestId: z.optional(
      described(z.string(), 'on a 500 (code internal): the request id, also in the x-request-id header'),
    ),
  }),
});

/** JSON form of a submission body. */
export const SubmissionJson = z.strictObject({
  manifest: described(z.string(), 'the multi-document YAML file, as text'),
});

/** GET /v1/me. */
export const Me = z.object({ user: z.string(), role: z.enum(['student', 'instructor']), course: z.string() });

const TestResult = z.object({
  id: described(
    z.optional(z.string()),
    "the check's id; absent from the one entry that stands for a student's hidden checks",
  ),
  name: z.optional(z.string()),
  score: described(
    z.optional(z.number()),
    "absent from the hidden checks' entry when the lab hides their score",
  ),
  max_score: z.optional(z.number()),
  status: z.optional(z.enum(['passed', 'failed'])),
  visibility: z.enum(['visible', 'hidden', 'after_due_date']),
  output: z.optional(z.string()),
  hint: z.optional(z.string()),
});

/** The grade result (scenario-format.md section 2), as a submission view. */
export const Submission = z.looseObject({
  id: z.string(),
  attempt: described(z.nullable(int()), 'null for a rejected submission (it uses no attempt)'),
  student: z.string(),
  course: z.string(),
  submitted_at: z.string(),
  scenario: z.string(),
  scenario_version: z.string(),
  status: z.enum(['graded', 'rejected']),
  score: z.number(),
  max_score: z.number(),
  tests: z.array(TestResult),
  errors: z.array(
    z.looseObject({ message: z.string(), field: z.optional(z.string()), line: z.optional(z.number()) }),
  ),
  warnings: z.array(z.looseObject({ message: z.string() })),
  transcript: z.string(),
  events: z.array(z.looseObject({ at: z.string(), reason: z.string(), message: z.string() })),
  simulator: z.object({ version: z.string(), kubernetes: z.string(), digest: z.string() }),
  extra_data: described(
    z.optional(
      z.object({
        hidden_checks: z.object({
          count: int(),
          max_score: z.number(),
          score: z.optional(z.number()),
          in_total: described(z.boolean(), 'whether score and max_score include the hidden checks'),
        }),
      }),
    ),
    "a student's view: what is hidden from them (Gradescope's extra_data)",
  ),
  manifest: described(z.optional(z.string()), 'the submitted text (GET only)'),
  history: described(
    z.optional(
      z.array(
        z.object({
          scenario_version: z.string(),
          status: z.string(),
          score: z.number(),
          max_score: z.number(),
          graded_at: z.string(),
        }),
      ),
    ),
    'every stored result, original first (instructors only)',
  ),
});

/** One row of a submission listing. */
export const SubmissionRow = z.object({
  id: z.string(),
  student: z.string(),
  attempt: z.nullable(int()),
  status: z.enum(['graded', 'rejected']),
  score: z.number(),
  max_score: z.number(),
  scenario_version: z.string(),
  submitted_at: z.string(),
});

const cursor = described(
  z.optional(z.string()),
  'opaque; pass as ?cursor= for the next page; absent on the last page',
);

/** A page of submission rows. */
export const SubmissionPage = z.object({ items: z.array(SubmissionRow), cursor });

/** A student's own attempts. */
export const MySubmissions = z.object({
  scenario: z.string(),
  attempts_used: int(),
  max_attempts: z.nullable(int()),
  items: z.array(SubmissionRow),
  cursor,
});

/** One scenario in a listing. */
export const ScenarioSummary = z.object({
  name: z.string(),
  title: z.string(),
  version: z.string(),
  published: z.boolean(),
  updated_at: z.string(),
});

/** A page of scenarios. */
export const ScenarioPage = z.object({ items: z.array(ScenarioSummary), cursor });

/** One scenario: the public form for students; the source and YAML for instructors. */
export const ScenarioDetail = z.object({
  name: z.string(),
  title: z.string(),
  version: z.string(),
  published: z.boolean(),
  updated_at: z.string(),
  policy: z.object({
    max_attempts: z.nullable(int()),
    score_policy: z.enum(['best', 'latest']),
    due_date: z.nullable(z.string()),
    hidden_score: described(
      z.enum(['show', 'hide']),
      'hide: students see no score of the hidden checks, and their totals leave them out',
    ),
  }),
  attempts_used: z.optional(int()),
  scenario: z.unknown(),
  yaml: z.optional(z.string()),
});

/** PUT /v1/scenarios/{name} outcome. */
export const ScenarioPut = z.object({
  name: z.string(),
  version: z.string(),
  title: z.string(),
  published: z.boolean(),
  created: described(z.boolean(), 'a new version was stored'),
  changed: described(z.boolean(), 'the current version changed'),
  warnings: described(
    z.array(z.object({ message: z.string(), path: z.optional(z.string()) })),
    'what the author should know: e.g. a duration that leaves too little room for common answers in a run’s budgets',
  ),
});

/** A page of scenario versions. */
export const VersionPage = z.object({
  items: z.array(
    z.object({
      version: z.string(),
      title: z.string(),
      published: z.boolean(),
      created_at: z.string(),
      created_by: z.string(),
      current: z.boolean(),
    }),
  ),
  cursor,
});

/** One regrade call's outcome. */
export const RegradeReport = z.object({
  scenario: z.string(),
  version: z.string(),
  processed: int(),
  regraded: int(),
  unchanged: int(),
  failed: z.array(z.object({ id: z.string(), error: z.string() })),
  cursor,
});

const Histogram = z.array(z.object({ score: z.number(), count: int() }));

/** Stats of a scenario. */
export const Stats = z.object({
  scenario: z.string(),
  version: z.string(),
  submissions: int(),
  attempts: int(),
  rejected: int(),
  students: int(),
  pass_rate: described(
    z.nullable(z.number()),
    'share of graded attempts with full marks (null without graded attempts)',
  ),
  score_histogram: Histogram,
  final_score_histogram: described(Histogram, "one score per student, by the scenario's score policy"),
  score_policy: z.enum(['best', 'latest']),
  checks: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      passed: int(),
      failed: int(),
      pass_rate: z.nullable(z.number()),
    }),
  ),
});

/** GET /healthz. */
export const Health = z.object({ status: z.literal('ok') });

// --- LMS routes (functions/lms/routes.ts) ---------------------------------------------------

/** GET /.well-known/jwks.json: podlab's public keys (RFC 7517). */
export const Jwks = z.object({
  keys: z.array(z.looseObject({ kty: z.string(), kid: z.string(), alg: z.optional(z.string()) })),
});

const PlatformRegistration = z.object({
  issuer: z.string(),
  clientId: z.string(),
  deploymentId: z.string(),
  authLoginUrl: z.string(),
  tokenUrl: z.string(),
  jwksUrl: z.string(),
  course: z.string(),
});

/** PUT /v1/lti/registrations outcome. */
export const RegistrationPut = z.object({
  registration: PlatformRegistration,
  jwks_url: described(z.string(), "podlab's JWKS URL, to give the platform"),
});

/** One student's grade sync state. */
const SyncStatus = z.object({
  course: z.string(),
  scenario: z.string(),
  student: z.string(),
  state: z.enum(['pending', 'synced', 'failed', 'retrying']),
  scoreGiven: z.optional(z.number()),
  scoreMaximum: z.optional(z.number()),
  submissionId: z.optional(z.string()),
  lastTimestamp: z.optional(z.string()),
  lineitem: z.optional(z.string()),
  message: described(z.optional(z.string()), 'the outcome in words an instructor can act on'),
  updatedAt: z.string(),
  attempts: int(),
});

/** GET /v1/lti/sync. */
export const SyncPage = z.object({ items: z.array(SyncStatus), cursor });

/** A queued job count (POST /v1/lti/sync) or flag (replay). */
export const Queued = z.object({ queued: z.union([int(), z.boolean()]) });

/** A webhook endpoint as shown to instructors (never its secrets). */
const WebhookEndpoint = z.object({
  course: z.string(),
  id: z.string(),
  url: z.string(),
  eventTypes: z.array(z.string()),
  disabled: z.boolean(),
  disabledReason: z.optional(z.string()),
  createdAt: z.string(),
});

/** POST /v1/webhooks/endpoints outcome: the secret is shown this once. */
export const EndpointCreated = z.object({ endpoint: WebhookEndpoint, secret: z.string() });

/** GET /v1/webhooks/endpoints. */
export const EndpointList = z.object({ items: z.array(WebhookEndpoint) });

/** POST /v1/webhooks/endpoints/{id}/rotate outcome. */
export const SecretRotated = z.object({
  secret: z.string(),
  previousValidUntil: described(z.string(), 'the old secret keeps signing until then'),
});

/** GET /v1/webhooks/deliveries. */
export const DeliveryPage = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      course: z.string(),
      endpointId: z.string(),
      type: z.string(),
      body: z.string(),
      createdAt: z.string(),
      state: z.enum(['pending', 'delivered', 'dead', 'disabled']),
      attempts: z.array(
        z.object({
          at: z.string(),
          status: z.optional(int()),
          latencyMs: z.number(),
          error: z.optional(z.string()),
        }),
      ),
      nextAttemptAt: z.optional(z.number()),
    }),
  ),
  cursor,
});

/** POST /v1/lms/inbound-secret outcome. */
export const InboundSecret = z.object({
  secret: z.string(),
  url: described(z.string(), 'where the LMS sends signed events'),
});

/** POST /v1/lms/webhooks outcome. */
export const InboundOutcome = z.union([
  z.object({ duplicate: z.literal(true) }),
  z.object({ ignored: described(z.string(), 'an event type podlab does not act on') }),
  z.object({
    submission: z.string(),
    status: z.enum(['graded', 'rejected']),
    score: z.number(),
    max_score: z.number(),
  }),
]);
