/**
 * Validation of apps/v1 Deployments and ReplicaSets on create, as k/k
 * pkg/apis/apps/validation/validation.go (release-1.33) does: ValidateDeployment
 * (ValidateDeploymentSpec, ValidateDeploymentStrategy, ValidateRollingUpdateDeployment) and
 * ValidateReplicaSet (ValidateReplicaSetSpec), both through ValidatePodTemplateSpecForReplicaSet
 * and core's ValidatePodTemplateSpec (pkg/apis/core/validation).
 */
import { type FieldError, forbidden, goQuote, invalid, notSupported, required } from '../../errors/field.ts';
import type { Warning } from '../../model/source.ts';
import { validatePodAnnotations, validatePodSpec } from '../validate.ts';
import {
  goStringMap,
  isDNS1123Subdomain,
  list,
  NEGATIVE,
  num,
  type Obj,
  obj,
  regexError,
  str,
  type ValidationResult,
  validateAnnotations,
  validateLabelSelector,
  validateLabels,
  validateObjectMeta,
} from './common.ts';

/** Go's %#v of a metav1.LabelSelector, enough for the `empty selector` cause. */
function goSelector(sel: Obj): { goSyntax: string } {
  const labels = obj(sel.matchLabels);
  const exprs = Array.isArray(sel.matchExpressions)
    ? '[]v1.LabelSelectorRequirement{}'
    : '[]v1.LabelSelectorRequirement(nil)';
  return {
    goSyntax: `v1.LabelSelector{MatchLabels:${goStringMap(labels).goSyntax}, MatchExpressions:${exprs}}`,
  };
}

/** Go's %#v of an intstr.IntOrString. */
function goIntOrString(v: unknown): { goSyntax: string } {
  if (typeof v === 'string')
    return { goSyntax: `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}` };
  return { goSyntax: `intstr.IntOrString{Type:0, IntVal:${num(v)}, StrVal:""}` };
}

/**
 * labels.Selector.Matches for a LabelSelector (LabelSelectorAsSelector): every matchLabels pair
 * and every requirement (In, NotIn, Exists, DoesNotExist) must hold.
 */
export function selectorMatches(selector: Obj, labels: Record<string, string>): boolean {
  const matchLabels = obj(selector.matchLabels) ?? {};
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== str(v)) return false;
  for (const req of list(selector.matchExpressions)) {
    const key = str(req.key);
    const has = Object.hasOwn(labels, key);
    const values = Array.isArray(req.values) ? req.values.map(str) : [];
    switch (str(req.operator)) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** len(matchLabels) + len(matchExpressions). */
function selectorSize(selector: Obj): number {
  return list(selector.matchExpressions).length + Object.keys(obj(selector.matchLabels) ?? {}).length;
}

/** A Pod's field path (`spec.x`, `metadata.annotations`) moved under the template at `base`. */
function underTemplate(base: string, e: FieldError): FieldError {
  if (e.field.startsWith('spec.') || e.field === 'spec') return { ...e, field: `${base}.${e.field}` };
  if (e.field.startsWith('metadata.')) return { ...e, field: `${base}.${e.field.slice('metadata.'.length)}` };
  return e;
}

/** ValidatePodTemplateSpec: labels and annotations at `<base>.labels` (sic), then the PodSpec. */
function validatePodTemplateSpec(template: Obj, base: string, warnings: Warning[]): FieldError[] {
  const meta = obj(template.metadata) ?? {};
  const spec = obj(template.spec) ?? {};
  const out = validateLabels(meta.labels, `${base}.labels`);
  out.push(...validateAnnotations(meta.annotations, `${base}.annotations`));
  out.push(...validatePodAnnotations(meta, spec).map((e) => underTemplate(base, e)));
  const podWarnings: Warning[] = [];
  out.push(...validatePodSpec(spec, '', podWarnings).map((e) => underTemplate(base, e)));
  for (const w of podWarnings) warnings.push(w.field ? { ...w, field: `${base}.${w.field}` } : w);
  if (list(spec.ephemeralContainers).length > 0)
    out.push(
      forbidden(`${base}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'),
    );
  return out;
}

/** ValidatePodTemplateSpecForReplicaSet: selector ⊆ template labels, restartPolicy Always, no activeDeadlineSeconds. */
function validateTemplateForReplicaSet(spec: Obj, warnings: Warning[]): FieldError[] {
  const selector = obj(spec.selector);
  // LabelSelectorAsSelector fails on a requirement ValidateLabelSelector rejects: then the
  // template is not validated at all.
  if (selector && validateLabelSelector(selector, 'spec.selector').length > 0)
    return [invalid('spec.selector', goSelector(selector), 'invalid label selector')];
  const template = obj(spec.template) ?? {};
  const out: FieldError[] = [];
  const labelsObj = obj(obj(template.metadata)?.labels);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(labelsObj ?? {})) labels[k] = str(v);
  // A nil selector is labels.Nothing() (matches nothing); an empty one is Everything() (skipped).
  const everything = selector !== undefined && selectorSize(selector) === 0;
  if (!everything && (!selector || !selectorMatches(selector, labels)))
    out.push(
      invalid(
        'spec.template.metadata.labels',
        goStringMap(labelsObj),
        '`selector` does not match template `labels`',
      ),
    );
  out.push(...validatePodTemplateSpec(template, 'spec.template', warnings));
  const podSpec = obj(template.spec) ?? {};
  const rp = str(podSpec.restartPolicy);
  if (rp !== 'Always') out.push(notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
  if (podSpec.activeDeadlineSeconds !== undefined && podSpec.activeDeadlineSeconds !== null)
    out.push(
      forbidden(
        'spec.template.spec.activeDeadlineSeconds',
        'activeDeadlineSeconds in ReplicaSet is not Supported',
      ),
    );
  return out;
}

/** ValidateNonnegativeField for an int field of `spec`. */
function nonNegative(spec: Obj, key: string): FieldError[] {
  const v = spec[key];
  if (v === undefined || v === null || num(v) >= 0) return [];
  return [invalid(`spec.${key}`, num(v), NEGATIVE)];
}

/** The selector's own checks: required, ValidateLabelSelector, not empty (upstream says "for deployment" for both kinds). */
function validateSelector(spec: Obj): FieldError[] {
  const selector = obj(spec.selector);
  if (!selector) return [required('spec.selector')];
  const out = validateLabelSelector(selector, 'spec.selector');
  if (selectorSize(selector) === 0)
    out.push(invalid('spec.selector', goSelector(selector), 'empty selector is invalid for deployment'));
  return out;
}

const PERCENT_FMT = '[0-9]+%';

/** ValidatePositiveIntOrPercent. */
function positiveIntOrPercent(v: unknown, field: string): FieldError[] {
  if (typeof v === 'string') {
    if (new RegExp(`^${PERCENT_FMT}$`).test(v)) return [];
    const msg = regexError(
      "a valid percent string must be a numeric string followed by an ending '%'",
      PERCENT_FMT,
      '1%',
      '93%',
    );
    return [invalid(field, goIntOrString(v), msg)];
  }
  return num(v) < 0 ? [invalid(field, num(v), NEGATIVE)] : [];
}

/** getIntOrPercentValue: the number of an int, or of a valid percent; 0 for anything else. */
function intOrPercentValue(v: unknown): number {
  if (typeof v === 'string') return /^[0-9]+%$/.test(v) ? Number(v.slice(0, -1)) : 0;
  return num(v);
}

/** ValidateDeploymentStrategy and ValidateRollingUpdateDeployment. */
function validateStrategy(spec: Obj): FieldError[] {
  const strategy = obj(spec.strategy) ?? {};
  const type = str(strategy.type);
  const rolling = obj(strategy.rollingUpdate);
  if (type === 'Recreate') {
    return rolling
      ? [forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'")]
      : [];
  }
  if (type !== 'RollingUpdate') {
    const ru = rolling
      ? '(*apps.RollingUpdateDeployment)(0xc000000000)'
      : '(*apps.RollingUpdateDeployment)(nil)';
    const value = { goSyntax: `apps.DeploymentStrategy{Type:${goQuote(type)}, RollingUpdate:${ru}}` };
    return [notSupported('spec.strategy', value, ['Recreate', 'RollingUpdate'])];
  }
  if (!rolling) return [required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil')];
  const base = 'spec.strategy.rollingUpdate';
  const out = positiveIntOrPercent(rolling.maxUnavailable, `${base}.maxUnavailable`);
  out.push(...positiveIntOrPercent(rolling.maxSurge, `${base}.maxSurge`));
  if (intOrPercentValue(rolling.maxUnavailable) === 0 && intOrPercentValue(rolling.maxSurge) === 0)
    out.push(
      invalid(
        `${base}.maxUnavailable`,
        goIntOrString(rolling.maxUnavailable),
        'may not be 0 when `maxSurge` is 0',
      ),
    );
  if (typeof rolling.maxUnavailable === 'string' && intOrPercentValue(rolling.maxUnavailable) > 100)
    out.push(
      invalid(
        `${base}.maxUnavailable`,
        goIntOrString(rolling.maxUnavailable),
        'must not be greater than 100%',
      ),
    );
  return out;
}

/** ValidateDeployment (create) for a defaulted Deployment. */
export function validateDeployment(deployment: Obj): ValidationResult {
  const warnings: Warning[] = [];
  const spec = obj(deployment.spec) ?? {};
  const errors = validateObjectMeta(obj(deployment.metadata) ?? {}, isDNS1123Subdomain);
  errors.push(...nonNegative(spec, 'replicas'));
  errors.push(...validateSelector(spec));
  errors.push(...validateTemplateForReplicaSet(spec, warnings));
  errors.push(...validateStrategy(spec));
  errors.push(...nonNegative(spec, 'minReadySeconds'));
  errors.push(...nonNegative(spec, 'revisionHistoryLimit'));
  if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds !== null) {
    const pds = num(spec.progressDeadlineSeconds);
    errors.push(...nonNegative(spec, 'progressDeadlineSeconds'));
    if (pds <= num(spec.minReadySeconds ?? 0))
      errors.push(invalid('spec.progressDeadlineSeconds', pds, 'must be greater than minReadySeconds'));
  }
  return { errors, warnings };
}

/** ValidateReplicaSet (create) for a defaulted ReplicaSet. */
export function validateReplicaSet(rs: Obj): ValidationResult {
  const warnings: Warning[] = [];
  const spec = obj(rs.spec) ?? {};
  const errors = validateObjectMeta(obj(rs.metadata) ?? {}, isDNS1123Subdomain);
  errors.push(...nonNegative(spec, 'replicas'));
  errors.push(...nonNegative(spec, 'minReadySeconds'));
  errors.push(...validateSelector(spec));
  errors.push(...validateTemplateForReplicaSet(spec, warnings));
  return { errors, warnings };
}
