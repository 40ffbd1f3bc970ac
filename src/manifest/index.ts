/**
 * The manifest loader: one multi-document YAML text -> the v1 Pods and Services it defines,
 * defaulted and typed with source positions, or the errors `kubectl apply -f FILE` against a
 * Kubernetes 1.33 API server would print. Errors are values: `loadManifests` never throws for
 * any input (a bug of podlab throws an `InternalError`) and its time and memory are bounded by
 * the limits below.
 */
import { invalidText, serverInvalidMessage } from '../errors/field.ts';
import { internalError } from '../errors/internal.ts';
import { renderManifestError } from '../errors/render.ts';
import type { ApiObject } from '../model/k8s.ts';
import type { ManifestError, SourcePos, Warning } from '../model/source.ts';
import { objectUid } from '../sim/util.ts';
import appsSchemaJson from './apps-schema.generated.json' with { type: 'json' };
import { decodeObject, type K8sSchema, SCHEMA } from './decode.ts';
import { defaultedJson } from './defaults.ts';
import { defaultedAppsJson } from './defaults-apps.ts';
import { defaultedJobJson, prepareJobForCreate } from './job.ts';
import { cloneJson } from './json.ts';
import { validateDeployment, validateReplicaSet } from './validate/apps.ts';
import { validateConfigMap, validateSecret } from './validate/config.ts';
import { validateJob } from './validate/job.ts';
import { mergeAffinityLabelKeys } from './validate/scheduling.ts';
import { createService, freshAllocation, podWarnings, validatePod } from './validate.ts';
import { type JsonDocument, type Pos, positionFinder, readYaml } from './yaml.ts';

/** The kinds (all `apiVersion: v1`) a submission may hold. */
export type SubmissionKind = 'Pod' | 'Service' | 'ConfigMap' | 'Secret';

/** The resource (REST path segment) of each kind, as kubectl's messages name it. */
const RESOURCES: Record<LoadedKind, string> = {
  Pod: 'pods',
  Service: 'services',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  Job: 'jobs',
  Deployment: 'deployments',
  ReplicaSet: 'replicasets',
};

function isSubmissionKind(kind: string): kind is SubmissionKind {
  return kind === 'Pod' || kind === 'Service' || kind === 'ConfigMap' || kind === 'Secret';
}

/** One object that loaded: defaulted, typed, with source positions. */
export interface LoadedObject {
  /** The object after API defaulting (Pod | Service | ConfigMap | Secret | Job). */
  object: ApiObject;
  /** The defaulted object as plain JSON (for "manifest" checks by path). */
  raw: Record<string, unknown>;
  kind: LoadedKind;
  name: string;
  /** `metadata.namespace`, "default" when absent. */
  namespace: string;
  /** 0-based document index in the file. */
  document: number;
  /** Position of the document start (1-based). */
  line: number;
  column: number;
  /** Source position of a field path like `spec.containers[0].livenessProbe.exec`, or of its nearest existing parent. */
  positionOf(path: string): SourcePos;
}

/** The kinds the loader decodes: the v1 submission kinds; apps/v1 Deployment and ReplicaSet with `apps`. */
export type LoadedKind = SubmissionKind | 'Job' | 'Deployment' | 'ReplicaSet';

/** The apps/v1 schema (scripts/gen-apps-schema.ts). */
const APPS_SCHEMA: K8sSchema = appsSchemaJson as K8sSchema;

/** A document kubectl would reject, with the text it prints for it. */
export interface RejectedDocument {
  document: number;
  kind?: string;
  name?: string;
  /** `client`: kubectl rejects it before sending (YAML, apiVersion/kind, mapping); `server`: the API server does. */
  phase: 'client' | 'server';
  /** kubectl's text when this is the only error of the run. */
  text: string;
  /** kubectl's text for this error when several errors are printed together. */
  aggregateText: string;
  errors: ManifestError[];
}

/** What loading a file gives. */
export interface LoadResult {
  objects: LoadedObject[];
  /** Every error, one per cause, in the order kubectl reports them. */
  errors: ManifestError[];
  warnings: Warning[];
  /** The rejected documents, in the order kubectl reports them. */
  rejected: RejectedDocument[];
}

/** Options of `loadManifests`. */
export interface LoadOptions {
  /** The file name as the student gave it (it appears in kubectl's messages). */
  file: string;
  /** Size limit in bytes: default 65536, never more than 262144. */
  maxBytes?: number;
  /** `apply` (default) or `create`: the kubectl command being simulated. */
  operation?: 'create' | 'apply';
  /**
   * `kubectl apply --dry-run=server`: nothing is kept, so Services of the file do not conflict
   * with each other, and the allocators skip the checks a dry run skips (node port range,
   * cluster IPs already in use). Default false: a real apply into a fresh cluster.
   */
  dryRun?: boolean;
  /**
   * Accept apps/v1 Deployments and ReplicaSets (decoded, defaulted and validated as the API
   * server does; the simulator runs their controllers). Default true; false makes them a real
   * kind that podlab does not simulate.
   */
  apps?: boolean;
}

/** Default size limit of one manifest file. */
export const DEFAULT_MAX_BYTES = 65536;
/** Hard cap of the size limit, whatever `maxBytes` says. */
export const HARD_MAX_BYTES = 262144;
/** Other limits: documents per file, YAML aliases per file, nesting depth, scalar length. */
export const LIMITS = {
  maxDocuments: 50,
  maxAliases: 100,
  maxDepth: 64,
  maxScalarLength: 65536,
  maxNodes: 100000,
};

const STOP_VALIDATE = 'if you choose to ignore these errors, turn validation off with --validate=false';

/** UTF-8 length of `text`, and the index of the first character past `limit` bytes (-1 if none). */
function utf8Length(text: string, limit: number): { bytes: number; overAt: number } {
  let bytes = 0;
  let overAt = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
    if (overAt === -1 && bytes > limit) overAt = i;
  }
  return { bytes, overAt };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Go's %q for the short strings kubectl quotes. */
function q(s: string): string {
  return JSON.stringify(s);
}

interface Unit {
  document: number;
  value: unknown;
  start: Pos;
  /** Path prefix of this object inside its document (`items[2].` for a List item). */
  prefix: string;
  /** The document: its position table is built on the first `positionOf` call. */
  doc: JsonDocument;
}

function makePositionOf(unit: Unit, file: string): (path: string) => SourcePos {
  return (path: string): SourcePos => {
    // Map keys in field paths (`resources.limits[cpu]`) are `.cpu` in the position table.
    let p = unit.prefix + path.replace(/\[([^\]0-9][^\]]*)\]/g, '.$1');
    for (;;) {
      const pos = unit.doc.positions.get(p);
      if (pos) return { file, line: pos.line, column: pos.column };
      if (p === '' || p === unit.prefix.replace(/\.$/, '')) break;
      const dot = p.lastIndexOf('.');
      const bracket = p.lastIndexOf('[');
      const cut = Math.max(dot, bracket);
      if (cut <= 0) p = unit.prefix.replace(/\.$/, '');
      else p = p.slice(0, cut);
    }
    return { file, line: unit.start.line, column: unit.start.column };
  };
}

/**
 * Loads every document of `text` (a file named `options.file`) the way `kubectl apply -f FILE`
 * would send it to a 1.33 API server. Never throws for bad input: a failure of the loader
 * itself throws an `InternalError` (stage `loader`).
 */
export function loadManifests(text: string, options: LoadOptions): LoadResult {
  try {
    return load(text, options);
  } catch (err) {
    // Every problem of the input is a value above: what escapes is a bug of podlab, never the
    // student's mistake (it must not read as "your manifest is invalid").
    throw internalError('loader', err);
  }
}

function load(text: string, options: LoadOptions): LoadResult {
  const file = options.file;
  const operation = options.operation ?? 'apply';
  // Cluster IPs and node ports the Services created so far hold (registry allocators).
  const allocation = freshAllocation();
  const dryRun = options.dryRun ?? false;
  const maxBytes = Math.max(0, Math.min(options.maxBytes ?? DEFAULT_MAX_BYTES, HARD_MAX_BYTES));
  const clientRejected: RejectedDocument[] = [];
  const serverRejected: RejectedDocument[] = [];
  const objects: LoadedObject[] = [];
  const warnings: Warning[] = [];

  const clientError = (document: number, message: string, pos: Pos, kind?: string, name?: string): void => {
    const error: ManifestError = { message: `error: ${message}`, file, line: pos.line, column: pos.column };
    clientRejected.push({
      document,
      phase: 'client',
      text: error.message,
      aggregateText: message,
      errors: [error],
      kind,
      name,
    });
  };

  const size = utf8Length(text, maxBytes);
  if (size.bytes > maxBytes) {
    const at = positionFinder(text)(size.overAt);
    clientError(0, `${file} is too large: ${size.bytes} bytes (podlab reads at most ${maxBytes} bytes)`, at);
    return finish();
  }

  const yaml = readYaml(text, LIMITS);
  const units: Unit[] = [];
  for (const doc of yaml.documents) expand(doc, units);
  let halted = false;
  for (const unit of units) {
    if (!processUnit(unit)) {
      halted = true;
      break;
    }
  }
  if (yaml.problem && !halted) {
    const p = yaml.problem;
    const message =
      p.kind === 'syntax'
        ? `error parsing ${file}: error converting YAML to JSON: yaml: line ${p.pos.line}: ${p.message}`
        : `error parsing ${file}: ${p.message}`;
    clientError(p.document, message, p.pos);
  }
  return finish();

  /** List documents (`kind: List`) stand for their items, as kubectl flattens them. */
  function expand(doc: JsonDocument, out: Unit[]): void {
    const v = doc.value;
    if (isObject(v) && v.kind === 'List' && v.apiVersion === 'v1' && Array.isArray(v.items)) {
      v.items.forEach((item, i) => {
        const prefix = `items[${i}].`;
        const start = doc.positions.get(`items[${i}]`) ?? doc.start;
        out.push({ document: doc.index, value: item, start, prefix, doc });
      });
    } else {
      out.push({ document: doc.index, value: v, start: doc.start, prefix: '', doc });
    }
    for (const d of doc.duplicates) {
      warnings.push({
        message: `${file}:${d.pos.line}:${d.pos.column}: the key ${q(d.path)} is set twice in one mapping; kubectl keeps only the last value, without an error (k/k#125885)`,
        field: d.path,
        line: d.pos.line,
      });
    }
  }

  /** Returns false when kubectl would stop reading the file here. */
  function processUnit(unit: Unit): boolean {
    const positionOf = makePositionOf(unit, file);
    const posOf = (path: string): Pos => positionOf(path);
    const v = unit.value;
    // kubectl/pkg/validation (getObjectKind): checked before anything is sent.
    const kindErrors: string[] = [];
    let apiVersion = '';
    let kind = '';
    if (!isObject(v)) {
      kindErrors.push('invalid object to validate');
    } else {
      if (v.apiVersion === undefined || v.apiVersion === null) kindErrors.push('apiVersion not set');
      else if (typeof v.apiVersion !== 'string') kindErrors.push("apiVersion isn't string type");
      else if (v.apiVersion.split('/').length > 2)
        kindErrors.push(`unexpected GroupVersion string: ${v.apiVersion}`);
      else apiVersion = v.apiVersion;
      if (v.kind === undefined || v.kind === null) kindErrors.push('kind not set');
      else if (typeof v.kind !== 'string') kindErrors.push("kind isn't string type");
      else kind = v.kind;
    }
    if (kindErrors.length > 0) {
      const agg = kindErrors.length === 1 ? kindErrors[0]! : `[${kindErrors.join(', ')}]`;
      const path = isObject(v) ? (v.apiVersion === undefined ? '' : 'apiVersion') : '';
      clientError(
        unit.document,
        `error validating ${q(file)}: error validating data: ${agg}; ${STOP_VALIDATE}`,
        posOf(path),
      );
      return false;
    }
    const obj = v as Record<string, unknown>;
    const meta = isObject(obj.metadata) ? obj.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : '';
    const fileNamespace = typeof meta.namespace === 'string' ? meta.namespace : '';
    const isApps =
      options.apps !== false && apiVersion === 'apps/v1' && (kind === 'Deployment' || kind === 'ReplicaSet');
    const isJob = apiVersion === 'batch/v1' && kind === 'Job';
    if (!isApps && !isJob && (apiVersion !== 'v1' || !isSubmissionKind(kind))) {
      const served = Object.entries(SCHEMA.kinds).some(
        ([gv, kinds]) => gv === apiVersion && !/alpha/.test(gv) && kinds.includes(kind),
      );
      if (served) {
        clientError(
          unit.document,
          `podlab simulates Pods, Services, ConfigMaps and Secrets (v1), Jobs (batch/v1), Deployments and ReplicaSets (apps/v1); ${kind} ${q(name)} (apiVersion: ${apiVersion}) from ${q(file)} is a real Kubernetes kind that podlab does not simulate`,
          posOf('kind'),
          kind,
          name,
        );
      } else {
        const version = apiVersion;
        clientError(
          unit.document,
          `resource mapping not found for name: ${q(name)} namespace: ${q(fileNamespace)} from ${q(file)}: no matches for kind ${q(kind)} in version ${q(version)}\nensure CRDs are installed first`,
          posOf('kind'),
          kind,
          name,
        );
      }
      return true;
    }
    const resource = RESOURCES[kind as LoadedKind];
    const group = isApps ? 'apps/v1' : isJob ? 'batch/v1' : '/v1';
    const serverError = (
      message: string,
      causes: { path: string; message: string; field?: string }[],
    ): void => {
      const errors = causes.map((c) => {
        const pos = posOf(c.path);
        const e: ManifestError = { message: c.message, file, line: pos.line, column: pos.column };
        if (c.field !== undefined) e.field = c.field;
        return e;
      });
      serverRejected.push({
        document: unit.document,
        phase: 'server',
        kind,
        name,
        text: message,
        aggregateText: message.replace(/^error: /, ''),
        errors,
      });
    };
    // kubectl apply reads the live object first (apply.go applyOneObject).
    if (operation === 'apply' && name === '') {
      const generateName = typeof meta.generateName === 'string' ? meta.generateName : '';
      const message =
        generateName !== ''
          ? `error: from ${generateName}: cannot use generate name with apply`
          : `error: error when retrieving current configuration of:\nResource: "${group}, Resource=${resource}", GroupVersionKind: "${group}, Kind=${kind}"\nName: "", Namespace: ${q(fileNamespace || 'default')}\nfrom server for: ${q(file)}: resource name may not be empty`;
      serverError(message, [
        { path: generateName !== '' ? 'metadata.generateName' : 'metadata', message, field: 'metadata.name' },
      ]);
      return true;
    }
    const prefix = `Error from server (BadRequest): error when creating ${q(file)}: ${kind} in version "v1" cannot be handled as a ${kind}: `;
    const decoded = decodeObject(obj, kind, isApps ? APPS_SCHEMA : SCHEMA);
    if (decoded.typeError) {
      const message = prefix + decoded.typeError.message;
      serverError(message, [{ path: decoded.typeError.path, message, field: decoded.typeError.path }]);
      return true;
    }
    if (decoded.unknownFields.length > 0) {
      const list = decoded.unknownFields.map((f) => `unknown field ${q(f)}`);
      const message = `${prefix}strict decoding error: ${list.join(', ')}`;
      serverError(
        message,
        decoded.unknownFields.map((f, i) => ({
          path: f,
          message: `${prefix}strict decoding error: ${list[i]}`,
          field: f,
        })),
      );
      return true;
    }
    const decodedValue = decoded.value;
    const metadata = isObject(decodedValue.metadata) ? decodedValue.metadata : {};
    decodedValue.metadata = metadata;
    if (metadata.namespace === undefined || metadata.namespace === '') metadata.namespace = 'default';
    let objectName = name;
    if (objectName === '' && typeof metadata.generateName === 'string' && metadata.generateName !== '') {
      // `create` with generateName: the registry names the object before validation
      // (SimpleNameGenerator: base cut to 58 characters + 5 random characters; here derived
      // from the file and document, so the same input gives the same name).
      objectName = generatedName(metadata.generateName, `${file}#${unit.document}#${unit.prefix}`);
      metadata.name = objectName;
    }
    const raw = isApps
      ? defaultedAppsJson(kind as 'Deployment' | 'ReplicaSet', decodedValue)
      : isJob
        ? defaultedJobJson(decodedValue)
        : defaultedJson(kind as 'Pod' | 'Service', decodedValue);
    // The Pod registry merges matchLabelKeys into pod affinity selectors before validation.
    if (kind === 'Pod') mergeAffinityLabelKeys(raw);
    // The Job registry assigns the uid and generates the selector before validation.
    if (isJob) prepareJobForCreate(raw, objectUid('Job', metadata.namespace as string, objectName, 0));
    const validation =
      kind === 'Pod'
        ? validatePod(raw, operation)
        : kind === 'Service'
          ? createService(raw, { dryRun, allocation })
          : kind === 'ConfigMap'
            ? validateConfigMap(raw)
            : kind === 'Secret'
              ? validateSecret(raw)
              : isJob
                ? validateJob(raw)
                : kind === 'Deployment'
                  ? validateDeployment(raw)
                  : validateReplicaSet(raw);
    warnings.push(
      ...validation.warnings.map((w) => {
        const pos = posOf(w.field ?? '');
        return { ...w, line: pos.line };
      }),
    );
    if (validation.errors.length > 0) {
      const single = invalidText(kind, objectName, validation.errors);
      const aggregate = `Error from server (Invalid): error when creating ${q(file)}: ${serverInvalidMessage(kind, objectName, validation.errors)}`;
      const errors = validation.errors.map((e) => {
        const pos = posOf(e.field);
        return {
          message: invalidText(kind, objectName, [e]),
          field: e.field,
          file,
          line: pos.line,
          column: pos.column,
        } satisfies ManifestError;
      });
      serverRejected.push({
        document: unit.document,
        phase: 'server',
        kind,
        name: objectName,
        text: single,
        aggregateText: aggregate,
        errors,
      });
      return true;
    }
    if (kind === 'Pod') {
      // Returned by the API server with the created object; kubectl prints `Warning: <text>`.
      for (const w of podWarnings(raw)) warnings.push({ ...w, line: posOf(w.field ?? '').line });
    }
    const object = cloneJson(raw) as unknown as ApiObject;
    objects.push({
      object,
      raw,
      kind: kind as LoadedKind,
      name: objectName,
      namespace: metadata.namespace as string,
      document: unit.document,
      line: unit.start.line,
      column: unit.start.column,
      positionOf,
    });
    return true;
  }

  function finish(): LoadResult {
    const rejected = [...clientRejected, ...serverRejected];
    if (rejected.length === 0 && objects.length === 0) {
      const message = `error: no objects passed to ${operation}`;
      const error: ManifestError = { message, file, line: 1, column: 1 };
      rejected.push({
        document: 0,
        phase: 'client',
        text: message,
        aggregateText: message.replace(/^error: /, ''),
        errors: [error],
      });
    }
    return { objects, errors: rejected.flatMap((r) => r.errors), warnings, rejected };
  }
}

/** The group suffix kubectl prints for kinds outside the core group: `deployment.apps/NAME`, `job.batch/NAME`. */
const GROUP_SUFFIX: Readonly<Record<string, string>> = {
  Deployment: '.apps',
  ReplicaSet: '.apps',
  Job: '.batch',
};

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** generateName + 5 characters of utilrand's alphabet, derived from `seed` (FNV-1a). */
function generatedName(base: string, seed: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    suffix += NAME_ALPHABET[h % NAME_ALPHABET.length];
    h = Math.floor(h / NAME_ALPHABET.length) ^ Math.imul(h, 31);
    h >>>= 0;
  }
  return `${base.length > 58 ? base.slice(0, 58) : base}${suffix}`;
}

/** kubectl's error text, then `  --> file:line:col`, the source line and a caret. */
export function renderError(error: ManifestError, text: string): string {
  return renderManifestError(error, text);
}

/**
 * What `kubectl apply -f FILE` (or `--dry-run=server`) prints for a load result: stdout lines
 * `pod/NAME created` and kubectl's stderr text (one error as such, several as one line each).
 */
export function kubectlOutput(
  result: LoadResult,
  options: { dryRun?: boolean } = {},
): { stdout: string; stderr: string } {
  const suffix = options.dryRun ? ' (server dry run)' : '';
  const stdout = result.objects
    .map((o) => `${o.kind.toLowerCase()}${GROUP_SUFFIX[o.kind] ?? ''}/${o.name} created${suffix}\n`)
    .join('');
  const r = result.rejected;
  let stderr = '';
  if (r.length === 1) stderr = `${r[0]!.text}\n`;
  else if (r.length > 1) stderr = r.map((x) => `${x.aggregateText}\n`).join('');
  return { stdout, stderr };
}
