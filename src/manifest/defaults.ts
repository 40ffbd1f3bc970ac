/**
 * API defaulting of a Pod or Service, as the 1.33 API server applies it before validation: the
 * one defaulter of podlab. The manifest loader and the simulator both call it (the simulator for
 * objects that did not come through the loader, such as tests building Pods by hand).
 *
 * Sources: k/k pkg/apis/core/v1/defaults.go (the SetDefaults_* functions) in the order
 * zz_generated.defaults.go calls them for a Pod and a Service, plus the declarative `+default=`
 * markers of k8s.io/api/core/v1/types.go that defaulter-gen inlines there. Each rule names its
 * function; test/manifest/defaults-upstream.test.ts follows upstream's defaults_test.go.
 *
 * Every function here copies: the input is never changed. A zero value (0, "") of a non-pointer
 * Go field counts as unset, as in Go; a pointer field is unset only when absent.
 *
 * Not here, because another layer of the API server does it: the namespace (the request's,
 * `default` for kubectl), a Service's clusterIP/clusterIPs/ipFamilies/ipFamilyPolicy (the
 * Service REST storage and its IP allocator), status (reset by the registry strategies).
 */
import type { Pod, Service } from '../model/k8s.ts';
import { base64Encode, utf8Bytes } from './base64.ts';
import { parseImageReference } from './image-ref.ts';
import { cloneJson } from './json.ts';
import { canonicalQuantity, parseQuantity } from './quantity.ts';

type Obj = Record<string, unknown>;

/** A manifest before defaulting: any field, at any depth, may be missing. */
export type Undefaulted<T> = T extends readonly (infer U)[]
  ? Undefaulted<U>[]
  : T extends object
    ? { [K in keyof T]?: Undefaulted<T[K]> }
    : T;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter((x) => obj(x)) as Obj[]) : [];
}

/** Unset non-pointer Go field: absent or its zero value. */
function unset(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === 0;
}

/** Unset pointer Go field: absent (or null). */
function absent(v: unknown): boolean {
  return v === undefined || v === null;
}

/**
 * The pull policy SetDefaults_Container gives an image: `Always` when parsers.ParseImageName
 * returns the tag `latest` (which it also returns for a reference with neither tag nor digest),
 * otherwise `IfNotPresent`. A reference with a tag and a digest keeps its tag, so
 * `nginx:latest@sha256:…` is `Always`; a digest alone has no tag (`IfNotPresent`); a reference
 * that does not parse yields no tag (`IfNotPresent`).
 */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  const ref = parseImageReference(image);
  if (!ref) return 'IfNotPresent';
  const tag = ref.tag ?? (ref.digest === undefined ? 'latest' : '');
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultHttpGet(h: Obj | undefined): void {
  // SetDefaults_HTTPGetAction
  if (!h) return;
  if (unset(h.path)) h.path = '/';
  if (unset(h.scheme)) h.scheme = 'HTTP';
}

function defaultProbe(p: Obj | undefined): void {
  if (!p) return;
  // SetDefaults_Probe: only 0 (unset) is defaulted; negative values stay and fail validation.
  if (unset(p.timeoutSeconds)) p.timeoutSeconds = 1;
  if (unset(p.periodSeconds)) p.periodSeconds = 10;
  if (unset(p.successThreshold)) p.successThreshold = 1;
  if (unset(p.failureThreshold)) p.failureThreshold = 3;
  // Go's zero value, which the loader has always written out.
  if (p.initialDelaySeconds === undefined) p.initialDelaySeconds = 0;
  defaultHttpGet(obj(p.httpGet));
  // GRPCAction.Service: `+default=""`.
  const grpc = obj(p.grpc);
  if (grpc && absent(grpc.service)) grpc.service = '';
}

function defaultFieldRef(v: Obj | undefined): void {
  // SetDefaults_ObjectFieldSelector
  if (v && unset(v.apiVersion)) v.apiVersion = 'v1';
}

/**
 * SetDefaults_ResourceList: every quantity rounded up to milli precision. A value that already
 * is keeps the text the manifest gave it.
 */
function roundResourceList(v: unknown): void {
  const resources = obj(v);
  if (!resources) return;
  for (const [name, value] of Object.entries(resources)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const q = parseQuantity(value);
    if (!q || q.exp10 >= -3) continue;
    const milli = q.num * 2n ** BigInt(q.exp2);
    const divisor = 10n ** BigInt(-3 - q.exp10);
    if (milli % divisor === 0n) continue;
    // inf.Dec RoundUp: away from zero.
    const rounded = milli < 0n ? milli / divisor - 1n : milli / divisor + 1n;
    resources[name] = canonicalQuantity({ num: rounded, exp10: -3, exp2: 0, format: q.format });
  }
}

/** SetDefaults_Container and the generated defaults of its fields. */
function defaultContainer(c: Obj): void {
  if (unset(c.imagePullPolicy))
    c.imagePullPolicy = defaultPullPolicy(typeof c.image === 'string' ? c.image : '');
  if (unset(c.terminationMessagePath)) c.terminationMessagePath = '/dev/termination-log';
  if (unset(c.terminationMessagePolicy)) c.terminationMessagePolicy = 'File';
  // ContainerPort.Protocol: `+default="TCP"`.
  for (const port of list(c.ports)) if (unset(port.protocol)) port.protocol = 'TCP';
  for (const env of list(c.env)) defaultFieldRef(obj(obj(env.valueFrom)?.fieldRef));
  const resources = obj(c.resources);
  roundResourceList(resources?.limits);
  roundResourceList(resources?.requests);
  defaultProbe(obj(c.livenessProbe));
  defaultProbe(obj(c.readinessProbe));
  defaultProbe(obj(c.startupProbe));
  const lifecycle = obj(c.lifecycle);
  defaultHttpGet(obj(obj(lifecycle?.postStart)?.httpGet));
  defaultHttpGet(obj(obj(lifecycle?.preStop)?.httpGet));
}

/** SetDefaults_Pod for one regular or init container: requests default to the limits set. */
function defaultRequestsFromLimits(c: Obj): void {
  const resources = obj(c.resources);
  const limits = obj(resources?.limits);
  if (!resources || !limits || Object.keys(limits).length === 0) return;
  const requests = obj(resources.requests) ?? {};
  for (const [k, v] of Object.entries(limits)) if (!Object.hasOwn(requests, k)) requests[k] = v;
  resources.requests = requests;
}

/** SetDefaults_Pod with hostNetwork: each container port's hostPort defaults to its containerPort. */
function defaultHostNetworkPorts(c: Obj): void {
  for (const port of list(c.ports)) if (unset(port.hostPort)) port.hostPort = port.containerPort ?? 0;
}

/**
 * The volume source fields of a v1 Volume in the order of the Go struct (VolumeSource in
 * k8s.io/api/core/v1/types.go): validation reports the second source set in this order. A test
 * checks the set against the generated 1.33 schema.
 */
export const VOLUME_SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

/** `+default=` markers of volume sources (types.go), as defaulter-gen applies them. */
const VOLUME_SOURCE_DEFAULTS: Record<string, Record<string, string | boolean>> = {
  iscsi: { iscsiInterface: 'default' },
  rbd: { pool: 'rbd', user: 'admin', keyring: '/etc/ceph/keyring' },
  azureDisk: { cachingMode: 'ReadWrite', fsType: 'ext4', readOnly: false, kind: 'Shared' },
  scaleIO: { storageMode: 'ThinProvisioned', fsType: 'xfs' },
};

/** 0644, the defaultMode of Secret, ConfigMap, DownwardAPI and Projected volumes. */
const DEFAULT_MODE = 0o644;

function defaultVolume(v: Obj): void {
  // SetDefaults_Volume: no source at all means an emptyDir. (Its image-volume pullPolicy default
  // applies only with the ImageVolume feature gate, off by default in 1.33.)
  if (VOLUME_SOURCES.every((s) => absent(v[s]))) v.emptyDir = {};
  // SetDefaults_HostPathVolumeSource: type "" (HostPathUnset).
  const hostPath = obj(v.hostPath);
  if (hostPath && absent(hostPath.type)) hostPath.type = '';
  // SetDefaults_{Secret,DownwardAPI,ConfigMap,Projected}VolumeSource: defaultMode 0644.
  for (const s of ['secret', 'downwardAPI', 'configMap', 'projected']) {
    const src = obj(v[s]);
    if (src && absent(src.defaultMode)) src.defaultMode = DEFAULT_MODE;
  }
  for (const item of list(obj(v.downwardAPI)?.items)) defaultFieldRef(obj(item.fieldRef));
  for (const source of list(obj(v.projected)?.sources)) {
    for (const item of list(obj(source.downwardAPI)?.items)) defaultFieldRef(obj(item.fieldRef));
    // SetDefaults_ServiceAccountTokenProjection: one hour.
    const token = obj(source.serviceAccountToken);
    if (token && absent(token.expirationSeconds)) token.expirationSeconds = 3600;
  }
  for (const [s, defaults] of Object.entries(VOLUME_SOURCE_DEFAULTS)) {
    const src = obj(v[s]);
    if (!src) continue;
    for (const [field, value] of Object.entries(defaults))
      if (typeof value === 'boolean' ? absent(src[field]) : unset(src[field])) src[field] = value;
  }
  // SetDefaults_PersistentVolumeClaimSpec of a generic ephemeral volume's claim template.
  const claimSpec = obj(obj(obj(v.ephemeral)?.volumeClaimTemplate)?.spec);
  if (claimSpec) {
    if (absent(claimSpec.volumeMode)) claimSpec.volumeMode = 'Filesystem';
    const resources = obj(claimSpec.resources);
    roundResourceList(resources?.limits);
    roundResourceList(resources?.requests);
  }
}

/** SetObjectDefaults_Pod on decoded JSON, in place. */
function applyPodDefaults(pod: Obj): void {
  const spec = obj(pod.spec) ?? {};
  pod.spec = spec;
  const containers = list(spec.containers);
  const initContainers = list(spec.initContainers);
  // Go applies SetDefaults_Pod before SetDefaults_PodSpec; no default depends on another, and
  // this order keeps the key order the loader has always produced.
  // SetDefaults_PodSpec
  if (unset(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  if (unset(spec.restartPolicy)) spec.restartPolicy = 'Always';
  if (absent(spec.securityContext)) spec.securityContext = {};
  if (absent(spec.terminationGracePeriodSeconds)) spec.terminationGracePeriodSeconds = 30;
  if (unset(spec.schedulerName)) spec.schedulerName = 'default-scheduler';
  // SetDefaults_Pod (requests: not for ephemeral containers, whose resources validation forbids).
  if (absent(spec.enableServiceLinks)) spec.enableServiceLinks = true;
  for (const c of [...containers, ...initContainers]) defaultRequestsFromLimits(c);
  if (spec.hostNetwork === true)
    for (const c of [...containers, ...initContainers]) defaultHostNetworkPorts(c);
  // (Pod-level resources defaulting needs the PodLevelResources gate, alpha and off in 1.33.)
  for (const v of list(spec.volumes)) defaultVolume(v);
  for (const c of initContainers) defaultContainer(c);
  for (const c of containers) defaultContainer(c);
  for (const c of list(spec.ephemeralContainers)) defaultContainer(c);
  roundResourceList(spec.overhead);
}

/** service.ExternallyAccessible: NodePort, LoadBalancer, or ClusterIP with external IPs. */
function externallyAccessible(spec: Obj): boolean {
  const type = spec.type;
  if (type === 'NodePort' || type === 'LoadBalancer') return true;
  return type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
}

/** SetObjectDefaults_Service (SetDefaults_Service) on decoded JSON, in place. */
function applyServiceDefaults(svc: Obj): void {
  const spec = obj(svc.spec) ?? {};
  svc.spec = spec;
  if (unset(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (unset(spec.type)) spec.type = 'ClusterIP';
  for (const port of list(spec.ports)) {
    // ServicePort.Protocol: `+default="TCP"`; targetPort 0 or "" becomes the port.
    if (unset(port.protocol)) port.protocol = 'TCP';
    if (unset(port.targetPort)) port.targetPort = port.port ?? 0;
  }
  if (externallyAccessible(spec) && unset(spec.externalTrafficPolicy)) spec.externalTrafficPolicy = 'Cluster';
  const type = spec.type;
  if (
    absent(spec.internalTrafficPolicy) &&
    (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer')
  ) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (type === 'LoadBalancer' && absent(spec.allocateLoadBalancerNodePorts))
    spec.allocateLoadBalancerNodePorts = true;
  if (spec.sessionAffinity === 'ClientIP') {
    // Go sets this right after sessionAffinity; here last, the key order the loader has always had.
    const timeout = obj(obj(spec.sessionAffinityConfig)?.clientIP)?.timeoutSeconds;
    // DefaultClientIPServiceAffinitySeconds: 3 hours.
    if (absent(timeout)) spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  // (status.loadBalancer.ingress[].ipMode: status is not taken from a create or apply.)
}

/**
 * A Secret as the API server stores it: SetDefaults_Secret (`type` empty -> `Opaque`), then the
 * v1 -> internal conversion (Convert_v1_Secret_To_core_Secret), which writes each `stringData`
 * value into `data` as bytes (overriding a `data` key of the same name) and drops `stringData`.
 */
function applySecretDefaults(secret: Obj): void {
  if (absent(secret.type) || secret.type === '') secret.type = 'Opaque';
  const stringData = obj(secret.stringData);
  delete secret.stringData;
  if (!stringData) return;
  const data = { ...(obj(secret.data) ?? {}) };
  for (const [key, value] of Object.entries(stringData)) data[key] = base64Encode(utf8Bytes(String(value)));
  secret.data = data;
}

/** The kinds of a submission the loader defaults. */
export type DefaultedKind = 'Pod' | 'Service' | 'ConfigMap' | 'Secret';

/** A defaulted copy of a decoded object (plain JSON), for the manifest loader (a ConfigMap has no defaults). */
export function defaultedJson(kind: DefaultedKind, decoded: Obj): Obj {
  const copy = cloneJson(decoded) as Obj;
  if (kind === 'Pod') applyPodDefaults(copy);
  else if (kind === 'Service') applyServiceDefaults(copy);
  else if (kind === 'Secret') applySecretDefaults(copy);
  return copy;
}

/** A copy of `pod` with the API server's defaults filled in. */
export function defaultPod(pod: Undefaulted<Pod>): Pod {
  return defaultedJson('Pod', pod as Obj) as unknown as Pod;
}

/** A copy of `svc` with the API server's defaults filled in. */
export function defaultService(svc: Undefaulted<Service>): Service {
  return defaultedJson('Service', svc as Obj) as unknown as Service;
}
