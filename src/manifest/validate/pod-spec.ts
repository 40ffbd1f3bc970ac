/**
 * Pod-level parts of k/k:pkg/apis/core/validation/validation.go ValidatePodSpec (release-1.33):
 * host network ports and host port conflicts, DNS config, readiness and scheduling gates, host
 * users, host aliases and the named references (service account, node, priority class, runtime
 * class), and OS. Security contexts live in security-context.ts; affinity, topology spread and
 * tolerations in scheduling.ts. Feature gates follow 1.33's defaults (noted where one matters).
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
  isDNS1123Subdomain,
  isQualifiedName,
  isSet,
  list,
  maxLenError,
  num,
  type Obj,
  obj,
  regexError,
  str,
  validateIP,
} from './common.ts';

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

// ---- DNS and gates ----

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

/**
 * validateHostUsers: with `hostUsers: false` (UserNamespacesSupport, on by default in 1.33) the
 * Pod may not share the host's network, PID or IPC namespace (upstream's paths).
 */
export function validateHostUsers(spec: Obj): FieldError[] {
  // v1 keeps hostUsers in the spec (internally it lives in the pod security context).
  if (spec.hostUsers !== false) return [];
  const out: FieldError[] = [];
  if (spec.hostNetwork === true)
    out.push(forbidden('spec.hostNetwork', 'when `pod.Spec.HostUsers` is false'));
  if (spec.hostPID === true) out.push(forbidden('spec.HostPID', 'when `pod.Spec.HostUsers` is false'));
  if (spec.hostIPC === true) out.push(forbidden('spec.HostIPC', 'when `pod.Spec.HostUsers` is false'));
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
