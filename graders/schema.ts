/**
 * The scenario file (scenario-format.md, section 1) as a strict zod v4 schema, and
 * `parseScenario`, which maps every issue to its path and to a line and column of the file.
 */

import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import * as z from 'zod';
import { flowNestingOffset } from '../src/manifest/yaml.ts';
import { parseDuration } from './duration.ts';
import { parseFieldPath } from './paths.ts';

/** Largest scenario file accepted (the format has no stated cap; 1 MiB is generous). */
export const MAX_SCENARIO_BYTES = 1_048_576;

const duration = z.union([z.string(), z.number()]).superRefine((value, ctx) => {
  const parsed = parseDuration(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
});

const window = z.tuple([duration, duration]);

const count = z.union([
  z.number().int().min(0),
  z
    .strictObject({ min: z.number().int().min(0).optional(), max: z.number().int().min(0).optional() })
    .refine((c) => c.min === undefined || c.max === undefined || c.min <= c.max, 'min must not exceed max'),
]);

const rfc1123Label = z
  .string()
  .max(63)
  .regex(
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'must be a lowercase RFC 1123 label (a-z, 0-9, "-"; <= 63 characters)',
  );

const objectName = z.string().min(1).max(253);

const conditionValue = z.union([z.enum(['True', 'False', 'Unknown']), z.boolean()]);

const containerExpect = z.strictObject({
  state: z.enum(['waiting', 'running', 'terminated']).optional(),
  reason: z.string().optional(),
  exitCode: z.number().int().optional(),
  ready: z.boolean().optional(),
  started: z.boolean().optional(),
  restarts: count.optional(),
});

const podExpect = z
  .strictObject({
    exists: z.boolean().optional(),
    phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional(),
    status: z.string().optional(),
    ready: z.union([z.string().regex(/^\d+\/\d+$/, 'READY is written like "1/1"'), z.boolean()]).optional(),
    restarts: count.optional(),
    conditions: z
      .partialRecord(
        z.enum(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']),
        conditionValue,
      )
      .optional(),
    containers: z.record(z.string(), containerExpect).optional(),
  })
  .refine((e) => Object.keys(e).length > 0, 'expect must list at least one expectation');

const regexText = z.string().superRefine((value, ctx) => {
  try {
    new RegExp(value);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(err as Error).message}` });
  }
});

const eventSpec = z
  .strictObject({
    pod: objectName,
    namespace: z.string().optional(),
    container: z.string().optional(),
    type: z.enum(['Normal', 'Warning']).optional(),
    reason: z.string().min(1),
    message: z.string().optional(),
    messageRegex: regexText.optional(),
    count: count.optional(),
  })
  .refine(
    (e) => e.message === undefined || e.messageRegex === undefined,
    'give message or messageRegex, not both',
  );

const execSpec = z.strictObject({
  pod: objectName,
  namespace: z.string().optional(),
  container: z.string().optional(),
  command: z.array(z.string()).min(1),
  exitCode: z.number().int().optional(),
  stdout: z.string().optional(),
  stderr: z.string().optional(),
});

const serviceSpec = z
  .strictObject({
    name: objectName,
    namespace: z.string().optional(),
    readyEndpoints: count.optional(),
    exists: z.boolean().optional(),
  })
  .refine((s) => s.readyEndpoints !== undefined || s.exists !== undefined, 'list readyEndpoints or exists');

const manifestSpec = z
  .strictObject({
    kind: z.string().min(1),
    name: objectName,
    namespace: z.string().optional(),
    path: z.string().superRefine((value, ctx) => {
      const parsed = parseFieldPath(value);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
    }),
    equals: z.unknown().optional(),
    exists: z.boolean().optional(),
    oneOf: z.array(z.unknown()).min(1).optional(),
    matches: regexText.optional(),
  })
  .refine(
    (m) => 'equals' in m || m.exists !== undefined || m.oneOf !== undefined || m.matches !== undefined,
    'a manifest check needs equals, exists, oneOf or matches',
  );

const SUBJECTS = ['pod', 'event', 'exec', 'service', 'manifest'] as const;

const check = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9-]+$/, 'check ids use lowercase letters, digits and "-"'),
    title: z.string().optional(),
    points: z.number().min(0).max(1_000_000).default(1),
    visibility: z.enum(['visible', 'hidden', 'after_due_date']).default('visible'),
    hint: z.string().optional(),
    namespace: z.string().optional(),
    at: duration.optional(),
    within: window.optional(),
    throughout: window.optional(),
    pod: objectName.optional(),
    expect: podExpect.optional(),
    event: eventSpec.optional(),
    exec: execSpec.optional(),
    service: serviceSpec.optional(),
    manifest: manifestSpec.optional(),
  })
  .superRefine((c, ctx) => {
    const subjects = SUBJECTS.filter((s) => c[s] !== undefined);
    if (subjects.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          subjects.length === 0
            ? 'a check needs exactly one subject: pod, event, exec, service or manifest'
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
  });

const image = z.strictObject({
  command: z.array(z.string()).optional(),
  listens: z
    .array(
      z.strictObject({
        port: z.number().int().min(1).max(65535),
        http: z
          .record(z.string().regex(/^\//, 'HTTP paths start with "/"'), z.number().int().min(100).max(599))
          .optional(),
      }),
    )
    .optional(),
  stopSignal: z.enum(['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP', 'SIGUSR1', 'SIGUSR2', 'SIGKILL']).optional(),
  files: z.record(z.string().regex(/^\//, 'file paths are absolute'), z.string()).optional(),
});

const action = z
  .strictObject({
    at: duration,
    apply: z.string().optional(),
    exec: z
      .strictObject({
        pod: objectName,
        namespace: z.string().optional(),
        container: z.string().optional(),
        command: z.array(z.string()).min(1),
      })
      .optional(),
    delete: z
      .strictObject({
        kind: z.enum(['Pod', 'Service']),
        name: objectName,
        namespace: z.string().optional(),
        gracePeriodSeconds: z.number().int().min(0).optional(),
        force: z.boolean().optional(),
      })
      .optional(),
  })
  .superRefine((a, ctx) => {
    const kinds = (['apply', 'exec', 'delete'] as const).filter((k) => a[k] !== undefined);
    if (kinds.length !== 1) {
      ctx.addIssue({ code: 'custom', message: 'an action is exactly one of apply, exec, delete' });
    }
  });

/** The scenario document schema (strict: unknown keys are errors). */
export const scenarioSchema = z.strictObject({
  apiVersion: z.literal('podlab/v1'),
  kind: z.literal('Scenario'),
  metadata: z.strictObject({
    name: rfc1123Label,
    title: z.string().min(1),
    labels: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    instructions: z.string().min(1),
    submission: z
      .strictObject({
        allowedKinds: z
          .array(z.enum(['Pod', 'Service']))
          .min(1)
          .default(['Pod', 'Service']),
        maxBytes: z.number().int().min(1).max(262_144).default(65_536),
        required: z
          .array(
            z.strictObject({
              kind: z.enum(['Pod', 'Service']),
              name: objectName,
              namespace: z.string().optional(),
            }),
          )
          .default([]),
      })
      .default({ allowedKinds: ['Pod', 'Service'], maxBytes: 65_536, required: [] }),
    setup: z.array(z.string()).default([]),
    actions: z.array(action).max(1000).default([]),
    duration: duration,
    cluster: z
      .strictObject({
        busyboxShortNameLookup: z.enum(['resolve', 'strict']).default('resolve'),
        imagePullSeconds: duration.optional(),
      })
      .optional(),
    images: z.record(z.string().min(1), image).optional(),
    checks: z.array(check).min(1).max(500),
    policy: z
      .strictObject({
        maxAttempts: z.number().int().min(1).optional(),
        scorePolicy: z.enum(['best', 'latest']).default('best'),
        dueDate: z.iso.datetime({ offset: true }).optional(),
        published: z.boolean().optional(),
      })
      .optional(),
  }),
});

/** The document after schema validation and defaulting. */
export type ScenarioDocument = z.output<typeof scenarioSchema>;

/** A YAML document with a way to find where a path stands in the file. */
export interface SourceMap {
  /** 1-based line and column of the node at `path`, or of the key `key` inside it. */
  locate(path: (string | number)[], key?: string): { line: number; column: number } | undefined;
  /** Same, for the first character of the node's content (a block scalar's first content line). */
  node(path: (string | number)[]): Node | undefined;
  lineOf(offset: number): { line: number; column: number };
}

/** Deepest YAML nesting a scenario file may have (a real one needs about 8 levels). */
const MAX_YAML_NESTING = 64;

/**
 * Offset of the first compact block indicator (`- - - x`, `? ? x`, `: - x` on one line) past
 * `maxDepth` on a line, or -1.
 */
export function compactNestingOffset(text: string, maxDepth: number): number {
  const blank = (c: string | undefined) =>
    c === undefined || c === ' ' || c === '\t' || c === '\n' || c === '\r';
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    let count = 0;
    while ((text[i] === '-' || text[i] === '?' || text[i] === ':') && blank(text[i + 1])) {
      if (++count > maxDepth) return i;
      i++;
      while (text[i] === ' ' || text[i] === '\t') i++;
    }
    const nl = text.indexOf('\n', i);
    if (nl === -1) break;
    i = nl + 1;
  }
  return -1;
}

/** Parses YAML text into plain data, keeping a source map; YAML errors carry line and column. */
export function parseYamlDocument(
  text: string,
):
  | { ok: true; data: unknown; map: SourceMap }
  | { ok: false; errors: { message: string; line?: number; column?: number }[] } {
  const lineCounter = new LineCounter();
  // The yaml package recurses once per nesting level: 10^5 `[` take seconds and give
  // stack-depth-dependent (non-deterministic) errors, and thousands of compact `- - -` can
  // abort the process. A linear scan refuses such nesting before parsing.
  const deep = Math.max(
    flowNestingOffset(text, MAX_YAML_NESTING),
    compactNestingOffset(text, MAX_YAML_NESTING),
  );
  if (deep !== -1) {
    const before = text.slice(0, deep);
    const pos = { line: before.split('\n').length, col: deep - before.lastIndexOf('\n') };
    return {
      ok: false,
      errors: [
        {
          message: `YAML: the document is nested too deeply (more than ${MAX_YAML_NESTING} levels)`,
          line: pos.line,
          column: pos.col,
        },
      ],
    };
  }
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false, strict: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { message: `YAML: ${e.message.split('\n')[0]}`, line: pos.line, column: pos.col };
      }),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return { ok: false, errors: [{ message: `YAML: ${(err as Error).message}` }] };
  }
  const find = (path: (string | number)[]): Node | undefined => {
    let node: unknown = doc.contents;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
        );
        node = pair?.value;
      } else if (isSeq(node) && typeof seg === 'number') {
        node = node.items[seg];
      } else {
        return undefined;
      }
    }
    return (node ?? undefined) as Node | undefined;
  };
  const lineOf = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const map: SourceMap = {
    node: find,
    lineOf,
    locate(path, key) {
      // Walk up to the deepest existing node, so a missing field points at its parent.
      for (let n = path.length; n >= 0; n--) {
        const node = find(path.slice(0, n));
        if (!node) continue;
        if (key !== undefined && n === path.length && isMap(node)) {
          const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
          const keyNode = pair?.key as Node | undefined;
          if (keyNode?.range) return lineOf(keyNode.range[0]);
        }
        if (node.range) return lineOf(node.range[0]);
      }
      return undefined;
    },
  };
  return { ok: true, data, map };
}

/** Renders a zod/validation path as `spec.checks[2].expect.phase`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? String(seg) : `.${String(seg)}`;
  }
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

/** Turns zod issues into scenario errors with paths and source positions. */
export function issuesToErrors(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  map: SourceMap,
): { message: string; path: string; line?: number; column?: number }[] {
  const out: { message: string; path: string; line?: number; column?: number }[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const pos = map.locate(path, key);
        out.push({ message: `unknown field "${key}"`, path: formatPath([...path, key]), ...pos });
      }
      continue;
    }
    let message = issue.message;
    if (issue.code === 'invalid_type' && valueAt(data, path) === undefined) {
      message = 'required field is missing';
    } else if (issue.code === 'invalid_union') {
      message = 'invalid value: see the scenario format for the accepted forms';
    } else if (message.startsWith('Invalid input: ')) {
      message = `invalid value: ${message.slice('Invalid input: '.length)}`;
    }
    const pos = map.locate(path);
    out.push({ message, path: formatPath(path), ...pos });
  }
  return out;
}
