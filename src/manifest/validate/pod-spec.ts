/**
 * Pod-level parts of k/k:pkg/apis/core/validation/validation.go ValidatePodSpec (release-1.33):
 * host network ports and host port conflicts, the pod security context, affinity, DNS config,
 * readiness and scheduling gates, topology spread, host users, tolerations, host aliases and
 * the named references (service account, node, priority class, runtime class), and OS.
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
  goStringSlice,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  list,
  localDescendingPath,
  maxLenError,
  num,
  type Obj,
  obj,
  regexError,
  str,
  validateIP,
  validateLabelName,
  validateLabelSelector,
} from './common.ts';

const ID_RANGE = 'must be between 0 and 2147483647, inclusive';

function isSet(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/**
 * validatePodHostNetworkDeps: with hostNetwork, every regular container port's hostPort must
 * equal its containerPort (the defaulter copied containerPort into an unset hostPort).
 */
export function validateHostNetworkPorts(spec: Obj): FieldError[] {
  if (spec.hostNetwork !== true) return [];
  const out: FieldError[] = [];
  list(spec.containers).forEach((c, i) => {
    list(c.ports).forEach((port, j) => {
      const hp = num(port.hostPort);
      if (hp !== num(port.containerPort))
        out.push(
          invalid(
            `spec.containers[${i}].ports[${j}].hostPort`,
            hp,
            'must match `containerPort` when `hostNetwork` is true',
          ),
        );
    });
  });
  return out;
}

/**
 * checkHostPortConflicts (AccumulateUniqueHostPorts): a `protocol/hostIP/hostPort` may be used
 * once. `base` is the list path the errors index from: upstream checks each init container
 * alone, so its errors always say `initContainers[0]`.
 */
export function hostPortConflicts(containers: Obj[], base: string): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  containers.forEach((c, i) => {
    list(c.ports).forEach((port, j) => {
      const hp = num(port.hostPort);
      if (hp === 0) return;
      const key = `${str(port.protocol)}/${str(port.hostIP)}/${hp}`;
      if (seen.has(key)) out.push(dup(`${base}[${i}].ports[${j}].hostPort`, key));
      else seen.add(key);
    });
  });
  return out;
}

// ---- security context ----

function idErrors(v: unknown, field: string): FieldError[] {
  if (!isSet(v)) return [];
  const n = num(v);
  return n < 0 || n > 2147483647 ? [invalid(field, n, ID_RANGE)] : [];
}

/** validateSeccompProfileField. */
function seccompProfile(sp: Obj | undefined, field: string): FieldError[] {
  if (!sp) return [];
  const out: FieldError[] = [];
  const type = str(sp.type);
  if (type === '') out.push(required(`${field}.type`, 'type is required when seccompProfile is set'));
  else if (!['Localhost', 'RuntimeDefault', 'Unconfined'].includes(type))
    out.push(notSupported(`${field}.type`, type, ['Localhost', 'RuntimeDefault', 'Unconfined']));
  if (type === 'Localhost') {
    if (!isSet(sp.localhostProfile))
      out.push(required(`${field}.localhostProfile`, 'must be set when seccomp type is Localhost'));
    else out.push(...localDescendingPath(str(sp.localhostProfile), `${field}.localhostProfile`));
  } else if (isSet(sp.localhostProfile)) {
    out.push(
      invalid(
        `${field}.localhostProfile`,
        { goSyntax: seccompGoSyntax(sp) },
        'can only be set when seccomp type is Localhost',
      ),
    );
  }
  return out;
}

function seccompGoSyntax(sp: Obj): string {
  return `&core.SeccompProfile{Type:${JSON.stringify(str(sp.type))}, LocalhostProfile:(*string)(…)}`;
}

/** ValidateAppArmorProfileField. */
function appArmorProfile(p: Obj | undefined, field: string): FieldError[] {
  if (!p) return [];
  const type = str(p.type);
  const local = p.localhostProfile;
  if (type === 'Localhost') {
    if (!isSet(local))
      return [required(`${field}.localhostProfile`, 'must be set when AppArmor type is Localhost')];
    const s = str(local);
    const out: FieldError[] = [];
    if (s.trim() !== s)
      out.push(invalid(`${field}.localhostProfile`, s, 'must not be padded with whitespace'));
    else if (s === '')
      out.push(required(`${field}.localhostProfile`, 'must be set when AppArmor type is Localhost'));
    if (s.length > 4095)
      out.push({ field: `${field}.localhostProfile`, body: 'Too long: may not be more than 4095 bytes' });
    return out;
  }
  if (type === 'RuntimeDefault' || type === 'Unconfined') {
    return isSet(local)
      ? [invalid(`${field}.localhostProfile`, str(local), 'can only be set when AppArmor type is Localhost')]
      : [];
  }
  if (type === '') return [required(`${field}.type`, 'type is required when appArmorProfile is set')];
  return [notSupported(`${field}.type`, type, ['Localhost', 'RuntimeDefault', 'Unconfined'])];
}

/**
 * ValidateSecurityContext for a container (privileged is allowed: kubeadm and kind run the API
 * server with --allow-privileged=true). The `allowPrivilegeEscalation` conflicts print the whole
 * internal struct upstream (with pointer addresses); podlab prints a stable stand-in.
 */
export function validateContainerSecurityContext(sc: Obj | undefined, field: string): FieldError[] {
  if (!sc) return [];
  const out: FieldError[] = [];
  out.push(...idErrors(sc.runAsUser, `${field}.runAsUser`));
  out.push(...idErrors(sc.runAsGroup, `${field}.runAsGroup`));
  if (isSet(sc.procMount) && !['Default', 'Unmasked'].includes(str(sc.procMount)))
    out.push(notSupported(`${field}.procMount`, str(sc.procMount), ['Default', 'Unmasked']));
  out.push(...seccompProfile(obj(sc.seccompProfile), `${field}.seccompProfile`));
  if (sc.allowPrivilegeEscalation === false) {
    const value = { goSyntax: '&core.SecurityContext{…}' };
    if (sc.privileged === true)
      out.push(
        invalid(field, value, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'),
      );
    const add = obj(sc.capabilities)?.add;
    if (Array.isArray(add) && add.includes('CAP_SYS_ADMIN'))
      out.push(
        invalid(
          field,
          value,
          'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN',
        ),
      );
  }
  out.push(...appArmorProfile(obj(sc.appArmorProfile), `${field}.appArmorProfile`));
  return out;
}

const SYSCTL_RE = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;

/** utilsysctl.GetNamespace: the kernel namespace a sysctl belongs to. */
function sysctlNamespace(name: string): 'net' | 'ipc' | '' {
  const n = name.replaceAll('/', '.');
  if (n.startsWith('net.')) return 'net';
  if (['kernel.sem'].includes(n) || /^(kernel\.shm|kernel\.msg|fs\.mqueue\.)/.test(n)) return 'ipc';
  return '';
}

/** validatePodSpecSecurityContext (hostNetwork/hostPID/hostIPC live in the spec in v1). */
export function validatePodSecurityContext(spec: Obj): FieldError[] {
  const sc = obj(spec.securityContext);
  if (!sc) return [];
  const f = 'spec.securityContext';
  const out: FieldError[] = [];
  out.push(...idErrors(sc.fsGroup, `${f}.fsGroup`));
  out.push(...idErrors(sc.runAsUser, `${f}.runAsUser`));
  out.push(...idErrors(sc.runAsGroup, `${f}.runAsGroup`));
  if (Array.isArray(sc.supplementalGroups))
    sc.supplementalGroups.forEach((g, i) => {
      out.push(...idErrors(g, `${f}.supplementalGroups[${i}]`));
    });
  if (spec.shareProcessNamespace === true && spec.hostPID === true)
    out.push(
      invalid(`${f}.shareProcessNamespace`, true, 'ShareProcessNamespace and HostPID cannot both be enabled'),
    );
  const names = new Set<string>();
  list(sc.sysctls).forEach((s, i) => {
    const p = `${f}.sysctls[${i}].name`;
    const name = str(s.name);
    if (name === '') out.push(required(p));
    else if (name.length > 253 || !SYSCTL_RE.test(name))
      out.push(
        invalid(p, name, `must have at most 253 characters and match regex ^${SYSCTL_RE.source.slice(1)}`),
      );
    else if (names.has(name)) out.push(dup(p, name));
    const ns = sysctlNamespace(name);
    if (ns === 'net' && spec.hostNetwork === true)
      out.push(invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    else if (ns === 'ipc' && spec.hostIPC === true)
      out.push(invalid(p, name, "may not be specified when 'hostIPC' is true"));
    names.add(name);
  });
  if (isSet(sc.fsGroupChangePolicy) && !['Always', 'OnRootMismatch'].includes(str(sc.fsGroupChangePolicy)))
    out.push(
      notSupported(`${f}.fsGroupChangePolicy`, str(sc.fsGroupChangePolicy), ['Always', 'OnRootMismatch']),
    );
  out.push(...seccompProfile(obj(sc.seccompProfile), `${f}.seccompProfile`));
  out.push(...appArmorProfile(obj(sc.appArmorProfile), `${f}.appArmorProfile`));
  // SupplementalGroupsPolicy and SELinuxChangePolicy are beta and on by default in 1.33.
  if (isSet(sc.supplementalGroupsPolicy) && !['Merge', 'Strict'].includes(str(sc.supplementalGroupsPolicy)))
    out.push(
      notSupported(`${f}.supplementalGroupsPolicy`, str(sc.supplementalGroupsPolicy), ['Merge', 'Strict']),
    );
  if (isSet(sc.seLinuxChangePolicy) && !['MountOption', 'Recursive'].includes(str(sc.seLinuxChangePolicy)))
    out.push(
      notSupported(`${f}.seLinuxChangePolicy`, str(sc.seLinuxChangePolicy), ['MountOption', 'Recursive']),
    );
  return out;
}

// ---- affinity ----

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

// ---- DNS, gates, topology spread ----

const SUBDOMAIN_US_FMT = '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*';

/** IsDNS1123SubdomainWithUnderscore (RelaxedDNSSearchValidation is beta and on in 1.33). */
function isSubdomainWithUnderscore(v: string): string[] {
  const errs: string[] = [];
  if (v.length > 253) errs.push(maxLenError(253));
  if (!new RegExp(`^${SUBDOMAIN_US_FMT}$`).test(v))
    errs.push(
      regexError(
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character",
        SUBDOMAIN_US_FMT,
        'example.com',
      ),
    );
  return errs;
}

/** validatePodDNSConfig: `None` needs nameservers; at most 3 nameservers and 32 searches. */
export function validateDNSConfig(spec: Obj): FieldError[] {
  const f = 'spec.dnsConfig';
  const cfg = obj(spec.dnsConfig);
  const nameservers = Array.isArray(cfg?.nameservers) ? cfg.nameservers.map(str) : [];
  if (str(spec.dnsPolicy) === 'None') {
    if (!cfg) return [required(f, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (nameservers.length === 0)
      return [
        required(`${f}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None'),
      ];
  }
  if (!cfg) return [];
  const out: FieldError[] = [];
  if (nameservers.length > 3)
    out.push(
      invalid(`${f}.nameservers`, goStringSlice(nameservers), 'must not have more than 3 nameservers'),
    );
  nameservers.forEach((ns, i) => {
    out.push(...validateIP(ns, `${f}.nameservers[${i}]`));
  });
  const searches = Array.isArray(cfg.searches) ? cfg.searches.map(str) : [];
  if (searches.length > 32)
    out.push(invalid(`${f}.searches`, goStringSlice(searches), 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048)
    out.push(
      invalid(
        `${f}.searches`,
        goStringSlice(searches),
        'must not have more than 2048 characters (including spaces) in the search list',
      ),
    );
  searches.forEach((s, i) => {
    if (s === '.') return;
    const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
    out.push(...each(`${f}.searches[${i}]`, trimmed, isSubdomainWithUnderscore(trimmed)));
  });
  list(cfg.options).forEach((o, i) => {
    if (str(o.name) === '') out.push(required(`${f}.options[${i}]`, 'must not be empty'));
  });
  return out;
}

/** validateReadinessGates and validateSchedulingGates. */
export function validateGates(spec: Obj): FieldError[] {
  const out: FieldError[] = [];
  list(spec.readinessGates).forEach((g, i) => {
    const t = str(g.conditionType);
    out.push(...each(`spec.readinessGates[${i}].conditionType`, t, isQualifiedName(t)));
  });
  const seen = new Set<string>();
  list(spec.schedulingGates).forEach((g, i) => {
    const name = str(g.name);
    out.push(...each(`spec.schedulingGates[${i}]`, name, isQualifiedName(name)));
    if (seen.has(name)) out.push(dup(`spec.schedulingGates[${i}]`, name));
    seen.add(name);
  });
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

/**
 * validateHostUsers: with `hostUsers: false` (UserNamespacesSupport, on by default in 1.33) the
 * Pod may not share the host's network, PID or IPC namespace (upstream's paths).
 */
export function validateHostUsers(spec: Obj): FieldError[] {
  if (obj(spec.securityContext)?.hostUsers !== false && spec.hostUsers !== false) return [];
  const out: FieldError[] = [];
  if (spec.hostNetwork === true)
    out.push(forbidden('spec.hostNetwork', 'when `pod.Spec.HostUsers` is false'));
  if (spec.hostPID === true) out.push(forbidden('spec.HostPID', 'when `pod.Spec.HostUsers` is false'));
  if (spec.hostIPC === true) out.push(forbidden('spec.HostIPC', 'when `pod.Spec.HostUsers` is false'));
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

/** ValidateHostAliases. */
export function validateHostAliases(spec: Obj): FieldError[] {
  const out: FieldError[] = [];
  list(spec.hostAliases).forEach((a, i) => {
    out.push(...validateIP(str(a.ip), `spec.hostAliases[${i}].ip`));
    (Array.isArray(a.hostnames) ? a.hostnames.map(str) : []).forEach((h, j) => {
      out.push(...each(`spec.hostAliases[${i}].hostnames[${j}]`, h, isDNS1123Subdomain(h)));
    });
  });
  return out;
}

/** A name field validated as a DNS subdomain when set (service account, node, priority class, …). */
export function subdomainField(spec: Obj, key: string): FieldError[] {
  const v = str(spec[key]);
  return v === '' ? [] : each(`spec.${key}`, v, isDNS1123Subdomain(v));
}

/** preemptionPolicy, runtimeClassName and os (the tail of ValidatePodSpec). */
export function validateSpecTail(spec: Obj): FieldError[] {
  const out = subdomainField(spec, 'priorityClassName');
  if (isSet(spec.runtimeClassName)) {
    const v = str(spec.runtimeClassName);
    out.push(...each('spec.runtimeClassName', v, isDNS1123Subdomain(v)));
  }
  if (isSet(spec.preemptionPolicy)) {
    const v = str(spec.preemptionPolicy);
    if (v === '') out.push(required('spec.preemptionPolicy'));
    else if (v !== 'PreemptLowerPriority' && v !== 'Never')
      out.push(notSupported('spec.preemptionPolicy', v, ['PreemptLowerPriority', 'Never']));
  }
  const os = obj(spec.os);
  if (os) {
    const name = str(os.name);
    if (name === '') out.push(required('spec.os.name', 'cannot be empty'));
    else if (name !== 'linux' && name !== 'windows')
      out.push(notSupported('spec.os', name, ['linux', 'windows']));
  }
  return out;
}
