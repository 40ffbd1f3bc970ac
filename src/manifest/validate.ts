/**
 * API validation of a defaulted Pod, in the order and with the words of
 * k/k:pkg/apis/core/validation/validation.go (release-1.33): ValidatePodCreate =
 * validatePodMetadataAndSpec (ValidateObjectMeta, ValidatePodSpecificAnnotations, ValidatePodSpec,
 * validateContainersOnlyForPod) + the create-only rules. The families live in ./validate/:
 * common (names, labels, IPs), volumes, containers (probes, handlers, env, resources), pod-spec
 * (host ports, DNS, gates, names), security-context, scheduling (affinity, topology spread,
 * tolerations) and service. docs/manifests.md lists them.
 */
import {
  duplicate as dup,
  type FieldError,
  forbidden,
  invalid,
  notFound,
  notSupported,
  required,
} from '../errors/field.ts';
import type { Warning } from '../model/source.ts';
import {
  each,
  isDNS1123Label,
  isDNS1123Subdomain,
  isSet,
  list,
  num,
  type Obj,
  obj,
  str,
  type ValidationResult,
  validateAnnotations as validateAnnotationsAt,
  validateLabels,
  validateObjectMeta,
} from './validate/common.ts';
import { validateContainerCommon, validateLifecycle, validateProbes } from './validate/containers.ts';
import {
  hostPortConflicts,
  subdomainField,
  validateDNSConfig,
  validateGates,
  validateHostAliases,
  validateHostNetworkPorts,
  validateHostUsers,
  validateSpecTail,
} from './validate/pod-spec.ts';
import { validateAffinity, validateTolerations, validateTopologySpread } from './validate/scheduling.ts';
import { validatePodSecurityContext } from './validate/security-context.ts';
import { validateVolumes } from './validate/volumes.ts';

export {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  type ValidationResult,
} from './validate/common.ts';
export {
  type AllocationState,
  createService,
  freshAllocation,
  type ServiceCreateOptions,
} from './validate/service.ts';

/** ValidatePodSpec's hostUsers: true unless `spec.hostUsers` is false (v1 keeps it in the spec). */
function hostUsersOf(spec: Obj): boolean {
  return spec.hostUsers !== false;
}

/** validateContainers: each container, unique names, then host port conflicts across them. */
function validateContainers(spec: Obj, volumes: Set<string>, warnings: Warning[]): FieldError[] {
  const errors: FieldError[] = [];
  const containers = list(spec.containers);
  const gracePeriod = num(spec.terminationGracePeriodSeconds);
  if (containers.length === 0) return [required('spec.containers')];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const path = `spec.containers[${i}]`;
    errors.push(...validateContainerCommon(c, path, volumes, hostUsersOf(spec)));
    const name = str(c.name);
    if (names.has(name)) errors.push(dup(`${path}.name`, name));
    else names.add(name);
    const lifecycle = obj(c.lifecycle);
    if (lifecycle) errors.push(...validateLifecycle(lifecycle, `${path}.lifecycle`, gracePeriod, warnings));
    errors.push(...validateProbes(c, path, gracePeriod));
    if (isSet(c.restartPolicy))
      errors.push(forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers'));
  });
  errors.push(...hostPortConflicts(containers, 'spec.containers'));
  return errors;
}

/**
 * validateInitContainers: restartPolicy only `Always` (a sidecar), names unique across init and
 * regular containers, host ports checked per init container, probes and hooks only on sidecars.
 */
function validateInitContainers(spec: Obj, volumes: Set<string>, warnings: Warning[]): FieldError[] {
  const errors: FieldError[] = [];
  const gracePeriod = num(spec.terminationGracePeriodSeconds);
  const allNames = new Set(list(spec.containers).map((c) => str(c.name)));
  list(spec.initContainers).forEach((c, i) => {
    const path = `spec.initContainers[${i}]`;
    errors.push(...validateContainerCommon(c, path, volumes, hostUsersOf(spec)));
    let sidecar = false;
    if (isSet(c.restartPolicy)) {
      const rp = str(c.restartPolicy);
      if (rp !== 'Always') errors.push(notSupported(`${path}.restartPolicy`, rp, ['Always']));
      sidecar = rp === 'Always';
    }
    const name = str(c.name);
    if (allNames.has(name)) errors.push(dup(`${path}.name`, name));
    else if (name !== '') allNames.add(name);
    errors.push(...hostPortConflicts([c], 'spec.initContainers'));
    if (sidecar) {
      const lifecycle = obj(c.lifecycle);
      if (lifecycle) errors.push(...validateLifecycle(lifecycle, `${path}.lifecycle`, gracePeriod, warnings));
      errors.push(...validateProbes(c, path, gracePeriod));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (isSet(c[f]))
          errors.push(
            forbidden(`${path}.${f}`, 'may not be set for init containers without restartPolicy=Always'),
          );
      }
    }
    if (Array.isArray(c.resizePolicy) && c.resizePolicy.length > 0)
      errors.push(
        invalid(
          `${path}.resizePolicy`,
          { goSyntax: '[]core.ContainerResizePolicy{…}' },
          'must not be set for init containers',
        ),
      );
  });
  return errors;
}

/**
 * The EphemeralContainerCommon fields outside allowedEphemeralContainerFields, in struct order,
 * with their Go kind: validateFieldAllowList forbids a field that is not reflect.DeepEqual to
 * its zero value, so a pointer (probe, lifecycle, restartPolicy) is set once present, even `{}`
 * or `""`, a slice once present, even `[]`, and resources once one of its lists is.
 */
const EPHEMERAL_FORBIDDEN: [field: string, kind: 'pointer' | 'slice' | 'resources'][] = [
  ['ports', 'slice'],
  ['resources', 'resources'],
  ['resizePolicy', 'slice'],
  ['restartPolicy', 'pointer'],
  ['livenessProbe', 'pointer'],
  ['readinessProbe', 'pointer'],
  ['startupProbe', 'pointer'],
  ['lifecycle', 'pointer'],
];

/** Whether a decoded field is its Go zero value (see EPHEMERAL_FORBIDDEN). */
function isGoZero(v: unknown, kind: 'pointer' | 'slice' | 'resources'): boolean {
  if (!isSet(v)) return true;
  if (kind !== 'resources') return false;
  const r = obj(v) ?? {};
  return !isSet(r.limits) && !isSet(r.requests) && !isSet(r.claims);
}

/**
 * validateEphemeralContainers: they are validated like the others (and then refused on create
 * by ValidatePodCreate): names unique across all containers, the target must exist, and the
 * fields of the allow list only.
 */
function validateEphemeralContainers(spec: Obj, volumes: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  const others = new Set([...list(spec.containers), ...list(spec.initContainers)].map((c) => str(c.name)));
  const all = new Set(others);
  list(spec.ephemeralContainers).forEach((c, i) => {
    const path = `spec.ephemeralContainers[${i}]`;
    errors.push(...validateContainerCommon(c, path, volumes, hostUsersOf(spec)));
    const image = str(c.image);
    if (image.length !== image.trim().length)
      errors.push(invalid(`${path}.image`, image, 'must not have leading or trailing whitespace'));
    const name = str(c.name);
    if (all.has(name)) errors.push(dup(`${path}.name`, name));
    else all.add(name);
    const target = str(c.targetContainerName);
    if (target !== '' && !others.has(target)) errors.push(notFound(`${path}.targetContainerName`, target));
    for (const [f, kind] of EPHEMERAL_FORBIDDEN)
      if (!isGoZero(c[f], kind))
        errors.push(forbidden(`${path}.${f}`, 'cannot be set for an Ephemeral Container'));
    list(c.volumeMounts).forEach((m, j) => {
      for (const f of ['subPath', 'subPathExpr'])
        if (str(m[f]) !== '')
          errors.push(
            forbidden(`${path}.volumeMounts[${j}].${f}`, 'cannot be set for an Ephemeral Container'),
          );
    });
  });
  return errors;
}

/** ValidatePodSpecificAnnotations: the mirror-pod annotation and the pod deletion cost. */
export function validatePodAnnotations(meta: Obj, spec: Obj): FieldError[] {
  const out: FieldError[] = [];
  const annotations = obj(meta.annotations) ?? {};
  const mirror = 'kubernetes.io/config.mirror';
  if (Object.hasOwn(annotations, mirror) && str(spec.nodeName) === '')
    out.push(
      invalid(
        `metadata.annotations[${mirror}]`,
        str(annotations[mirror]),
        'must set spec.nodeName if mirror pod annotation is set',
      ),
    );
  const cost = 'controller.kubernetes.io/pod-deletion-cost';
  if (Object.hasOwn(annotations, cost)) {
    const v = str(annotations[cost]);
    // helper.GetDeletionCostFromPodAnnotations (pkg/apis/core/helper): validFirstDigit refuses a
    // leading plus sign ("+10") and leading zeros ("008") before strconv.ParseInt(v, 10, 32).
    const n = /^(-\d+|0|[1-9]\d*)$/.test(v) ? Number(v) : Number.NaN;
    if (!(n >= -2147483648 && n <= 2147483647))
      out.push(invalid(`metadata.annotations[${cost}]`, v, 'must be a 32bit integer'));
  }
  return out;
}

/** ValidatePodSpec, in upstream's order. */
export function validatePodSpec(spec: Obj, podName: string, warnings: Warning[]): FieldError[] {
  const errors: FieldError[] = [];
  const volumes = validateVolumes(spec.volumes, podName, errors);
  errors.push(...validateContainers(spec, volumes, warnings));
  errors.push(...validateInitContainers(spec, volumes, warnings));
  errors.push(...validateEphemeralContainers(spec, volumes));
  errors.push(...validateHostNetworkPorts(spec));
  const rp = str(spec.restartPolicy);
  if (rp === '') errors.push(required('spec.restartPolicy'));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp))
    errors.push(notSupported('spec.restartPolicy', rp, ['Always', 'OnFailure', 'Never']));
  const dns = str(spec.dnsPolicy);
  const dnsPolicies = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
  if (dns === '') errors.push(required('spec.dnsPolicy'));
  else if (!dnsPolicies.includes(dns)) errors.push(notSupported('spec.dnsPolicy', dns, dnsPolicies));
  errors.push(...validateLabels(spec.nodeSelector, 'spec.nodeSelector'));
  errors.push(...validatePodSecurityContext(spec));
  errors.push(...validateAffinity(spec));
  errors.push(...validateDNSConfig(spec));
  errors.push(...validateGates(spec));
  errors.push(...validateTopologySpread(spec));
  errors.push(...validateHostUsers(spec));
  errors.push(...subdomainField(spec, 'serviceAccountName'));
  errors.push(...subdomainField(spec, 'nodeName'));
  if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null) {
    const v = num(spec.activeDeadlineSeconds);
    if (v < 1 || v > 2147483647)
      errors.push(invalid('spec.activeDeadlineSeconds', v, 'must be between 1 and 2147483647, inclusive'));
  }
  const hostname = str(spec.hostname);
  if (hostname !== '') errors.push(...each('spec.hostname', hostname, isDNS1123Label(hostname)));
  const subdomain = str(spec.subdomain);
  if (subdomain !== '') errors.push(...each('spec.subdomain', subdomain, isDNS1123Label(subdomain)));
  errors.push(...validateTolerations(spec.tolerations, 'spec.tolerations'));
  errors.push(...validateHostAliases(spec));
  errors.push(...validateSpecTail(spec));
  return errors;
}

/** ValidatePodCreate for a defaulted Pod. */
export function validatePod(pod: Obj, _operation: 'create' | 'apply'): ValidationResult {
  const warnings: Warning[] = [];
  const meta = obj(pod.metadata) ?? {};
  const spec = obj(pod.spec) ?? {};
  const errors = validateObjectMeta(meta, isDNS1123Subdomain);
  errors.push(...validatePodAnnotations(meta, spec));
  errors.push(...validatePodSpec(spec, str(meta.name), warnings));
  // validateContainersOnlyForPod
  for (const key of ['containers', 'initContainers']) {
    list(spec[key]).forEach((c, i) => {
      const image = str(c.image);
      if (image.length !== image.trim().length)
        errors.push(
          invalid(`spec.${key}[${i}].image`, image, 'must not have leading or trailing whitespace'),
        );
    });
  }
  // ValidatePodCreate: ephemeral containers come only through their subresource.
  if (list(spec.ephemeralContainers).length > 0)
    errors.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) !== '' && list(spec.schedulingGates).length > 0)
    errors.push(forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  return { errors, warnings };
}

/**
 * ValidatePodTemplateSpec (core validation, release-1.33) for a controller's template at
 * `path` (e.g. `spec.template`): labels and annotations under `<path>.labels`/`.annotations`,
 * the PodSpec under `<path>.spec`, no ephemeral containers. Reuses the Pod rules and moves
 * their field paths under the template.
 */
export function validatePodTemplateSpec(template: Obj, path: string): ValidationResult {
  const warnings: Warning[] = [];
  const meta = obj(template.metadata) ?? {};
  const spec = obj(template.spec) ?? {};
  const errors = validateLabels(meta.labels, `${path}.labels`);
  errors.push(...validateAnnotationsAt(meta.annotations, `${path}.annotations`));
  const moved = [...validatePodAnnotations(meta, spec), ...validatePodSpec(spec, '', warnings)].map((e) => ({
    ...e,
    field: e.field.replace(/^metadata\./, `${path}.`).replace(/^spec\./, `${path}.spec.`),
  }));
  errors.push(...moved);
  if (list(spec.ephemeralContainers).length > 0)
    errors.push(
      forbidden(`${path}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'),
    );
  const movedWarnings = warnings.map((w) =>
    w.field === undefined ? w : { ...w, field: w.field.replace(/^spec\./, `${path}.spec.`) },
  );
  return { errors, warnings: movedWarnings };
}

/**
 * The API server's warnings for an accepted Pod (k/k:pkg/api/pod/warnings.go), which kubectl
 * prints as `Warning: <text>`: duplicate env names, duplicate port definitions across
 * containers, a negative grace period.
 */
export function podWarnings(pod: Obj): Warning[] {
  const out: Warning[] = [];
  const spec = obj(pod.spec) ?? {};
  const visit: [string, Obj][] = [];
  // pods.VisitContainersWithPath: init containers, then containers, then ephemeral containers.
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    list(spec[key]).forEach((c, i) => {
      visit.push([`spec.${key}[${i}]`, c]);
    });
  }
  for (const [path, c] of visit) {
    const env = list(c.env);
    const seen = new Set<string>();
    env.forEach((e, i) => {
      const name = str(e.name);
      if (!seen.has(name)) {
        seen.add(name);
        return;
      }
      const ref = `$(${name})`;
      const value = str(e.value);
      if (e.valueFrom !== undefined || value === ref || !value.includes(ref)) {
        out.push({
          message: `${path}.env[${i}]: hides previous definition of ${JSON.stringify(name)}, which may be dropped when using apply`,
          field: `${path}.env[${i}]`,
        });
      }
    });
  }
  const ports = new Map<string, { field: string; hostIP: string; hostPort: number }[]>();
  for (const [path, c] of visit) {
    list(c.ports).forEach((port, i) => {
      const field = `${path}.ports[${i}]`;
      const key = `${num(port.containerPort)}/${str(port.protocol)}`;
      const hostIP = str(port.hostIP);
      const hostPort = num(port.hostPort);
      const others = ports.get(key) ?? [];
      for (const other of others) {
        if (hostIP === other.hostIP && hostPort === other.hostPort) {
          out.push({ message: `${field}: duplicate port definition with ${other.field}`, field });
        } else if (hostPort === 0 || other.hostPort === 0) {
          out.push({ message: `${field}: overlapping port definition with ${other.field}`, field });
        } else if (hostPort === other.hostPort && (hostIP === '') !== (other.hostIP === '')) {
          out.push({ message: `${field}: dangerously ambiguous port definition with ${other.field}`, field });
        }
      }
      others.push({ field, hostIP, hostPort });
      ports.set(key, others);
    });
  }
  if (num(spec.terminationGracePeriodSeconds) < 0) {
    out.push({
      message:
        'spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1',
      field: 'spec.terminationGracePeriodSeconds',
    });
  }
  return out;
}
