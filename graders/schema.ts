/**
 * The scenario file (scenario-format.md, section 1) as a strict zod schema (zod/mini, through
 * ./zod.ts); the YAML reading and `issuesToErrors` (every issue to its path, line and column)
 * are in ./schema-source.ts.
 */

import { parseDuration } from './duration.ts';
import { parseFieldPath } from './paths.ts';
import * as z from './zod.ts';

export {
  compactNestingOffset,
  formatPath,
  issuesToErrors,
  parseYamlDocument,
  type SourceMap,
} from './schema-source.ts';

/** Largest scenario file accepted (the format has no stated cap; 1 MiB is generous). */
export const MAX_SCENARIO_BYTES = 1_048_576;

/** A whole number with further checks. */
const int = (...checks: z.core.$ZodCheck<number>[]) => z.number().check(z.int(), ...checks);

/** A string of at least one character. */
const nonEmpty = () => z.string().check(z.minLength(1));

/** A string that `parse` accepts; its message is the issue otherwise. */
const parsedString = (parse: (value: string) => { ok: true } | { ok: false; message: string }) =>
  z.string().check(
    z.superRefine((value, ctx) => {
      const parsed = parse(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    }),
  );

const duration = z.union([z.string(), z.number()]).check(
  z.superRefine((value, ctx) => {
    const parsed = parseDuration(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
  }),
);

const window = z.tuple([duration, duration]);

const count = z.union([
  int(z.gte(0)),
  z
    .strictObject({ min: z.optional(int(z.gte(0))), max: z.optional(int(z.gte(0))) })
    .check(
      z.refine(
        (c) => c.min === undefined || c.max === undefined || c.min <= c.max,
        'min must not exceed max',
      ),
    ),
]);

const rfc1123Label = z
  .string()
  .check(
    z.maxLength(63),
    z.regex(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
      'must be a lowercase RFC 1123 label (a-z, 0-9, "-"; <= 63 characters)',
    ),
  );

const objectName = z.string().check(z.minLength(1), z.maxLength(253));

const conditionValue = z.union([z.enum(['True', 'False', 'Unknown']), z.boolean()]);

const containerExpect = z.strictObject({
  state: z.optional(z.enum(['waiting', 'running', 'terminated'])),
  reason: z.optional(z.string()),
  exitCode: z.optional(int()),
  ready: z.optional(z.boolean()),
  started: z.optional(z.boolean()),
  restarts: z.optional(count),
});

const podExpect = z
  .strictObject({
    exists: z.optional(z.boolean()),
    phase: z.optional(z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'])),
    status: z.optional(z.string()),
    ready: z.optional(
      z.union([z.string().check(z.regex(/^\d+\/\d+$/, 'READY is written like "1/1"')), z.boolean()]),
    ),
    restarts: z.optional(count),
    conditions: z.optional(
      z.partialRecord(
        z.enum(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']),
        conditionValue,
      ),
    ),
    containers: z.optional(z.record(z.string(), containerExpect)),
  })
  .check(z.refine((e) => Object.keys(e).length > 0, 'expect must list at least one expectation'));

const regexText = parsedString((value) => {
  try {
    new RegExp(value);
    return { ok: true };
  } catch (err) {
    return { ok: false, message: `invalid regular expression: ${(err as Error).message}` };
  }
});

const eventSpec = z
  .strictObject({
    pod: objectName,
    namespace: z.optional(z.string()),
    container: z.optional(z.string()),
    type: z.optional(z.enum(['Normal', 'Warning'])),
    reason: nonEmpty(),
    message: z.optional(z.string()),
    messageRegex: z.optional(regexText),
    count: z.optional(count),
  })
  .check(
    z.refine(
      (e) => e.message === undefined || e.messageRegex === undefined,
      'give message or messageRegex, not both',
    ),
  );

const command = z.array(z.string()).check(z.minLength(1));

const execSpec = z.strictObject({
  pod: objectName,
  namespace: z.optional(z.string()),
  container: z.optional(z.string()),
  command,
  exitCode: z.optional(int()),
  stdout: z.optional(z.string()),
  stderr: z.optional(z.string()),
});

/** The value of an environment variable a container sees at T (issue 19 §4). */
const envSpec = z
  .strictObject({
    pod: objectName,
    namespace: z.optional(z.string()),
    container: z.optional(z.string()),
    name: nonEmpty(),
    value: z.optional(z.string()),
    exists: z.optional(z.boolean()),
  })
  .check(
    z.refine(
      (e) => (e.value !== undefined) !== (e.exists !== undefined),
      'an env check needs value or exists (exactly one)',
    ),
  );

/** The content of a file a container sees at T (issue 19 §4). */
const fileSpec = z
  .strictObject({
    pod: objectName,
    namespace: z.optional(z.string()),
    container: z.optional(z.string()),
    path: z.string().check(z.regex(/^\//, 'file paths are absolute')),
    content: z.optional(z.string()),
    contains: z.optional(z.string()),
    exists: z.optional(z.boolean()),
  })
  .check(
    z.refine(
      (f) => [f.content, f.contains, f.exists].filter((x) => x !== undefined).length === 1,
      'a file check needs content, contains or exists (exactly one)',
    ),
  );

const serviceSpec = z
  .strictObject({
    name: objectName,
    namespace: z.optional(z.string()),
    readyEndpoints: z.optional(count),
    exists: z.optional(z.boolean()),
  })
  .check(
    z.refine(
      (s) => s.readyEndpoints !== undefined || s.exists !== undefined,
      'list readyEndpoints or exists',
    ),
  );

/** A Job's condition and counts (issue 19 §4). */
const jobSpec = z
  .strictObject({
    name: objectName,
    namespace: z.optional(z.string()),
    condition: z.optional(z.enum(['Complete', 'Failed', 'SuccessCriteriaMet', 'FailureTarget'])),
    reason: z.optional(z.string()),
    succeeded: z.optional(count),
    failed: z.optional(count),
    active: z.optional(count),
  })
  .check(
    z.refine(
      (j) =>
        j.condition !== undefined ||
        j.succeeded !== undefined ||
        j.failed !== undefined ||
        j.active !== undefined,
      'list condition, succeeded, failed or active',
    ),
  );

/** A Deployment's status counts, one of its conditions, its revision and its rollout (issue 19 §2). */
const deploymentSpec = z
  .strictObject({
    name: objectName,
    namespace: z.optional(z.string()),
    exists: z.optional(z.boolean()),
    replicas: z.optional(count),
    readyReplicas: z.optional(count),
    updatedReplicas: z.optional(count),
    availableReplicas: z.optional(count),
    condition: z.optional(z.enum(['Available', 'Progressing', 'ReplicaFailure'])),
    status: z.optional(conditionValue),
    reason: z.optional(z.string()),
    revision: z.optional(int(z.gte(1))),
    rolloutComplete: z.optional(z.boolean()),
    rolloutStatus: z.optional(nonEmpty()),
  })
  .check(
    z.refine(
      (d) => Object.keys(d).some((k) => k !== 'name' && k !== 'namespace'),
      'list exists, replicas, readyReplicas, updatedReplicas, availableReplicas, condition, revision, rolloutComplete or rolloutStatus',
    ),
    z.refine(
      (d) => d.condition !== undefined || (d.status === undefined && d.reason === undefined),
      'status and reason belong to a condition: add condition (Available, Progressing or ReplicaFailure)',
    ),
  );

const manifestSpec = z
  .strictObject({
    kind: nonEmpty(),
    name: objectName,
    namespace: z.optional(z.string()),
    path: parsedString(parseFieldPath),
    equals: z.optional(z.unknown()),
    exists: z.optional(z.boolean()),
    oneOf: z.optional(z.array(z.unknown()).check(z.minLength(1))),
    matches: z.optional(regexText),
  })
  .check(
    z.refine(
      (m) => 'equals' in m || m.exists !== undefined || m.oneOf !== undefined || m.matches !== undefined,
      'a manifest check needs equals, exists, oneOf or matches',
    ),
  );

const SUBJECTS = ['pod', 'event', 'exec', 'env', 'file', 'service', 'job', 'deployment', 'manifest'] as const;

const check = z
  .strictObject({
    id: z.string().check(z.regex(/^[a-z0-9-]+$/, 'check ids use lowercase letters, digits and "-"')),
    title: z.optional(z.string()),
    points: z._default(z.number().check(z.gte(0), z.lte(1_000_000)), 1),
    visibility: z._default(z.enum(['visible', 'hidden', 'after_due_date']), 'visible'),
    hint: z.optional(z.string()),
    namespace: z.optional(z.string()),
    at: z.optional(duration),
    within: z.optional(window),
    throughout: z.optional(window),
    pod: z.optional(objectName),
    expect: z.optional(podExpect),
    event: z.optional(eventSpec),
    exec: z.optional(execSpec),
    env: z.optional(envSpec),
    file: z.optional(fileSpec),
    service: z.optional(serviceSpec),
    job: z.optional(jobSpec),
    deployment: z.optional(deploymentSpec),
    manifest: z.optional(manifestSpec),
  })
  .check(
    z.superRefine((c, ctx) => {
      const subjects = SUBJECTS.filter((s) => c[s] !== undefined);
      if (subjects.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            subjects.length === 0
              ? 'a check needs exactly one subject: pod, event, exec, env, file, service, job, deployment or manifest'
              : `a check has exactly one subject, found ${subjects.join(' and ')}`,
        });
        return;
      }
      const subject = subjects[0]!;
      if (subject === 'pod' && c.expect === undefined) {
        ctx.addIssue({ code: 'custom', message: 'a pod check needs expect', path: ['expect'] });
      }
      if (subject !== 'pod' && c.expect !== undefined) {
        ctx.addIssue({ code: 'custom', message: 'expect belongs to a pod check', path: ['expect'] });
      }
      const forms = (['at', 'within', 'throughout'] as const).filter((f) => c[f] !== undefined);
      if (subject === 'manifest') {
        if (forms.length > 0) {
          ctx.addIssue({
            code: 'custom',
            message: 'a manifest check is static: remove at/within/throughout',
            path: [forms[0]!],
          });
        }
        return;
      }
      if (forms.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            forms.length === 0
              ? `a ${subject} check needs exactly one of at, within, throughout`
              : `give exactly one of at, within, throughout (found ${forms.join(', ')})`,
        });
        return;
      }
      // scenario-format.md 1.4: every temporal subject takes any of the three forms. An event
      // check with `throughout` counts the events of the closed window, as `within` does.
      for (const f of ['within', 'throughout'] as const) {
        const w = c[f];
        if (!w) continue;
        const a = parseDuration(w[0]);
        const b = parseDuration(w[1]);
        if (a.ok && b.ok && a.ms > b.ms) {
          ctx.addIssue({ code: 'custom', message: `the window ends before it starts`, path: [f] });
        }
      }
    }),
  );

const image = z.strictObject({
  command: z.optional(z.array(z.string())),
  listens: z.optional(
    z.array(
      z.strictObject({
        port: int(z.gte(1), z.lte(65535)),
        http: z.optional(
          z.record(
            z.string().check(z.regex(/^\//, 'HTTP paths start with "/"')),
            int(z.gte(100), z.lte(599)),
          ),
        ),
      }),
    ),
  ),
  stopSignal: z.optional(z.enum(['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGKILL'])),
  files: z.optional(z.record(z.string().check(z.regex(/^\//, 'file paths are absolute')), z.string())),
});

const action = z
  .strictObject({
    at: duration,
    apply: z.optional(z.string()),
    exec: z.optional(
      z.strictObject({
        pod: objectName,
        namespace: z.optional(z.string()),
        container: z.optional(z.string()),
        command,
      }),
    ),
    delete: z.optional(
      z.strictObject({
        kind: z.enum(['Pod', 'Service', 'ConfigMap', 'Secret']),
        name: objectName,
        namespace: z.optional(z.string()),
        gracePeriodSeconds: z.optional(int(z.gte(0))),
        force: z.optional(z.boolean()),
      }),
    ),
    // podlab extensions (issue 19 §2): kubectl scale, kubectl set image, kubectl rollout undo.
    scale: z.optional(
      z
        .strictObject({
          deployment: z.optional(objectName),
          replicaset: z.optional(objectName),
          namespace: z.optional(z.string()),
          replicas: int(z.gte(0)),
        })
        .check(
          z.refine(
            (s) => (s.deployment === undefined) !== (s.replicaset === undefined),
            'a scale action names exactly one of deployment, replicaset',
          ),
        ),
    ),
    setImage: z.optional(
      z.strictObject({
        deployment: objectName,
        namespace: z.optional(z.string()),
        container: nonEmpty(),
        image: nonEmpty(),
      }),
    ),
    rollback: z.optional(
      z.strictObject({
        deployment: objectName,
        namespace: z.optional(z.string()),
        // kubectl rollout undo --to-revision=0 (its default) means the previous revision.
        toRevision: z.optional(int(z.gte(0))),
      }),
    ),
  })
  .check(
    z.superRefine((a, ctx) => {
      const kinds = (['apply', 'exec', 'delete', 'scale', 'setImage', 'rollback'] as const).filter(
        (k) => a[k] !== undefined,
      );
      if (kinds.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message:
            kinds.length === 0
              ? 'an action is exactly one of apply, exec, delete, scale, setImage, rollback'
              : `an action is exactly one of apply, exec, delete, scale, setImage, rollback (found ${kinds.join(' and ')})`,
        });
      }
    }),
  );

/** The scenario document schema (strict: unknown keys are errors). */
export const scenarioSchema = z.strictObject({
  apiVersion: z.literal('podlab/v1'),
  kind: z.literal('Scenario'),
  metadata: z.strictObject({
    name: rfc1123Label,
    title: nonEmpty(),
    labels: z.optional(z.record(z.string(), z.string())),
  }),
  spec: z.strictObject({
    instructions: nonEmpty(),
    submission: z._default(
      z.strictObject({
        allowedKinds: z._default(
          z
            .array(z.enum(['Pod', 'Service', 'ConfigMap', 'Secret', 'Job', 'Deployment', 'ReplicaSet']))
            .check(z.minLength(1)),
          ['Pod', 'Service'],
        ),
        maxBytes: z._default(int(z.gte(1), z.lte(262_144)), 65_536),
        required: z._default(
          z.array(
            z.strictObject({
              kind: z.enum(['Pod', 'Service', 'ConfigMap', 'Secret', 'Job', 'Deployment', 'ReplicaSet']),
              name: objectName,
              namespace: z.optional(z.string()),
            }),
          ),
          [],
        ),
      }),
      { allowedKinds: ['Pod', 'Service'], maxBytes: 65_536, required: [] },
    ),
    setup: z._default(z.array(z.string()), []),
    actions: z._default(z.array(action).check(z.maxLength(1000)), []),
    duration: duration,
    cluster: z.optional(
      z.strictObject({
        busyboxShortNameLookup: z._default(z.enum(['resolve', 'strict']), 'resolve'),
        imagePullSeconds: z.optional(duration),
      }),
    ),
    images: z.optional(z.record(nonEmpty(), image)),
    checks: z.array(check).check(z.minLength(1), z.maxLength(500)),
    policy: z.optional(
      z.strictObject({
        maxAttempts: z.optional(int(z.gte(1))),
        scorePolicy: z._default(z.enum(['best', 'latest']), 'best'),
        dueDate: z.optional(z.iso.datetime({ offset: true })),
        published: z.optional(z.boolean()),
        // podlab extension (issue 14): `hide` keeps even the hidden checks' summed score from students.
        hiddenScore: z.optional(z.enum(['show', 'hide'])),
      }),
    ),
  }),
});

/** The document after schema validation and defaulting. */
export type ScenarioDocument = z.output<typeof scenarioSchema>;
