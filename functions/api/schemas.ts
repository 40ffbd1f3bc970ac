/**
 * The API's request and response shapes as zod schemas: request bodies are validated with
 * them, and /openapi.json is generated from them (z.toJSONSchema).
 */
import * as z from 'zod';

/** Every error response. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string().meta({ description: 'machine-readable code, e.g. not_found, attempt_limit' }),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

/** JSON form of a submission body. */
export const SubmissionJson = z
  .object({ manifest: z.string().meta({ description: 'the multi-document YAML file, as text' }) })
  .strict();

/** GET /v1/me. */
export const Me = z.object({ user: z.string(), role: z.enum(['student', 'instructor']), course: z.string() });

const TestResult = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  score: z.number(),
  max_score: z.number(),
  status: z.enum(['passed', 'failed']),
  visibility: z.enum(['visible', 'hidden', 'after_due_date']),
  output: z.string().optional(),
  hint: z.string().optional(),
});

/** The grade result (scenario-format.md section 2), as a submission view. */
export const Submission = z
  .object({
    id: z.string(),
    attempt: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'null for a rejected submission (it uses no attempt)' }),
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
      z.object({ message: z.string(), field: z.string().optional(), line: z.number().optional() }).loose(),
    ),
    warnings: z.array(z.object({ message: z.string() }).loose()),
    transcript: z.string(),
    events: z.array(z.object({ at: z.string(), reason: z.string(), message: z.string() }).loose()),
    simulator: z.object({ version: z.string(), kubernetes: z.string(), digest: z.string() }),
    manifest: z.string().optional().meta({ description: 'the submitted text (GET only)' }),
    history: z
      .array(
        z.object({
          scenario_version: z.string(),
          status: z.string(),
          score: z.number(),
          max_score: z.number(),
          graded_at: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'every stored result, original first (instructors only)' }),
  })
  .loose();

/** One row of a submission listing. */
export const SubmissionRow = z.object({
  id: z.string(),
  student: z.string(),
  attempt: z.number().int().nullable(),
  status: z.enum(['graded', 'rejected']),
  score: z.number(),
  max_score: z.number(),
  scenario_version: z.string(),
  submitted_at: z.string(),
});

const cursor = z
  .string()
  .optional()
  .meta({ description: 'opaque; pass as ?cursor= for the next page; absent on the last page' });

/** A page of submission rows. */
export const SubmissionPage = z.object({ items: z.array(SubmissionRow), cursor });

/** A student's own attempts. */
export const MySubmissions = z.object({
  scenario: z.string(),
  attempts_used: z.number().int(),
  max_attempts: z.number().int().nullable(),
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
    max_attempts: z.number().int().nullable(),
    score_policy: z.enum(['best', 'latest']),
    due_date: z.string().nullable(),
  }),
  attempts_used: z.number().int().optional(),
  scenario: z.unknown(),
  yaml: z.string().optional(),
});

/** PUT /v1/scenarios/{name} outcome. */
export const ScenarioPut = z.object({
  name: z.string(),
  version: z.string(),
  title: z.string(),
  published: z.boolean(),
  created: z.boolean().meta({ description: 'a new version was stored' }),
  changed: z.boolean().meta({ description: 'the current version changed' }),
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
  processed: z.number().int(),
  regraded: z.number().int(),
  unchanged: z.number().int(),
  failed: z.array(z.object({ id: z.string(), error: z.string() })),
  cursor,
});

const Histogram = z.array(z.object({ score: z.number(), count: z.number().int() }));

/** Stats of a scenario. */
export const Stats = z.object({
  scenario: z.string(),
  version: z.string(),
  submissions: z.number().int(),
  attempts: z.number().int(),
  rejected: z.number().int(),
  students: z.number().int(),
  score_histogram: Histogram,
  final_score_histogram: Histogram.meta({
    description: "one score per student, by the scenario's score policy",
  }),
  score_policy: z.enum(['best', 'latest']),
  checks: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      passed: z.number().int(),
      failed: z.number().int(),
      pass_rate: z.number().nullable(),
    }),
  ),
});

/** GET /healthz. */
export const Health = z.object({ status: z.literal('ok') });
