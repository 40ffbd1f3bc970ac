/**
 * Pod rows of k/k pkg/apis/core/validation/validation_test.go for DNS config, gates, metadata and
 * ephemeral containers: TestValidatePodDNSConfig, TestValidatePodReadinessGates,
 * TestValidatePodCreateWithSchedulingGates and TestValidatePod (annotations, labels, images), as
 * Pod manifests named "123" unless upstream names the Pod otherwise.
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
    'ValidateObjectMeta: a name that is not a DNS subdomain',
    pod({}, { name: 'Bad_Name' }),
    [`metadata.name: Invalid value: "Bad_Name": ${MSG.dnsSubdomain}`],
  ],
];

const debug = (fields: Json) =>
  pod({ ephemeralContainers: [{ name: 'debugger', image: 'image', ...fields }] });
const ON_CREATE = 'spec.ephemeralContainers: Forbidden: cannot be set on create';
const ephemeral: Row[] = [
  [
    'ValidatePodCreate: ephemeral containers only through the ephemeralcontainers subresource',
    debug({ imagePullPolicy: 'IfNotPresent', terminationMessagePolicy: 'File' }),
    [ON_CREATE],
  ],
  [
    'validateEphemeralContainers: ports are not allowed (allowedEphemeralContainerFields), then refused on create',
    debug({ ports: [{ containerPort: 80 }] }),
    ['spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container', ON_CREATE],
  ],
  [
    'validateEphemeralContainers: a name that collides with a container',
    pod({ ephemeralContainers: [{ name: 'ctr', image: 'image' }] }),
    ['spec.ephemeralContainers[0].name: Duplicate value: "ctr"', ON_CREATE],
  ],
  [
    'validateEphemeralContainers: a targetContainerName that does not exist',
    debug({ targetContainerName: 'bogus' }),
    ['spec.ephemeralContainers[0].targetContainerName: Not found: "bogus"', ON_CREATE],
  ],
];

describe('TestValidatePodDNSConfig', () => rows(dnsRows));
describe('readiness and scheduling gates', () => rows(gates));
describe('TestValidatePod: metadata, annotations, images', () => rows(meta));
describe('ephemeral containers on create', () => rows(ephemeral));
