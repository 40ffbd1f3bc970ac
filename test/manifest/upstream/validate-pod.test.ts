/**
 * Pod-level rows of TestValidatePodSpec, TestValidatePod, TestValidateTolerations,
 * TestValidatePodDNSConfig, TestValidatePodReadinessGates, TestValidateTopologySpreadConstraints,
 * TestValidateAffinity (node and pod affinity), TestValidatePodSecurityContext and
 * TestValidateEphemeralContainers (k/k pkg/apis/core/validation/validation_test.go,
 * release-1.33) as Pod manifests named "123".
 *
 * Skipped, and why: Windows rows (validateWindows, hostProcess: the simulated node is Linux);
 * sysctl rows that depend on the kubelet's allow list (validation only checks names);
 * pod-level resources (PodLevelResources is beta and off by default in 1.33); resource claims
 * (DRA, off by default); seccomp and AppArmor annotation rows (deprecated annotations); rows
 * that validate through PodValidationOptions other than a Pod create's; the 256 KiB total of
 * annotations (unreachable: podlab reads at most 256 KiB per file, docs/manifests.md limits).
 */
import { describe } from 'vitest';
import { pod, podWithContainer, type Row, rows } from './harness.ts';

const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const QNAME_PART =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const IP = 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)';
const tol = (t: Record<string, unknown>) => pod({ tolerations: [t] });
const T = (c: string) => `TestValidateTolerations/"${c}"`;

const tolerations: Row[] = [
  [
    T('populate forgiveness tolerations with exists operator in podSpec'),
    tol({ key: 'foo', operator: 'Exists', value: '', effect: 'NoExecute', tolerationSeconds: 60 }),
    [],
  ],
  [
    T('populate forgiveness tolerations with equal operator in podSpec'),
    tol({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoExecute', tolerationSeconds: 60 }),
    [],
  ],
  [
    T('populate tolerations equal operator in podSpec'),
    tol({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }),
    [],
  ],
  [
    T('populate tolerations exists operator in podSpec'),
    tol({ key: 'foo', operator: 'Exists', effect: 'NoSchedule' }),
    [],
  ],
  [
    T('empty key with Exists operator is OK for toleration, empty toleration key means match all taint keys'),
    tol({ operator: 'Exists', effect: 'NoSchedule' }),
    [],
  ],
  [
    T('empty operator is OK for toleration, defaults to Equal'),
    tol({ key: 'foo', value: 'bar', effect: 'NoSchedule' }),
    [],
  ],
  [
    T('empty effect is OK for toleration, empty toleration effect means match all taint effects'),
    tol({ key: 'foo', operator: 'Equal', value: 'bar' }),
    [],
  ],
  [
    T('negative tolerationSeconds is OK for toleration'),
    tol({ key: 'foo', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: -2 }),
    [],
  ],
  [
    T('invalid toleration key'),
    tol({ key: 'nospecialchars^=@', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }),
    [`spec.tolerations[0].key: Invalid value: "nospecialchars^=@": ${QNAME_PART}`],
  ],
  [
    T('invalid toleration operator'),
    tol({ key: 'foo', operator: 'In', value: 'bar', effect: 'NoSchedule' }),
    ['spec.tolerations[0].operator: Unsupported value: "In": supported values: "Equal", "Exists"'],
  ],
  [
    T("value must be empty when `operator` is 'Exists'"),
    tol({ key: 'foo', operator: 'Exists', value: 'bar', effect: 'NoSchedule' }),
    ['spec.tolerations[0].operator: Invalid value: "bar": value must be empty when `operator` is \'Exists\''],
  ],
  [
    T("operator must be 'Exists' when `key` is empty"),
    tol({ operator: 'Equal', value: 'bar', effect: 'NoSchedule' }),
    [
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ],
  ],
  [
    T("effect must be 'NoExecute' when `TolerationSeconds` is set"),
    tol({
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoSchedule',
      tolerationSeconds: 20,
    }),
    [
      'spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
    ],
  ],
  [
    T('invalid toleration effect'),
    tol({ key: 'foo', operator: 'Exists', effect: 'PreferNoExecute' }),
    [
      'spec.tolerations[0].effect: Unsupported value: "PreferNoExecute": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
  ],
  [
    'toleration Equal with a value that is not a label value',
    tol({ key: 'foo', operator: 'Equal', value: 'not a label!' }),
    [`spec.tolerations[0].operator: Invalid value: "not a label!": ${LABEL_VALUE}`],
  ],
];

const hostNetwork: Row[] = [
  [
    'TestValidatePodSpec/"bad host port with host network" (hostPort differs from containerPort, issue 16)',
    podWithContainer(
      { ports: [{ containerPort: 8080, hostPort: 9090, protocol: 'TCP' }] },
      { hostNetwork: true },
    ),
    [
      'spec.containers[0].ports[0].hostPort: Invalid value: 9090: must match `containerPort` when `hostNetwork` is true',
    ],
  ],
  [
    'TestValidatePodSpec/"populate HostNetwork" (hostPort defaulted from containerPort)',
    podWithContainer({ ports: [{ containerPort: 8080, protocol: 'TCP' }] }, { hostNetwork: true }),
    [],
  ],
  [
    'TestValidatePodSpec/"host port conflict" across containers (AccumulateUniqueHostPorts)',
    pod({
      containers: [
        { name: 'a', image: 'image', ports: [{ containerPort: 80, hostPort: 8080 }] },
        { name: 'b', image: 'image', ports: [{ containerPort: 81, hostPort: 8080 }] },
      ],
    }),
    ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
  ],
  [
    'same hostPort with different protocols',
    pod({
      containers: [
        { name: 'a', image: 'image', ports: [{ containerPort: 80, hostPort: 8080 }] },
        { name: 'b', image: 'image', ports: [{ containerPort: 81, hostPort: 8080, protocol: 'UDP' }] },
      ],
    }),
    [],
  ],
  [
    'hostUsers false with hostNetwork (validateHostUsers, UserNamespacesSupport on in 1.33)',
    pod({ hostUsers: false, hostNetwork: true }),
    ['spec.hostNetwork: Forbidden: when `pod.Spec.HostUsers` is false'],
  ],
  [
    'TestValidatePodSpec/"bad supplementalGroups large than math.MaxInt32"',
    pod({ securityContext: { supplementalGroups: [2147483648, 1234] } }),
    [
      'spec.securityContext.supplementalGroups[0]: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive',
    ],
  ],
  [
    'TestValidatePodSpec/"bad runAsUser large than math.MaxInt32"',
    pod({ securityContext: { runAsUser: 2147483648 } }),
    [
      'spec.securityContext.runAsUser: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive',
    ],
  ],
  [
    'TestValidatePodSpec/"bad fsGroup large than math.MaxInt32"',
    pod({ securityContext: { fsGroup: 2147483648 } }),
    ['spec.securityContext.fsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive'],
  ],
  [
    'TestValidatePodSpec/"bad-hostPID-with-shareProcessNamespace" (shareProcessNamespace with hostPID)',
    pod({ hostPID: true, shareProcessNamespace: true }),
    [
      'spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled',
    ],
  ],
  [
    'TestValidatePodSpec/"bad fsGroupChangePolicy"',
    pod({ securityContext: { fsGroupChangePolicy: 'invalid' } }),
    [
      'spec.securityContext.fsGroupChangePolicy: Unsupported value: "invalid": supported values: "Always", "OnRootMismatch"',
    ],
  ],
  [
    'seccompProfile Localhost without localhostProfile',
    pod({ securityContext: { seccompProfile: { type: 'Localhost' } } }),
    [
      'spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost',
    ],
  ],
  [
    'container runAsUser out of range (ValidateSecurityContext)',
    podWithContainer({ securityContext: { runAsUser: -1 } }),
    [
      'spec.containers[0].securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
    ],
  ],
];

const dns: Row[] = [
  ['TestValidatePodDNSConfig/"valid: empty DNSConfig"', pod({ dnsConfig: {} }), []],
  [
    'TestValidatePodDNSConfig/"valid: 1 option"',
    pod({ dnsConfig: { options: [{ name: 'ndots', value: '5' }] } }),
    [],
  ],
  ['TestValidatePodDNSConfig/"valid: 1 nameserver"', pod({ dnsConfig: { nameservers: ['127.0.0.1'] } }), []],
  [
    'TestValidatePodDNSConfig/"valid: DNSNone with 1 nameserver"',
    pod({ dnsPolicy: 'None', dnsConfig: { nameservers: ['127.0.0.1'] } }),
    [],
  ],
  [
    'TestValidatePodDNSConfig/"invalid: 4 nameservers"',
    pod({ dnsConfig: { nameservers: ['127.0.0.1', '10.0.0.10', '8.8.8.8', '1.2.3.4'] } }),
    [
      'spec.dnsConfig.nameservers: Invalid value: []string{"127.0.0.1", "10.0.0.10", "8.8.8.8", "1.2.3.4"}: must not have more than 3 nameservers',
    ],
  ],
  [
    'TestValidatePodDNSConfig/"invalid: 33 search paths"',
    pod({ dnsConfig: { searches: Array.from({ length: 33 }, (_, i) => `custom${i}`) } }),
    [
      `spec.dnsConfig.searches: Invalid value: []string{${Array.from({ length: 33 }, (_, i) => `"custom${i}"`).join(', ')}}: must not have more than 32 search paths`,
    ],
  ],
  [
    'TestValidatePodDNSConfig/"invalid: invalid nameserver"',
    pod({ dnsConfig: { nameservers: ['invalid'] } }),
    [`spec.dnsConfig.nameservers[0]: Invalid value: "invalid": ${IP}`],
  ],
  [
    'TestValidatePodDNSConfig/"invalid: empty option name"',
    pod({ dnsConfig: { options: [{ value: 'optionValue' }] } }),
    ['spec.dnsConfig.options[0]: Required value: must not be empty'],
  ],
  [
    'TestValidatePodDNSConfig/"invalid: DNSNone with 0 nameserver"',
    pod({ dnsPolicy: 'None', dnsConfig: { searches: ['custom'] } }),
    [
      'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    ],
  ],
  [
    'DNSNone without dnsConfig',
    pod({ dnsPolicy: 'None' }),
    ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
  ],
  [
    'TestValidatePodDNSConfig/"valid: search with underscore" (RelaxedDNSSearchValidation, on in 1.33)',
    pod({ dnsConfig: { searches: ['_sip._tcp.abc_d.example.com'] } }),
    [],
  ],
  ['TestValidatePodDNSConfig/"valid: search is a single dot"', pod({ dnsConfig: { searches: ['.'] } }), []],
];

const gates: Row[] = [
  [
    'TestValidatePodReadinessGates/"valid"',
    pod({ readinessGates: [{ conditionType: 'example.com/condition1' }] }),
    [],
  ],
  [
    'TestValidatePodReadinessGates/"invalid condition type"',
    pod({ readinessGates: [{ conditionType: 'invalid/custom/condition2' }] }),
    [
      `spec.readinessGates[0].conditionType: Invalid value: "invalid/custom/condition2": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
  ],
  [
    'TestValidatePodCreateWithSchedulingGates/"create a Pod with schedulingGates, feature enabled"',
    pod({ schedulingGates: [{ name: 'foo' }] }),
    [],
  ],
  [
    'TestValidatePodCreateWithSchedulingGates/"create a Pod with nodeName and schedulingGates, feature enabled"',
    pod({ nodeName: 'node', schedulingGates: [{ name: 'foo' }] }),
    ['spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared'],
  ],
  [
    'duplicate scheduling gates',
    pod({ schedulingGates: [{ name: 'foo' }, { name: 'foo' }] }),
    ['spec.schedulingGates[1]: Duplicate value: "foo"'],
  ],
];

const spread = (c: Record<string, unknown>) =>
  pod({
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'k8s.io/zone', whenUnsatisfiable: 'DoNotSchedule', ...c },
    ],
  });
const S = (c: string) => `TestValidateTopologySpreadConstraints/"${c}"`;
const topology: Row[] = [
  [S('all required fields ok'), spread({}), []],
  [
    S('missing MaxSkew'),
    spread({ maxSkew: undefined }),
    ['spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero'],
  ],
  [
    S('negative MaxSkew'),
    spread({ maxSkew: -1 }),
    ['spec.topologySpreadConstraints[0].maxSkew: Invalid value: -1: must be greater than zero'],
  ],
  [
    S('can use MinDomains with ScheduleAnyway, when MinDomains = nil'),
    spread({ whenUnsatisfiable: 'ScheduleAnyway' }),
    [],
  ],
  [
    S('negative minDomains'),
    spread({ minDomains: -1 }),
    ['spec.topologySpreadConstraints[0].minDomains: Invalid value: -1: must be greater than zero'],
  ],
  [
    S('cannot use non-nil MinDomains with ScheduleAnyway'),
    spread({ whenUnsatisfiable: 'ScheduleAnyway', minDomains: 10 }),
    [
      'spec.topologySpreadConstraints[0].minDomains: Invalid value: 10: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway',
    ],
  ],
  [
    S('missing TopologyKey'),
    spread({ topologyKey: '' }),
    ['spec.topologySpreadConstraints[0].topologyKey: Required value: can not be empty'],
  ],
  [
    S('missing scheduling mode'),
    spread({ whenUnsatisfiable: '' }),
    [
      'spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "": supported values: "DoNotSchedule", "ScheduleAnyway"',
    ],
  ],
  [
    S('unsupported scheduling mode'),
    spread({ whenUnsatisfiable: 'N/A' }),
    [
      'spec.topologySpreadConstraints[0].whenUnsatisfiable: Unsupported value: "N/A": supported values: "DoNotSchedule", "ScheduleAnyway"',
    ],
  ],
  [
    S('multiple constraints conflict with each other'),
    pod({
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'k8s.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 2, topologyKey: 'k8s.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
      ],
    }),
    [
      'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{k8s.io/zone, DoNotSchedule}"',
    ],
  ],
  [
    S('supported policy name set on NodeAffinityPolicy and NodeTaintsPolicy'),
    spread({ nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore' }),
    [],
  ],
  [
    S('invalid NodeAffinityPolicy'),
    spread({ nodeAffinityPolicy: 'Invalid' }),
    [
      'spec.topologySpreadConstraints[0].nodeAffinityPolicy: Unsupported value: "Invalid": supported values: "Honor", "Ignore"',
    ],
  ],
  [
    S("key in MatchLabelKeys isn't correctly defined"),
    spread({ labelSelector: { matchLabels: { foo: 'bar' } }, matchLabelKeys: ['/simple'] }),
    [
      'spec.topologySpreadConstraints[0].matchLabelKeys[0]: Invalid value: "/simple": prefix part must be non-empty',
    ],
  ],
  [
    S('key exists in both matchLabelKeys and labelSelector'),
    spread({ labelSelector: { matchLabels: { foo: 'bar' } }, matchLabelKeys: ['foo'] }),
    [
      'spec.topologySpreadConstraints[0].matchLabelKeys[0]: Invalid value: "foo": exists in both matchLabelKeys and labelSelector',
    ],
  ],
  [
    S('key in MatchLabelKeys is forbidden to be specified when labelSelector is not set'),
    spread({ matchLabelKeys: ['foo'] }),
    [
      'spec.topologySpreadConstraints[0].matchLabelKeys: Forbidden: must not be specified when labelSelector is not set',
    ],
  ],
  [
    S('invalid matchLabels set on labelSelector'),
    spread({ labelSelector: { matchLabels: { NoUppercaseOrSpecialCharsLike: 'Equals=' } } }),
    [`spec.topologySpreadConstraints[0].labelSelector.matchLabels: Invalid value: "Equals=": ${LABEL_VALUE}`],
  ],
];

const nodeAffinity = (na: Record<string, unknown>) => pod({ affinity: { nodeAffinity: na } });
const required = (terms: unknown[]) => ({
  requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
});
const NA = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms';
const affinity: Row[] = [
  [
    'TestValidatePod/"serialized node affinity requirements"',
    nodeAffinity(
      required([{ matchExpressions: [{ key: 'key2', operator: 'In', values: ['value1', 'value2'] }] }]),
    ),
    [],
  ],
  [
    'TestValidatePod/"invalid key in node affinity"',
    nodeAffinity(required([{ matchExpressions: [{ key: 'invalid key ___@#', operator: 'Exists' }] }])),
    [`${NA}[0].matchExpressions[0].key: Invalid value: "invalid key ___@#": ${QNAME_PART}`],
  ],
  [
    'TestValidatePod/"invalid requiredDuringSchedulingIgnoredDuringExecution node selector, nodeSelectorTerms must have at least one term"',
    nodeAffinity(required([])),
    [`${NA}: Required value: must have at least one node selector term`],
  ],
  [
    'TestValidatePod/"invalid requiredDuringSchedulingIgnoredDuringExecution node selector term, matchExpressions must have at least one node selector requirement" (In without values)',
    nodeAffinity(required([{ matchExpressions: [{ key: 'k', operator: 'In' }] }])),
    [
      `${NA}[0].matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
    ],
  ],
  [
    'TestValidatePod/"invalid node field selector requirement in node affinity, more values for field selector"',
    nodeAffinity(
      required([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host1', 'host2'] }] }]),
    ),
    [
      `${NA}[0].matchFields[0].values: Required value: must be only one value when \`operator\` is 'In' or 'NotIn' for node field selector`,
    ],
  ],
  [
    'TestValidatePod/"invalid preferredSchedulingTerm in node affinity, weight should be in range 1-100"',
    nodeAffinity({
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 199, preference: { matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar'] }] } },
      ],
    }),
    [
      'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 199: must be in the range 1-100',
    ],
  ],
  [
    'TestValidatePod/"invalid hard pod affinity, empty topologyKey is not allowed for hard pod affinity"',
    pod({
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { labelSelector: { matchLabels: { a: 'b' } }, topologyKey: '' },
          ],
        },
      },
    }),
    [
      'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty',
      `spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": name part must be non-empty`,
      `spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Invalid value: "": ${QNAME_PART}`,
    ],
  ],
  [
    'TestValidatePod/"invalid labelSelector in podAffinity, values should be empty if the operator is DoesNotExist"',
    pod({
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: {
                matchExpressions: [{ key: 'key2', operator: 'DoesNotExist', values: ['value1'] }],
              },
              topologyKey: 'zone',
            },
          ],
        },
      },
    }),
    [
      "spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ],
  ],
];

const meta: Row[] = [
  [
    'TestValidatePod/"bad name"',
    pod({}, { name: 'Bad_Name' }),
    [
      `metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
  ],
  [
    'TestValidatePod/"invalid pod-deletion-cost"',
    pod({}, { annotations: { 'controller.kubernetes.io/pod-deletion-cost': 'text' } }),
    [
      'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "text": must be a 32bit integer',
    ],
  ],
  [
    'TestValidatePod/"invalid leading zeros pod-deletion-cost"',
    pod({}, { annotations: { 'controller.kubernetes.io/pod-deletion-cost': '008' } }),
    [
      'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "008": must be a 32bit integer',
    ],
  ],
  [
    'TestValidatePod/"invalid leading plus sign pod-deletion-cost"',
    pod({}, { annotations: { 'controller.kubernetes.io/pod-deletion-cost': '+10' } }),
    [
      'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+10": must be a 32bit integer',
    ],
  ],
  [
    'TestValidatePod/"mirror-pod populated without nodeName"',
    pod({}, { annotations: { 'kubernetes.io/config.mirror': 'foo' } }),
    [
      'metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "foo": must set spec.nodeName if mirror pod annotation is set',
    ],
  ],
  [
    'TestValidatePod/"invalid required node affinity, value of NodeSelectorRequirement should be a valid label value"',
    pod({
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'foo', operator: 'In', values: ['-1'] }] }],
          },
        },
      },
    }),
    [
      "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values[0]: Invalid value: \"-1\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
  ],
  [
    'valid pod-deletion-cost annotation',
    pod({}, { annotations: { 'controller.kubernetes.io/pod-deletion-cost': '10' } }),
    [],
  ],
  [
    'TestValidatePod/"mirror-pod present without nodeName"',
    pod({}, { annotations: { 'kubernetes.io/config.mirror': '' } }),
    [
      'metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "": must set spec.nodeName if mirror pod annotation is set',
    ],
  ],
  [
    'TestValidatePodSpec/"bad nodeName"',
    pod({ nodeName: 'node name' }),
    [
      `spec.nodeName: Invalid value: "node name": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
  ],
  [
    'TestValidatePodSpec/"bad host alias ip"',
    pod({ hostAliases: [{ ip: '999.999.999.999', hostnames: ['host1'] }] }),
    [`spec.hostAliases[0].ip: Invalid value: "999.999.999.999": ${IP}`],
  ],
  [
    'TestValidatePodSpec/"bad os name"',
    pod({ os: { name: 'dummyOS' } }),
    ['spec.os: Unsupported value: "dummyOS": supported values: "linux", "windows"'],
  ],
  [
    'TestValidatePodSpec/"bad activeDeadlineSeconds"',
    pod({ activeDeadlineSeconds: 0 }),
    ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
  ],
  [
    'TestValidatePodSpec/"bad preemptionPolicy"',
    pod({ preemptionPolicy: 'invalid-policy' }),
    [
      'spec.preemptionPolicy: Unsupported value: "invalid-policy": supported values: "PreemptLowerPriority", "Never"',
    ],
  ],
];

const ephemeral: Row[] = [
  [
    'TestValidatePodCreate: ephemeral containers are refused on create',
    pod({
      ephemeralContainers: [
        {
          name: 'debugger',
          image: 'image',
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePolicy: 'File',
        },
      ],
    }),
    ['spec.ephemeralContainers: Forbidden: cannot be set on create'],
  ],
  [
    'TestValidateEphemeralContainers/"Container uses disallowed field: Ports" (and then refused on create)',
    pod({ ephemeralContainers: [{ name: 'debugger', image: 'image', ports: [{ containerPort: 80 }] }] }),
    [
      'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
    ],
  ],
  [
    'TestValidateEphemeralContainers/"Ephemeral Container with name collision with Container"',
    pod({ ephemeralContainers: [{ name: 'ctr', image: 'image' }] }),
    [
      'spec.ephemeralContainers[0].name: Duplicate value: "ctr"',
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
    ],
  ],
  [
    'TestValidateEphemeralContainers/"Ephemeral Container with targetContainerName that does not exist"',
    pod({ ephemeralContainers: [{ name: 'debug', image: 'image', targetContainerName: 'bogus' }] }),
    [
      'spec.ephemeralContainers[0].targetContainerName: Not found: "bogus"',
      'spec.ephemeralContainers: Forbidden: cannot be set on create',
    ],
  ],
];

describe('TestValidateTolerations', () => rows(tolerations));
describe('host network, host ports, security context', () => rows(hostNetwork));
describe('TestValidatePodDNSConfig', () => rows(dns));
describe('readiness and scheduling gates', () => rows(gates));
describe('TestValidateTopologySpreadConstraints', () => rows(topology));
describe('affinity (TestValidatePod rows)', () => rows(affinity));
describe('metadata and pod-level names', () => rows(meta));
describe('ephemeral containers', () => rows(ephemeral));

const more: Row[] = [
  [
    'TestValidatePodSpec/"bad RestartPolicy"',
    pod({ restartPolicy: 'UnknowPolicy' }),
    [
      'spec.restartPolicy: Unsupported value: "UnknowPolicy": supported values: "Always", "OnFailure", "Never"',
    ],
  ],
  [
    'TestValidatePodSpec/"with hostNetwork hostPort unspecified" in an init container is defaulted too',
    pod({
      hostNetwork: true,
      initContainers: [{ name: 'init', image: 'image', ports: [{ containerPort: 8080 }] }],
    }),
    [],
  ],
  [
    'TestValidatePodSpec/"bad DNSPolicy"',
    pod({ dnsPolicy: 'invalid' }),
    [
      'spec.dnsPolicy: Unsupported value: "invalid": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ],
  ],
  [
    'TestValidatePodSpec/"bad service account name"',
    pod({ serviceAccountName: 'invalidName' }),
    [
      `spec.serviceAccountName: Invalid value: "invalidName": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
  ],
  [
    'TestValidatePodSpec/"bad hostname"',
    pod({ hostname: 'a.b' }),
    ['spec.hostname: Invalid value: "a.b": must not contain dots'],
  ],
  [
    'TestValidatePodSpec/"bad sysctl name"',
    pod({ securityContext: { sysctls: [{ name: 'Bad!Name', value: '1' }] } }),
    [
      'spec.securityContext.sysctls[0].name: Invalid value: "Bad!Name": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$',
    ],
  ],
  [
    'TestValidatePodSpec/"duplicate sysctl"',
    pod({
      securityContext: {
        sysctls: [
          { name: 'kernel.shmmax', value: '1' },
          { name: 'kernel.shmmax', value: '2' },
        ],
      },
    }),
    ['spec.securityContext.sysctls[1].name: Duplicate value: "kernel.shmmax"'],
  ],
  [
    'TestValidatePodSpec/"net sysctl with hostNetwork"',
    pod({ hostNetwork: true, securityContext: { sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] } }),
    [
      'spec.securityContext.sysctls[0].name: Invalid value: "net.ipv4.ip_forward": may not be specified when \'hostNetwork\' is true',
    ],
  ],
  [
    'TestValidatePodSpec/"bad runtimeClassName"',
    pod({ runtimeClassName: 'my_runtime' }),
    [
      `spec.runtimeClassName: Invalid value: "my_runtime": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
  ],
  [
    'a null livenessProbe on an init container is no probe',
    pod({ initContainers: [{ name: 'init', image: 'image', livenessProbe: null }] }),
    [],
  ],
];

describe('more TestValidatePodSpec rows', () => rows(more));
