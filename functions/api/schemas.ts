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
  id: z.optional(z.string()),
  name: z.optional(z.string()),
  score: z.number(),
  max_score: z.number(),
  status: z.enum(['passed', 'failed']),
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
