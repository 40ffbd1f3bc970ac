/**
 * `parseScenario`: scenario YAML -> a validated, compiled `Scenario` and its content version.
 * Embedded manifests (setup, actions' apply) are loaded at scenario-load time: an invalid one
 * is a scenario error, reported at its line in the scenario file.
 */
import type { ApiObject } from '../src/model/k8s.ts';
import type { Action, ImageDefinition } from '../src/model/trace.ts';
import { loadManifests } from './adapters.ts';
import { admissionWarnings, type ScenarioWarning } from './admission.ts';
import { canonicalJson } from './canonical.ts';
import { parseDuration } from './duration.ts';
import {
  issuesToErrors,
  MAX_SCENARIO_BYTES,
  parseYamlDocument,
  type ScenarioDocument,
  type SourceMap,
  scenarioSchema,
} from './schema.ts';
import { digest, utf8 } from './sha256.ts';
import type { Check, CheckSubject, Scenario, ScenarioError, When } from './types.ts';

/** A scale, setImage or rollback action as the scenario format and actions files write it. */
export interface WorkloadActionDoc {
  scale?: { deployment?: string; replicaset?: string; namespace?: string; replicas: number };
  setImage?: { deployment: string; namespace?: string; container: string; image: string };
  rollback?: { deployment: string; namespace?: string; toRevision?: number };
}

/** The simulator's action for a validated scale, setImage or rollback entry (exactly one is set). */
export function workloadAction(a: WorkloadActionDoc, at: number): Action {
  if (a.scale)
    return {
      at,
      kind: 'scale',
      objectKind: a.scale.deployment !== undefined ? 'Deployment' : 'ReplicaSet',
      name: (a.scale.deployment ?? a.scale.replicaset)!,
      namespace: a.scale.namespace ?? 'default',
      replicas: a.scale.replicas,
    };
  if (a.setImage)
    return {
      at,
      kind: 'setImage',
      name: a.setImage.deployment,
      namespace: a.setImage.namespace ?? 'default',
      container: a.setImage.container,
      image: a.setImage.image,
    };
  const r = a.rollback!;
  return {
    at,
    kind: 'rollback',
    name: r.deployment,
    namespace: r.namespace ?? 'default',
    ...(r.toRevision !== undefined ? { toRevision: r.toRevision } : {}),
  };
}

/** Result of `parseScenario`. */
export type ParseScenarioResult =
  | { ok: true; scenario: Scenario; version: string; warnings: ScenarioWarning[] }
  | { ok: false; errors: ScenarioError[] };

function ms(value: string | number): number {
  const parsed = parseDuration(value);
  // The schema has already validated every duration; 0 is unreachable.
  return parsed.ok ? parsed.ms : 0;
}

/**
 * Parses and validates a scenario file. Never throws for a bad file (a bug of podlab throws an
 * `InternalError`): every problem is an error with its path
 * in the document (`spec.checks[2].expect.phase`) and, where known, its line and column.
 * `version` is `sha256:<hex>` of the canonical JSON of the document (comments and layout do not
 * change it).
 */
export function parseScenario(text: string, file: string): ParseScenarioResult {
  if (utf8(text).length > MAX_SCENARIO_BYTES) {
    return {
      ok: false,
      errors: [{ message: `scenario file is larger than ${MAX_SCENARIO_BYTES} bytes`, path: '' }],
    };
  }
  const yaml = parseYamlDocument(text);
  if (!yaml.ok) return { ok: false, errors: yaml.errors.map((e) => ({ ...e, path: '' })) };
  const { data, map } = yaml;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      ok: false,
      errors: [
        {
          message: 'a scenario is a YAML mapping (apiVersion: podlab/v1, kind: Scenario, …)',
          path: '',
          line: 1,
          column: 1,
        },
      ],
    };
  }
  const parsed = scenarioSchema.safeParse(data);
  if (!parsed.success) return { ok: false, errors: issuesToErrors(parsed.error.issues, data, map) };
  const doc = parsed.data;
  const errors: ScenarioError[] = [];

  const setup: ApiObject[] = [];
  doc.spec.setup.forEach((text, i) => {
    setup.push(...loadEmbedded(text, ['spec', 'setup', i], file, map, errors));
  });

  const actions: Action[] = [];
  const durationMs = ms(doc.spec.duration);
  doc.spec.actions.forEach((a, i) => {
    const at = ms(a.at);
    if (at > durationMs) {
      errors.push({
        message: `action at ${a.at} is after the end of the run (${doc.spec.duration})`,
        path: `spec.actions[${i}].at`,
        ...map.locate(['spec', 'actions', i, 'at']),
      });
    }
    if (a.apply !== undefined) {
      const objects = loadEmbedded(a.apply, ['spec', 'actions', i, 'apply'], file, map, errors);
      actions.push({ at, kind: 'apply', objects });
    } else if (a.exec) {
      actions.push({
        at,
        kind: 'exec',
        pod: a.exec.pod,
        namespace: a.exec.namespace ?? 'default',
        ...(a.exec.container !== undefined ? { container: a.exec.container } : {}),
        command: a.exec.command,
      });
    } else if (a.delete) {
      actions.push({
        at,
        kind: 'delete',
        objectKind: a.delete.kind,
        name: a.delete.name,
        namespace: a.delete.namespace ?? 'default',
        ...(a.delete.gracePeriodSeconds !== undefined
          ? { gracePeriodSeconds: a.delete.gracePeriodSeconds }
          : {}),
        ...(a.delete.force !== undefined ? { force: a.delete.force } : {}),
      });
    } else {
      actions.push(workloadAction(a, at));
    }
  });

  const checks: Check[] = [];
  const seen = new Map<string, number>();
  doc.spec.checks.forEach((c, i) => {
    const where = ['spec', 'checks', i] as (string | number)[];
    const prev = seen.get(c.id);
    if (prev !== undefined) {
      errors.push({
        message: `duplicate check id "${c.id}" (also spec.checks[${prev}])`,
        path: `spec.checks[${i}].id`,
        ...map.locate([...where, 'id']),
      });
    }
    seen.set(c.id, i);
    const compiled = compileCheck(c, doc.spec.checks[i]!.namespace ?? 'default');
    const when = compiled.when;
    if (when) {
      const last = when.kind === 'at' ? when.at : when.to;
      if (last > durationMs) {
        const key = when.kind === 'at' ? 'at' : when.kind;
        errors.push({
          message: `check time ${key === 'at' ? c.at : JSON.stringify(c[key])} is after the end of the run (${doc.spec.duration})`,
          path: `spec.checks[${i}].${key}`,
          ...map.locate([...where, key]),
        });
      }
    }
    checks.push(compiled);
  });

  const allowedKinds = doc.spec.submission.allowedKinds;
  doc.spec.submission.required.forEach((r, i) => {
    if (!allowedKinds.includes(r.kind)) {
      errors.push({
        message: `required kind ${r.kind} is not in allowedKinds`,
        path: `spec.submission.required[${i}].kind`,
        ...map.locate(['spec', 'submission', 'required', i, 'kind']),
      });
    }
  });

  if (errors.length > 0) return { ok: false, errors };

  const images: Record<string, ImageDefinition> = {};
  for (const [ref, img] of Object.entries(doc.spec.images ?? {})) {
    images[ref] = {
      ...(img.command ? { command: img.command } : {}),
      ...(img.listens
        ? { listens: img.listens.map((l) => ({ port: l.port, ...(l.http ? { http: l.http } : {}) })) }
        : {}),
      ...(img.stopSignal ? { stopSignal: img.stopSignal } : {}),
      ...(img.files ? { files: img.files } : {}),
    };
  }

  const scenario: Scenario = {
    name: doc.metadata.name,
    title: doc.metadata.title,
    labels: doc.metadata.labels ?? {},
    instructions: doc.spec.instructions,
    submission: {
      allowedKinds,
      maxBytes: doc.spec.submission.maxBytes,
      required: doc.spec.submission.required.map((r) => ({
        kind: r.kind,
        name: r.name,
        namespace: r.namespace ?? 'default',
      })),
    },
    setup,
    actions,
    durationMs,
    cluster: {
      busyboxShortNameLookup: doc.spec.cluster?.busyboxShortNameLookup ?? 'resolve',
      imagePullMs:
        doc.spec.cluster?.imagePullSeconds !== undefined ? ms(doc.spec.cluster.imagePullSeconds) : 0,
    },
    images,
    checks,
    policy: {
      scorePolicy: doc.spec.policy?.scorePolicy ?? 'best',
      ...(doc.spec.policy?.maxAttempts !== undefined ? { maxAttempts: doc.spec.policy.maxAttempts } : {}),
      ...(doc.spec.policy?.dueDate !== undefined ? { dueDate: doc.spec.policy.dueDate } : {}),
      ...(doc.spec.policy?.published !== undefined ? { published: doc.spec.policy.published } : {}),
      ...(doc.spec.policy?.hiddenScore !== undefined ? { hiddenScore: doc.spec.policy.hiddenScore } : {}),
    },
    source: data as Record<string, unknown>,
  };
  return { ok: true, scenario, version: digest(canonicalJson(data)), warnings: admissionWarnings(scenario) };
}

/** Loads an embedded multi-document manifest; errors are placed at their line in the scenario file. */
function loadEmbedded(
  text: string,
  path: (string | number)[],
  file: string,
  map: SourceMap,
  errors: ScenarioError[],
): ApiObject[] {
  const pathText = path
    .map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`))
    .join('')
    .slice(1);
  // loadManifests throws only for a bug of podlab (an InternalError): never the file's fault.
  const loaded = loadManifests(text, { file: `${file} (${pathText})`, maxBytes: 262_144 });
  const node = map.node(path);
  const start = node?.range ? map.lineOf(node.range[0]) : undefined;
  // A block scalar (`|`) starts on the indicator's line; its first content line is the next one.
  const block =
    node !== undefined && 'type' in node && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
  for (const e of loaded.errors) {
    const line = start ? (block && e.line !== undefined ? start.line + e.line : start.line) : e.line;
    errors.push({
      message: e.message,
      path: e.field ? `${pathText}: ${e.field}` : pathText,
      ...(line !== undefined ? { line } : {}),
      ...(block && e.column !== undefined
        ? { column: e.column + (start ? start.column : 0) }
        : start
          ? { column: start.column }
          : {}),
    });
  }
  if (loaded.errors.length > 0) return [];
  if (loaded.objects.length === 0) {
    errors.push({ message: 'the manifest holds no object', path: pathText, ...map.locate(path) });
  }
  return loaded.objects.map((o) => o.object);
}

function compileCheck(c: ScenarioDocument['spec']['checks'][number], namespace: string): Check {
  let when: When | undefined;
  if (c.at !== undefined) when = { kind: 'at', at: ms(c.at) };
  else if (c.within) when = { kind: 'within', from: ms(c.within[0]), to: ms(c.within[1]) };
  else if (c.throughout) when = { kind: 'throughout', from: ms(c.throughout[0]), to: ms(c.throughout[1]) };

  let subject: CheckSubject;
  if (c.pod !== undefined && c.expect) {
    const e = c.expect;
    subject = {
      kind: 'pod',
      pod: c.pod,
      namespace,
      expect: {
        ...(e.exists !== undefined ? { exists: e.exists } : {}),
        ...(e.phase !== undefined ? { phase: e.phase } : {}),
        ...(e.status !== undefined ? { status: e.status } : {}),
        ...(e.ready !== undefined ? { ready: e.ready } : {}),
        ...(e.restarts !== undefined ? { restarts: e.restarts } : {}),
        ...(e.conditions
          ? {
              conditions: Object.fromEntries(
                Object.entries(e.conditions).map(([k, v]) => [
                  k,
                  v === true ? 'True' : v === false ? 'False' : v,
                ]),
              ) as Record<string, 'True' | 'False' | 'Unknown'>,
            }
          : {}),
        ...(e.containers ? { containers: e.containers } : {}),
      },
    };
  } else if (c.event) {
    const ev = c.event;
    subject = {
      kind: 'event',
      pod: ev.pod,
      namespace: ev.namespace ?? namespace,
      reason: ev.reason,
      ...(ev.container !== undefined ? { container: ev.container } : {}),
      ...(ev.type !== undefined ? { type: ev.type } : {}),
      ...(ev.message !== undefined ? { message: ev.message } : {}),
      ...(ev.messageRegex !== undefined ? { messageRegex: ev.messageRegex } : {}),
      ...(ev.count !== undefined ? { count: ev.count } : {}),
    };
  } else if (c.exec) {
    const ex = c.exec;
    subject = {
      kind: 'exec',
      pod: ex.pod,
      namespace: ex.namespace ?? namespace,
      command: ex.command,
      ...(ex.container !== undefined ? { container: ex.container } : {}),
      ...(ex.exitCode !== undefined ? { exitCode: ex.exitCode } : {}),
      ...(ex.stdout !== undefined ? { stdout: ex.stdout } : {}),
      ...(ex.stderr !== undefined ? { stderr: ex.stderr } : {}),
    };
  } else if (c.env) {
    const e = c.env;
    subject = {
      kind: 'env',
      pod: e.pod,
      namespace: e.namespace ?? namespace,
      name: e.name,
      ...(e.container !== undefined ? { container: e.container } : {}),
      ...(e.value !== undefined ? { value: e.value } : {}),
      ...(e.exists !== undefined ? { exists: e.exists } : {}),
    };
  } else if (c.file) {
    const f = c.file;
    subject = {
      kind: 'file',
      pod: f.pod,
      namespace: f.namespace ?? namespace,
      path: f.path,
      ...(f.container !== undefined ? { container: f.container } : {}),
      ...(f.content !== undefined ? { content: f.content } : {}),
      ...(f.contains !== undefined ? { contains: f.contains } : {}),
      ...(f.exists !== undefined ? { exists: f.exists } : {}),
    };
  } else if (c.service) {
    const s = c.service;
    subject = {
      kind: 'service',
      name: s.name,
      namespace: s.namespace ?? namespace,
      ...(s.readyEndpoints !== undefined ? { readyEndpoints: s.readyEndpoints } : {}),
      ...(s.exists !== undefined ? { exists: s.exists } : {}),
    };
  } else if (c.job) {
    const j = c.job;
    subject = {
      kind: 'job',
      name: j.name,
      namespace: j.namespace ?? namespace,
      ...(j.condition !== undefined ? { condition: j.condition } : {}),
      ...(j.reason !== undefined ? { reason: j.reason } : {}),
      ...(j.succeeded !== undefined ? { succeeded: j.succeeded } : {}),
      ...(j.failed !== undefined ? { failed: j.failed } : {}),
      ...(j.active !== undefined ? { active: j.active } : {}),
    };
  } else if (c.deployment) {
    const d = c.deployment;
    const { name: _name, namespace: ns, status, ...rest } = d;
    subject = {
      kind: 'deployment',
      name: d.name,
      namespace: ns ?? namespace,
      ...rest,
      ...(status !== undefined
        ? { status: status === true ? 'True' : status === false ? 'False' : status }
        : {}),
    };
  } else {
    const m = c.manifest!;
    subject = {
      kind: 'manifest',
      objectKind: m.kind,
      name: m.name,
      namespace: m.namespace ?? namespace,
      path: m.path,
      hasEquals: 'equals' in m,
      ...('equals' in m ? { equals: m.equals } : {}),
      ...(m.exists !== undefined ? { exists: m.exists } : {}),
      ...(m.oneOf !== undefined ? { oneOf: m.oneOf } : {}),
      ...(m.matches !== undefined ? { matches: m.matches } : {}),
    };
  }
  return {
    id: c.id,
    ...(c.title !== undefined ? { title: c.title } : {}),
    points: c.points,
    visibility: c.visibility,
    ...(c.hint !== undefined ? { hint: c.hint } : {}),
    ...(when ? { when } : {}),
    subject,
  };
}
