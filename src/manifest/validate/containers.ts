/**
 * Container validation of k/k:pkg/apis/core/validation/validation.go: validateContainerCommon
 * (name, image, terminationMessagePolicy, ports, env, volume mounts, pull policy, resources),
 * validateHandler / validateProbe / validateLifecycle with the probe rules of regular containers
 * and sidecars.
 */
import {
  duplicate as dup,
  type FieldError,
  forbidden,
  invalid,
  notFound,
  notSupported,
  required,
} from '../../errors/field.ts';
import type { Warning } from '../../model/source.ts';
import { canonicalQuantity, compareQuantity, parseQuantity } from '../quantity.ts';
import {
  each,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortName,
  isValidPortNum,
  list,
  localDescendingPath,
  NEGATIVE,
  num,
  type Obj,
  obj,
  regexError,
  str,
  validatePortNumOrName,
} from './common.ts';
import { validateContainerSecurityContext } from './security-context.ts';

const HANDLER_ORDER_PROBE = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const HANDLER_ORDER_LIFECYCLE = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

function validateHandler(
  handler: Obj,
  field: string,
  order: readonly string[],
  gracePeriod: number,
): FieldError[] {
  const out: FieldError[] = [];
  let count = 0;
  for (const kind of order) {
    const h = obj(handler[kind]);
    if (!h) continue;
    const f = `${field}.${kind}`;
    if (count > 0) {
      out.push(forbidden(f, 'may not specify more than 1 handler type'));
      continue;
    }
    count++;
    if (kind === 'exec') {
      if (!Array.isArray(h.command) || h.command.length === 0) out.push(required(`${f}.command`));
    } else if (kind === 'httpGet') {
      if (str(h.path) === '') out.push(required(`${f}.path`));
      out.push(...validatePortNumOrName(h.port, `${f}.port`));
      const scheme = str(h.scheme);
      if (scheme !== 'HTTP' && scheme !== 'HTTPS')
        out.push(notSupported(`${f}.scheme`, scheme, ['HTTP', 'HTTPS']));
      for (const header of list(h.httpHeaders)) {
        const name = str(header.name);
        if (!/^[-A-Za-z0-9]+$/.test(name)) {
          out.push(
            invalid(
              `${f}.httpHeaders`,
              name,
              regexError(
                "a valid HTTP header must consist of alphanumeric characters or '-'",
                '[-A-Za-z0-9]+',
                'X-Header-Name',
              ),
            ),
          );
        }
      }
    } else if (kind === 'tcpSocket') {
      out.push(...validatePortNumOrName(h.port, `${f}.port`));
    } else if (kind === 'grpc') {
      const p = num(h.port);
      out.push(...isValidPortNum(p).map((m) => invalid(`${f}.port`, p, m)));
    } else if (kind === 'sleep') {
      // PodLifecycleSleepActionAllowZero is on by default in 1.33.
      const s = num(h.seconds);
      if (s < 0 || s > gracePeriod) {
        out.push(
          invalid(f, s, `must be non-negative and less than terminationGracePeriodSeconds (${gracePeriod})`),
        );
      }
    }
  }
  if (count === 0) out.push(required(field, 'must specify a handler type'));
  return out;
}

function validateProbe(probe: Obj, field: string, gracePeriod: number): FieldError[] {
  const out = validateHandler(probe, field, HANDLER_ORDER_PROBE, gracePeriod);
  for (const k of [
    'initialDelaySeconds',
    'timeoutSeconds',
    'periodSeconds',
    'successThreshold',
    'failureThreshold',
  ]) {
    const v = num(probe[k]);
    if (v < 0) out.push(invalid(`${field}.${k}`, v, NEGATIVE));
  }
  if (probe.terminationGracePeriodSeconds !== undefined && num(probe.terminationGracePeriodSeconds) <= 0) {
    out.push(
      invalid(
        `${field}.terminationGracePeriodSeconds`,
        num(probe.terminationGracePeriodSeconds),
        'must be greater than 0',
      ),
    );
  }
  return out;
}

export function validateProbes(c: Obj, path: string, gracePeriod: number): FieldError[] {
  const out: FieldError[] = [];
  const liveness = obj(c.livenessProbe);
  if (liveness) {
    out.push(...validateProbe(liveness, `${path}.livenessProbe`, gracePeriod));
    if (num(liveness.successThreshold) !== 1) {
      out.push(
        invalid(`${path}.livenessProbe.successThreshold`, num(liveness.successThreshold), 'must be 1'),
      );
    }
  }
  const readiness = obj(c.readinessProbe);
  if (readiness) {
    out.push(...validateProbe(readiness, `${path}.readinessProbe`, gracePeriod));
    if (readiness.terminationGracePeriodSeconds !== undefined) {
      out.push(
        invalid(
          `${path}.readinessProbe.terminationGracePeriodSeconds`,
          num(readiness.terminationGracePeriodSeconds),
          'must not be set for readinessProbes',
        ),
      );
    }
  }
  const startup = obj(c.startupProbe);
  if (startup) {
    out.push(...validateProbe(startup, `${path}.startupProbe`, gracePeriod));
    if (num(startup.successThreshold) !== 1) {
      out.push(invalid(`${path}.startupProbe.successThreshold`, num(startup.successThreshold), 'must be 1'));
    }
  }
  return out;
}

export function validateLifecycle(
  lifecycle: Obj,
  path: string,
  gracePeriod: number,
  warnings: Warning[],
): FieldError[] {
  const out: FieldError[] = [];
  for (const hook of ['postStart', 'preStop']) {
    const h = obj(lifecycle[hook]);
    if (!h) continue;
    out.push(...validateHandler(h, `${path}.${hook}`, HANDLER_ORDER_LIFECYCLE, gracePeriod));
    if (obj(h.tcpSocket)) {
      // Accepted by validation for compatibility, but the kubelet does not run it.
      warnings.push({
        message: `${path}.${hook}.tcpSocket: accepted by the API server for backward compatibility, but TCPSocket is not supported as a lifecycle handler: the hook fails when it runs`,
        field: `${path}.${hook}.tcpSocket`,
      });
    }
  }
  return out;
}

function validatePorts(ports: unknown, path: string): FieldError[] {
  const out: FieldError[] = [];
  const names = new Set<string>();
  list(ports).forEach((port, i) => {
    const p = `${path}[${i}]`;
    const name = str(port.name);
    if (name !== '') {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) out.push(...each(`${p}.name`, name, msgs));
      else if (names.has(name)) out.push(dup(`${p}.name`, name));
      else names.add(name);
    }
    const cp = num(port.containerPort);
    if (cp === 0) out.push(required(`${p}.containerPort`));
    else out.push(...isValidPortNum(cp).map((m) => invalid(`${p}.containerPort`, cp, m)));
    const hp = num(port.hostPort);
    if (hp !== 0) out.push(...isValidPortNum(hp).map((m) => invalid(`${p}.hostPort`, hp, m)));
    const proto = str(port.protocol);
    if (proto === '') out.push(required(`${p}.protocol`));
    else if (!['SCTP', 'TCP', 'UDP'].includes(proto))
      out.push(notSupported(`${p}.protocol`, proto, ['SCTP', 'TCP', 'UDP']));
  });
  return out;
}

function validateEnv(env: unknown, path: string): FieldError[] {
  const out: FieldError[] = [];
  list(env).forEach((e, i) => {
    const p = `${path}[${i}]`;
    const name = str(e.name);
    if (name === '') out.push(required(`${p}.name`));
    else if ([...name].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) > 0x7e || ch === '=')) {
      // RelaxedEnvironmentVariableValidation is on by default since 1.32.
      out.push(
        invalid(
          `${p}.name`,
          name,
          "a valid environment variable name must consist only of printable ASCII characters other than '='",
        ),
      );
    }
    const valueFrom = obj(e.valueFrom);
    if (valueFrom) out.push(...validateEnvVarValueFrom(valueFrom, str(e.value), `${p}.valueFrom`));
  });
  return out;
}

/**
 * validateEnvVarValueFrom: each source is validated, then the count (none; with `value`; more
 * than one), in upstream's order.
 */
function validateEnvVarValueFrom(valueFrom: Obj, value: string, path: string): FieldError[] {
  const out: FieldError[] = [];
  let sources = 0;
  const fieldRef = obj(valueFrom.fieldRef);
  if (fieldRef) {
    sources++;
    out.push(...validateFieldRef(str(fieldRef.fieldPath), `${path}.fieldRef`));
  }
  const resourceFieldRef = obj(valueFrom.resourceFieldRef);
  if (resourceFieldRef) {
    sources++;
    out.push(...validateResourceFieldRef(resourceFieldRef, `${path}.resourceFieldRef`));
  }
  for (const key of ['configMapKeyRef', 'secretKeyRef']) {
    const ref = obj(valueFrom[key]);
    if (!ref) continue;
    sources++;
    out.push(...validateKeySelector(ref, `${path}.${key}`));
  }
  if (sources === 0) {
    out.push(
      invalid(
        path,
        '',
        'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
      ),
    );
  } else if (value !== '') {
    out.push(invalid(path, '', 'may not be specified when `value` is not empty'));
  } else if (sources > 1) {
    out.push(invalid(path, '', 'may not have more than one field specified at a time'));
  }
  return out;
}

/** validateConfigMapKeySelector / validateSecretKeySelector: name as a DNS subdomain (even empty), key. */
function validateKeySelector(ref: Obj, path: string): FieldError[] {
  const name = str(ref.name);
  const out = each(`${path}.name`, name, isDNS1123Subdomain(name));
  const key = str(ref.key);
  if (key === '') out.push(required(`${path}.key`));
  else out.push(...each(`${path}.key`, key, isConfigMapKey(key)));
  return out;
}

/** validation.IsConfigMapKey messages. */
export function isConfigMapKey(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push('must be no more than 253 characters');
  if (!/^[-._a-zA-Z0-9]+$/.test(v))
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        '[-._a-zA-Z0-9]+',
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  if (v === '.') errs.push("must not be '.'");
  else if (v === '..') errs.push("must not be '..'");
  else if (v.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/** The resources an env var may read (validation.go validContainerResourceFieldPathExpressions). */
const ENV_RESOURCES = [
  'limits.cpu',
  'limits.ephemeral-storage',
  'limits.memory',
  'requests.cpu',
  'requests.ephemeral-storage',
  'requests.memory',
];

const SIZE_DIVISORS = ['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei'];

/** validateContainerResourceDivisor: the divisors each resource allows, and the words of the error. */
const DIVISORS: Record<string, { allowed: string[]; message: string }> = {
  cpu: {
    allowed: ['1m', '1'],
    message: "only divisor's values 1m and 1 are supported with the cpu resource",
  },
  memory: {
    allowed: SIZE_DIVISORS,
    message: `only divisor's values ${SIZE_DIVISORS.join(', ')} are supported with the memory resource`,
  },
  'ephemeral-storage': {
    allowed: SIZE_DIVISORS,
    message: `only divisor's values ${SIZE_DIVISORS.join(', ')} are supported with the local ephemeral storage resource`,
  },
};

/** validateContainerResourceFieldSelector for an env var (huge pages pass by their prefix). */
export function validateResourceFieldRef(ref: Obj, path: string, volume = false): FieldError[] {
  const resource = str(ref.resource);
  const out: FieldError[] = [];
  // Downward API volume files must name their container (validateContainerResourceFieldSelector).
  if (volume && str(ref.containerName) === '') out.push(required(`${path}.containerName`));
  else if (resource === '') out.push(required(`${path}.resource`));
  else if (!ENV_RESOURCES.includes(resource) && !/^(limits|requests)\.hugepages-/.test(resource))
    out.push(notSupported(`${path}.resource`, resource, ENV_RESOURCES));
  const divisor = parseQuantity(typeof ref.divisor === 'number' ? ref.divisor : str(ref.divisor));
  const rule = DIVISORS[resource.replace(/^(limits|requests)\./, '')];
  // An unset (zero) divisor means 1; the error shows the resource, as upstream's does.
  if (rule && divisor && divisor.num !== 0n && !rule.allowed.includes(canonicalQuantity(divisor)))
    out.push(invalid(`${path}.divisor`, resource, rule.message));
  return out;
}

/** The Downward API fields an env var may read (validation.go validEnvDownwardAPIFieldPathExpressions). */
const ENV_FIELD_PATHS = [
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.serviceAccountName',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
];

/** The Pod field labels of the v1 Downward API (pkg/api/v1/pod ConvertDownwardAPIFieldLabel). */
const POD_FIELD_LABELS = new Set([
  ...ENV_FIELD_PATHS,
  'metadata.annotations',
  'metadata.labels',
  'spec.restartPolicy',
  'spec.schedulerName',
  'status.phase',
]);

/** validateObjectFieldSelector for an env var's `fieldRef` (apiVersion is defaulted to v1). */
export function validateFieldRef(
  fieldPath: string,
  path: string,
  allowed: readonly string[] = ENV_FIELD_PATHS,
): FieldError[] {
  if (fieldPath === '') return [required(`${path}.fieldPath`)];
  const sub = /^(.*)\['(.*)'\]$/.exec(fieldPath);
  if (sub) {
    if (sub[1] === 'metadata.labels') return each(path, sub[2]!, isQualifiedName(sub[2]!));
    if (sub[1] === 'metadata.annotations') return each(path, sub[2]!, isQualifiedName(sub[2]!.toLowerCase()));
    const why = `field label does not support subscript: ${fieldPath}`;
    return [invalid(`${path}.fieldPath`, fieldPath, `error converting fieldPath: ${why}`)];
  }
  // `spec.host` is the old name of spec.nodeName.
  const label = fieldPath === 'spec.host' ? 'spec.nodeName' : fieldPath;
  if (!POD_FIELD_LABELS.has(label)) {
    const why = `field label not supported: ${fieldPath}`;
    return [invalid(`${path}.fieldPath`, fieldPath, `error converting fieldPath: ${why}`)];
  }
  if (!allowed.includes(label)) return [notSupported(`${path}.fieldPath`, label, [...allowed].sort())];
  return [];
}

/** validateMountRecursiveReadOnly. */
function recursiveReadOnly(m: Obj, field: string): FieldError[] {
  if (m.recursiveReadOnly === undefined || m.recursiveReadOnly === null) return [];
  const rro = str(m.recursiveReadOnly);
  if (rro === 'Disabled') return [];
  if (rro === 'Enabled' || rro === 'IfPossible') {
    const out: FieldError[] = [];
    if (m.readOnly !== true) out.push(forbidden(field, 'may only be specified when readOnly is true'));
    if (m.mountPropagation !== undefined && m.mountPropagation !== null && m.mountPropagation !== 'None')
      out.push(forbidden(field, 'may only be specified when mountPropagation is None or not specified'));
    return out;
  }
  return [notSupported(field, rro, ['Disabled', 'Enabled', 'IfPossible'])];
}

/** ValidateVolumeMounts: volume known, mount path required and unique, sub-paths, propagation. */
function validateVolumeMounts(container: Obj, path: string, volumes: Set<string>): FieldError[] {
  const mounts = container.volumeMounts;
  const out: FieldError[] = [];
  const mountPoints = new Set<string>();
  list(mounts).forEach((m, i) => {
    const p = `${path}[${i}]`;
    const name = str(m.name);
    if (name === '') out.push(required(`${p}.name`));
    if (!volumes.has(name)) out.push(notFound(`${p}.name`, name));
    const mountPath = str(m.mountPath);
    if (mountPath === '') out.push(required(`${p}.mountPath`));
    if (mountPoints.has(mountPath)) out.push(invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
    // Sub-path errors use the list's path, as upstream's do.
    const subPath = str(m.subPath);
    const subPathExpr = str(m.subPathExpr);
    if (subPath !== '') out.push(...localDescendingPath(subPath, `${path}.subPath`));
    if (subPathExpr !== '') {
      if (subPath !== '')
        out.push(invalid(`${p}.subPathExpr`, subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      out.push(...localDescendingPath(subPathExpr, `${path}.subPathExpr`));
    }
    if (m.mountPropagation !== undefined && m.mountPropagation !== null) {
      const mp = str(m.mountPropagation);
      const supported = ['Bidirectional', 'HostToContainer', 'None'];
      if (!supported.includes(mp)) out.push(notSupported(`${path}.mountPropagation`, mp, supported));
      if (mp === 'Bidirectional' && obj(container.securityContext)?.privileged !== true)
        out.push(
          forbidden(
            `${path}.mountPropagation`,
            'Bidirectional mount propagation is available only to privileged containers',
          ),
        );
    }
    out.push(...recursiveReadOnly(m, `${path}.recursiveReadOnly`));
  });
  return out;
}

const RELAXED_ENV_NAME =
  "a valid environment variable name must consist only of printable ASCII characters other than '='";

function relaxedEnvNameErrors(name: string): string[] {
  return [...name].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) > 0x7e || ch === '=')
    ? [RELAXED_ENV_NAME]
    : [];
}

/** ValidateEnvFrom: prefix (relaxed env name), exactly one of configMapRef / secretRef. */
function validateEnvFrom(envFrom: unknown, path: string): FieldError[] {
  const out: FieldError[] = [];
  list(envFrom).forEach((e, i) => {
    const p = `${path}[${i}]`;
    const prefix = str(e.prefix);
    if (prefix !== '') out.push(...each(`${p}.prefix`, prefix, relaxedEnvNameErrors(prefix)));
    let sources = 0;
    for (const key of ['configMapRef', 'secretRef']) {
      const ref = obj(e[key]);
      if (!ref) continue;
      sources++;
      const name = str(ref.name);
      if (name === '') out.push(required(`${p}.${key}.name`));
      else {
        // ValidateConfigMapName / ValidateSecretName with prefix=true: a trailing '-' is allowed.
        const masked = name.length > 1 && name.endsWith('-') ? `${name.slice(0, -1)}a` : name;
        out.push(...each(`${p}.${key}.name`, name, isDNS1123Subdomain(masked)));
      }
    }
    if (sources === 0) out.push(invalid(path, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (sources > 1) out.push(invalid(path, '', 'may not have more than one field specified at a time'));
  });
  return out;
}

export function validateContainerCommon(
  c: Obj,
  path: string,
  volumes: Set<string>,
  hostUsers = true,
): FieldError[] {
  const out: FieldError[] = [];
  const name = str(c.name);
  if (name === '') out.push(required(`${path}.name`));
  else out.push(...each(`${path}.name`, name, isDNS1123Label(name)));
  if (str(c.image) === '') out.push(required(`${path}.image`));
  const tmp = str(c.terminationMessagePolicy);
  if (tmp === '') out.push(required(`${path}.terminationMessagePolicy`));
  else if (tmp !== 'File' && tmp !== 'FallbackToLogsOnError') {
    out.push(notSupported(`${path}.terminationMessagePolicy`, tmp, ['File', 'FallbackToLogsOnError']));
  }
  out.push(...validatePorts(c.ports, `${path}.ports`));
  out.push(...validateEnv(c.env, `${path}.env`));
  out.push(...validateEnvFrom(c.envFrom, `${path}.envFrom`));
  out.push(...validateVolumeMounts(c, `${path}.volumeMounts`, volumes));
  const policy = str(c.imagePullPolicy);
  if (policy === '') out.push(required(`${path}.imagePullPolicy`));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(policy)) {
    out.push(notSupported(`${path}.imagePullPolicy`, policy, ['Always', 'IfNotPresent', 'Never']));
  }
  out.push(...validateResources(obj(c.resources), `${path}.resources`));
  out.push(...validateContainerSecurityContext(obj(c.securityContext), `${path}.securityContext`, hostUsers));
  return out;
}

// helper.IsStandardResourceName (core/helper/helpers.go).
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
// Requests may be lower than limits only for these (helper.IsOvercommitAllowed).
const OVERCOMMIT = new Set(['cpu', 'memory', 'ephemeral-storage']);

function validateContainerResourceName(name: string, field: string): FieldError[] {
  const out = each(field, name, isQualifiedName(name));
  if (
    out.length === 0 &&
    !name.includes('/') &&
    !STANDARD_RESOURCES.has(name) &&
    !name.startsWith('hugepages-')
  ) {
    out.push(invalid(field, name, 'must be a standard resource type or fully qualified'));
  }
  if (!name.includes('/')) {
    if (!CONTAINER_RESOURCES.has(name) && !name.startsWith('hugepages-')) {
      out.push(invalid(field, name, 'must be a standard resource for containers'));
    }
  } else if (!name.includes('kubernetes.io/') && name.startsWith('requests.')) {
    out.push(invalid(field, name, "doesn't follow extended resource name standard"));
  }
  return out;
}

/** ValidateResourceRequirements for a container (document order instead of Go's map order). */
export function validateResources(resources: Obj | undefined, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (!resources) return out;
  const limits = obj(resources.limits) ?? {};
  const requests = obj(resources.requests) ?? {};
  const parsed = (v: unknown) => parseQuantity(typeof v === 'number' ? v : str(v));
  for (const [name, value] of Object.entries(limits)) {
    const field = `${path}.limits[${name}]`;
    out.push(...validateContainerResourceName(name, field));
    const q = parsed(value);
    if (q && q.num < 0n) out.push(invalid(field, canonicalQuantity(q), NEGATIVE));
  }
  for (const [name, value] of Object.entries(requests)) {
    const field = `${path}.requests[${name}]`;
    out.push(...validateContainerResourceName(name, field));
    const q = parsed(value);
    if (!q) continue;
    if (q.num < 0n) out.push(invalid(field, canonicalQuantity(q), NEGATIVE));
    const limit = Object.hasOwn(limits, name) ? parsed(limits[name]) : undefined;
    if (!limit) continue;
    const cmp = compareQuantity(q, limit);
    if (cmp !== 0 && !OVERCOMMIT.has(name)) {
      out.push(
        invalid(
          `${path}.requests`,
          canonicalQuantity(q),
          `must be equal to ${name} limit of ${canonicalQuantity(limit)}`,
        ),
      );
    } else if (cmp > 0) {
      out.push(
        invalid(
          `${path}.requests`,
          canonicalQuantity(q),
          `must be less than or equal to ${name} limit of ${canonicalQuantity(limit)}`,
        ),
      );
    }
  }
  return out;
}
