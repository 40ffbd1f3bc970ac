/**
 * Pod-level rows of k/k pkg/apis/core/validation/validation_test.go: TestValidatePodSpec
 * (successCases, failureCases), TestValidatePod (security profiles, sysctls, metadata and
 * annotations, images), TestValidatePodDNSConfig, TestValidatePodReadinessGates,
 * TestValidatePodCreateWithSchedulingGates and the ephemeral-container rules of
 * ValidatePodCreate, as Pod manifests named "123". Tolerations, topology spread and affinity are
 * in validate-pod-scheduling.test.ts and validate-pod-affinity.test.ts.
 *
 * Upstream source: the stored copy read for these tables is commit 000f26050b9b (not pinned to a
 * tag; release-1.33 era). TestValidatePodSpec's failureCases and TestValidatePodDNSConfig only
 * expect "an error"; the texts here follow validation.go (ValidatePodSpec,
 * validatePodSpecSecurityContext, validatePodDNSConfig, ValidatePodCreate). Gates follow 1.33's
 * defaults: RelaxedDNSSearchValidation on (beta), SELinuxChangePolicy on (beta) with SELinuxMount
 * off (beta, off: only `Recursive`), UserNamespacesSupport on.
 *
 * Skipped, and why: Windows rows (validateWindows, hostProcess: the simulated node is Linux);
 * sysctl rows that depend on the kubelet's allow list; pod-level resources; resource claims
 * (DRA); seccomp and AppArmor annotation rows (deprecated annotations); "bad name" and
 * "bad namespace" with empty values (kubectl fills the namespace and refuses an empty name
 * itself); "populate Overhead"; rows validating through other PodValidationOptions than a
 * create's; the 256 KiB total of annotations (podlab reads at most 256 KiB per file).
 */
import { describe } from 'vitest';
import { MSG, pod, podWithContainer, type Row, rows } from './harness.ts';

type Json = Record<string, unknown>;
const PS = (c: string) => `TestValidatePodSpec/"${c}"`;
const P = (c: string) => `TestValidatePod/"${c}"`;
const sc = (securityContext: Json) => pod({ securityContext });
const SC = 'spec.securityContext';

const podSpec: Row[] = [
  [PS('populate basic fields, leave defaults for most'), pod(), []],
  [
    PS('populate all fields'),
    pod({
      initContainers: [{ name: 'ictr', image: 'image' }],
      volumes: [{ name: 'vol', emptyDir: {} }],
      nodeSelector: { key: 'value' },
      nodeName: 'foobar',
      activeDeadlineSeconds: 2147483647,
      serviceAccountName: 'acct',
    }),
    [],
  ],
  [
    PS('populate HostNetwork'),
    podWithContainer(
      { ports: [{ hostPort: 8080, containerPort: 8080, protocol: 'TCP' }] },
      { hostNetwork: true },
    ),
    [],
  ],
  [
    PS('populate RunAsUser SupplementalGroups FSGroup with minID 0'),
    sc({ supplementalGroups: [0], runAsUser: 0, fsGroup: 0 }),
    [],
  ],
  [
    PS('populate RunAsUser SupplementalGroups FSGroup with maxID 2147483647'),
    sc({ supplementalGroups: [2147483647], runAsUser: 2147483647, fsGroup: 2147483647 }),
    [],
  ],
  [PS('populate HostIPC'), pod({ hostIPC: true }), []],
  [PS('populate HostPID'), pod({ hostPID: true }), []],
  [
    PS('populate HostAliases'),
    pod({ hostAliases: [{ ip: '12.34.56.78', hostnames: ['host1', 'host2'] }] }),
    [],
  ],
  [
    PS('populate HostAliases with `foo.bar` hostnames'),
    pod({ hostAliases: [{ ip: '12.34.56.78', hostnames: ['host1.foo', 'host2.bar'] }] }),
    [],
  ],
  [
    PS('populate HostAliases with HostNetwork'),
    pod({ hostNetwork: true, hostAliases: [{ ip: '12.34.56.78', hostnames: ['host1.foo', 'host2.bar'] }] }),
    [],
  ],
  [PS('populate PriorityClassName'), pod({ priorityClassName: 'valid-name' }), []],
  [PS('populate ShareProcessNamespace'), pod({ shareProcessNamespace: true }), []],
  [PS('populate RuntimeClassName'), pod({ runtimeClassName: 'valid-sandbox' }), []],
  [PS('populate FSGroupChangePolicy'), sc({ fsGroupChangePolicy: 'Always' }), []],
  [PS('no containers'), pod({ containers: [] }), ['spec.containers: Required value']],
  [
    PS('bad container'),
    pod({ containers: [{}] }),
    ['spec.containers[0].name: Required value', 'spec.containers[0].image: Required value'],
  ],
  [
    PS('bad init container'),
    pod({ initContainers: [{}] }),
    ['spec.initContainers[0].name: Required value', 'spec.initContainers[0].image: Required value'],
  ],
  [
    PS('bad DNS policy'),
    pod({ dnsPolicy: 'invalid' }),
    [
      'spec.dnsPolicy: Unsupported value: "invalid": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"',
    ],
  ],
  [
    PS('bad service account name'),
    pod({ serviceAccountName: 'invalidName' }),
    [`spec.serviceAccountName: Invalid value: "invalidName": ${MSG.dnsSubdomain}`],
  ],
  [
    PS('bad restart policy'),
    pod({ restartPolicy: 'UnknowPolicy' }),
    [
      'spec.restartPolicy: Unsupported value: "UnknowPolicy": supported values: "Always", "OnFailure", "Never"',
    ],
  ],
  [
    `${PS('with hostNetwork hostPort unspecified')} is accepted as a manifest (SetDefaults_Pod copies containerPort into hostPort)`,
    podWithContainer({ ports: [{ containerPort: 2600, protocol: 'TCP' }] }, { hostNetwork: true }),
    [],
  ],
  [
    "SetDefaults_Pod defaults init containers' hostPort under hostNetwork too",
    pod({
      hostNetwork: true,
      initContainers: [{ name: 'init', image: 'image', ports: [{ containerPort: 8080 }] }],
    }),
    [],
  ],
  [
    PS('with hostNetwork hostPort not equal to containerPort'),
    podWithContainer(
      { ports: [{ hostPort: 8080, containerPort: 2600, protocol: 'TCP' }] },
      { hostNetwork: true },
    ),
    [
      'spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true',
    ],
  ],
  [
    PS('with hostAliases with invalid IP'),
    pod({ hostAliases: [{ ip: '999.999.999.999', hostnames: ['host1', 'host2'] }] }),
    [`spec.hostAliases[0].ip: Invalid value: "999.999.999.999": ${MSG.ip}`],
  ],
  [
    PS('with hostAliases with invalid hostname'),
    pod({ hostAliases: [{ ip: '12.34.56.78', hostnames: ['@#$^#@#$'] }] }),
    [`spec.hostAliases[0].hostnames[0]: Invalid value: "@#$^#@#$": ${MSG.dnsSubdomain}`],
  ],
  [
    PS('bad supplementalGroups large than math.MaxInt32'),
    sc({ supplementalGroups: [2147483648, 1234] }),
    [`${SC}.supplementalGroups[0]: Invalid value: 2147483648: ${MSG.idRange}`],
  ],
  [
    PS('bad supplementalGroups less than 0'),
    sc({ supplementalGroups: [-1, 1234] }),
    [`${SC}.supplementalGroups[0]: Invalid value: -1: ${MSG.idRange}`],
  ],
  [
    PS('bad runAsUser large than math.MaxInt32'),
    sc({ runAsUser: 2147483648 }),
    [`${SC}.runAsUser: Invalid value: 2147483648: ${MSG.idRange}`],
  ],
  [
    PS('bad runAsUser less than 0'),
    sc({ runAsUser: -1 }),
    [`${SC}.runAsUser: Invalid value: -1: ${MSG.idRange}`],
  ],
  [
    PS('bad fsGroup large than math.MaxInt32'),
    sc({ fsGroup: 2147483648 }),
    [`${SC}.fsGroup: Invalid value: 2147483648: ${MSG.idRange}`],
  ],
  [PS('bad fsGroup less than 0'), sc({ fsGroup: -1 }), [`${SC}.fsGroup: Invalid value: -1: ${MSG.idRange}`]],
  [
    PS('bad-active-deadline-seconds'),
    pod({ activeDeadlineSeconds: 0 }),
    ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'],
  ],
  [
    PS('active-deadline-seconds-too-large'),
    pod({ activeDeadlineSeconds: 2147483648 }),
    ['spec.activeDeadlineSeconds: Invalid value: 2147483648: must be between 1 and 2147483647, inclusive'],
  ],
  [
    PS('bad nodeName'),
    pod({ nodeName: 'node name' }),
    [`spec.nodeName: Invalid value: "node name": ${MSG.dnsSubdomain}`],
  ],
  [
    PS('bad PriorityClassName'),
    pod({ priorityClassName: 'InvalidName' }),
    [`spec.priorityClassName: Invalid value: "InvalidName": ${MSG.dnsSubdomain}`],
  ],
  [
    PS('ShareProcessNamespace and HostPID both set'),
    pod({ hostPID: true, shareProcessNamespace: true }),
    [
      `${SC}.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled`,
    ],
  ],
  [
    PS('bad RuntimeClassName'),
    pod({ runtimeClassName: 'invalid/sandbox' }),
    [`spec.runtimeClassName: Invalid value: "invalid/sandbox": ${MSG.dnsSubdomain}`],
  ],
  [
    PS('bad empty fsGroupchangepolicy'),
    sc({ fsGroupChangePolicy: '' }),
    [`${SC}.fsGroupChangePolicy: Unsupported value: "": supported values: "Always", "OnRootMismatch"`],
  ],
  [
    PS('bad invalid fsgroupchangepolicy'),
    sc({ fsGroupChangePolicy: 'invalid' }),
    [`${SC}.fsGroupChangePolicy: Unsupported value: "invalid": supported values: "Always", "OnRootMismatch"`],
  ],
  [
    'ValidatePodSpec: hostname is a DNS label (ValidateDNS1123Label)',
    pod({ hostname: 'a.b' }),
    ['spec.hostname: Invalid value: "a.b": must not contain dots'],
  ],
  [
    'ValidatePreemptionPolicy: an unknown policy',
    pod({ preemptionPolicy: 'invalid-policy' }),
    [
      'spec.preemptionPolicy: Unsupported value: "invalid-policy": supported values: "PreemptLowerPriority", "Never"',
    ],
  ],
  [
    'validateOS: an unknown OS name',
    pod({ os: { name: 'dummyOS' } }),
    ['spec.os: Unsupported value: "dummyOS": supported values: "linux", "windows"'],
  ],
  [
    'validateOS: an empty OS name',
    pod({ os: { name: '' } }),
    ['spec.os.name: Required value: cannot be empty'],
  ],
  [
    'a null livenessProbe on an init container is no probe',
    pod({ initContainers: [{ name: 'init', image: 'image', livenessProbe: null }] }),
    [],
  ],
];

const FORBIDDEN = 'when `pod.Spec.HostUsers` is false';
const hostNamespaces: Row[] = [
  [
    'AccumulateUniqueHostPorts: the same protocol/hostIP/hostPort in two containers',
    pod({
      containers: [
        { name: 'a', image: 'image', ports: [{ containerPort: 80, hostPort: 8080 }] },
        { name: 'b', image: 'image', ports: [{ containerPort: 81, hostPort: 8080 }] },
      ],
    }),
    ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"'],
  ],
  [
    'AccumulateUniqueHostPorts: the same hostPort with another protocol',
    pod({
      containers: [
        { name: 'a', image: 'image', ports: [{ containerPort: 80, hostPort: 8080 }] },
        { name: 'b', image: 'image', ports: [{ containerPort: 81, hostPort: 8080, protocol: 'UDP' }] },
      ],
    }),
    [],
  ],
  [
    "validateHostUsers: hostUsers false with hostNetwork, hostPID and hostIPC (upstream's paths)",
    pod({ hostUsers: false, hostNetwork: true, hostPID: true, hostIPC: true }),
    [
      `spec.hostNetwork: Forbidden: ${FORBIDDEN}`,
      `spec.HostPID: Forbidden: ${FORBIDDEN}`,
      `spec.HostIPC: Forbidden: ${FORBIDDEN}`,
    ],
  ],
  ['validateHostUsers: hostUsers false alone', pod({ hostUsers: false }), []],
];

const ctr = (securityContext: Json) => podWithContainer({ securityContext });
const AA = `${SC}.appArmorProfile`;
const CAA = 'spec.containers[0].securityContext.appArmorProfile';
const AA_TYPES = 'supported values: "Localhost", "RuntimeDefault", "Unconfined"';
const profiles: Row[] = [
  [P('runtime default seccomp profile for a pod'), sc({ seccompProfile: { type: 'RuntimeDefault' } }), []],
  [P('runtime default seccomp profile for a container'), ctr({ seccompProfile: { type: 'Unconfined' } }), []],
  [P('unconfined seccomp profile for a pod'), sc({ seccompProfile: { type: 'RuntimeDefault' } }), []],
  [P('unconfined seccomp profile for a container'), ctr({ seccompProfile: { type: 'Unconfined' } }), []],
  [
    P('localhost seccomp profile for a pod'),
    sc({ seccompProfile: { type: 'Localhost', localhostProfile: 'filename.json' } }),
    [],
  ],
  [
    P('localhost seccomp profile for a container, II'),
    ctr({ seccompProfile: { type: 'Localhost', localhostProfile: 'filename.json' } }),
    [],
  ],
  [
    'validateSeccompProfileField: Localhost without localhostProfile',
    sc({ seccompProfile: { type: 'Localhost' } }),
    [`${SC}.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost`],
  ],
  [P('runtime default AppArmor profile for a pod'), sc({ appArmorProfile: { type: 'RuntimeDefault' } }), []],
  [
    P('runtime default AppArmor profile for a container'),
    ctr({ appArmorProfile: { type: 'RuntimeDefault' } }),
    [],
  ],
  [P('unconfined AppArmor profile for a pod'), sc({ appArmorProfile: { type: 'Unconfined' } }), []],
  [P('unconfined AppArmor profile for a container'), ctr({ appArmorProfile: { type: 'Unconfined' } }), []],
  [
    P('localhost AppArmor profile for a pod'),
    sc({ appArmorProfile: { type: 'Localhost', localhostProfile: 'example-org/application-foo' } }),
    [],
  ],
  [
    P('localhost AppArmor profile for a container field'),
    ctr({ appArmorProfile: { type: 'Localhost', localhostProfile: 'example-org/application-foo' } }),
    [],
  ],
  [
    P('unsupported pod AppArmor profile type'),
    sc({ appArmorProfile: { type: 'test' } }),
    [`${AA}.type: Unsupported value: "test": ${AA_TYPES}`],
  ],
  [
    P('unsupported container AppArmor profile type'),
    ctr({ appArmorProfile: { type: 'test' } }),
    [`${CAA}.type: Unsupported value: "test": ${AA_TYPES}`],
  ],
  [
    P('missing pod AppArmor profile type'),
    sc({ appArmorProfile: { type: '' } }),
    [`${AA}.type: Required value: type is required when appArmorProfile is set`],
  ],
  [
    P('missing AppArmor localhost profile'),
    sc({ appArmorProfile: { type: 'Localhost' } }),
    [`${AA}.localhostProfile: Required value: must be set when AppArmor type is Localhost`],
  ],
  [
    P('empty AppArmor localhost profile'),
    sc({ appArmorProfile: { type: 'Localhost', localhostProfile: '' } }),
    [`${AA}.localhostProfile: Required value: must be set when AppArmor type is Localhost`],
  ],
  [
    P('invalid AppArmor localhost profile type'),
    sc({ appArmorProfile: { type: 'RuntimeDefault', localhostProfile: 'foo-bar' } }),
    [`${AA}.localhostProfile: Invalid value: "foo-bar": can only be set when AppArmor type is Localhost`],
  ],
  [
    P('invalid AppArmor localhost profile'),
    sc({ appArmorProfile: { type: 'Localhost', localhostProfile: 'foo-bar ' } }),
    [`${AA}.localhostProfile: Invalid value: "foo-bar ": must not be padded with whitespace`],
  ],
  [
    P('too long AppArmor localhost profile'),
    sc({ appArmorProfile: { type: 'Localhost', localhostProfile: 'a'.repeat(4096) } }),
    [`${AA}.localhostProfile: Too long: may not be more than 4095 bytes`],
  ],
  ['validateSELinuxChangePolicy: Recursive', sc({ seLinuxChangePolicy: 'Recursive' }), []],
  [
    'validateSELinuxChangePolicy: MountOption needs the SELinuxMount gate (off in 1.33)',
    sc({ seLinuxChangePolicy: 'MountOption' }),
    [`${SC}.seLinuxChangePolicy: Unsupported value: "MountOption": supported values: "Recursive"`],
  ],
  [
    'validateSupplementalGroupsPolicy: an unknown policy',
    sc({ supplementalGroupsPolicy: 'Other' }),
    [`${SC}.supplementalGroupsPolicy: Unsupported value: "Other": supported values: "Merge", "Strict"`],
  ],
  [
    P('syntactically valid sysctls'),
    sc({
      sysctls: [
        { name: 'kernel.shmmni', value: '32768' },
        { name: 'kernel.shmmax', value: '1000000000' },
        { name: 'knet.ipv4.route.min_pmtu', value: '1000' },
      ],
    }),
    [],
  ],
  [
    'validateSysctls: a name that is not a sysctl name',
    sc({ sysctls: [{ name: 'Bad!Name', value: '1' }] }),
    [
      `${SC}.sysctls[0].name: Invalid value: "Bad!Name": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$`,
    ],
  ],
  [
    'validateSysctls: a duplicate name',
    sc({
      sysctls: [
        { name: 'kernel.shmmax', value: '1' },
        { name: 'kernel.shmmax', value: '2' },
      ],
    }),
    [`${SC}.sysctls[1].name: Duplicate value: "kernel.shmmax"`],
  ],
  [
    'ValidateHostSysctl: a net sysctl with hostNetwork',
    pod({ hostNetwork: true, securityContext: { sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] } }),
    [
      `${SC}.sysctls[0].name: Invalid value: "net.ipv4.ip_forward": may not be specified when 'hostNetwork' is true`,
    ],
  ],
  [
    'ValidateSecurityContext: procMount Unmasked needs hostUsers false (ProcMountType, on in 1.33)',
    ctr({ procMount: 'Unmasked' }),
    [
      'spec.containers[0].securityContext.procMount: Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`',
    ],
  ],
  [
    'ValidateSecurityContext: procMount Unmasked with hostUsers false',
    podWithContainer({ securityContext: { procMount: 'Unmasked' } }, { hostUsers: false }),
    [],
  ],
  [
    'ValidateSecurityContext: an unknown procMount',
    ctr({ procMount: 'Other' }),
    [
      'spec.containers[0].securityContext.procMount: Unsupported value: "Other": supported values: "Default", "Unmasked"',
    ],
  ],
  [
    'ValidateSecurityContext: a container runAsUser out of range',
    ctr({ runAsUser: -1 }),
    [`spec.containers[0].securityContext.runAsUser: Invalid value: -1: ${MSG.idRange}`],
  ],
];

describe('TestValidatePodSpec', () => rows(podSpec));
describe('host ports and host namespaces', () => rows(hostNamespaces));
describe('TestValidatePod: seccomp, AppArmor, SELinux and sysctls', () => rows(profiles));
