/**
 * Pod rows of k/k pkg/apis/core/validation/validation_test.go for DNS config, gates, metadata and
 * ephemeral containers: TestValidatePodDNSConfig, TestValidatePodReadinessGates,
 * TestValidatePodCreateWithSchedulingGates, TestValidatePod (annotations, labels, images) and
 * TestValidateEphemeralContainers (each then refused by ValidatePodCreate: ephemeral containers
 * come only through their subresource), as Pod manifests named "123" unless upstream names the
 * Pod otherwise.
 *
 * Upstream source: commit 000f26050b9b (not pinned; release-1.33 era, see validate-pod.test.ts).
 * TestValidatePodDNSConfig only expects "an error"; the texts follow validatePodDNSConfig
 * (RelaxedDNSSearchValidation: beta and on in 1.33, so searches may hold `_`). TestValidatePod's
 * errorCases give a substring; the full texts follow validation.go. Rows without an upstream case
 * name describe a rule and name the function.
 */
import { describe } from 'vitest';
import { goQuote } from '../../../src/errors/field.ts';
import { MSG, pod, podWithContainer, type Row, rows } from './harness.ts';

type Json = Record<string, unknown>;
const D = (c: string) => `TestValidatePodDNSConfig/"${c}"`;
const P = (c: string) => `TestValidatePod/"${c}"`;
const dns = (dnsConfig: Json, dnsPolicy?: string) => pod({ dnsConfig, ...(dnsPolicy ? { dnsPolicy } : {}) });
const a = (n: number) => 'a'.repeat(n);
const goSlice = (xs: string[]) => `[]string{${xs.map(goQuote).join(', ')}}`;
const LEGACY6 = [
  'custom',
  'mydomain.com',
  'local',
  'cluster.local',
  'svc.cluster.local',
  'default.svc.cluster.local.',
];
const upTo = (n: number) => Array.from({ length: n - 6 }, (_, i) => String(i + 7));
const SEARCH_32 = [...LEGACY6, ...upTo(32)];
const SEARCH_33 = [...LEGACY6, ...upTo(33)];
const CHARS_2048 = [a(64), ...Array.from({ length: 31 }, () => a(63))];
const CHARS_2049 = [a(65), ...Array.from({ length: 31 }, () => a(63))];
const NS4 = ['127.0.0.1', '10.0.0.10', '8.8.8.8', '1.2.3.4'];

const dnsRows: Row[] = [
  [D('valid: empty DNSConfig'), dns({}), []],
  [D('valid: 1 option'), dns({ options: [{ name: 'ndots', value: '2' }] }), []],
  [D('valid: 1 nameserver'), dns({ nameservers: ['127.0.0.1'] }), []],
  [D('valid: DNSNone with 1 nameserver'), dns({ nameservers: ['127.0.0.1'] }, 'None'), []],
  [D('valid: 1 search path'), dns({ searches: ['custom'] }), []],
  [D('valid: 1 search path with trailing period'), dns({ searches: ['custom.'] }), []],
  [
    D('valid: 3 nameservers and 6 search paths(legacy)'),
    dns({ nameservers: NS4.slice(0, 3), searches: LEGACY6 }),
    [],
  ],
  [
    D('valid: 3 nameservers and 32 search paths'),
    dns({ nameservers: NS4.slice(0, 3), searches: SEARCH_32 }),
    [],
  ],
  [
    D('valid: 256 characters in search path list(legacy)'),
    dns({ searches: [a(1), a(50), a(50), a(50), a(50), a(50)] }),
    [],
  ],
  [D('valid: 2048 characters in search path list'), dns({ searches: CHARS_2048 }), []],
  [D('valid: ipv6 nameserver'), dns({ nameservers: ['FE80::0202:B3FF:FE1E:8329'] }), []],
  [
    D('invalid: 4 nameservers'),
    dns({ nameservers: NS4 }),
    [`spec.dnsConfig.nameservers: Invalid value: ${goSlice(NS4)}: must not have more than 3 nameservers`],
  ],
  [
    D('valid: 7 search paths'),
    dns({ searches: [...LEGACY6.slice(0, 5), 'default.svc.cluster.local', 'exceeded'] }),
    [],
  ],
  [
    D('invalid: 33 search paths'),
    dns({ searches: SEARCH_33 }),
    [
      `spec.dnsConfig.searches: Invalid value: ${goSlice(SEARCH_33)}: must not have more than 32 search paths`,
    ],
  ],
  [
    D('valid: 257 characters in search path list'),
    dns({ searches: [a(2), a(50), a(50), a(50), a(50), a(50)] }),
    [],
  ],
  [
    D('invalid: 2049 characters in search path list'),
    dns({ searches: CHARS_2049 }),
    [
      `spec.dnsConfig.searches: Invalid value: ${goSlice(CHARS_2049)}: must not have more than 2048 characters (including spaces) in the search list`,
    ],
  ],
  [
    D('invalid search path'),
    dns({ searches: ['custom?'] }),
    [
      `spec.dnsConfig.searches[0]: Invalid value: "custom?": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')`,
    ],
  ],
  [
    D('invalid nameserver'),
    dns({ nameservers: ['invalid'] }),
    [`spec.dnsConfig.nameservers[0]: Invalid value: "invalid": ${MSG.ip}`],
  ],
  [
    D('invalid empty option name'),
    dns({ options: [{ value: '2' }] }),
    ['spec.dnsConfig.options[0]: Required value: must not be empty'],
  ],
  [
    D('invalid: DNSNone with 0 nameserver'),
    dns({ searches: ['custom'] }, 'None'),
    [
      'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None',
    ],
  ],
  [
    'validatePodDNSConfig: dnsPolicy None without dnsConfig',
    pod({ dnsPolicy: 'None' }),
    ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None'],
  ],
  [
    'validatePodDNSConfig: a search with underscores (RelaxedDNSSearchValidation)',
    dns({ searches: ['_sip._tcp.abc_d.example.com'] }),
    [],
  ],
  [
    'validatePodDNSConfig: a search that is a single dot (RelaxedDNSSearchValidation)',
    dns({ searches: ['.'] }),
    [],
  ],
];

const R = (c: string) => `TestValidatePodReadinessGates/"${c}"`;
const G = (c: string) => `TestValidatePodCreateWithSchedulingGates/"${c}"`;
const gates: Row[] = [
  [R('no gate'), pod({ readinessGates: [] }), []],
  [R('one readiness gate'), pod({ readinessGates: [{ conditionType: 'example.com/condition' }] }), []],
  [
    R('two readiness gates'),
    pod({
      readinessGates: [
        { conditionType: 'example.com/condition1' },
        { conditionType: 'example.com/condition2' },
      ],
    }),
    [],
  ],
  [
    R('invalid condition type'),
    pod({ readinessGates: [{ conditionType: 'invalid/condition/type' }] }),
    [
      `spec.readinessGates[0].conditionType: Invalid value: "invalid/condition/type": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ],
  ],
  [
    G('create a Pod with nodeName and schedulingGates, feature enabled'),
    pod({ nodeName: 'node', schedulingGates: [{ name: 'foo' }] }, { name: 'pod' }),
    ['spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared'],
  ],
  [
    G('create a Pod with schedulingGates, feature enabled'),
    pod({ schedulingGates: [{ name: 'foo' }] }, { name: 'pod' }),
    [],
  ],
  [
    'validateSchedulingGates: a duplicate gate',
    pod({ schedulingGates: [{ name: 'foo' }, { name: 'foo' }] }),
    ['spec.schedulingGates[1]: Duplicate value: "foo"'],
  ],
  [
    'validateSchedulingGates: a gate that is not a qualified name',
    pod({ schedulingGates: [{ name: 'a b' }] }),
    [`spec.schedulingGates[0]: Invalid value: "a b": ${MSG.qualifiedNamePart}`],
  ],
];

const COST = 'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]';
const MIRROR = 'metadata.annotations[kubernetes.io/config.mirror]';
const cost = (v: string, name = 'valid-extended') =>
  pod({}, { name, annotations: { 'controller.kubernetes.io/pod-deletion-cost': v } });
const meta: Row[] = [
  [P('basic fields'), pod(), []],
  [
    P('just about everything'),
    pod(
      {
        initContainers: [{ name: 'ictr', image: 'image' }],
        volumes: [{ name: 'vol', emptyDir: {} }],
        nodeSelector: { key: 'value' },
        nodeName: 'foobar',
        serviceAccountName: 'acct',
      },
      { name: 'abc.123.do-re-mi' },
    ),
    [],
  ],
  [P('negative pod-deletion-cost'), cost('-100', '123'), []],
  [P('positive pod-deletion-cost'), cost('100', '123'), []],
  [P('invalid pod-deletion-cost'), cost('text'), [`${COST}: Invalid value: "text": must be a 32bit integer`]],
  [
    P('invalid leading zeros pod-deletion-cost'),
    cost('008'),
    [`${COST}: Invalid value: "008": must be a 32bit integer`],
  ],
  [
    P('invalid leading plus sign pod-deletion-cost'),
    cost('+10'),
    [`${COST}: Invalid value: "+10": must be a 32bit integer`],
  ],
  [
    P('mirror-pod present without nodeName'),
    pod({}, { annotations: { 'kubernetes.io/config.mirror': '' } }),
    [`${MIRROR}: Invalid value: "": must set spec.nodeName if mirror pod annotation is set`],
  ],
  [
    P('mirror-pod populated without nodeName'),
    pod({}, { annotations: { 'kubernetes.io/config.mirror': 'foo' } }),
    [`${MIRROR}: Invalid value: "foo": must set spec.nodeName if mirror pod annotation is set`],
  ],
  [
    P('bad label'),
    pod({}, { labels: { 'NoUppercaseOrSpecialCharsLike=Equals': 'bar' } }),
    [`metadata.labels: Invalid value: "NoUppercaseOrSpecialCharsLike=Equals": ${MSG.qualifiedNamePart}`],
  ],
  [
    P('image whitespace'),
    podWithContainer({ image: ' ' }),
    ['spec.containers[0].image: Invalid value: " ": must not have leading or trailing whitespace'],
  ],
  [
    P('image leading and trailing whitespace'),
    podWithContainer({ image: ' something ' }),
    ['spec.containers[0].image: Invalid value: " something ": must not have leading or trailing whitespace'],
  ],
  [
    P('bad spec'),
    pod({ containers: [{}] }),
    ['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value'],
  ],
  [
    'ValidateLabels: a label value that is not a label value',
    pod({}, { labels: { app: 'bad value' } }),
    [`metadata.labels: Invalid value: "bad value": ${MSG.labelValue}`],
  ],
  [
    'ValidateAnnotations: a key that is not a qualified name',
    pod({}, { annotations: { 'bad key': 'x' } }),
    [`metadata.annotations: Invalid value: "bad key": ${MSG.qualifiedNamePart}`],
  ],
  [
    'ValidateObjectMeta: a name longer than 253 characters',
    pod({}, { name: 'a'.repeat(254) }),
    [`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`],
  ],
  [
    'ValidateObjectMeta: a name that is not a DNS subdomain',
    pod({}, { name: 'Bad_Name' }),
    [`metadata.name: Invalid value: "Bad_Name": ${MSG.dnsSubdomain}`],
  ],
];

const E = (c: string) => `TestValidateEphemeralContainers/"${c}"`;
const EC = 'spec.ephemeralContainers';
const ON_CREATE = `${EC}: Forbidden: cannot be set on create`;
const NOT_ALLOWED = 'Forbidden: cannot be set for an Ephemeral Container';
/** Upstream's fixture: containers `ctr`, init container `ictr`, volume `vol`; then `ephemeral`. */
const withEphemeral = (...ephemeralContainers: Json[]) =>
  pod({
    initContainers: [{ name: 'ictr', image: 'image' }],
    volumes: [{ name: 'vol', emptyDir: {} }],
    ephemeralContainers: ephemeralContainers.map((c) => ({ image: 'image', ...c })),
  });
const debug = (fields: Json) => withEphemeral({ name: 'debug', ...fields });
const tcp80 = { tcpSocket: { port: 80 } };
const disallowed: [string, Json, string][] = [
  ['Lifecycle', { lifecycle: { preStop: { exec: { command: ['ls', '-l'] } } } }, 'lifecycle'],
  ['LivenessProbe', { livenessProbe: { ...tcp80, successThreshold: 1 } }, 'livenessProbe'],
  ['Ports', { ports: [{ protocol: 'TCP', containerPort: 80 }] }, 'ports'],
  ['ReadinessProbe', { readinessProbe: tcp80 }, 'readinessProbe'],
  ['StartupProbe', { startupProbe: { ...tcp80, successThreshold: 1 } }, 'startupProbe'],
  ['Resources', { resources: { limits: { cpu: '10' } } }, 'resources'],
  ['ResizePolicy', { resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }, 'resizePolicy'],
];
const ephemeral: Row[] = [
  [`${E('Single Container')} (then refused on create: ValidatePodCreate)`, debug({}), [ON_CREATE]],
  [
    `${E('Multiple Containers')} (then refused on create)`,
    withEphemeral({ name: 'debug1' }, { name: 'debug2' }),
    [ON_CREATE],
  ],
  [
    `${E('Single Container with Target')} (then refused on create)`,
    debug({ targetContainerName: 'ctr' }),
    [ON_CREATE],
  ],
  [
    E('Name Collision with Container.Containers'),
    withEphemeral({ name: 'ctr' }, { name: 'debug1' }),
    [`${EC}[0].name: Duplicate value: "ctr"`, ON_CREATE],
  ],
  [
    E('Name Collision with Container.InitContainers'),
    withEphemeral({ name: 'ictr' }, { name: 'debug1' }),
    [`${EC}[0].name: Duplicate value: "ictr"`, ON_CREATE],
  ],
  [
    E('Name Collision with EphemeralContainers'),
    withEphemeral({ name: 'debug1' }, { name: 'debug1' }),
    [`${EC}[1].name: Duplicate value: "debug1"`, ON_CREATE],
  ],
  [E('empty Container Name'), withEphemeral({ name: '' }), [`${EC}[0].name: Required value`, ON_CREATE]],
  [
    E('whitespace padded image name'),
    debug({ image: ' image' }),
    [`${EC}[0].image: Invalid value: " image": must not have leading or trailing whitespace`, ON_CREATE],
  ],
  [
    E('invalid image pull policy'),
    debug({ imagePullPolicy: 'PullThreeTimes' }),
    [
      `${EC}[0].imagePullPolicy: Unsupported value: "PullThreeTimes": supported values: "Always", "IfNotPresent", "Never"`,
      ON_CREATE,
    ],
  ],
  [
    E("TargetContainerName doesn't exist"),
    debug({ targetContainerName: 'bogus' }),
    [`${EC}[0].targetContainerName: Not found: "bogus"`, ON_CREATE],
  ],
  [
    E('Targets an ephemeral container'),
    withEphemeral({ name: 'debug' }, { name: 'debugception', targetContainerName: 'debug' }),
    [`${EC}[1].targetContainerName: Not found: "debug"`, ON_CREATE],
  ],
  ...disallowed.map(
    ([name, fields, path]): Row => [
      E(`Container uses disallowed field: ${name}`),
      debug(fields),
      [`${EC}[0].${path}: ${NOT_ALLOWED}`, ON_CREATE],
    ],
  ),
  ...(['subPath', 'subPathExpr'] as const).map(
    (f): Row => [
      E(`Container uses disallowed field: VolumeMount.${f === 'subPath' ? 'SubPath' : 'SubPathExpr'}`),
      debug({
        volumeMounts: [
          { name: 'vol', mountPath: '/vol' },
          { name: 'vol', mountPath: '/volsub', [f]: f === 'subPath' ? 'foo' : '$(POD_NAME)' },
        ],
      }),
      [`${EC}[0].volumeMounts[1].${f}: ${NOT_ALLOWED}`, ON_CREATE],
    ],
  ),
  [
    E('Disallowed field with other errors should only return a single Forbidden'),
    debug({ lifecycle: { preStop: { exec: { command: [] } } } }),
    [`${EC}[0].lifecycle: ${NOT_ALLOWED}`, ON_CREATE],
  ],
  ...['Always', 'OnFailure', 'Never', 'invalid', ''].map(
    (p): Row => [
      E(`Forbidden RestartPolicy: ${p === '' ? 'empty' : p}`),
      withEphemeral({ name: 'foo', restartPolicy: p }),
      [`${EC}[0].restartPolicy: ${NOT_ALLOWED}`, ON_CREATE],
    ],
  ),
  [
    'validateFieldAllowList: an empty probe is set (a non-nil pointer)',
    debug({ readinessProbe: {} }),
    [`${EC}[0].readinessProbe: ${NOT_ALLOWED}`, ON_CREATE],
  ],
];

describe('TestValidatePodDNSConfig', () => rows(dnsRows));
describe('readiness and scheduling gates', () => rows(gates));
describe('TestValidatePod: metadata, annotations, images', () => rows(meta));
describe('TestValidateEphemeralContainers (then ValidatePodCreate)', () => rows(ephemeral));
