/**
 * API validation of a defaulted Pod or Service, in the order and with the words of
 * k/k:pkg/apis/core/validation/validation.go (ValidatePodCreate, ValidatePodSpec,
 * validateContainers, validateInitContainers, validateProbe, validateHandler, validateLifecycle,
 * ValidateService) and k8s.io/apimachinery validation helpers (names, labels, ports). Only the
 * rules a pod-lifecycle lab can reach are implemented; docs/manifests.md lists them.
 */
import {
  duplicate as dup,
  type FieldError,
  forbidden,
  invalid,
  notSupported,
  required,
  tooLong,
} from '../errors/field.ts';
import type { Warning } from '../model/source.ts';
import { VOLUME_SOURCES } from './defaults.ts';
import { canonicalQuantity, compareQuantity, parseQuantity } from './quantity.ts';

type Obj = Record<string, unknown>;

/** Validation outcome: causes in the API server's order, plus warnings. */
export interface ValidationResult {
  errors: FieldError[];
  warnings: Warning[];
}

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}
function list(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map((x) => obj(x) ?? {}) : [];
}
function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

// ---- k8s.io/apimachinery/pkg/util/validation (validation.go) ----

/** RegexError: `msg (e.g. 'a',  or 'b', regex used for validation is 'fmt')`. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) out += ' or ';
    out += `'${e}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}
function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const QNAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QNAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

const re = (fmt: string): RegExp => new RegExp(`^${fmt}$`);
const DNS1123_LABEL_RE = re(DNS1123_LABEL_FMT);
const DNS1123_SUBDOMAIN_RE = re(DNS1123_SUBDOMAIN_FMT);
const DNS1035_LABEL_RE = re(DNS1035_LABEL_FMT);
const QNAME_RE = re(QNAME_FMT);
const LABEL_VALUE_RE = re(LABEL_VALUE_FMT);

/** IsDNS1123Label messages. */
export function isDNS1123Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!DNS1123_LABEL_RE.test(v)) {
    // It is a valid subdomain but not a label: the length was checked, so it must be dots.
    if (DNS1123_SUBDOMAIN_RE.test(v)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

/** IsDNS1123Subdomain messages. */
export function isDNS1123Subdomain(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLenError(253));
  if (!DNS1123_SUBDOMAIN_RE.test(v))
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  return errs;
}

/** IsDNS1035Label messages. */
export function isDNS1035Label(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!DNS1035_LABEL_RE.test(v))
    errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  return errs;
}

/** IsQualifiedName messages (label keys, annotation keys). */
export function isQualifiedName(v: string): string[] {
  const errs: string[] = [];
  const parts = v.split('/');
  let name: string;
  if (parts.length === 1) name = parts[0]!;
  else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix)) errs.push(`prefix part ${m}`);
  } else {
    return [
      `a qualified name ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!QNAME_RE.test(name))
    errs.push(`name part ${regexError(QNAME_MSG, QNAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  return errs;
}

/** IsValidLabelValue messages. */
export function isValidLabelValue(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 63) errs.push(maxLenError(63));
  if (!LABEL_VALUE_RE.test(v))
    errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

/** IsValidPortNum messages. */
export function isValidPortNum(p: number): string[] {
  return p >= 1 && p <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** IsValidPortName messages (IANA_SVC_NAME). */
export function isValidPortName(p: string): string[] {
  const errs: string[] = [];
  if (p.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(p))
    errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(p)) errs.push('must contain at least one letter (a-z)');
  if (p.includes('--')) errs.push('must not contain consecutive hyphens');
  if (p.length > 0 && (p.startsWith('-') || p.endsWith('-')))
    errs.push('must not begin or end with a hyphen');
  return errs;
}

const NEGATIVE = 'must be greater than or equal to 0';

function each(field: string, value: string, msgs: string[]): FieldError[] {
  return msgs.map((m) => invalid(field, value, m));
}

/** ValidateLabels: keys are qualified names, values label values (document order). */
function validateLabels(labels: unknown, field: string): FieldError[] {
  const out: FieldError[] = [];
  const m = obj(labels);
  if (!m) return out;
  for (const [k, v] of Object.entries(m)) {
    out.push(...each(field, k, isQualifiedName(k)));
    out.push(...each(field, str(v), isValidLabelValue(str(v))));
  }
  return out;
}

/** ValidateAnnotations: keys are qualified names (lower-cased), total size at most 256 KiB. */
function validateAnnotations(annotations: unknown, field: string): FieldError[] {
  const out: FieldError[] = [];
  const m = obj(annotations);
  if (!m) return out;
  let size = 0;
  for (const [k, v] of Object.entries(m)) {
    out.push(...each(field, k, isQualifiedName(k.toLowerCase())));
    size += k.length + str(v).length;
  }
  if (size > 262144) out.push(tooLong(field, 262144));
  return out;
}

function validateObjectMeta(meta: Obj, nameFn: (v: string) => string[]): FieldError[] {
  const out: FieldError[] = [];
  const generateName = str(meta.generateName);
  if (generateName !== '') {
    // The name validators run on the prefix with the trailing '-' allowed (maskTrailingDash).
    const masked =
      generateName.length > 1 && generateName.endsWith('-') ? `${generateName.slice(0, -1)}a` : generateName;
    out.push(...each('metadata.generateName', generateName, nameFn(masked)));
  }
  const name = str(meta.name);
  if (name === '') out.push(required('metadata.name', 'name or generateName is required'));
  else out.push(...each('metadata.name', name, nameFn(name)));
  const ns = str(meta.namespace);
  if (ns === '') out.push(required('metadata.namespace'));
  else out.push(...each('metadata.namespace', ns, isDNS1123Label(ns)));
  out.push(...validateLabels(meta.labels, 'metadata.labels'));
  out.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  return out;
}

// ---- Pods ----

const HANDLER_ORDER_PROBE = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const HANDLER_ORDER_LIFECYCLE = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;

function validatePortNumOrName(port: unknown, field: string): FieldError[] {
  if (typeof port === 'string') return each(field, port, isValidPortName(port));
  const n = num(port);
  return isValidPortNum(n).map((m) => invalid(field, n, m));
}

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

function validateProbes(c: Obj, path: string, gracePeriod: number): FieldError[] {
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

function validateLifecycle(
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
    if (valueFrom) {
      const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) =>
        obj(valueFrom[k]),
      );
      if (str(e.value) !== '')
        out.push(invalid(`${p}.valueFrom`, '', 'may not be specified when `value` is not empty'));
      if (sources.length === 0) {
        out.push(
          invalid(
            `${p}.valueFrom`,
            '',
            'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
          ),
        );
      } else if (sources.length > 1) {
        out.push(invalid(`${p}.valueFrom`, '', 'may not have more than one field specified at a time'));
      } else if (sources[0] === 'fieldRef') {
        out.push(...validateEnvFieldRef(str(obj(valueFrom.fieldRef)?.fieldPath), `${p}.valueFrom.fieldRef`));
      } else if (sources[0] === 'resourceFieldRef') {
        out.push(
          ...validateEnvResourceRef(obj(valueFrom.resourceFieldRef)!, `${p}.valueFrom.resourceFieldRef`),
        );
      }
    }
  });
  return out;
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
function validateEnvResourceRef(ref: Obj, path: string): FieldError[] {
  const resource = str(ref.resource);
  const out: FieldError[] = [];
  if (resource === '') out.push(required(`${path}.resource`));
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
function validateEnvFieldRef(fieldPath: string, path: string): FieldError[] {
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
  if (!ENV_FIELD_PATHS.includes(label)) return [notSupported(`${path}.fieldPath`, label, ENV_FIELD_PATHS)];
  return [];
}

function validateVolumeMounts(mounts: unknown, path: string, volumes: Set<string>): FieldError[] {
  const out: FieldError[] = [];
  const mountPoints = new Set<string>();
  list(mounts).forEach((m, i) => {
    const p = `${path}[${i}]`;
    const name = str(m.name);
    if (name === '') out.push(required(`${p}.name`));
    if (!volumes.has(name)) out.push({ field: `${p}.name`, body: `Not found: ${JSON.stringify(name)}` });
    const mountPath = str(m.mountPath);
    if (mountPath === '') out.push(required(`${p}.mountPath`));
    if (mountPoints.has(mountPath)) out.push(invalid(`${p}.mountPath`, mountPath, 'must be unique'));
    mountPoints.add(mountPath);
  });
  return out;
}

function validateContainerCommon(c: Obj, path: string, volumes: Set<string>): FieldError[] {
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
  out.push(...validateVolumeMounts(c.volumeMounts, `${path}.volumeMounts`, volumes));
  const policy = str(c.imagePullPolicy);
  if (policy === '') out.push(required(`${path}.imagePullPolicy`));
  else if (!['Always', 'IfNotPresent', 'Never'].includes(policy)) {
    out.push(notSupported(`${path}.imagePullPolicy`, policy, ['Always', 'IfNotPresent', 'Never']));
  }
  out.push(...validateResources(obj(c.resources), `${path}.resources`));
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
function validateResources(resources: Obj | undefined, path: string): FieldError[] {
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

function validateVolumes(volumes: unknown, out: FieldError[]): Set<string> {
  const names = new Set<string>();
  list(volumes).forEach((v, i) => {
    const p = `spec.volumes[${i}]`;
    const el: FieldError[] = [];
    const sources = VOLUME_SOURCES.filter((s) => v[s] !== undefined);
    if (sources.length === 0) el.push(required(p, 'must specify a volume type'));
    for (const extra of sources.slice(1))
      el.push(forbidden(`${p}.${extra}`, 'may not specify more than 1 volume type'));
    const name = str(v.name);
    if (name === '') el.push(required(`${p}.name`));
    else el.push(...each(`${p}.name`, name, isDNS1123Label(name)));
    if (names.has(name)) el.push(dup(`${p}.name`, name));
    if (el.length === 0) names.add(name);
    else out.push(...el);
  });
  return names;
}

/** ValidatePodCreate for a defaulted Pod. */
export function validatePod(pod: Obj, _operation: 'create' | 'apply'): ValidationResult {
  const errors: FieldError[] = [];
  const warnings: Warning[] = [];
  const meta = obj(pod.metadata) ?? {};
  errors.push(...validateObjectMeta(meta, isDNS1123Subdomain));
  const spec = obj(pod.spec) ?? {};
  const gracePeriod = num(spec.terminationGracePeriodSeconds);
  const volumes = validateVolumes(spec.volumes, errors);
  const containers = list(spec.containers);
  const initContainers = list(spec.initContainers);
  // validateContainers
  if (containers.length === 0) {
    errors.push(required('spec.containers'));
  } else {
    const names = new Set<string>();
    containers.forEach((c, i) => {
      const path = `spec.containers[${i}]`;
      errors.push(...validateContainerCommon(c, path, volumes));
      const name = str(c.name);
      if (names.has(name)) errors.push(dup(`${path}.name`, name));
      else names.add(name);
      const lifecycle = obj(c.lifecycle);
      if (lifecycle) errors.push(...validateLifecycle(lifecycle, `${path}.lifecycle`, gracePeriod, warnings));
      errors.push(...validateProbes(c, path, gracePeriod));
      if (c.restartPolicy !== undefined)
        errors.push(forbidden(`${path}.restartPolicy`, 'may not be set for non-init containers'));
    });
  }
  // validateInitContainers: names are unique across regular and init containers.
  const allNames = new Set(containers.map((c) => str(c.name)));
  initContainers.forEach((c, i) => {
    const path = `spec.initContainers[${i}]`;
    errors.push(...validateContainerCommon(c, path, volumes));
    let sidecar = false;
    if (c.restartPolicy !== undefined) {
      const rp = str(c.restartPolicy);
      if (rp !== 'Always') errors.push(notSupported(`${path}.restartPolicy`, rp, ['Always']));
      sidecar = rp === 'Always';
    }
    const name = str(c.name);
    if (allNames.has(name)) errors.push(dup(`${path}.name`, name));
    else if (name !== '') allNames.add(name);
    if (sidecar) {
      const lifecycle = obj(c.lifecycle);
      if (lifecycle) errors.push(...validateLifecycle(lifecycle, `${path}.lifecycle`, gracePeriod, warnings));
      errors.push(...validateProbes(c, path, gracePeriod));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (c[f] !== undefined)
          errors.push(
            forbidden(`${path}.${f}`, 'may not be set for init containers without restartPolicy=Always'),
          );
      }
    }
  });
  // validateRestartPolicy, validateDNSPolicy
  const rp = str(spec.restartPolicy);
  if (rp === '') errors.push(required('spec.restartPolicy'));
  else if (!['Always', 'OnFailure', 'Never'].includes(rp)) {
    errors.push(notSupported('spec.restartPolicy', rp, ['Always', 'OnFailure', 'Never']));
  }
  const dns = str(spec.dnsPolicy);
  if (dns === '') errors.push(required('spec.dnsPolicy'));
  else if (!['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'].includes(dns)) {
    errors.push(
      notSupported('spec.dnsPolicy', dns, ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']),
    );
  }
  errors.push(...validateLabels(spec.nodeSelector, 'spec.nodeSelector'));
  if (dns === 'None' && spec.dnsConfig === undefined) {
    errors.push(required('spec.dnsConfig', 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  if (spec.activeDeadlineSeconds !== undefined) {
    const v = num(spec.activeDeadlineSeconds);
    if (v < 1 || v > 2147483647)
      errors.push(invalid('spec.activeDeadlineSeconds', v, 'must be between 1 and 2147483647, inclusive'));
  }
  const hostname = str(spec.hostname);
  if (hostname !== '') errors.push(...each('spec.hostname', hostname, isDNS1123Label(hostname)));
  const subdomain = str(spec.subdomain);
  if (subdomain !== '') errors.push(...each('spec.subdomain', subdomain, isDNS1123Label(subdomain)));
  // ValidatePodCreate
  if (list(spec.ephemeralContainers).length > 0)
    errors.push(forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  for (const [key, cs] of [
    ['containers', containers],
    ['initContainers', initContainers],
  ] as const) {
    cs.forEach((c, i) => {
      const image = str(c.image);
      if (image.length !== image.trim().length) {
        errors.push(
          invalid(`spec.${key}[${i}].image`, image, 'must not have leading or trailing whitespace'),
        );
      }
    });
  }
  return { errors, warnings };
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

// ---- Services ----

/** Go's %#v of the (protocol, port) key ValidateService reports duplicate ports with. */
function servicePortKey(protocol: string, port: number): string {
  return `core.ServicePort{Name:"", Protocol:"${protocol}", AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

/** ValidateService for a defaulted Service. */
export function validateService(svc: Obj, _operation: 'create' | 'apply'): ValidationResult {
  const errors: FieldError[] = [];
  const warnings: Warning[] = [];
  errors.push(...validateObjectMeta(obj(svc.metadata) ?? {}, isDNS1035Label));
  const spec = obj(svc.spec) ?? {};
  const type = str(spec.type);
  const headless = spec.clusterIP === 'None';
  const ports = list(spec.ports);
  if (ports.length === 0 && !headless && type !== 'ExternalName') errors.push(required('spec.ports'));
  if (type === 'ExternalName') {
    const cname = str(spec.externalName).replace(/\.$/, '');
    if (cname !== '') errors.push(...each('spec.externalName', cname, isDNS1123Subdomain(cname)));
    else errors.push(required('spec.externalName'));
  }
  const names = new Set<string>();
  ports.forEach((sp, i) => {
    const p = `spec.ports[${i}]`;
    const name = str(sp.name);
    if (ports.length > 1 && name === '') errors.push(required(`${p}.name`));
    else if (name !== '') {
      errors.push(...each(`${p}.name`, name, isDNS1123Label(name)));
      if (names.has(name)) errors.push(dup(`${p}.name`, name));
      else names.add(name);
    }
    const port = num(sp.port);
    errors.push(...isValidPortNum(port).map((m) => invalid(`${p}.port`, port, m)));
    const proto = str(sp.protocol);
    if (proto === '') errors.push(required(`${p}.protocol`));
    else if (!['SCTP', 'TCP', 'UDP'].includes(proto))
      errors.push(notSupported(`${p}.protocol`, proto, ['SCTP', 'TCP', 'UDP']));
    errors.push(...validatePortNumOrName(sp.targetPort, `${p}.targetPort`));
  });
  if (spec.selector !== undefined) errors.push(...validateLabels(spec.selector, 'spec.selector'));
  const affinity = str(spec.sessionAffinity);
  if (affinity === '') errors.push(required('spec.sessionAffinity'));
  else if (affinity !== 'ClientIP' && affinity !== 'None') {
    errors.push(notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  }
  if (affinity !== 'ClientIP' && spec.sessionAffinityConfig !== undefined) {
    errors.push(
      forbidden('spec.sessionAffinityConfig', `must not be set when session affinity is ${affinity}`),
    );
  }
  if (type === '') errors.push(required('spec.type'));
  else if (!['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'].includes(type)) {
    errors.push(notSupported('spec.type', type, ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']));
  }
  if (type === 'ClusterIP') {
    ports.forEach((sp, i) => {
      if (num(sp.nodePort) !== 0)
        errors.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  }
  const seen = new Set<string>();
  ports.forEach((sp, i) => {
    const key = `${str(sp.protocol)}/${num(sp.port)}`;
    if (seen.has(key))
      errors.push(dup(`spec.ports[${i}]`, { goSyntax: servicePortKey(str(sp.protocol), num(sp.port)) }));
    seen.add(key);
  });
  return { errors, warnings };
}
