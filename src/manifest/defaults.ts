/**
 * API defaulting of a decoded Pod or Service, as the 1.33 API server applies it before
 * validation (k/k:pkg/apis/core/v1/defaults.go; kubernetes-semantics.md section 1). Works in
 * place on the decoded JSON; a zero value (0, "") counts as unset, as in Go.
 */

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined;
}

function list(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.filter((x) => obj(x)) as Obj[]) : [];
}

function unset(v: unknown): boolean {
  return v === undefined || v === null || v === '' || v === 0;
}

/**
 * The pull policy SetDefaults_Container gives an image: `Always` when the parsed tag is
 * `latest`, or there is no tag and no digest; otherwise `IfNotPresent`.
 */
export function defaultPullPolicy(image: string): 'Always' | 'IfNotPresent' {
  // parsers.ParseImageName (docker reference grammar): an unparsable reference yields no tag,
  // hence IfNotPresent; a reference without tag and digest gets the default tag `latest`.
  // reference.NameTotalLengthMax is 255: longer names do not parse (and the regex stays cheap).
  if (image.length > 512) return 'IfNotPresent';
  const m = IMAGE_REF.exec(image);
  if (!m) return 'IfNotPresent';
  const tag = m[1];
  const digest = m[2];
  if (tag === undefined) return digest === undefined ? 'Always' : 'IfNotPresent';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

// github.com/distribution/reference grammar: [domain[:port]/]path[:tag][@digest].
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN =
  '(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?';
const IMAGE_REF = new RegExp(
  `^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`,
);

function defaultHttpGet(h: Obj | undefined): void {
  if (!h) return;
  if (unset(h.path)) h.path = '/';
  if (unset(h.scheme)) h.scheme = 'HTTP';
}

function defaultHandler(h: Obj | undefined): void {
  if (!h) return;
  defaultHttpGet(obj(h.httpGet));
}

function defaultProbe(p: Obj | undefined): void {
  if (!p) return;
  defaultHttpGet(obj(p.httpGet));
  // SetDefaults_Probe: only 0 (unset) is defaulted; negative values stay and fail validation.
  if (unset(p.timeoutSeconds)) p.timeoutSeconds = 1;
  if (unset(p.periodSeconds)) p.periodSeconds = 10;
  if (unset(p.successThreshold)) p.successThreshold = 1;
  if (unset(p.failureThreshold)) p.failureThreshold = 3;
  if (p.initialDelaySeconds === undefined) p.initialDelaySeconds = 0;
}

function defaultFieldRef(v: Obj | undefined): void {
  if (v && unset(v.apiVersion)) v.apiVersion = 'v1';
}

function defaultContainer(c: Obj): void {
  // SetDefaults_Container
  if (unset(c.imagePullPolicy))
    c.imagePullPolicy = defaultPullPolicy(typeof c.image === 'string' ? c.image : '');
  if (unset(c.terminationMessagePath)) c.terminationMessagePath = '/dev/termination-log';
  if (unset(c.terminationMessagePolicy)) c.terminationMessagePolicy = 'File';
  for (const port of list(c.ports)) if (unset(port.protocol)) port.protocol = 'TCP';
  for (const env of list(c.env)) defaultFieldRef(obj(obj(env.valueFrom)?.fieldRef));
  defaultProbe(obj(c.livenessProbe));
  defaultProbe(obj(c.readinessProbe));
  defaultProbe(obj(c.startupProbe));
  const lifecycle = obj(c.lifecycle);
  if (lifecycle) {
    defaultHandler(obj(lifecycle.postStart));
    defaultHandler(obj(lifecycle.preStop));
  }
  // SetDefaults_Pod: requests default to limits where a limit is set and the request is not.
  const resources = obj(c.resources);
  const limits = obj(resources?.limits);
  if (resources && limits && Object.keys(limits).length > 0) {
    const requests = obj(resources.requests) ?? {};
    for (const [k, v] of Object.entries(limits)) if (!Object.hasOwn(requests, k)) requests[k] = v;
    resources.requests = requests;
  }
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

function defaultVolume(v: Obj): void {
  // SetDefaults_Volume: no source at all means an emptyDir.
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined)) v.emptyDir = {};
  // SetDefaults_{Secret,ConfigMap,DownwardAPI,Projected}VolumeSource: defaultMode 0644.
  for (const s of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const src = obj(v[s]);
    if (src && src.defaultMode === undefined) src.defaultMode = 420;
  }
  for (const item of list(obj(v.downwardAPI)?.items)) defaultFieldRef(obj(item.fieldRef));
  const hostPath = obj(v.hostPath);
  if (hostPath && hostPath.type === undefined) hostPath.type = '';
}

/** Applies the Pod defaults of SetDefaults_Pod / SetDefaults_PodSpec and the nested types. */
export function defaultPod(pod: Obj): void {
  const spec = obj(pod.spec) ?? {};
  pod.spec = spec;
  if (unset(spec.dnsPolicy)) spec.dnsPolicy = 'ClusterFirst';
  if (unset(spec.restartPolicy)) spec.restartPolicy = 'Always';
  if (spec.securityContext === undefined) spec.securityContext = {};
  if (spec.terminationGracePeriodSeconds === undefined) spec.terminationGracePeriodSeconds = 30;
  if (unset(spec.schedulerName)) spec.schedulerName = 'default-scheduler';
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  for (const c of list(spec.initContainers)) defaultContainer(c);
  for (const c of list(spec.containers)) defaultContainer(c);
  if (spec.hostNetwork === true) {
    // defaultHostNetworkPorts: with hostNetwork an unset hostPort is the containerPort.
    for (const c of [...list(spec.containers), ...list(spec.initContainers)])
      for (const port of list(c.ports)) if (unset(port.hostPort)) port.hostPort = port.containerPort;
  }
  for (const c of list(spec.ephemeralContainers)) defaultContainer(c);
  for (const v of list(spec.volumes)) defaultVolume(v);
}

/** Applies SetDefaults_Service. */
export function defaultService(svc: Obj): void {
  const spec = obj(svc.spec) ?? {};
  svc.spec = spec;
  if (unset(spec.sessionAffinity)) spec.sessionAffinity = 'None';
  if (unset(spec.type)) spec.type = 'ClusterIP';
  for (const port of list(spec.ports)) {
    if (unset(port.protocol)) port.protocol = 'TCP';
    if (unset(port.targetPort)) port.targetPort = port.port ?? 0;
  }
  const type = spec.type;
  if ((type === 'NodePort' || type === 'LoadBalancer') && unset(spec.externalTrafficPolicy)) {
    spec.externalTrafficPolicy = 'Cluster';
  }
  if (
    spec.internalTrafficPolicy === undefined &&
    (type === 'ClusterIP' || type === 'NodePort' || type === 'LoadBalancer')
  ) {
    spec.internalTrafficPolicy = 'Cluster';
  }
  if (type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts === undefined)
    spec.allocateLoadBalancerNodePorts = true;
  if (spec.sessionAffinity === 'ClientIP') {
    const cfg = obj(spec.sessionAffinityConfig) ?? {};
    const clientIP = obj(cfg.clientIP) ?? {};
    if (clientIP.timeoutSeconds === undefined) clientIP.timeoutSeconds = 10800;
    cfg.clientIP = clientIP;
    spec.sessionAffinityConfig = cfg;
  }
}
