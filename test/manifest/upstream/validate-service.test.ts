/**
 * TestValidateServiceCreate (k/k pkg/apis/core/validation/validation_test.go, release-1.33)
 * plus the registry's allocation step that runs before it (pkg/registry/core/service/storage
 * alloc.go, ipallocator, portallocator), as `kubectl apply` and `--dry-run=server` see them,
 * on podlab's single-stack cluster (service CIDR 10.96.0.0/12, node ports 30000-32767).
 *
 * Case names and inputs were checked row by row against TestValidateServiceCreate and
 * TestValidateServiceExternalTrafficPolicy in validation_test.go (stored k/k copy, v1.33 era);
 * rows without an upstream name (marked "issue 16" or describing the rule) cover the allocator,
 * which upstream tests elsewhere (REST storage tests), or rules upstream's table lacks. Where
 * upstream's input uses a nodePort outside 30000-32767 (validation alone accepts it), the row
 * moves it into the range and says so, since the allocator that runs first would refuse it.
 *
 * Skipped, and why: the dual-stack rows (the simulated cluster is IPv4 only; they become
 * "not configured on this cluster" rows, a few of which are kept); rows toggling feature gates
 * other than 1.33's defaults; ValidateServiceUpdate rows (podlab applies a Service once and
 * compares it, see docs/deviations.md); rows on metadata a kubectl apply cannot send
 * (missing namespace: kubectl fills it in).
 */
import { describe, expect, it } from 'vitest';
import { invalidText, loadJson, type Row, rows, service as svc } from './harness.ts';

const T = (c: string) => `TestValidateServiceCreate/"${c}"`;
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const port = (p: Record<string, unknown>) => ({
  name: 'p',
  protocol: 'TCP',
  port: 8675,
  targetPort: 8675,
  ...p,
});

const meta: Row[] = [
  [T('invalid name'), svc({}, { name: '-123' }), [`metadata.name: Invalid value: "-123": ${DNS1035}`]],
  [
    T('too long name'),
    svc({}, { name: 'a'.repeat(64) }),
    [`metadata.name: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
  ],
  [
    T('invalid label'),
    svc({}, { labels: { 'NoUppercaseOrSpecialCharsLike=Equals': 'bar' } }),
    [
      `metadata.labels: Invalid value: "NoUppercaseOrSpecialCharsLike=Equals": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
  ],
  [T('nil selector'), svc({ selector: undefined }), []],
  [
    T('invalid selector'),
    svc({ selector: { key: 'NoSpecialCharsLike=Equals' } }),
    [
      `spec.selector: Invalid value: "NoSpecialCharsLike=Equals": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
  ],
];

const ports: Row[] = [
  [T('missing ports'), svc({ ports: [] }), ['spec.ports: Required value']],
  [T('missing ports but headless'), svc({ ports: [], clusterIP: 'None' }), []],
  // upstream: a single port may go unnamed (numErrs 0)
  [T('empty port[0] name'), svc({ ports: [port({ name: '' })] }), []],
  [
    T('empty port[1] name'),
    svc({ ports: [port({}), port({ name: '', port: 12345 })] }),
    ['spec.ports[1].name: Required value'],
  ],
  [
    T('empty multi-port port[0] name'),
    svc({ ports: [port({ name: '' }), port({ name: 'p', port: 12345 })] }),
    ['spec.ports[0].name: Required value'],
  ],
  [
    T('invalid port name'),
    svc({ ports: [port({ name: 'INVALID' })] }),
    [`spec.ports[0].name: Invalid value: "INVALID": ${LABEL}`],
  ],
  [
    T('invalid protocol'),
    svc({ ports: [port({ protocol: 'INVALID' })] }),
    ['spec.ports[0].protocol: Unsupported value: "INVALID": supported values: "SCTP", "TCP", "UDP"'],
  ],
  [
    T('invalid port'),
    svc({ ports: [port({ port: 65536 })] }),
    ['spec.ports[0].port: Invalid value: 65536: must be between 1 and 65535, inclusive'],
  ],
  [
    T('invalid TargetPort int'),
    svc({ ports: [port({ targetPort: 65536 })] }),
    ['spec.ports[0].targetPort: Invalid value: 65536: must be between 1 and 65535, inclusive'],
  ],
  [
    T('valid port headless'),
    svc({ clusterIP: 'None', ports: [port({ port: 11722, targetPort: 11722 })] }),
    [],
  ],
  // upstream: "in the v1 API, targetPorts on headless services were tolerated" (numErrs 0)
  [
    T('invalid port headless 1'),
    svc({ clusterIP: 'None', ports: [port({ port: 11722, targetPort: 11721 })] }),
    [],
  ],
  [
    T('invalid port headless 2'),
    svc({ clusterIP: 'None', ports: [port({ port: 11722, targetPort: 'target' })] }),
    [],
  ],
  [
    T('dup port name'),
    svc({ ports: [port({}), port({ port: 12345 })] }),
    ['spec.ports[1].name: Duplicate value: "p"'],
  ],
  [T('valid 1'), svc({}), []],
  [T('valid 2'), svc({ ports: [port({ protocol: 'UDP', targetPort: 12345 })] }), []],
  [T('valid 3'), svc({ ports: [port({ targetPort: 'http' })] }), []],
  [
    'two ports, one targetPort by name',
    svc({ ports: [port({ targetPort: 9376 }), port({ name: 'q', port: 12345, targetPort: 'http' })] }),
    [],
  ],
  [
    T('invalid duplicate ports (with same protocol)'),
    svc({
      ports: [
        port({}),
        port({ name: 'q', port: 12345, targetPort: 8080 }),
        port({ name: 'r', port: 12345, targetPort: 80 }),
      ],
    }),
    [
      'spec.ports[2]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:12345, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}',
    ],
  ],
  [
    T('valid duplicate ports (with different protocols)'),
    svc({
      ports: [
        port({}),
        port({ name: 'q', port: 12345, targetPort: 8080 }),
        port({ name: 'r', port: 12345, protocol: 'UDP', targetPort: 80 }),
        port({ name: 's', port: 12345, protocol: 'SCTP', targetPort: 8088 }),
      ],
    }),
    [],
  ],
  [
    'appProtocol with two slashes (IsQualifiedName, more than one prefix)',
    svc({ ports: [port({ appProtocol: 'Invalid/Name/x' })] }),
    [
      `spec.ports[0].appProtocol: Invalid value: "Invalid/Name/x": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
  ],
];

const APP = { port: 12345, targetPort: 12345, protocol: 'TCP' };
ports.push(
  [T('valid appProtocol'), svc({ ports: [{ ...APP, appProtocol: 'HTTP' }] }), []],
  [T('valid custom appProtocol'), svc({ ports: [{ ...APP, appProtocol: 'example.com/protocol' }] }), []],
  [
    T('invalid appProtocol'),
    svc({ ports: [{ ...APP, appProtocol: 'example.com/protocol_with{invalid}[characters]' }] }),
    [
      `spec.ports[0].appProtocol: Invalid value: "example.com/protocol_with{invalid}[characters]": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
  ],
);

const ips: Row[] = [
  [
    T('invalid cluster ip'),
    svc({ clusterIP: 'invalid' }),
    [`spec.clusterIPs[0]: Invalid value: "invalid": ${IP}`],
  ],
  [
    "clusterIP 10.0.0.300 (issue 16): only the allocator's error",
    svc({ clusterIP: '10.0.0.300', ports: [port({ name: 'BAD' })] }),
    [`spec.clusterIPs[0]: Invalid value: "10.0.0.300": ${IP}`],
  ],
  [T('valid cluster ip - none '), svc({ clusterIP: 'None' }), []],
  [T('valid cluster ip - empty'), svc({ clusterIP: '', ports: [port({ targetPort: 'http' })] }), []],
  ['clusterIP inside the service CIDR', svc({ clusterIP: '10.96.5.5' }), []],
  [
    'clusterIP outside the service CIDR (MultiCIDRServiceAllocator, GA in 1.33)',
    svc({ clusterIP: '10.0.0.5' }),
    [
      'spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided network does not match the current range',
    ],
  ],
  [
    'clusterIP that is the network address of the CIDR',
    svc({ clusterIP: '10.96.0.0' }),
    [
      'spec.clusterIPs: Invalid value: []string{"10.96.0.0"}: failed to allocate IP 10.96.0.0: the provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is 10.96.0.0/12',
    ],
  ],
  [
    'clusterIP of the built-in kubernetes Service',
    svc({ clusterIP: '10.96.0.1' }),
    [
      'spec.clusterIPs: Invalid value: []string{"10.96.0.1"}: failed to allocate IP 10.96.0.1: provided IP is already allocated',
    ],
  ],
  [
    'IPv6 clusterIP on the IPv4 cluster',
    svc({ clusterIP: '2001:db8::1' }),
    ['spec.clusterIPs[0]: Invalid value: []string{"2001:db8::1"}: IPv6 is not configured on this cluster'],
  ],
  [
    T('invalid, service with invalid ipFamilies'),
    svc({ ipFamilies: ['not-a-valid-ip-family'] }),
    ['spec.ipFamilies[0]: Unsupported value: "not-a-valid-ip-family": supported values: "IPv4", "IPv6"'],
  ],
  [
    'invalid ipFamilyPolicy (validateIPFamilyPolicy; no such row in TestValidateServiceCreate)',
    svc({ ipFamilyPolicy: 'not-a-valid-ip-family-policy' }),
    [
      'spec.ipFamilyPolicy: Unsupported value: "not-a-valid-ip-family-policy": supported values: "PreferDualStack", "RequireDualStack", "SingleStack"',
    ],
  ],
  [
    'RequireDualStack on a single-stack cluster',
    svc({ ipFamilyPolicy: 'RequireDualStack' }),
    [
      'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services',
    ],
  ],
  ['PreferDualStack on a single-stack cluster', svc({ ipFamilyPolicy: 'PreferDualStack' }), []],
  [
    'ipFamilies IPv6 on the IPv4 cluster',
    svc({ ipFamilies: ['IPv6'] }),
    ['spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster'],
  ],
  [
    'clusterIPs whose first value does not match clusterIP',
    svc({ clusterIP: '10.96.0.20', clusterIPs: ['10.96.0.21'] }),
    ['spec.clusterIPs: Invalid value: []string{"10.96.0.21"}: first value must match `clusterIP`'],
  ],
  [
    T('invalid publicIPs localhost'),
    svc({ externalIPs: ['127.0.0.1'] }),
    [
      'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
    ],
  ],
  [
    T('invalid publicIPs unspecified'),
    svc({ externalIPs: ['0.0.0.0'] }),
    ['spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)'],
  ],
  [
    T('invalid publicIPs host'),
    svc({ externalIPs: ['myhost.mydomain'] }),
    [`spec.externalIPs[0]: Invalid value: "myhost.mydomain": ${IP}`],
  ],
  [T('valid publicIPs'), svc({ externalIPs: ['1.2.3.4'] }), []],
];

const types: Row[] = [
  [T('valid type - loadbalancer'), svc({ type: 'LoadBalancer' }), []],
  [
    T('valid type loadbalancer 2 ports'),
    svc({ type: 'LoadBalancer', ports: [port({}), port({ name: 'q', port: 12345, targetPort: 12345 })] }),
    [],
  ],
  [T('valid type - nodeport'), svc({ type: 'NodePort' }), []],
  [
    `${T('valid type=NodePort service with NodePort')} (nodePort 12345 moved into 30000-32767)`,
    svc({ type: 'NodePort', ports: [port({ nodePort: 30123 })] }),
    [],
  ],
  [
    T('valid cluster service without NodePort'),
    svc({ ports: [port({}), port({ name: 'q', port: 12345, targetPort: 12345 })] }),
    [],
  ],
  [
    T('invalid cluster service with NodePort'),
    svc({ ports: [port({}), port({ name: 'q', port: 12345, nodePort: 12345, targetPort: 12345 })] }),
    ["spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
  ],
  [
    `${T('invalid public service with duplicate NodePort')} (nodePort 1 moved into the range; the allocator answers first)`,
    svc({
      type: 'NodePort',
      ports: [port({ name: 'p1', port: 1, nodePort: 30123 }), port({ name: 'p2', port: 2, nodePort: 30123 })],
    }),
    ['spec.ports[1].nodePort: Invalid value: 30123: provided port is already allocated'],
  ],
  [
    `${T('duplicate nodeports (different protocols)')} (nodePort 1 moved into 30000-32767; refused by the allocator)`,
    svc({
      type: 'NodePort',
      ports: [
        port({}),
        port({ name: 'q', port: 1, nodePort: 30123, targetPort: 1 }),
        port({ name: 'r', port: 2, protocol: 'UDP', nodePort: 30123, targetPort: 2 }),
        port({ name: 's', port: 3, protocol: 'SCTP', nodePort: 30123, targetPort: 3 }),
      ],
    }),
    // ValidateServiceCreate accepts it (numErrs 0), but the allocator that runs before it
    // (storage/alloc.go allocNodePorts) keys node ports by service port: ports 2 and 3 ask for
    // a nodePort that port 1 already holds.
    ['spec.ports[2].nodePort: Invalid value: 30123: provided port is already allocated'],
  ],
  [
    'one service port over TCP and UDP shares its nodePort (alloc.go: one nodePort per service port)',
    svc({
      type: 'NodePort',
      ports: [
        port({ name: 'r', port: 1, nodePort: 30123 }),
        port({ name: 's', port: 1, protocol: 'UDP', nodePort: 30123 }),
      ],
    }),
    [],
  ],
  [
    'nodePort outside 30000-32767 (issue 16): the allocator refuses it on apply',
    svc({ type: 'NodePort', ports: [port({ nodePort: 80 })] }),
    [
      'spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767',
    ],
  ],
  [
    T('valid ExternalName'),
    svc({ type: 'ExternalName', externalName: 'foo.bar.example.com', selector: undefined, ports: [] }),
    [],
  ],
  [
    T('valid ExternalName (trailing dot)'),
    svc({ type: 'ExternalName', externalName: 'foo.bar.example.com.', ports: [] }),
    [],
  ],
  [
    T('invalid ExternalName clusterIP (valid IP)'),
    svc({ type: 'ExternalName', clusterIP: '1.2.3.4', externalName: 'foo.bar.example.com' }),
    ['spec.clusterIPs: Forbidden: may not be set for ExternalName services'],
  ],
  [
    T('invalid ExternalName clusterIP (None)'),
    svc({ type: 'ExternalName', clusterIP: 'None', externalName: 'foo.bar.example.com' }),
    ['spec.clusterIPs: Forbidden: may not be set for ExternalName services'],
  ],
  [
    T('invalid ExternalName (not a DNS name)'),
    svc({ type: 'ExternalName', externalName: '-123' }),
    [
      `spec.externalName: Invalid value: "-123": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
  ],
  [
    T('LoadBalancer type cannot have None ClusterIP'),
    svc({ type: 'LoadBalancer', clusterIP: 'None' }),
    ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for LoadBalancer services'],
  ],
  [
    T('invalid node port with clusterIP None'),
    svc({ type: 'NodePort', clusterIP: 'None', ports: [port({ nodePort: 30123 })] }),
    ['spec.clusterIPs[0]: Invalid value: "None": may not be set to \'None\' for NodePort services'],
  ],
  [
    T('invalid source range for non LoadBalancer type service'),
    svc({ loadBalancerSourceRanges: ['1.2.3.0/24', '5.6.0.0/16'] }),
    ["spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"],
  ],
  [
    T('valid LoadBalancer source range'),
    svc({ type: 'LoadBalancer', loadBalancerSourceRanges: ['1.2.3.0/24', '5.6.0.0/16'] }),
    [],
  ],
  [
    T('invalid LoadBalancer source range (invalid CIDR)'),
    svc({ type: 'LoadBalancer', loadBalancerSourceRanges: ['1.2.3.4/33'] }),
    [
      'spec.LoadBalancerSourceRanges[0]: Invalid value: "1.2.3.4/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ],
  ],
  [
    T('invalid LoadBalancer source range annotation (invalid CIDR)'),
    svc(
      { type: 'LoadBalancer' },
      { annotations: { 'service.beta.kubernetes.io/load-balancer-source-ranges': '1.2.3.4/33' } },
    ),
    [
      'metadata.annotations[service.beta.kubernetes.io/load-balancer-source-ranges]: Invalid value: "1.2.3.4/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    ],
  ],
  [
    'loadBalancerClass on a ClusterIP Service',
    svc({ loadBalancerClass: 'example.com/lb' }),
    ["spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"],
  ],
];

const policies: Row[] = [
  [
    'TestValidateServiceExternalTrafficPolicy: externalTrafficPolicy Local on a ClusterIP Service (issue 16)',
    svc({ externalTrafficPolicy: 'Local' }),
    [
      'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services',
    ],
  ],
  [
    'externalTrafficPolicy Local on a NodePort Service',
    svc({ type: 'NodePort', externalTrafficPolicy: 'Local' }),
    [],
  ],
  [
    T('invalid externalTraffic field'),
    svc({ type: 'LoadBalancer', externalTrafficPolicy: 'invalid' }),
    ['spec.externalTrafficPolicy: Unsupported value: "invalid": supported values: "Cluster", "Local"'],
  ],
  [
    'healthCheckNodePort on a NodePort Service',
    svc({ type: 'NodePort', healthCheckNodePort: 31100 }),
    [
      "spec.healthCheckNodePort: Invalid value: 31100: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
    ],
  ],
  [
    'internalTrafficPolicy Foo (issue 16; upstream "invalid internalTraffic field" uses "invalid")',
    svc({ internalTrafficPolicy: 'Foo' }),
    ['spec.internalTrafficPolicy: Unsupported value: "Foo": supported values: "Cluster", "Local"'],
  ],
  [
    T('invalid internalTraffic field'),
    svc({ internalTrafficPolicy: 'invalid' }),
    ['spec.internalTrafficPolicy: Unsupported value: "invalid": supported values: "Cluster", "Local"'],
  ],
  [T('internalTrafficPolicy field set to Cluster'), svc({ internalTrafficPolicy: 'Cluster' }), []],
  [T('internalTrafficPolicy field set to Local'), svc({ internalTrafficPolicy: 'Local' }), []],
  [T('valid: trafficDistribution field set to PreferClose'), svc({ trafficDistribution: 'PreferClose' }), []],
  [
    T('invalid: trafficDistribution field set to Random'),
    svc({ trafficDistribution: 'Random' }),
    ['spec.trafficDistribution: Unsupported value: "Random": supported values: "PreferClose"'],
  ],
  [
    T('invalid timeoutSeconds field'),
    svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: -1 } } }),
    [
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: -1: must be greater than 0 and less than 86400',
    ],
  ],
  [
    'trafficDistribution other than PreferClose (ServiceTrafficDistribution, 1.33)',
    svc({ trafficDistribution: 'Anywhere' }),
    ['spec.trafficDistribution: Unsupported value: "Anywhere": supported values: "PreferClose"'],
  ],
  [
    // Upstream calls the validator on an undefaulted object; through the API server,
    // SetDefaults_Service clears sessionAffinityConfig when sessionAffinity is None first, so
    // kubectl apply accepts the manifest.
    T("sessionAffinityConfig can't be set when session affinity is None"),
    svc({ sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90 } } }),
    [],
  ],
  [
    'sessionAffinityConfig.clientIP.timeoutSeconds 0 (issue 16)',
    svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }),
    [
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
    ],
  ],
  [
    'sessionAffinityConfig.clientIP.timeoutSeconds above a day',
    svc({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 86401 } } }),
    [
      'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400',
    ],
  ],
  ['sessionAffinity ClientIP with the default timeout', svc({ sessionAffinity: 'ClientIP' }), []],
  [
    'invalid sessionAffinity (no such row in TestValidateServiceCreate; defaults fill an empty one)',
    svc({ sessionAffinity: 'Foo' }),
    ['spec.sessionAffinity: Unsupported value: "Foo": supported values: "ClientIP", "None"'],
  ],
];

describe('TestValidateServiceCreate: metadata', () => rows(meta));
describe('TestValidateServiceCreate: ports', () => rows(ports));
describe('TestValidateServiceCreate: cluster IPs and IP families', () => rows(ips));
describe('TestValidateServiceCreate: types', () => rows(types));
describe('TestValidateServiceCreate: traffic policies and session affinity', () => rows(policies));

describe('allocation across the Services of one file', () => {
  const a = svc(
    { type: 'NodePort', clusterIP: '10.96.1.1', ports: [port({ nodePort: 30080 })] },
    { name: 'a' },
  );
  const b = svc({ type: 'NodePort', ports: [port({ nodePort: 30080 })] }, { name: 'b' });
  const c = svc({ clusterIP: '10.96.1.1' }, { name: 'c' });

  it('a second Service with the same nodePort gets "provided port is already allocated"', () => {
    const r = loadJson([a, b]);
    expect(r.objects.map((o) => o.name)).toEqual(['a']);
    expect(r.rejected.map((x) => x.text)).toEqual([
      invalidText('Service', 'b', [
        'spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated',
      ]),
    ]);
  });

  it('a second Service with the same clusterIP gets "provided IP is already allocated"', () => {
    const r = loadJson([a, c]);
    expect(r.rejected.map((x) => x.text)).toEqual([
      invalidText('Service', 'c', [
        'spec.clusterIPs: Invalid value: []string{"10.96.1.1"}: failed to allocate IP 10.96.1.1: provided IP is already allocated',
      ]),
    ]);
  });

  it('a server dry run keeps nothing: both pass, and an out-of-range nodePort is not checked', () => {
    expect(loadJson([a, b, c], true).rejected).toEqual([]);
    expect(loadJson([svc({ type: 'NodePort', ports: [port({ nodePort: 80 })] })], true).rejected).toEqual([]);
  });

  it('a dry run still refuses a cluster IP outside the service CIDR', () => {
    expect(loadJson([svc({ clusterIP: '192.168.0.1' })], true).rejected.map((x) => x.text)).toEqual([
      invalidText('Service', 'valid', [
        'spec.clusterIPs: Invalid value: []string{"192.168.0.1"}: failed to allocate IP 192.168.0.1: the provided network does not match the current range',
      ]),
    ]);
  });

  it('a rejected Service holds nothing', () => {
    const bad = svc(
      { type: 'NodePort', clusterIP: '10.96.1.1', ports: [port({ nodePort: 30080, name: 'BAD' })] },
      { name: 'bad' },
    );
    expect(loadJson([bad, a]).objects.map((o) => o.name)).toEqual(['a']);
  });
});
