/**
 * Service creation as a 1.33 API server does it: the registry's BeginCreate hook first
 * (pkg/registry/core/service/storage: normalizeClusterIPs, alloc.go initIPFamilyFields,
 * allocClusterIPs, initNodePorts), whose errors are returned alone, then ValidateService
 * (k/k:pkg/apis/core/validation/validation.go) on the object the allocator completed.
 * The simulated cluster is single-stack IPv4 with the kubeadm service CIDR 10.96.0.0/12 and the
 * default node port range 30000-32767. MultiCIDRServiceAllocator is GA and on in 1.33, so a
 * cluster IP outside every ServiceCIDR fails with the meta allocator's "the provided network
 * does not match the current range".
 */
import {
  duplicate as dup,
  type FieldError,
  forbidden,
  invalid,
  notSupported,
  required,
} from '../../errors/field.ts';
import type { Warning } from '../../model/source.ts';
import { KUBE_DNS_IP, KUBERNETES_SERVICE_IP } from '../../sim/cluster/ips.ts';
import {
  each,
  goStringSlice,
  ipFamilyOf,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidPortNum,
  list,
  num,
  type Obj,
  obj,
  parseIPv4Sloppy,
  str,
  type ValidationResult,
  validateIP,
  validateLabels,
  validateObjectMeta,
  validatePortNumOrName,
} from './common.ts';

/** The simulated service CIDR (src/sim/cluster/ips.ts) and node port range. */
export const SERVICE_CIDR = '10.96.0.0/12';
export const NODE_PORT_RANGE = '30000-32767';

/**
 * Cluster IPs and node ports already held while one file is applied: the built-in Services'
 * addresses, then each created Service's. Only a real apply keeps what it allocates.
 */
export interface AllocationState {
  ips: Set<string>;
  nodePorts: Set<number>;
}

/** A fresh cluster: `kubernetes` (10.96.0.1) and `kube-dns` (10.96.0.10) hold their IPs. */
export function freshAllocation(): AllocationState {
  return { ips: new Set([KUBERNETES_SERVICE_IP, KUBE_DNS_IP]), nodePorts: new Set() };
}

/** Options of a Service create: a server dry run keeps nothing and skips some checks. */
export interface ServiceCreateOptions {
  dryRun: boolean;
  allocation: AllocationState;
}

/** Go's %#v of the (protocol, port) key ValidateService reports duplicate ports with. */
function servicePortKey(protocol: string, port: number): string {
  return `core.ServicePort{Name:"", Protocol:"${protocol}", AppProtocol:(*string)(nil), Port:${port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(str) : [];
}

function isHeadless(spec: Obj): boolean {
  const ips = strings(spec.clusterIPs);
  return ips.length === 1 && ips[0] === 'None';
}

/**
 * Creates a defaulted Service the way the registry does: allocation errors alone, else the
 * validation errors. `allocated` lists what a successful real create holds afterwards.
 */
export function createService(
  svc: Obj,
  options: ServiceCreateOptions = { dryRun: false, allocation: freshAllocation() },
): ValidationResult & { allocated?: { ip?: string; nodePorts: number[] } } {
  const warnings: Warning[] = [];
  // The allocator works on its own copy: the object podlab keeps is the one the student wrote.
  const copy = structuredClone(svc);
  const spec = obj(copy.spec) ?? {};
  copy.spec = spec;
  // An externally accessible ClusterIP Service (one with externalIPs) gets
  // externalTrafficPolicy Cluster before validation, as NodePort and LoadBalancer ones do in
  // defaults.ts (test/integration/service: "externalTrafficPolicy was not set for clusterIP
  // Service with externalIPs").
  if (
    str(spec.type) === 'ClusterIP' &&
    strings(spec.externalIPs).length > 0 &&
    str(spec.externalTrafficPolicy) === ''
  )
    spec.externalTrafficPolicy = 'Cluster';
  const begin = beginCreate(spec, options);
  if (begin.errors.length > 0) return { errors: begin.errors, warnings };
  const errors = validateService(copy);
  if (errors.length > 0) return { errors, warnings };
  if (!options.dryRun) {
    if (begin.ip) options.allocation.ips.add(begin.ip);
    for (const p of begin.nodePorts) options.allocation.nodePorts.add(p);
  }
  return { errors, warnings, allocated: { ip: begin.ip, nodePorts: begin.nodePorts } };
}

// ---- BeginCreate: IP families, cluster IPs, node ports ----

function beginCreate(
  spec: Obj,
  options: ServiceCreateOptions,
): { errors: FieldError[]; ip?: string; nodePorts: number[] } {
  // normalizeClusterIPs: a lone clusterIP becomes clusterIPs.
  if (str(spec.clusterIP) !== '' && strings(spec.clusterIPs).length === 0)
    spec.clusterIPs = [str(spec.clusterIP)];
  const none = { errors: [], nodePorts: [] };
  if (str(spec.type) === 'ExternalName') return none;
  const families = initIPFamilyFields(spec);
  if (families.length > 0) return { errors: families, nodePorts: [] };
  let ip: string | undefined;
  if (!isHeadless(spec)) {
    const wanted = strings(spec.clusterIPs)[0] ?? '';
    if (wanted !== '') {
      const err = allocateClusterIP(wanted, options);
      if (err)
        return {
          errors: [invalid('spec.clusterIPs', goStringSlice(strings(spec.clusterIPs)), err)],
          nodePorts: [],
        };
      ip = wanted;
    }
  }
  const ports = allocateNodePorts(spec, options);
  if (ports.errors.length > 0) return { errors: ports.errors, nodePorts: [] };
  return { errors: [], ip, nodePorts: ports.nodePorts };
}

/** alloc.go initIPFamilyFields on a single-stack IPv4 cluster. */
function initIPFamilyFields(spec: Obj): FieldError[] {
  if (spec.ipFamilyPolicy === undefined || spec.ipFamilyPolicy === null) {
    const selectorless = Object.keys(obj(spec.selector) ?? {}).length === 0;
    spec.ipFamilyPolicy = str(spec.clusterIP) === 'None' && selectorless ? 'RequireDualStack' : 'SingleStack';
  }
  const related = clusterIPsRelatedFields(spec);
  if (related.length > 0) return related;
  const policy = str(spec.ipFamilyPolicy);
  const ips = strings(spec.clusterIPs);
  const families = strings(spec.ipFamilies);
  const el: FieldError[] = [];
  if (policy === 'SingleStack') {
    const msg = "must be 'RequireDualStack' or 'PreferDualStack' when multiple";
    if (ips.length === 2) el.push(invalid('spec.ipFamilyPolicy', policy, `${msg} cluster IPs are specified`));
    if (families.length === 2)
      el.push(invalid('spec.ipFamilyPolicy', policy, `${msg} IP families are specified`));
  }
  for (let i = 0; i < ips.length; i++) {
    if (ips[i] === 'None') break;
    const fam = ipFamilyOf(ips[i]!);
    if (i >= families.length) {
      if (fam === 'IPv6')
        el.push(
          invalid(`spec.clusterIPs[${i}]`, goStringSlice(ips), 'IPv6 is not configured on this cluster'),
        );
      else if (fam) families.push(fam);
    }
  }
  if (el.length > 0) return el;
  // Headless and selectorless: any families are allowed, nothing is allocated.
  if (str(spec.clusterIP) === 'None' && Object.keys(obj(spec.selector) ?? {}).length === 0) return [];
  if (policy === 'RequireDualStack')
    el.push(invalid('spec.ipFamilyPolicy', policy, 'this cluster is not configured for dual-stack services'));
  families.forEach((f, i) => {
    if (f !== 'IPv4') el.push(invalid(`spec.ipFamilies[${i}]`, f, 'not configured on this cluster'));
  });
  if (el.length > 0) return el;
  spec.ipFamilies = families.length > 0 ? families : ['IPv4'];
  return [];
}

/** The meta allocator's answer for a requested IPv4 address, or undefined when it is free. */
function allocateClusterIP(ip: string, options: ServiceCreateOptions): string | undefined {
  const bytes = parseIPv4Sloppy(ip);
  if (!bytes) return undefined;
  const canonical = bytes.join('.');
  // 10.96.0.0/12: first octet 10, second 96-111.
  if (bytes[0] !== 10 || bytes[1]! < 96 || bytes[1]! > 111)
    return `failed to allocate IP ${ip}: the provided network does not match the current range`;
  const network = bytes[1] === 96 && bytes[2] === 0 && bytes[3] === 0;
  const broadcast = bytes[1] === 111 && bytes[2] === 255 && bytes[3] === 255;
  if (network || broadcast)
    return `failed to allocate IP ${ip}: the provided IP (${canonical}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}`;
  // A dry run does not create the IPAddress object, so it cannot see a conflict.
  if (!options.dryRun && options.allocation.ips.has(canonical))
    return `failed to allocate IP ${ip}: provided IP is already allocated`;
  return undefined;
}

/**
 * initNodePorts for NodePort and LoadBalancer Services: requested node ports (shared by ports
 * with the same `port`) are allocated in order; the allocator ignores the protocol. A dry run
 * only sees ports already held (portallocator PortAllocationOperation.Allocate), so it accepts
 * a port outside the range.
 */
function allocateNodePorts(
  spec: Obj,
  options: ServiceCreateOptions,
): { errors: FieldError[]; nodePorts: number[] } {
  const type = str(spec.type);
  if (type !== 'NodePort' && type !== 'LoadBalancer') return { errors: [], nodePorts: [] };
  const ports = list(spec.ports);
  const byPort = new Map<number, number>();
  const taken: number[] = [];
  for (let i = 0; i < ports.length; i++) {
    const port = num(ports[i]!.port);
    if (byPort.has(port)) continue;
    const requested = ports.slice(i).find((p) => num(p.port) === port && num(p.nodePort) !== 0);
    if (!requested) continue;
    const np = num(requested.nodePort);
    const field = `spec.ports[${i}].nodePort`;
    const inRange = np >= 30000 && np <= 32767;
    if (options.allocation.nodePorts.has(np) || taken.includes(np))
      return { errors: [invalid(field, np, 'provided port is already allocated')], nodePorts: [] };
    if (!options.dryRun && !inRange)
      return {
        errors: [
          invalid(
            field,
            np,
            `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE}`,
          ),
        ],
        nodePorts: [],
      };
    taken.push(np);
    byPort.set(port, np);
  }
  return { errors: [], nodePorts: taken };
}

/** ValidateServiceClusterIPsRelatedFields. */
function clusterIPsRelatedFields(spec: Obj): FieldError[] {
  if (str(spec.type) === 'ExternalName') return [];
  const out: FieldError[] = [];
  const ips = strings(spec.clusterIPs);
  const clusterIP = str(spec.clusterIP);
  if (clusterIP !== '') {
    if (ips.length === 0) out.push(required('spec.clusterIPs'));
    else if (ips[0] !== clusterIP)
      out.push(invalid('spec.clusterIPs', goStringSlice(ips), 'first value must match `clusterIP`'));
  } else if (ips.length !== 0) {
    out.push(
      invalid('spec.clusterIPs', goStringSlice(ips), 'must be empty when `clusterIP` is not specified'),
    );
  }
  const seen = new Set<string>();
  strings(spec.ipFamilies).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') out.push(notSupported(`spec.ipFamilies[${i}]`, f, ['IPv4', 'IPv6']));
    if (seen.has(f)) out.push(dup(`spec.ipFamilies[${i}]`, f));
    seen.add(f);
  });
  if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null) {
    const p = str(spec.ipFamilyPolicy);
    const supported = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
    if (!supported.includes(p)) out.push(notSupported('spec.ipFamilyPolicy', p, supported));
  }
  let invalidIPs = false;
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) {
        invalidIPs = true;
        out.push(invalid('spec.clusterIPs', goStringSlice(ips), "'None' must be the first and only value"));
      }
      return;
    }
    const errs = validateIP(ip, `spec.clusterIPs[${i}]`);
    if (errs.length > 0) invalidIPs = true;
    out.push(...errs);
  });
  if (ips.length > 2)
    out.push(invalid('spec.clusterIPs', goStringSlice(ips), 'may only hold up to 2 values'));
  if (invalidIPs) return out;
  if (ips.length > 1) {
    const fams = ips.map(ipFamilyOf);
    if (ips.length !== 2 || fams[0] === fams[1])
      out.push(
        invalid('spec.clusterIPs', goStringSlice(ips), 'may specify no more than one IP for each IP family'),
      );
  }
  const families = strings(spec.ipFamilies);
  if (!isHeadless(spec) && ips.length > 0 && families.length > 0) {
    ips.forEach((ip, i) => {
      if (i > families.length - 1) return;
      const v6 = ipFamilyOf(ip) === 'IPv6';
      if (families[i] === 'IPv4' && v6)
        out.push(
          invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv4 value as indicated by \`ipFamilies[${i}]\``),
        );
      if (families[i] === 'IPv6' && !v6)
        out.push(
          invalid(`spec.clusterIPs[${i}]`, ip, `expected an IPv6 value as indicated by \`ipFamilies[${i}]\``),
        );
    });
  }
  return out;
}

// ---- ValidateService ----

/** ValidateNonSpecialIP for an external IP (IPv4 ranges; IPv6 `::`, `::1`, fe80::/10, ff02::). */
function nonSpecialIP(ip: string, field: string): FieldError[] {
  const out: FieldError[] = [];
  const b = parseIPv4Sloppy(ip);
  const lower = ip.toLowerCase();
  const unspecified = b ? b.every((x) => x === 0) : /^(0*:)*:?0*$/.test(lower);
  const loopback = b ? b[0] === 127 : lower === '::1';
  const linkLocal = b ? b[0] === 169 && b[1] === 254 : /^fe[89ab]/.test(lower);
  const llMulticast = b ? b[0] === 224 && b[1] === 0 && b[2] === 0 : lower.startsWith('ff02:');
  if (unspecified) out.push(invalid(field, ip, `may not be unspecified (${ip})`));
  if (loopback) out.push(invalid(field, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  if (linkLocal)
    out.push(invalid(field, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  if (llMulticast)
    out.push(invalid(field, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return out;
}

/** validation.IsValidCIDR (ParseCIDRSloppy). */
function validateCIDR(value: string, field: string): FieldError[] {
  const [ip, bits, extra] = value.split('/');
  const fam = ipFamilyOf(ip ?? '');
  const max = fam === 'IPv4' ? 32 : 128;
  const ok = fam && extra === undefined && bits !== undefined && /^\d+$/.test(bits) && Number(bits) <= max;
  return ok ? [] : [invalid(field, value, 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)')];
}

function validateServicePort(sp: Obj, i: number, requireName: boolean, names: Set<string>): FieldError[] {
  const out: FieldError[] = [];
  const p = `spec.ports[${i}]`;
  const name = str(sp.name);
  if (requireName && name === '') out.push(required(`${p}.name`));
  else if (name !== '') {
    out.push(...each(`${p}.name`, name, isDNS1123Label(name)));
    if (names.has(name)) out.push(dup(`${p}.name`, name));
    else names.add(name);
  }
  const port = num(sp.port);
  out.push(...isValidPortNum(port).map((m) => invalid(`${p}.port`, port, m)));
  const proto = str(sp.protocol);
  if (proto === '') out.push(required(`${p}.protocol`));
  else if (!['SCTP', 'TCP', 'UDP'].includes(proto))
    out.push(notSupported(`${p}.protocol`, proto, ['SCTP', 'TCP', 'UDP']));
  out.push(...validatePortNumOrName(sp.targetPort, `${p}.targetPort`));
  if (sp.appProtocol !== undefined && sp.appProtocol !== null) {
    const ap = str(sp.appProtocol);
    out.push(...each(`${p}.appProtocol`, ap, isQualifiedName(ap)));
  }
  return out;
}

function validateTypeSpecific(spec: Obj, type: string): FieldError[] {
  const out: FieldError[] = [];
  const headless = isHeadless(spec);
  if ((type === 'LoadBalancer' || type === 'NodePort') && headless)
    out.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${type} services`));
  if (type === 'ExternalName') {
    if (strings(spec.clusterIPs).length > 0)
      out.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
    if (strings(spec.ipFamilies).length > 0)
      out.push(forbidden('spec.ipFamilies', 'may not be set for ExternalName services'));
    if (spec.ipFamilyPolicy !== undefined && spec.ipFamilyPolicy !== null)
      out.push(forbidden('spec.ipFamilyPolicy', 'may not be set for ExternalName services'));
    const cname = str(spec.externalName).replace(/\.$/, '');
    if (cname !== '') out.push(...each('spec.externalName', cname, isDNS1123Subdomain(cname)));
    else out.push(required('spec.externalName'));
  }
  return out;
}

function validateSessionAffinity(spec: Obj): FieldError[] {
  const out: FieldError[] = [];
  const affinity = str(spec.sessionAffinity);
  if (affinity === '') out.push(required('spec.sessionAffinity'));
  else if (affinity !== 'ClientIP' && affinity !== 'None')
    out.push(notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  const config = spec.sessionAffinityConfig;
  const f = 'spec.sessionAffinityConfig';
  if (affinity === 'ClientIP') {
    const why = 'when session affinity type is ClientIP';
    const clientIP = obj(obj(config)?.clientIP);
    if (!obj(config)) out.push(required(f, why));
    else if (!clientIP) out.push(required(`${f}.clientIP`, why));
    else if (clientIP.timeoutSeconds === undefined || clientIP.timeoutSeconds === null)
      out.push(required(`${f}.clientIP.timeoutSeconds`, why));
    else {
      const t = num(clientIP.timeoutSeconds);
      if (t <= 0 || t > 86400)
        out.push(invalid(`${f}.clientIP.timeoutSeconds`, t, 'must be greater than 0 and less than 86400'));
    }
  } else if (affinity === 'None' && config !== undefined && config !== null) {
    out.push(forbidden(f, 'must not be set when session affinity is None'));
  }
  return out;
}

function validatePortsAgainstType(spec: Obj, type: string): FieldError[] {
  const out: FieldError[] = [];
  const ports = list(spec.ports);
  if (type === 'ClusterIP')
    ports.forEach((sp, i) => {
      if (num(sp.nodePort) !== 0)
        out.push(forbidden(`spec.ports[${i}].nodePort`, "may not be used when `type` is 'ClusterIP'"));
    });
  const nodePorts = new Set<string>();
  ports.forEach((sp, i) => {
    const np = num(sp.nodePort);
    if (np === 0) return;
    const key = `${str(sp.protocol)}/${np}`;
    if (nodePorts.has(key)) out.push(dup(`spec.ports[${i}].nodePort`, np));
    nodePorts.add(key);
  });
  const seen = new Set<string>();
  ports.forEach((sp, i) => {
    const key = `${str(sp.protocol)}/${num(sp.port)}`;
    if (seen.has(key))
      out.push(dup(`spec.ports[${i}]`, { goSyntax: servicePortKey(str(sp.protocol), num(sp.port)) }));
    seen.add(key);
  });
  return out;
}

function validateLoadBalancerFields(svc: Obj, spec: Obj, type: string): FieldError[] {
  const out: FieldError[] = [];
  const lb = type === 'LoadBalancer';
  const mayOnly = "may only be used when `type` is 'LoadBalancer'";
  const ranges = strings(spec.loadBalancerSourceRanges);
  const annotations = obj(obj(svc.metadata)?.annotations) ?? {};
  const key = 'service.beta.kubernetes.io/load-balancer-source-ranges';
  if (ranges.length > 0) {
    if (!lb) out.push(forbidden('spec.LoadBalancerSourceRanges', mayOnly));
    ranges.forEach((r, i) => {
      out.push(...validateCIDR(r.trim(), `spec.LoadBalancerSourceRanges[${i}]`));
    });
  } else if (Object.hasOwn(annotations, key)) {
    const f = `metadata.annotations[${key}]`;
    if (!lb) out.push(forbidden(f, mayOnly));
    const val = str(annotations[key]).trim();
    if (val !== '') for (const c of val.split(',')) out.push(...validateCIDR(c.trim(), f));
  }
  if (spec.allocateLoadBalancerNodePorts !== undefined && spec.allocateLoadBalancerNodePorts !== null && !lb)
    out.push(forbidden('spec.allocateLoadBalancerNodePorts', mayOnly));
  if (lb && (spec.allocateLoadBalancerNodePorts === undefined || spec.allocateLoadBalancerNodePorts === null))
    out.push(required('allocateLoadBalancerNodePorts'));
  if (spec.loadBalancerClass !== undefined && spec.loadBalancerClass !== null) {
    const cls = str(spec.loadBalancerClass);
    if (lb) out.push(...each('spec.loadBalancerClass', cls, isQualifiedName(cls)));
    else out.push(forbidden('spec.loadBalancerClass', mayOnly));
  }
  return out;
}

function validateTrafficPolicies(spec: Obj, type: string): FieldError[] {
  const out: FieldError[] = [];
  const etp = str(spec.externalTrafficPolicy);
  // apiservice.ExternallyAccessible: LoadBalancer, NodePort, or ClusterIP with external IPs.
  const external =
    type === 'LoadBalancer' ||
    type === 'NodePort' ||
    (type === 'ClusterIP' && strings(spec.externalIPs).length > 0);
  if (!external) {
    if (etp !== '')
      out.push(
        invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'),
      );
  } else if (etp === '') out.push(required('spec.externalTrafficPolicy'));
  else if (etp !== 'Cluster' && etp !== 'Local')
    out.push(notSupported('spec.externalTrafficPolicy', etp, ['Cluster', 'Local']));
  const hc = num(spec.healthCheckNodePort);
  const needsHealthCheck = type === 'LoadBalancer' && etp === 'Local';
  if (!needsHealthCheck && hc !== 0)
    out.push(
      invalid(
        'spec.healthCheckNodePort',
        hc,
        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
      ),
    );
  else if (needsHealthCheck && hc !== 0)
    out.push(...isValidPortNum(hc).map((m) => invalid('spec.healthCheckNodePort', hc, m)));
  // (An unset health check port of a Local LoadBalancer was allocated by BeginCreate.)
  const itp = spec.internalTrafficPolicy;
  if ((itp === undefined || itp === null) && ['NodePort', 'LoadBalancer', 'ClusterIP'].includes(type))
    out.push(required('spec.internalTrafficPolicy'));
  if (itp !== undefined && itp !== null && itp !== 'Cluster' && itp !== 'Local')
    out.push(notSupported('spec.internalTrafficPolicy', str(itp), ['Cluster', 'Local']));
  // ServiceTrafficDistribution is GA in 1.33 with the single value PreferClose.
  if (
    spec.trafficDistribution !== undefined &&
    spec.trafficDistribution !== null &&
    spec.trafficDistribution !== 'PreferClose'
  )
    out.push(notSupported('spec.trafficDistribution', str(spec.trafficDistribution), ['PreferClose']));
  return out;
}

/** ValidateService, in upstream's order, on the object BeginCreate completed. */
function validateService(svc: Obj): FieldError[] {
  const errors = validateObjectMeta(obj(svc.metadata) ?? {}, isDNS1035Label);
  const annotations = obj(obj(svc.metadata)?.annotations) ?? {};
  const hints = 'service.kubernetes.io/topology-aware-hints';
  const mode = 'service.kubernetes.io/topology-mode';
  if (
    Object.hasOwn(annotations, hints) &&
    Object.hasOwn(annotations, mode) &&
    annotations[hints] !== annotations[mode]
  )
    errors.push(
      invalid(
        `metadata.annotations[${mode}]`,
        str(annotations[mode]),
        `must match annotations[${hints}] when both are specified`,
      ),
    );
  const spec = obj(svc.spec) ?? {};
  const type = str(spec.type);
  const ports = list(spec.ports);
  if (ports.length === 0 && !isHeadless(spec) && type !== 'ExternalName') errors.push(required('spec.ports'));
  errors.push(...validateTypeSpecific(spec, type));
  const names = new Set<string>();
  ports.forEach((sp, i) => {
    errors.push(...validateServicePort(sp, i, ports.length > 1, names));
  });
  if (spec.selector !== undefined && spec.selector !== null)
    errors.push(...validateLabels(spec.selector, 'spec.selector'));
  errors.push(...validateSessionAffinity(spec));
  errors.push(...clusterIPsRelatedFields(spec));
  strings(spec.externalIPs).forEach((ip, i) => {
    const f = `spec.externalIPs[${i}]`;
    const errs = validateIP(ip, f);
    errors.push(...(errs.length > 0 ? errs : nonSpecialIP(ip, f)));
  });
  const types = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
  if (type === '') errors.push(required('spec.type'));
  else if (!types.includes(type)) errors.push(notSupported('spec.type', type, types));
  errors.push(...validatePortsAgainstType(spec, type));
  errors.push(...validateLoadBalancerFields(svc, spec, type));
  errors.push(...validateTrafficPolicies(spec, type));
  return errors;
}
