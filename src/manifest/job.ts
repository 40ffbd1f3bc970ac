/**
 * A batch/v1 Job on its way into the simulated API server: SetDefaults_Job
 * (k/k:pkg/apis/batch/v1/defaults.go, release-1.33) with the Pod defaults on its template
 * (SetDefaults_PodSpec through SetObjectDefaults_Job), then the registry's PrepareForCreate
 * (pkg/registry/batch/job/strategy.go generateSelector) which labels the template and selects
 * the Pods by the Job's uid.
 */
import { defaultedJson } from './defaults.ts';
import { cloneJson } from './json.ts';

type Obj = Record<string, unknown>;

/** The label keys the Job registry writes on the Pod template (batch/v1 types.go). */
export const JOB_LABELS = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
} as const;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(o: Obj, key: string): Obj {
  const v = o[key];
  if (isObj(v)) return v;
  const fresh: Obj = {};
  o[key] = fresh;
  return fresh;
}

/** SetObjectDefaults_Job on decoded JSON: a defaulted copy. */
export function defaultedJobJson(decoded: Obj): Obj {
  const job = cloneJson(decoded) as Obj;
  const spec = child(job, 'spec');
  // Both unset: a non-parallel Job, one Pod to one completion.
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  if (spec.parallelism === undefined) spec.parallelism = 1;
  if (spec.backoffLimit === undefined)
    spec.backoffLimit = spec.backoffLimitPerIndex === undefined ? 6 : 2147483647;
  const template = child(spec, 'template');
  const templateMeta = isObj(template.metadata) ? template.metadata : undefined;
  const meta = child(job, 'metadata');
  // The Job takes its template's labels when it has none of its own.
  if (
    templateMeta &&
    isObj(templateMeta.labels) &&
    (!isObj(meta.labels) || Object.keys(meta.labels).length === 0)
  )
    meta.labels = cloneJson(templateMeta.labels);
  if (spec.completionMode === undefined) spec.completionMode = 'NonIndexed';
  if (spec.suspend === undefined) spec.suspend = false;
  const policy = isObj(spec.podFailurePolicy) ? spec.podFailurePolicy : undefined;
  if (policy && Array.isArray(policy.rules)) {
    for (const rule of policy.rules) {
      if (!isObj(rule) || !Array.isArray(rule.onPodConditions)) continue;
      for (const pattern of rule.onPodConditions)
        if (isObj(pattern) && (pattern.status === undefined || pattern.status === ''))
          pattern.status = 'True';
    }
  }
  if (spec.podReplacementPolicy === undefined)
    spec.podReplacementPolicy = policy ? 'Failed' : 'TerminatingOrFailed';
  // The template's PodSpec takes the Pod defaults (restartPolicy Always among them, which
  // validation then rejects for a Job).
  const asPod = defaultedJson('Pod', {
    metadata: templateMeta ?? {},
    spec: isObj(template.spec) ? template.spec : {},
  });
  const podMeta = isObj(asPod.metadata) ? asPod.metadata : {};
  template.metadata = templateMeta ? podMeta : undefined;
  if (template.metadata === undefined) delete template.metadata;
  template.spec = asPod.spec;
  return job;
}

/**
 * generateSelector: unless `manualSelector` is true, the template gets the job-name and
 * controller-uid labels (both the `batch.kubernetes.io/` and the legacy keys; a label the user
 * set is kept, and validation rejects a wrong one), and the selector matches the uid.
 */
export function prepareJobForCreate(job: Obj, uid: string): void {
  const meta = child(job, 'metadata');
  meta.uid = uid;
  const spec = child(job, 'spec');
  if (spec.manualSelector === true) return;
  const template = child(spec, 'template');
  const labels = child(child(template, 'metadata'), 'labels');
  const name = typeof meta.name === 'string' ? meta.name : '';
  for (const key of [JOB_LABELS.legacyJobName, JOB_LABELS.jobName])
    if (!Object.hasOwn(labels, key)) labels[key] = name;
  for (const key of [JOB_LABELS.legacyControllerUid, JOB_LABELS.controllerUid])
    if (!Object.hasOwn(labels, key)) labels[key] = uid;
  const matchLabels = child(child(spec, 'selector'), 'matchLabels');
  if (!Object.hasOwn(matchLabels, JOB_LABELS.controllerUid)) matchLabels[JOB_LABELS.controllerUid] = uid;
}
