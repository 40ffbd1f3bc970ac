/**
 * API validation of a defaulted batch/v1 Job, in the order and with the words of
 * k/k:pkg/apis/batch/validation/validation.go (release-1.33): ValidateJob = ValidateObjectMeta
 * (a DNS subdomain name, as for ReplicationControllers) + validateGeneratedSelector +
 * ValidateJobSpec (validateJobSpec, then the selector and its match with the template labels).
 * Indexed-only fields (backoffLimitPerIndex, maxFailedIndexes, successPolicy) are checked for
 * the rules that reject them on a NonIndexed Job.
 */
import { duplicate, type FieldError, invalid, notSupported, required } from '../../errors/field.ts';
import { JOB_LABELS } from '../job.ts';
import { validatePodTemplateSpec } from '../validate.ts';
import {
  goStringMap,
  isDNS1123Subdomain,
  isQualifiedName,
  list,
  NEGATIVE,
  type Obj,
  obj,
  str,
  type ValidationResult,
  validateLabelSelector,
  validateObjectMeta,
} from './common.ts';

/** Go's `%#v` of a []int32. */
function goInt32Slice(values: number[]): { goSyntax: string } {
  return { goSyntax: `[]int32{${values.join(', ')}}` };
}

function isInt(v: unknown): v is number {
  return typeof v === 'number';
}

function nonNegative(spec: Obj, key: string): FieldError[] {
  const v = spec[key];
  return isInt(v) && v < 0 ? [invalid(`spec.${key}`, v, NEGATIVE)] : [];
}

/** A LabelSelector's matchLabels and matchExpressions against a label set (LabelSelectorAsSelector). */
export function selectorMatches(selector: Obj | undefined, labels: Record<string, string>): boolean {
  if (!selector) return false;
  const matchLabels = obj(selector.matchLabels) ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== str(v)) return false;
  for (const req of list(selector.matchExpressions)) {
    const key = str(req.key);
    const values = Array.isArray(req.values) ? req.values.map(str) : [];
    const has = Object.hasOwn(labels, key);
    const op = str(req.operator);
    if (op === 'In' && !(has && values.includes(labels[key]!))) return false;
    if (op === 'NotIn' && has && values.includes(labels[key]!)) return false;
    if (op === 'Exists' && !has) return false;
    if (op === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** ValidateHasLabel: the template carries `key` with the generated value. */
function hasLabel(labels: Obj | undefined, key: string, expected: string): FieldError[] {
  const field = `spec.template.metadata.labels[${key}]`;
  if (!labels || !Object.hasOwn(labels, key)) return [required(field, expected)];
  if (str(labels[key]) !== expected) return [invalid(field, goStringMap(labels), expected)];
  return [];
}

/** validateGeneratedSelector (RequirePrefixedLabels on create): the generated labels are intact. */
function validateGeneratedSelector(job: Obj, spec: Obj): FieldError[] {
  if (spec.manualSelector === true || !obj(spec.selector)) return [];
  const meta = obj(job.metadata) ?? {};
  const uid = str(meta.uid);
  const name = str(meta.name);
  const out: FieldError[] = [];
  if (uid === '') out.push(required('metadata.uid'));
  const labels = obj(obj(obj(spec.template)?.metadata)?.labels);
  out.push(...hasLabel(labels, JOB_LABELS.legacyControllerUid, uid));
  out.push(...hasLabel(labels, JOB_LABELS.legacyJobName, name));
  out.push(...hasLabel(labels, JOB_LABELS.controllerUid, uid));
  out.push(...hasLabel(labels, JOB_LABELS.jobName, name));
  const expected = {
    [JOB_LABELS.legacyControllerUid]: uid,
    [JOB_LABELS.legacyJobName]: name,
    [JOB_LABELS.controllerUid]: uid,
    [JOB_LABELS.jobName]: name,
  };
  if (!selectorMatches(obj(spec.selector), expected))
    out.push(invalid('spec.selector', { goSyntax: 'selector' }, '`selector` not auto-generated'));
  return out;
}

/** validatePodFailurePolicyRuleOnExitCodes. */
function validateOnExitCodes(req: Obj, path: string, containers: Set<string>): FieldError[] {
  const out: FieldError[] = [];
  const operator = str(req.operator);
  if (operator === '') out.push(required(`${path}.operator`, 'valid values: ["In" "NotIn"]'));
  else if (operator !== 'In' && operator !== 'NotIn')
    out.push(notSupported(`${path}.operator`, operator, ['In', 'NotIn']));
  if (req.containerName !== undefined && !containers.has(str(req.containerName)))
    out.push(
      invalid(
        `${path}.containerName`,
        str(req.containerName),
        'must be one of the container or initContainer names in the pod template',
      ),
    );
  const values = Array.isArray(req.values) ? req.values.filter(isInt) : [];
  if (values.length === 0)
    out.push(invalid(`${path}.values`, goInt32Slice(values), 'at least one value is required'));
  else if (values.length > 255)
    out.push({ field: `${path}.values`, body: `Too many: ${values.length}: must have at most 255 items` });
  const seen = new Set<number>();
  let ordered = true;
  values.forEach((v, j) => {
    if (operator === 'In' && v === 0)
      out.push(invalid(`${path}.values[${j}]`, v, 'must not be 0 for the In operator'));
    if (seen.has(v)) out.push(duplicate(`${path}.values[${j}]`, v));
    else seen.add(v);
    if (j > 0 && values[j - 1]! > v) ordered = false;
  });
  if (!ordered) out.push(invalid(`${path}.values`, goInt32Slice(values), 'must be ordered'));
  return out;
}

const ACTIONS = ['Count', 'FailIndex', 'FailJob', 'Ignore'];

/** validatePodFailurePolicyRule. */
function validatePodFailurePolicyRule(
  rule: Obj,
  path: string,
  spec: Obj,
  containers: Set<string>,
): FieldError[] {
  const out: FieldError[] = [];
  const action = str(rule.action);
  if (action === '')
    out.push(required(`${path}.action`, 'valid values: ["Count" "FailIndex" "FailJob" "Ignore"]'));
  else if (action === 'FailIndex') {
    if (spec.backoffLimitPerIndex === undefined)
      out.push(invalid(`${path}.action`, action, 'requires the backoffLimitPerIndex to be set'));
  } else if (!ACTIONS.includes(action)) out.push(notSupported(`${path}.action`, action, ACTIONS));
  const onExitCodes = obj(rule.onExitCodes);
  const onPodConditions = list(rule.onPodConditions);
  if (onExitCodes) out.push(...validateOnExitCodes(onExitCodes, `${path}.onExitCodes`, containers));
  onPodConditions.forEach((pattern, j) => {
    const p = `${path}.onPodConditions[${j}]`;
    const type = str(pattern.type);
    for (const m of isQualifiedName(type)) out.push(invalid(`${p}.type`, type, m));
    const status = str(pattern.status);
    if (status === '') out.push(required(`${p}.status`, 'valid values: ["False" "True" "Unknown"]'));
    else if (!['False', 'True', 'Unknown'].includes(status))
      out.push(notSupported(`${p}.status`, status, ['False', 'True', 'Unknown']));
  });
  if (onExitCodes && onPodConditions.length > 0)
    out.push({
      field: path,
      body: 'Invalid value: specifying both OnExitCodes and OnPodConditions is not supported',
    });
  if (!onExitCodes && onPodConditions.length === 0)
    out.push({
      field: path,
      body: 'Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
    });
  return out;
}

/** validatePodFailurePolicy: at most 20 rules, each rule's action and requirement. */
function validatePodFailurePolicy(spec: Obj): FieldError[] {
  const out: FieldError[] = [];
  const rules = list(obj(spec.podFailurePolicy)?.rules);
  if (rules.length > 20)
    out.push({
      field: 'spec.podFailurePolicy.rules',
      body: `Too many: ${rules.length}: must have at most 20 items`,
    });
  const podSpec = obj(obj(spec.template)?.spec) ?? {};
  const containers = new Set(
    [...list(podSpec.containers), ...list(podSpec.initContainers)].map((c) => str(c.name)),
  );
  rules.forEach((rule, i) => {
    out.push(...validatePodFailurePolicyRule(rule, `spec.podFailurePolicy.rules[${i}]`, spec, containers));
  });
  return out;
}

/** validatePodReplacementPolicy: only `Failed` with a podFailurePolicy. */
function validatePodReplacementPolicy(spec: Obj): FieldError[] {
  if (spec.podReplacementPolicy === undefined) return [];
  const value = str(spec.podReplacementPolicy);
  const field = 'spec.podReplacementPolicy';
  if (spec.podFailurePolicy !== undefined)
    return value === 'Failed' ? [] : [notSupported(field, value, ['Failed'])];
  const supported = ['Failed', 'TerminatingOrFailed'];
  return supported.includes(value) ? [] : [notSupported(field, value, supported)];
}

/** The template's restartPolicy: OnFailure or Never (Never only, with a podFailurePolicy). */
function validateRestartPolicy(spec: Obj): FieldError[] {
  const field = 'spec.template.spec.restartPolicy';
  const policy = str(obj(obj(spec.template)?.spec)?.restartPolicy);
  // The Pod defaults made an unset restartPolicy `Always`, so both read as unset here.
  if (policy === 'Always' || policy === '') return [required(field, 'valid values: "OnFailure", "Never"')];
  if (policy !== 'OnFailure' && policy !== 'Never')
    return [notSupported(field, policy, ['OnFailure', 'Never'])];
  if (spec.podFailurePolicy !== undefined && policy !== 'Never')
    return [invalid(field, policy, 'only "Never" is supported when podFailurePolicy is specified')];
  return [];
}

/** validateJobSpec: the counters, the completion mode, the policies, then the template. */
function validateJobSpec(spec: Obj, warnings: ValidationResult['warnings']): FieldError[] {
  const out: FieldError[] = [];
  for (const key of [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
  ])
    out.push(...nonNegative(spec, key));
  out.push(...nonNegative(spec, 'backoffLimitPerIndex'));
  if (spec.maxFailedIndexes !== undefined) {
    out.push(...nonNegative(spec, 'maxFailedIndexes'));
    if (spec.backoffLimitPerIndex === undefined)
      out.push(required('spec.backoffLimitPerIndex', 'when maxFailedIndexes is specified'));
  }
  const mode = str(spec.completionMode);
  if (mode !== 'NonIndexed' && mode !== 'Indexed')
    out.push(notSupported('spec.completionMode', mode, ['NonIndexed', 'Indexed']));
  if (mode === 'Indexed' && spec.completions === undefined)
    out.push(required('spec.completions', 'when completion mode is Indexed'));
  if (mode !== 'Indexed') {
    if (isInt(spec.backoffLimitPerIndex))
      out.push(
        invalid('spec.backoffLimitPerIndex', spec.backoffLimitPerIndex, 'requires indexed completion mode'),
      );
    if (isInt(spec.maxFailedIndexes))
      out.push(invalid('spec.maxFailedIndexes', spec.maxFailedIndexes, 'requires indexed completion mode'));
  }
  if (spec.podFailurePolicy !== undefined) out.push(...validatePodFailurePolicy(spec));
  if (spec.successPolicy !== undefined && mode !== 'Indexed')
    out.push({ field: 'spec.successPolicy', body: 'Invalid value: requires indexed completion mode' });
  out.push(...validatePodReplacementPolicy(spec));
  const template = validatePodTemplateSpec(obj(spec.template) ?? {}, 'spec.template');
  out.push(...template.errors);
  warnings.push(...template.warnings);
  out.push(...validateRestartPolicy(spec));
  return out;
}

/** ValidateJob on create: metadata, the generated selector, the spec, the selector's match. */
export function validateJob(job: Obj): ValidationResult {
  const warnings: ValidationResult['warnings'] = [];
  const meta = obj(job.metadata) ?? {};
  const spec = obj(job.spec) ?? {};
  const errors = validateObjectMeta(meta, isDNS1123Subdomain);
  errors.push(...validateGeneratedSelector(job, spec));
  errors.push(...validateJobSpec(spec, warnings));
  const selector = obj(spec.selector);
  if (!selector) errors.push(required('spec.selector'));
  else errors.push(...validateLabelSelector(selector, 'spec.selector'));
  const templateLabels = obj(obj(obj(spec.template)?.metadata)?.labels);
  const labelSet: Record<string, string> = {};
  for (const [k, v] of Object.entries(templateLabels ?? {})) labelSet[k] = str(v);
  if (selector && !selectorMatches(selector, labelSet))
    errors.push(
      invalid(
        'spec.template.metadata.labels',
        goStringMap(templateLabels),
        '`selector` does not match template `labels`',
      ),
    );
  return { errors, warnings };
}
