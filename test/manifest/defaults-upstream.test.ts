/**
 * The one API defaulter (src/manifest/defaults.ts) against upstream's tests of it:
 * k/k pkg/apis/core/v1/defaults_test.go (release-1.33) for the fields a Pod or a Service
 * manifest can carry, and pkg/util/parsers/parsers_test.go for the image references the pull
 * policy is read from. Each row names the upstream test function (and case) it follows, so a
 * change upstream can be traced here. 1.33 runs with default feature gates: no Pod-level
 * resources defaulting (PodLevelResources is alpha), no image-volume pullPolicy (ImageVolume is
 * off by default), no resizePolicy defaulting (removed for 1.33, k/k#128920).
 */
import { describe, expect, it } from 'vitest';
import { defaultedJson, defaultPod, defaultPullPolicy, defaultService } from '../../src/manifest/defaults.ts';
import type { Pod, Service } from '../../src/model/k8s.ts';
import { defaultSimOptions, simulateWith } from '../../src/sim/simulation.ts';
import { fakeResolver } from '../sim/fake-image.ts';
import { load, pod as podYaml } from './helpers.ts';

type Json = Record<string, unknown>;

/** Leaf values by path (`spec.containers[0].ports[0].protocol`); empty objects and arrays are leaves. */
function leaves(v: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(v) && v.length > 0) {
    for (let i = 0; i < v.length; i++) leaves(v[i], `${path}[${i}]`, out);
  } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v)) leaves(x, path === '' ? k : `${path}.${k}`, out);
  } else out.set(path, JSON.stringify(v));
  return out;
}

/** The paths the defaulter added or changed, with their new values. */
function defaultsOf(kind: 'Pod' | 'Service', input: Json): Record<string, unknown> {
  const before = leaves(input);
  const after = leaves(defaultedJson(kind, input));
  const out: Record<string, unknown> = {};
  for (const [path, value] of after) if (before.get(path) !== value) out[path] = JSON.parse(value);
  return out;
}

const podOf = (spec: Json): Json => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });
const serviceOf = (spec: Json): Json => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's' },
  spec,
});
const spec = (kind: 'Pod' | 'Service', o: Json): Json => defaultedJson(kind, o).spec as Json;

/** A container with every defaulted field present and unset (TestPodDefaults fills them the same way). */
function everyField(withLimits: boolean): Json {
  const probe = (): Json => ({ httpGet: {}, grpc: {} });
  return {
    env: [{ valueFrom: { fieldRef: {} } }],
    ports: [{}],
    livenessProbe: probe(),
    readinessProbe: probe(),
    startupProbe: probe(),
    lifecycle: { postStart: { httpGet: {} }, preStop: { httpGet: {} } },
    ...(withLimits ? { resources: { limits: { cpu: '1' } } } : {}),
  };
}

/** TestPodDefaults' expectations for one container, as JSON paths under `prefix`. */
function containerDefaults(prefix: string, requests: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    [`${prefix}.env[0].valueFrom.fieldRef.apiVersion`]: 'v1',
    [`${prefix}.imagePullPolicy`]: 'IfNotPresent',
    [`${prefix}.lifecycle.postStart.httpGet.path`]: '/',
    [`${prefix}.lifecycle.postStart.httpGet.scheme`]: 'HTTP',
    [`${prefix}.lifecycle.preStop.httpGet.path`]: '/',
    [`${prefix}.lifecycle.preStop.httpGet.scheme`]: 'HTTP',
    [`${prefix}.ports[0].protocol`]: 'TCP',
    [`${prefix}.terminationMessagePath`]: '/dev/termination-log',
    [`${prefix}.terminationMessagePolicy`]: 'File',
  };
  for (const p of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    Object.assign(out, {
      [`${prefix}.${p}.failureThreshold`]: 3,
      [`${prefix}.${p}.periodSeconds`]: 10,
      [`${prefix}.${p}.successThreshold`]: 1,
      [`${prefix}.${p}.timeoutSeconds`]: 1,
      [`${prefix}.${p}.httpGet.path`]: '/',
      [`${prefix}.${p}.httpGet.scheme`]: 'HTTP',
      [`${prefix}.${p}.grpc.service`]: '',
      // Not an upstream default: Go's zero value, which podlab's defaulted objects carry.
      [`${prefix}.${p}.initialDelaySeconds`]: 0,
    });
  }
  // "this gets defaulted from the limits field" (SetDefaults_Pod; not for ephemeral containers).
  if (requests) out[`${prefix}.resources.requests.cpu`] = '1';
  return out;
}

describe('TestPodDefaults: every default under a Pod', () => {
  it('matches upstream expectedDefaults (field for field, nothing more)', () => {
    const input = podOf({
      containers: [everyField(true)],
      initContainers: [everyField(true)],
      ephemeralContainers: [everyField(false)],
      volumes: [
        { name: 'v0' },
        { name: 'v1', azureDisk: {} },
        { name: 'v2', configMap: {} },
        { name: 'v3', downwardAPI: { items: [{ fieldRef: {} }] } },
        { name: 'v4', ephemeral: { volumeClaimTemplate: { spec: {} } } },
        { name: 'v5', hostPath: {} },
        { name: 'v6', iscsi: {} },
        {
          name: 'v7',
          projected: { sources: [{ downwardAPI: { items: [{ fieldRef: {} }] }, serviceAccountToken: {} }] },
        },
        { name: 'v8', rbd: {} },
        { name: 'v9', scaleIO: {} },
        { name: 'v10', secret: {} },
      ],
    });
    expect(defaultsOf('Pod', input)).toEqual({
      ...containerDefaults('spec.containers[0]', true),
      ...containerDefaults('spec.initContainers[0]', true),
      ...containerDefaults('spec.ephemeralContainers[0]', false),
      'spec.dnsPolicy': 'ClusterFirst',
      'spec.enableServiceLinks': true,
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.securityContext': {},
      'spec.terminationGracePeriodSeconds': 30,
      'spec.volumes[0].emptyDir': {},
      'spec.volumes[1].azureDisk.cachingMode': 'ReadWrite',
      'spec.volumes[1].azureDisk.fsType': 'ext4',
      'spec.volumes[1].azureDisk.kind': 'Shared',
      'spec.volumes[1].azureDisk.readOnly': false,
      'spec.volumes[2].configMap.defaultMode': 420,
      'spec.volumes[3].downwardAPI.defaultMode': 420,
      'spec.volumes[3].downwardAPI.items[0].fieldRef.apiVersion': 'v1',
      'spec.volumes[4].ephemeral.volumeClaimTemplate.spec.volumeMode': 'Filesystem',
      'spec.volumes[5].hostPath.type': '',
      'spec.volumes[6].iscsi.iscsiInterface': 'default',
      'spec.volumes[7].projected.defaultMode': 420,
      'spec.volumes[7].projected.sources[0].downwardAPI.items[0].fieldRef.apiVersion': 'v1',
      'spec.volumes[7].projected.sources[0].serviceAccountToken.expirationSeconds': 3600,
      'spec.volumes[8].rbd.keyring': '/etc/ceph/keyring',
      'spec.volumes[8].rbd.pool': 'rbd',
      'spec.volumes[8].rbd.user': 'admin',
      'spec.volumes[9].scaleIO.fsType': 'xfs',
      'spec.volumes[9].scaleIO.storageMode': 'ThinProvisioned',
      'spec.volumes[10].secret.defaultMode': 420,
    });
  });
});

type Row = [name: string, input: Json, expected: Record<string, unknown>];

const PODS: Row[] = [
  [
    'TestSetDefaultSecretVolumeSource',
    podOf({ volumes: [{ secret: {} }] }),
    { 'volumes[0].secret.defaultMode': 420 },
  ],
  [
    'TestSetDefaultConfigMapVolumeSource',
    podOf({ volumes: [{ configMap: {} }] }),
    { 'volumes[0].configMap.defaultMode': 420 },
  ],
  [
    'TestSetDefaultDownwardAPIVolumeSource',
    podOf({ volumes: [{ downwardAPI: {} }] }),
    { 'volumes[0].downwardAPI.defaultMode': 420 },
  ],
  [
    'TestSetDefaultProjectedVolumeSource',
    podOf({ volumes: [{ projected: {} }] }),
    { 'volumes[0].projected.defaultMode': 420 },
  ],
  [
    'TestSetDefaultSecretVolumeSource (an explicit mode stays)',
    podOf({ volumes: [{ secret: { defaultMode: 256 } }] }),
    { 'volumes[0].secret.defaultMode': 256 },
  ],
  [
    'TestSetDefaultEphemeral/volume mode nil',
    podOf({ volumes: [{ ephemeral: { volumeClaimTemplate: { spec: {} } } }] }),
    { 'volumes[0].ephemeral.volumeClaimTemplate.spec.volumeMode': 'Filesystem' },
  ],
  [
    'TestSetDefaultEphemeral/volume mode filesystem',
    podOf({ volumes: [{ ephemeral: { volumeClaimTemplate: { spec: { volumeMode: 'Filesystem' } } } }] }),
    { 'volumes[0].ephemeral.volumeClaimTemplate.spec.volumeMode': 'Filesystem' },
  ],
  [
    'TestSetDefaultEphemeral/volume mode block',
    podOf({ volumes: [{ ephemeral: { volumeClaimTemplate: { spec: { volumeMode: 'Block' } } } }] }),
    { 'volumes[0].ephemeral.volumeClaimTemplate.spec.volumeMode': 'Block' },
  ],
  [
    'TestSetDefaultHostPathVolumeSource',
    podOf({ volumes: [{ hostPath: { path: 'foo' } }] }),
    { 'volumes[0].hostPath.type': '' },
  ],
  [
    'TestSetDefaultPodSpecHostNetwork',
    podOf({
      hostNetwork: true,
      containers: [{ ports: [{ containerPort: 8080 }] }],
      initContainers: [{ ports: [{ containerPort: 8080 }] }],
    }),
    { 'containers[0].ports[0].hostPort': 8080, 'initContainers[0].ports[0].hostPort': 8080 },
  ],
  [
    'TestPodHostNetworkDefaults/hostNetwork=false (Pod)',
    podOf({ containers: [{ ports: [{ containerPort: 12345, protocol: 'TCP' }] }] }),
    { 'containers[0].ports[0].hostPort': undefined },
  ],
  [
    'TestPodHostNetworkDefaults/hostNetwork=true (Pod)',
    podOf({ hostNetwork: true, containers: [{ ports: [{ containerPort: 12345, protocol: 'TCP' }] }] }),
    { 'containers[0].ports[0].hostPort': 12345 },
  ],
  [
    'TestSetDefaultObjectFieldSelectorAPIVersion',
    podOf({ containers: [{ env: [{ valueFrom: { fieldRef: {} } }] }] }),
    { 'containers[0].env[0].valueFrom.fieldRef.apiVersion': 'v1' },
  ],
  [
    'TestSetMinimumScalePod (requests and limits round up to milli precision)',
    podOf({
      containers: [{ resources: { requests: { memory: '1n' }, limits: { cpu: '2n' } } }],
      initContainers: [{ resources: { requests: { memory: '1n' }, limits: { cpu: '2n' } } }],
    }),
    {
      'containers[0].resources.requests.memory': '1m',
      'containers[0].resources.requests.cpu': '1m',
      'containers[0].resources.limits.cpu': '1m',
      'initContainers[0].resources.requests.memory': '1m',
    },
  ],
  [
    'TestSetDefaultRequestsPod (limits copied to missing requests; request 0 kept)',
    podOf({
      containers: [{ resources: { requests: { memory: '0' }, limits: { cpu: '100m', memory: '1Gi' } } }],
      initContainers: [{ resources: { requests: { memory: '0' }, limits: { cpu: '100m', memory: '1Gi' } } }],
    }),
    {
      'containers[0].resources.requests': { memory: '0', cpu: '100m' },
      'initContainers[0].resources.requests': { memory: '0', cpu: '100m' },
    },
  ],
  [
    'TestSetDefaultRequestsPod (no limits: no requests)',
    podOf({ containers: [{}], initContainers: [{}] }),
    { 'containers[0].resources': undefined, 'initContainers[0].resources': undefined },
  ],
  [
    'TestSetDefaultProbe',
    podOf({ containers: [{ livenessProbe: {} }] }),
    {
      'containers[0].livenessProbe': {
        initialDelaySeconds: 0,
        timeoutSeconds: 1,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: 3,
      },
    },
  ],
  [
    'SetDefaults_Probe (0 is unset; negative values stay for validation)',
    podOf({
      containers: [{ readinessProbe: { periodSeconds: 0, failureThreshold: -1, timeoutSeconds: 5 } }],
    }),
    {
      'containers[0].readinessProbe': {
        initialDelaySeconds: 0,
        timeoutSeconds: 5,
        periodSeconds: 10,
        successThreshold: 1,
        failureThreshold: -1,
      },
    },
  ],
  ['TestSetDefaultSchedulerName', podOf({}), { schedulerName: 'default-scheduler' }],
  ['TestSetDefaultEnableServiceLinks', podOf({}), { enableServiceLinks: true }],
  [
    'TestSetDefaultEnableServiceLinks (false stays)',
    podOf({ enableServiceLinks: false }),
    { enableServiceLinks: false },
  ],
  [
    'TestSetDefaultReplicationControllerInitContainers/imagePullIPolicy (on a Pod)',
    podOf({ initContainers: [{ name: 'install', image: 'busybox' }] }),
    { 'initContainers[0].imagePullPolicy': 'Always' },
  ],
  [
    'TestSetDefaultReplicationControllerInitContainers/ContainerPort (on a Pod)',
    podOf({ initContainers: [{ name: 'fun', image: 'alpine', ports: [{ name: 'default' }] }] }),
    { 'initContainers[0].ports': [{ name: 'default', protocol: 'TCP' }] },
  ],
  [
    'TestSetDefaultReplicationControllerInitContainers/Resources (on a Pod: both set, unchanged)',
    podOf({
      initContainers: [
        {
          name: 'fun',
          image: 'alpine',
          resources: { limits: { cpu: '100m', memory: '100Mi' }, requests: { cpu: '100m', memory: '100Mi' } },
        },
      ],
    }),
    {
      'initContainers[0].resources': {
        limits: { cpu: '100m', memory: '100Mi' },
        requests: { cpu: '100m', memory: '100Mi' },
      },
    },
  ],
  [
    'TestSetDefaultReplicationControllerInitContainers/Probe (on a Pod)',
    podOf({
      initContainers: [{ name: 'fun', image: 'alpine', livenessProbe: { httpGet: { host: 'localhost' } } }],
    }),
    { 'initContainers[0].livenessProbe.httpGet': { host: 'localhost', path: '/', scheme: 'HTTP' } },
  ],
  [
    'TestSetDefaultReplicationControllerInitContainers/LifeCycle (on a Pod)',
    podOf({
      initContainers: [
        { name: 'fun', image: 'alpine', lifecycle: { postStart: { httpGet: { host: 'localhost' } } } },
      ],
    }),
    { 'initContainers[0].lifecycle.postStart.httpGet': { host: 'localhost', path: '/', scheme: 'HTTP' } },
  ],
  [
    'TestSetDefaultResizePolicy (removed for 1.33 by k/k#128920: no resizePolicy is defaulted)',
    podOf({ containers: [{ resources: { limits: { cpu: '100m', memory: '200Mi' } } }] }),
    { 'containers[0].resizePolicy': undefined },
  ],
];

/** The value at a simple path (`a[0].b.c`) of `o`. */
function at(o: unknown, path: string): unknown {
  let cur = o;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const index = /^\[(\d+)\]$/.exec(part);
    cur = index ? (cur as unknown[])[Number(index[1])] : (cur as Json)[part];
  }
  return cur;
}

describe('Pod defaults, as upstream tests them', () => {
  it.each(PODS)('%s', (_name, input, expected) => {
    const out = spec('Pod', input);
    for (const [path, value] of Object.entries(expected)) expect(at(out, path), path).toEqual(value);
  });
});

const SERVICES: Row[] = [
  [
    'TestSetDefaultService',
    serviceOf({}),
    { sessionAffinity: 'None', sessionAffinityConfig: undefined, type: 'ClusterIP' },
  ],
  [
    'SetDefaults_Service (sessionAffinity None drops sessionAffinityConfig)',
    serviceOf({ sessionAffinity: 'None', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }),
    { sessionAffinityConfig: undefined },
  ],
  [
    'TestSetDefaultServiceSessionAffinityConfig/SessionAffinityConfig is empty',
    serviceOf({ sessionAffinity: 'ClientIP' }),
    { 'sessionAffinityConfig.clientIP.timeoutSeconds': 10800 },
  ],
  [
    'TestSetDefaultServiceSessionAffinityConfig/ClientIP is empty',
    serviceOf({ sessionAffinity: 'ClientIP', sessionAffinityConfig: {} }),
    { 'sessionAffinityConfig.clientIP.timeoutSeconds': 10800 },
  ],
  [
    'TestSetDefaultServiceSessionAffinityConfig/TimeoutSeconds is empty',
    serviceOf({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: {} } }),
    { 'sessionAffinityConfig.clientIP.timeoutSeconds': 10800 },
  ],
  [
    'SetDefaults_Service (an explicit ClientIP timeout stays)',
    serviceOf({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } }),
    { 'sessionAffinityConfig.clientIP.timeoutSeconds': 60 },
  ],
  [
    'TestSetDefaultServiceTargetPort (defaulted)',
    serviceOf({ ports: [{ port: 1234 }] }),
    { 'ports[0].targetPort': 1234 },
  ],
  [
    'TestSetDefaultServiceTargetPort (unchanged)',
    serviceOf({ ports: [{ port: 1234, targetPort: 5678 }] }),
    { 'ports[0].targetPort': 5678 },
  ],
  [
    'TestSetDefaultServicePort (unchanged if set)',
    serviceOf({
      ports: [
        { protocol: 'UDP', port: 9376, targetPort: 'p' },
        { protocol: 'UDP', port: 8675, targetPort: 309 },
      ],
    }),
    {
      ports: [
        { protocol: 'UDP', port: 9376, targetPort: 'p' },
        { protocol: 'UDP', port: 8675, targetPort: 309 },
      ],
    },
  ],
  [
    'TestSetDefaultServicePort (defaulted)',
    serviceOf({
      ports: [
        { protocol: '', port: 9376, targetPort: '' },
        { protocol: '', port: 8675, targetPort: 0 },
      ],
    }),
    {
      ports: [
        { protocol: 'TCP', port: 9376, targetPort: 9376 },
        { protocol: 'TCP', port: 8675, targetPort: 8675 },
      ],
    },
  ],
  ['TestSetDefaultServiceExternalTraffic (no type)', serviceOf({}), { externalTrafficPolicy: undefined }],
  [
    'TestSetDefaultServiceExternalTraffic (NodePort)',
    serviceOf({ type: 'NodePort' }),
    { externalTrafficPolicy: 'Cluster' },
  ],
  [
    'TestSetDefaultServiceExternalTraffic (LoadBalancer)',
    serviceOf({ type: 'LoadBalancer' }),
    { externalTrafficPolicy: 'Cluster' },
  ],
  [
    'TestSetDefaultServiceExternalTraffic (ClusterIP with externalIPs)',
    serviceOf({ type: 'ClusterIP', externalIPs: ['1.2.3.4'] }),
    { externalTrafficPolicy: 'Cluster' },
  ],
  [
    'TestSetDefaultServiceExternalTraffic (ClusterIP)',
    serviceOf({ type: 'ClusterIP' }),
    { externalTrafficPolicy: undefined },
  ],
  [
    'TestSetDefaultServiceExternalTraffic (ExternalName)',
    serviceOf({ type: 'ExternalName' }),
    { externalTrafficPolicy: undefined },
  ],
  [
    'TestSetDefaultServiceInternalTrafficPolicy/must set default internalTrafficPolicy',
    serviceOf({}),
    { internalTrafficPolicy: 'Cluster' },
  ],
  [
    "TestSetDefaultServiceInternalTrafficPolicy/must not set default internalTrafficPolicy when it's cluster",
    serviceOf({ internalTrafficPolicy: 'Cluster' }),
    { internalTrafficPolicy: 'Cluster' },
  ],
  [
    'TestSetDefaultServiceInternalTrafficPolicy/must not set default internalTrafficPolicy when type is ExternalName',
    serviceOf({ type: 'ExternalName' }),
    { internalTrafficPolicy: undefined },
  ],
  [
    "TestSetDefaultServiceInternalTrafficPolicy/must not set default internalTrafficPolicy when it's local",
    serviceOf({ internalTrafficPolicy: 'Local' }),
    { internalTrafficPolicy: 'Local' },
  ],
  [
    'SetDefaults_Service (allocateLoadBalancerNodePorts true for LoadBalancer)',
    serviceOf({ type: 'LoadBalancer' }),
    { allocateLoadBalancerNodePorts: true },
  ],
  [
    'SetDefaults_Service (allocateLoadBalancerNodePorts only for LoadBalancer)',
    serviceOf({ type: 'NodePort' }),
    { allocateLoadBalancerNodePorts: undefined },
  ],
  [
    'SetDefaults_Service (allocateLoadBalancerNodePorts false stays)',
    serviceOf({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }),
    { allocateLoadBalancerNodePorts: false },
  ],
];

describe('Service defaults, as upstream tests them', () => {
  it.each(SERVICES)('%s', (_name, input, expected) => {
    const out = spec('Service', input);
    for (const [path, value] of Object.entries(expected)) expect(at(out, path), path).toEqual(value);
  });
});

const DIGEST = 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

// TestParseImageName's references, read as SetDefaults_Container reads them: the tag it parses
// (latest when there is neither tag nor digest) decides the policy.
const PULL_POLICIES: [name: string, image: string, policy: 'Always' | 'IfNotPresent'][] = [
  ['TestParseImageName root', 'root', 'Always'],
  ['TestParseImageName root:tag', 'root:tag', 'IfNotPresent'],
  ['TestParseImageName root@digest', `root@${DIGEST}`, 'IfNotPresent'],
  ['TestParseImageName user/repo', 'user/repo', 'Always'],
  ['TestParseImageName user/repo:tag', 'user/repo:tag', 'IfNotPresent'],
  ['TestParseImageName user/repo@digest', `user/repo@${DIGEST}`, 'IfNotPresent'],
  ['TestParseImageName url:5000/repo', 'url:5000/repo', 'Always'],
  ['TestParseImageName url:5000/repo:tag', 'url:5000/repo:tag', 'IfNotPresent'],
  ['TestParseImageName url:5000/repo@digest', `url:5000/repo@${DIGEST}`, 'IfNotPresent'],
  ['SetDefaults_Container: a tag and a digest keep the tag (latest)', `nginx:latest@${DIGEST}`, 'Always'],
  ['SetDefaults_Container: a tag and a digest keep the tag (1.25)', `nginx:1.25@${DIGEST}`, 'IfNotPresent'],
  ['TestPodDefaults: an empty image does not parse', '', 'IfNotPresent'],
  ['ParseNormalizedNamed: upper case repository does not parse', 'Busybox', 'IfNotPresent'],
  ['ParseNormalizedNamed: upper case registry host parses', 'MyRegistry/app', 'Always'],
  ['ParseNormalizedNamed: a 64-hex identifier is not a name', 'a'.repeat(64), 'IfNotPresent'],
  ['ParseNormalizedNamed: a name over 255 characters', 'a'.repeat(240), 'IfNotPresent'],
  ['ParseNormalizedNamed: index.docker.io is Docker Hub', 'index.docker.io/busybox:latest', 'Always'],
  [
    'go-digest: a sha256 digest must have 64 hex digits',
    `busybox:latest@sha256:${'0'.repeat(32)}`,
    'IfNotPresent',
  ],
  ['go-digest: digest hex is lower case', `busybox:latest@sha256:${'A'.repeat(64)}`, 'IfNotPresent'],
  ['go-digest: sha512 is available', `busybox:latest@sha512:${'0'.repeat(128)}`, 'Always'],
  ['go-digest: md5 is not available', `busybox:latest@md5:${'0'.repeat(32)}`, 'IfNotPresent'],
];

describe('imagePullPolicy (SetDefaults_Container, parsers.ParseImageName)', () => {
  it.each(PULL_POLICIES)('%s: %s -> %s', (_name, image, policy) => {
    expect(defaultPullPolicy(image)).toBe(policy);
    expect(
      defaultPod({ spec: { containers: [{ name: 'c', image }] } }).spec.containers[0]!.imagePullPolicy,
    ).toBe(policy);
  });
});

describe('one defaulter, copying', () => {
  it('never changes its input and is idempotent', () => {
    const input = podOf({ containers: [everyField(true)], volumes: [{ name: 'v' }] });
    const before = JSON.stringify(input);
    const once = defaultedJson('Pod', input);
    expect(JSON.stringify(input)).toBe(before);
    expect(once).not.toBe(input);
    expect(defaultedJson('Pod', once)).toEqual(once);
    const svc = serviceOf({ type: 'LoadBalancer', ports: [{ port: 80 }] });
    const svcBefore = JSON.stringify(svc);
    defaultService(svc as unknown as Service);
    expect(JSON.stringify(svc)).toBe(svcBefore);
  });

  it('the loader gives the same object as the defaulter', () => {
    const text = podYaml({
      container: `      image: nginx:latest@${DIGEST}\n      livenessProbe:\n        grpc:\n          port: 5000`,
    }).replace('      image: nginx:1.17.10-alpine\n', '');
    const r = load(text);
    expect(r.rejected).toEqual([]);
    const decoded = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        containers: [
          { name: 'web', image: `nginx:latest@${DIGEST}`, livenessProbe: { grpc: { port: 5000 } } },
        ],
      },
    };
    expect(r.objects[0]!.raw).toEqual(defaultedJson('Pod', decoded));
    expect((r.objects[0]!.object as Pod).spec.containers[0]!.imagePullPolicy).toBe('Always');
  });

  it('the simulator defaults a Pod built by hand with the same rules (tag and digest: Always)', () => {
    // Restarting every ~1 s: with Always the kubelet pulls before every start; with
    // IfNotPresent only the first start pulls.
    const handMade = (image: string) =>
      ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'app', image, command: ['sleep:500', 'exit:1'] }] },
      }) as unknown as Pod;
    const pulls = (image: string) => {
      const o = defaultSimOptions();
      o.budgets.horizonMs = 30_000;
      const trace = simulateWith([handMade(image)], [], o, fakeResolver);
      return trace.events.filter((e) => e.reason === 'Pulling').length;
    };
    expect(pulls(`fake:latest@${DIGEST}`)).toBeGreaterThan(1);
    expect(pulls(`fake:1@${DIGEST}`)).toBe(1);
  });
});
