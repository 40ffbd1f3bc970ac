/**
 * Scheduling parts of k/k:pkg/apis/core/validation/validation.go ValidatePodSpec (release-1.33):
 * validateAffinity (node affinity, pod affinity and anti-affinity),
 * validateTopologySpreadConstraints and ValidateTolerations.
 * Feature gates follow 1.33's defaults (noted where a rule depends on one).
 */
import {
  duplicate as dup,
  type FieldError,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../errors/field.ts';
import {
  each,
  isDNS1123Label,
  isDNS1123Subdomain,
  isSet,
  isValidLabelValue,
  list,
  num,
  type Obj,
  obj,
  str,
  validateLabelName,
  validateLabelSelector,
} from './common.ts';

function nodeSelectorRequirement(rq: Obj, field: string, checkValues: boolean): FieldError[] {
  const out: FieldError[] = [];
  const values = Array.isArray(rq.values) ? rq.values.map(str) : [];
  const op = str(rq.operator);
  if (op === 'In' || op === 'NotIn') {
    if (values.length === 0)
      out.push(required(`${field}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
  } else if (op === 'Exists' || op === 'DoesNotExist') {
    if (values.length > 0)
      out.push(
        forbidden(`${field}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"),
      );
  } else if (op === 'Gt' || op === 'Lt') {
    if (values.length !== 1)
      out.push(required(`${field}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
  } else out.push(invalid(`${field}.operator`, op, 'not a valid selector operator'));
  out.push(...validateLabelName(str(rq.key), `${field}.key`));
  if (checkValues)
    values.forEach((v, i) => {
      out.push(...each(`${field}.values[${i}]`, v, isValidLabelValue(v)));
    });
  return out;
}

function nodeFieldRequirement(rq: Obj, field: string): FieldError[] {
  const out: FieldError[] = [];
  const values = Array.isArray(rq.values) ? rq.values.map(str) : [];
  const op = str(rq.operator);
  if (op === 'In' || op === 'NotIn') {
    if (values.length !== 1)
      out.push(
        required(
          `${field}.values`,
          "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
        ),
      );
  } else out.push(invalid(`${field}.operator`, op, 'not a valid selector operator'));
  if (str(rq.key) !== 'metadata.name')
    out.push(invalid(`${field}.key`, str(rq.key), 'not a valid field selector key'));
  else
    values.forEach((v, i) => {
      out.push(...each(`${field}.values[${i}]`, v, isDNS1123Subdomain(v)));
    });
  return out;
}

function nodeSelectorTerm(term: Obj, field: string, checkValues: boolean): FieldError[] {
  const out: FieldError[] = [];
  list(term.matchExpressions).forEach((rq, j) => {
    out.push(...nodeSelectorRequirement(rq, `${field}.matchExpressions[${j}]`, checkValues));
  });
  list(term.matchFields).forEach((rq, j) => {
    out.push(...nodeFieldRequirement(rq, `${field}.matchFields[${j}]`));
  });
  return out;
}

function weight(v: unknown, field: string): FieldError[] {
  const w = num(v);
  return w <= 0 || w > 100 ? [invalid(field, w, 'must be in the range 1-100')] : [];
}

/**
 * validateMatchLabelKeysAndMismatchLabelKeys, step 2: a matchLabelKeys key that the (already
 * merged, see mergeAffinityLabelKeys) selector names twice was also written by the user. The
 * error path is upstream's: the term's path indexed by the key's position (`…[0][0]`).
 */
function matchLabelKeysInSelector(
  matchKeys: string[],
  selector: Obj | undefined,
  field: string,
): FieldError[] {
  if (!selector) return [];
  const out: FieldError[] = [];
  const index = new Map(matchKeys.map((k, i) => [k, i]));
  const seen = new Set(Object.keys(obj(selector.matchLabels) ?? {}));
  for (const e of list(selector.matchExpressions)) {
    const key = str(e.key);
    const i = index.get(key);
    if (i !== undefined && seen.has(key))
      out.push(invalid(`${field}[${i}]`, key, 'exists in both matchLabelKeys and labelSelector'));
    seen.add(key);
  }
  return out;
}

function podAffinityTerm(term: Obj, field: string): FieldError[] {
  const out = validateLabelSelector(term.labelSelector, `${field}.labelSelector`);
  out.push(...validateLabelSelector(term.namespaceSelector, `${field}.namespaceSelector`));
  for (const ns of Array.isArray(term.namespaces) ? term.namespaces.map(str) : [])
    out.push(...each(`${field}.namespace`, ns, isDNS1123Label(ns)));
  const selector = obj(term.labelSelector);
  const keys = (k: unknown): string[] => (Array.isArray(k) ? k.map(str) : []);
  for (const kind of ['matchLabelKeys', 'mismatchLabelKeys']) {
    const ks = keys(term[kind]);
    if (ks.length === 0) continue;
    if (!selector)
      out.push(forbidden(`${field}.${kind}`, 'must not be specified when labelSelector is not set'));
    else
      ks.forEach((k, i) => {
        out.push(...validateLabelName(k, `${field}.${kind}[${i}]`));
      });
  }
  out.push(...matchLabelKeysInSelector(keys(term.matchLabelKeys), selector, field));
  const mismatch = new Set(keys(term.mismatchLabelKeys));
  keys(term.matchLabelKeys).forEach((k, i) => {
    if (mismatch.has(k))
      out.push(
        invalid(`${field}.matchLabelKeys[${i}]`, k, 'exists in both matchLabelKeys and mismatchLabelKeys'),
      );
  });
  const topologyKey = str(term.topologyKey);
  if (topologyKey === '') out.push(required(`${field}.topologyKey`, 'can not be empty'));
  out.push(...validateLabelName(topologyKey, `${field}.topologyKey`));
  return out;
}

function podAffinity(a: Obj, field: string): FieldError[] {
  const out: FieldError[] = [];
  list(a.requiredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    out.push(...podAffinityTerm(t, `${field}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`));
  });
  list(a.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
    const p = `${field}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    out.push(...weight(t.weight, `${p}.weight`));
    out.push(...podAffinityTerm(obj(t.podAffinityTerm) ?? {}, `${p}.podAffinityTerm`));
  });
  return out;
}

/** validateAffinity: node affinity, then pod affinity, then pod anti-affinity. */
export function validateAffinity(spec: Obj): FieldError[] {
  const a = obj(spec.affinity);
  if (!a) return [];
  const out: FieldError[] = [];
  const na = obj(a.nodeAffinity);
  if (na) {
    const f = 'spec.affinity.nodeAffinity';
    const req = obj(na.requiredDuringSchedulingIgnoredDuringExecution);
    if (req) {
      const terms = list(req.nodeSelectorTerms);
      const tf = `${f}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
      if (terms.length === 0) out.push(required(tf, 'must have at least one node selector term'));
      terms.forEach((t, i) => {
        out.push(...nodeSelectorTerm(t, `${tf}[${i}]`, true));
      });
    }
    list(na.preferredDuringSchedulingIgnoredDuringExecution).forEach((t, i) => {
      const p = `${f}.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
      out.push(...weight(t.weight, `${p}.weight`));
      // Preferred terms allow invalid label values.
      out.push(...nodeSelectorTerm(obj(t.preference) ?? {}, `${p}.preference`, false));
    });
  }
  const pa = obj(a.podAffinity);
  if (pa) out.push(...podAffinity(pa, 'spec.affinity.podAffinity'));
  const paa = obj(a.podAntiAffinity);
  if (paa) out.push(...podAffinity(paa, 'spec.affinity.podAntiAffinity'));
  return out;
}

/** validateTopologySpreadConstraints (MatchLabelKeysInPodTopologySpread is on in 1.33). */
export function validateTopologySpread(spec: Obj): FieldError[] {
  const out: FieldError[] = [];
  const constraints = list(spec.topologySpreadConstraints);
  constraints.forEach((c, i) => {
    const p = `spec.topologySpreadConstraints[${i}]`;
    const maxSkew = num(c.maxSkew);
    if (maxSkew <= 0) out.push(invalid(`${p}.maxSkew`, maxSkew, 'must be greater than zero'));
    const key = str(c.topologyKey);
    if (key === '') out.push(required(`${p}.topologyKey`, 'can not be empty'));
    const action = str(c.whenUnsatisfiable);
    if (action !== 'DoNotSchedule' && action !== 'ScheduleAnyway')
      out.push(notSupported(`${p}.whenUnsatisfiable`, action, ['DoNotSchedule', 'ScheduleAnyway']));
    if (
      constraints.slice(i + 1).some((o) => str(o.topologyKey) === key && str(o.whenUnsatisfiable) === action)
    )
      out.push(dup(`${p}.{topologyKey, whenUnsatisfiable}`, `{${key}, ${action}}`));
    if (isSet(c.minDomains)) {
      const md = num(c.minDomains);
      if (md <= 0) out.push(invalid(`${p}.minDomains`, md, 'must be greater than zero'));
      if (action !== 'DoNotSchedule')
        out.push(
          invalid(
            `${p}.minDomains`,
            md,
            `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action}`,
          ),
        );
    }
    for (const policy of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
      if (isSet(c[policy]) && !['Honor', 'Ignore'].includes(str(c[policy])))
        out.push(notSupported(`${p}.${policy}`, str(c[policy]), ['Honor', 'Ignore']));
    }
    const keys = Array.isArray(c.matchLabelKeys) ? c.matchLabelKeys.map(str) : [];
    if (keys.length > 0) {
      const selector = obj(c.labelSelector);
      const selectorKeys = new Set<string>([
        ...Object.keys(obj(selector?.matchLabels) ?? {}),
        ...list(selector?.matchExpressions).map((e) => str(e.key)),
      ]);
      if (!selector)
        out.push(forbidden(`${p}.matchLabelKeys`, 'must not be specified when labelSelector is not set'));
      keys.forEach((k, j) => {
        out.push(...validateLabelName(k, `${p}.matchLabelKeys[${j}]`));
        if (selectorKeys.has(k))
          out.push(
            invalid(`${p}.matchLabelKeys[${j}]`, k, 'exists in both matchLabelKeys and labelSelector'),
          );
      });
    }
    out.push(...validateLabelSelector(c.labelSelector, `${p}.labelSelector`));
  });
  return out;
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** ValidateTolerations. */
export function validateTolerations(tolerations: unknown, field: string): FieldError[] {
  const out: FieldError[] = [];
  list(tolerations).forEach((t, i) => {
    const p = `${field}[${i}]`;
    const key = str(t.key);
    const op = str(t.operator);
    const value = str(t.value);
    const effect = str(t.effect);
    if (key !== '') out.push(...validateLabelName(key, `${p}.key`));
    if (key === '' && op !== 'Exists')
      out.push(
        invalid(
          `${p}.operator`,
          op,
          'operator must be Exists when `key` is empty, which means "match all values and all keys"',
        ),
      );
    if (isSet(t.tolerationSeconds) && effect !== 'NoExecute')
      out.push(invalid(`${p}.effect`, effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    if (op === 'Equal' || op === '') {
      const msgs = isValidLabelValue(value);
      if (msgs.length > 0) out.push(invalid(`${p}.operator`, value, msgs.join(';')));
    } else if (op === 'Exists') {
      if (value !== '')
        out.push(invalid(`${p}.operator`, value, "value must be empty when `operator` is 'Exists'"));
    } else out.push(notSupported(`${p}.operator`, op, ['Equal', 'Exists']));
    if (effect !== '' && !EFFECTS.includes(effect)) out.push(notSupported(`${p}.effect`, effect, EFFECTS));
  });
  return out;
}

/** The pod (anti-)affinity terms of a Pod spec, required then preferred (upstream's order). */
function affinityTerms(spec: Obj): Obj[] {
  const affinity = obj(spec.affinity);
  const terms: Obj[] = [];
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = obj(affinity?.[kind]);
    if (!a) continue;
    for (const t of list(a.preferredDuringSchedulingIgnoredDuringExecution)) {
      const term = obj(t.podAffinityTerm);
      if (term) terms.push(term);
    }
    terms.push(...list(a.requiredDuringSchedulingIgnoredDuringExecution));
  }
  return terms;
}

/**
 * The Pod registry's PrepareForCreate (pkg/registry/core/pod/strategy.go mutatePodAffinity,
 * MatchLabelKeysInPodAffinity: beta, on by default in 1.33): for each matchLabelKeys key the Pod
 * has a label for, `key In (value)` is appended to the term's labelSelector, and `key NotIn
 * (value)` for mismatchLabelKeys, before validation. Terms without a labelSelector are left alone.
 * Mutates `pod` (the object the API server stores).
 */
export function mergeAffinityLabelKeys(pod: Obj): void {
  const labels = obj(obj(pod.metadata)?.labels) ?? {};
  const spec = obj(pod.spec);
  if (!spec) return;
  for (const term of affinityTerms(spec)) {
    const selector = obj(term.labelSelector);
    if (!selector) continue;
    const add = (keys: unknown, operator: 'In' | 'NotIn'): void => {
      if (!Array.isArray(keys)) return;
      for (const key of keys.map(str)) {
        if (!Object.hasOwn(labels, key)) continue;
        const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
        selector.matchExpressions = [...expressions, { key, operator, values: [str(labels[key])] }];
      }
    };
    add(term.matchLabelKeys, 'In');
    add(term.mismatchLabelKeys, 'NotIn');
  }
}
