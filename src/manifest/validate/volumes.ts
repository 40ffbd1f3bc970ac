/**
 * Volume validation of k/k:pkg/apis/core/validation/validation.go (release-1.33): ValidateVolumes,
 * validateVolumeSource and the per-source validators. Sources are checked in the order of
 * validateVolumeSource (the Go struct order), and upstream's field paths are kept, quirks
 * included (`gcePersistentDisk` errors under `persistentDisk`, `cephfs`, `downwarAPI`,
 * Downward API items reported at the source path without their index).
 */
import {
  duplicate as dup,
  type FieldError,
  forbidden,
  invalid,
  notSupported,
  required,
  tooLong,
} from '../../errors/field.ts';
import { parseQuantity } from '../quantity.ts';
import {
  each,
  goStringSlice,
  isDNS1123Label,
  isDNS1123Subdomain,
  list,
  localDescendingPath,
  localNonReservedPath,
  noBacksteps,
  num,
  type Obj,
  obj,
  str,
  validateLabelSelector,
  validateLabels,
} from './common.ts';
import { validateFieldRef, validateResourceFieldRef } from './containers.ts';

const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';

/** A source validator: the source object and the path its errors use. */
type SourceCheck = (src: Obj, path: string, ctx: VolumeContext) => FieldError[];

interface VolumeContext {
  volumeName: string;
  podName: string;
}

/**
 * validateVolumeSource's order: [JSON key, path of the "more than 1 volume type" error, path of
 * the source's own errors, validator]. ImageVolume is off by default in 1.33 (beta, disabled),
 * so an `image` source is dropped before validation and the volume has no type.
 */
const SOURCES: [string, string, string, SourceCheck][] = [
  ['emptyDir', 'emptyDir', 'emptyDir', emptyDir],
  ['hostPath', 'hostPath', 'hostPath', hostPath],
  ['gitRepo', 'gitRepo', 'gitRepo', gitRepo],
  ['gcePersistentDisk', 'gcePersistentDisk', 'persistentDisk', persistentDisk('pdName')],
  ['awsElasticBlockStore', 'awsElasticBlockStore', 'awsElasticBlockStore', persistentDisk('volumeID')],
  ['secret', 'secret', 'secret', secret],
  ['nfs', 'nfs', 'nfs', nfs],
  ['iscsi', 'iscsi', 'iscsi', iscsi],
  ['glusterfs', 'glusterfs', 'glusterfs', requiredFields(['endpoints', 'path'])],
  ['flocker', 'flocker', 'flocker', flocker],
  ['persistentVolumeClaim', 'persistentVolumeClaim', 'persistentVolumeClaim', requiredFields(['claimName'])],
  ['rbd', 'rbd', 'rbd', requiredFields(['monitors', 'image'])],
  ['cinder', 'cinder', 'cinder', cinder],
  ['cephfs', 'cephFS', 'cephfs', requiredFields(['monitors'])],
  ['quobyte', 'quobyte', 'quobyte', quobyte],
  ['downwardAPI', 'downwarAPI', 'downwardAPI', downwardAPI],
  ['fc', 'fc', 'fc', fc],
  ['flexVolume', 'flexVolume', 'flexVolume', flexVolume],
  ['configMap', 'configMap', 'configMap', configMap],
  ['azureFile', 'azureFile', 'azureFile', requiredFields(['secretName', 'shareName'])],
  ['vsphereVolume', 'vsphereVolume', 'vsphereVolume', requiredFields(['volumePath'])],
  ['photonPersistentDisk', 'photonPersistentDisk', 'photonPersistentDisk', requiredFields(['pdID'])],
  ['portworxVolume', 'portworxVolume', 'portworxVolume', requiredFields(['volumeID'])],
  ['azureDisk', 'azureDisk', 'azureDisk', azureDisk],
  ['storageos', 'storageos', 'storageos', storageos],
  ['projected', 'projected', 'projected', projected],
  ['scaleIO', 'scaleIO', 'scaleIO', requiredFields(['gateway', 'system', 'volumeName'])],
  ['csi', 'csi', 'csi', csi],
  ['ephemeral', 'ephemeral', 'ephemeral', ephemeral],
];

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/**
 * ValidateVolumes: each volume's source errors, then its name (required, DNS-1123 label,
 * unique). Returns the names of the valid volumes (what volume mounts may refer to).
 */
export function validateVolumes(volumes: unknown, podName: string, out: FieldError[]): Set<string> {
  const names = new Set<string>();
  list(volumes).forEach((v, i) => {
    const p = `spec.volumes[${i}]`;
    const name = str(v.name);
    const el = validateVolumeSource(v, p, { volumeName: name, podName });
    if (name === '') el.push(required(`${p}.name`));
    else el.push(...each(`${p}.name`, name, isDNS1123Label(name)));
    if (names.has(name)) el.push(dup(`${p}.name`, name));
    if (el.length === 0) names.add(name);
    else out.push(...el);
  });
  return names;
}

function validateVolumeSource(v: Obj, p: string, ctx: VolumeContext): FieldError[] {
  const out: FieldError[] = [];
  let count = 0;
  for (const [key, forbiddenPath, errorPath, check] of SOURCES) {
    if (!present(v[key])) continue;
    if (count > 0) {
      out.push(forbidden(`${p}.${forbiddenPath}`, 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    out.push(...check(obj(v[key]) ?? {}, `${p}.${errorPath}`, ctx));
  }
  if (count === 0) out.push(required(p, 'must specify a volume type'));
  return out;
}

function requiredFields(fields: string[]): SourceCheck {
  return (src, path) => fields.filter((f) => isEmpty(src[f])).map((f) => required(`${path}.${f}`));
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  return str(v) === '';
}

function emptyDir(src: Obj, path: string): FieldError[] {
  const q = src.sizeLimit === undefined ? undefined : parseQuantity(quantityText(src.sizeLimit));
  if (q && q.num < 0n)
    return [forbidden(`${path}.sizeLimit`, 'SizeLimit field must be a valid resource quantity')];
  return [];
}

function quantityText(v: unknown): string | number {
  return typeof v === 'number' ? v : str(v);
}

/** validateHostPathType: the set upstream lists, sorted ("" is HostPathUnset). */
const HOST_PATH_TYPES = [
  '',
  'BlockDevice',
  'CharDevice',
  'Directory',
  'DirectoryOrCreate',
  'File',
  'FileOrCreate',
  'Socket',
];

function hostPath(src: Obj, path: string): FieldError[] {
  const p = str(src.path);
  if (p === '') return [required(`${path}.path`)];
  const out = noBacksteps(p, `${path}.path`);
  if (src.type !== undefined && src.type !== null && !HOST_PATH_TYPES.includes(str(src.type)))
    out.push(notSupported(`${path}.type`, str(src.type), HOST_PATH_TYPES));
  return out;
}

function gitRepo(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (str(src.repository) === '') out.push(required(`${path}.repository`));
  out.push(...localDescendingPath(str(src.directory), `${path}.directory`));
  return out;
}

/** GCE PD and AWS EBS: the disk id, and a partition upstream reports as 1-255 (but allows 0). */
function persistentDisk(idField: string): SourceCheck {
  return (src, path) => {
    const out: FieldError[] = [];
    if (str(src[idField]) === '') out.push(required(`${path}.${idField}`));
    const partition = num(src.partition);
    if (partition < 0 || partition > 255)
      out.push(invalid(`${path}.partition`, partition, 'must be between 1 and 255, inclusive'));
    return out;
  };
}

function fileMode(src: Obj, key: string, path: string): FieldError[] {
  if (src[key] === undefined || src[key] === null) return [];
  const mode = num(src[key]);
  return mode > 0o777 || mode < 0 ? [invalid(`${path}.${key}`, mode, FILE_MODE)] : [];
}

function secret(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (str(src.secretName) === '') out.push(required(`${path}.secretName`));
  out.push(...fileMode(src, 'defaultMode', path));
  list(src.items).forEach((kp, i) => {
    out.push(...keyToPath(kp, `${path}.items[${i}]`));
  });
  return out;
}

function configMap(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (str(src.name) === '') out.push(required(`${path}.name`));
  out.push(...fileMode(src, 'defaultMode', path));
  list(src.items).forEach((kp, i) => {
    out.push(...keyToPath(kp, `${path}.items[${i}]`));
  });
  return out;
}

function keyToPath(kp: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (str(kp.key) === '') out.push(required(`${path}.key`));
  if (str(kp.path) === '') out.push(required(`${path}.path`));
  out.push(...localNonReservedPath(str(kp.path), `${path}.path`));
  out.push(...fileMode(kp, 'mode', path));
  return out;
}

function nfs(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (str(src.server) === '') out.push(required(`${path}.server`));
  const p = str(src.path);
  if (p === '') out.push(required(`${path}.path`));
  if (!p.startsWith('/')) out.push(invalid(`${path}.path`, p, 'must be an absolute path'));
  return out;
}

const IQN = /iqn\.\d{4}-\d{2}\.([A-Za-z0-9\-.]+)(:[^,;*&$|\s]+)$/;
const EUI = /^eui.[A-Za-z0-9]{16}$/;
const NAA = /^naa.[A-Za-z0-9]{32}$/;

function iqnErrors(value: string, field: string, startMessage: string): FieldError[] {
  if (!value.startsWith('iqn') && !value.startsWith('eui') && !value.startsWith('naa'))
    return [invalid(field, value, startMessage)];
  if (
    (value.startsWith('iqn') && !IQN.test(value)) ||
    (value.startsWith('eui') && !EUI.test(value)) ||
    (value.startsWith('naa') && !NAA.test(value))
  )
    return [invalid(field, value, 'must be valid format')];
  return [];
}

function iscsi(src: Obj, path: string, ctx: VolumeContext): FieldError[] {
  const out: FieldError[] = [];
  const portal = str(src.targetPortal);
  if (portal === '') out.push(required(`${path}.targetPortal`));
  const iqn = str(src.iqn);
  if (iqn === '') out.push(required(`${path}.iqn`));
  else out.push(...iqnErrors(iqn, `${path}.iqn`, 'must be valid format starting with iqn, eui, or naa'));
  const lun = num(src.lun);
  if (lun < 0 || lun > 255) out.push(invalid(`${path}.lun`, lun, 'must be between 0 and 255, inclusive'));
  if ((src.chapAuthDiscovery === true || src.chapAuthSession === true) && !present(src.secretRef))
    out.push(required(`${path}.secretRef`));
  if (typeof src.initiatorName === 'string') {
    const initiator = src.initiatorName;
    const start =
      !initiator.startsWith('iqn') && !initiator.startsWith('eui') && !initiator.startsWith('naa');
    if (start)
      out.push(
        invalid(`${path}.initiatorname`, initiator, 'must be valid format starting with iqn, eui, or naa'),
      );
    else out.push(...iqnErrors(initiator, `${path}.initiatorname`, ''));
    // The volume-name length rule is reported on the volume, after the source's own errors.
    if (`${ctx.volumeName}:${portal}`.length > 64)
      out.push(
        invalid(
          path.replace(/\.iscsi$/, '.name'),
          ctx.volumeName,
          'Total length of <volume name>:<iscsi.targetPortal> must be under 64 characters if iscsi.initiatorName is specified.',
        ),
      );
  }
  return out;
}

function flocker(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  const name = str(src.datasetName);
  const uuid = str(src.datasetUUID);
  if (name === '' && uuid === '') out.push(required(path, 'one of datasetName and datasetUUID is required'));
  if (name !== '' && uuid !== '')
    out.push(invalid(path, 'resource', 'datasetName and datasetUUID can not be specified simultaneously'));
  if (name.includes('/')) out.push(invalid(`${path}.datasetName`, name, "must not contain '/'"));
  return out;
}

function cinder(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (str(src.volumeID) === '') out.push(required(`${path}.volumeID`));
  const ref = obj(src.secretRef);
  if (ref && str(ref.name) === '') out.push(required(`${path}.secretRef.name`));
  return out;
}

function quobyte(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  const registry = str(src.registry);
  const message = 'must be a host:port pair or multiple pairs separated by commas';
  if (registry === '') out.push(required(`${path}.registry`, message));
  else if (str(src.tenant).length >= 65)
    out.push(required(`${path}.tenant`, 'must be a UUID and may not exceed a length of 64 characters'));
  else
    for (const pair of registry.split(',')) {
      if (!/^(\[[^\]]*\]|[^:[\]]*):[^:]*$/.test(pair))
        out.push(invalid(`${path}.registry`, registry, message));
    }
  if (str(src.volume) === '') out.push(required(`${path}.volume`));
  return out;
}

/** validVolumeDownwardAPIFieldPathExpressions. */
const VOLUME_FIELD_PATHS = [
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
];

/** validateDownwardAPIVolumeFile: its errors use the source's path, not the item's. */
function downwardAPIFile(file: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (str(file.path) === '') out.push(required(`${path}.path`));
  out.push(...localNonReservedPath(str(file.path), `${path}.path`));
  const fieldRef = obj(file.fieldRef);
  const resourceRef = obj(file.resourceFieldRef);
  if (fieldRef) {
    if (str(fieldRef.apiVersion) === '') out.push(required(`${path}.fieldRef.apiVersion`));
    else out.push(...validateFieldRef(str(fieldRef.fieldPath), `${path}.fieldRef`, VOLUME_FIELD_PATHS));
    if (resourceRef)
      out.push(
        invalid(path, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'),
      );
  } else if (resourceRef) {
    out.push(...validateResourceFieldRef(resourceRef, `${path}.resourceFieldRef`, true));
  } else {
    out.push(required(path, 'one of fieldRef and resourceFieldRef is required'));
  }
  out.push(...fileMode(file, 'mode', path));
  return out;
}

function downwardAPI(src: Obj, path: string): FieldError[] {
  const out = fileMode(src, 'defaultMode', path);
  for (const file of list(src.items)) out.push(...downwardAPIFile(file, path));
  return out;
}

function fc(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  const wwns = Array.isArray(src.targetWWNs) ? src.targetWWNs.map(str) : [];
  const wwids = Array.isArray(src.wwids) ? src.wwids : [];
  if (wwns.length < 1 && wwids.length < 1)
    out.push(required(`${path}.targetWWNs`, 'must specify either targetWWNs or wwids, but not both'));
  if (wwns.length !== 0 && wwids.length !== 0)
    out.push(
      invalid(
        `${path}.targetWWNs`,
        goStringSlice(wwns),
        'targetWWNs and wwids can not be specified simultaneously',
      ),
    );
  if (wwns.length !== 0) {
    if (src.lun === undefined || src.lun === null)
      out.push(required(`${path}.lun`, 'lun is required if targetWWNs is specified'));
    else if (num(src.lun) < 0 || num(src.lun) > 255)
      out.push(invalid(`${path}.lun`, num(src.lun), 'must be between 0 and 255, inclusive'));
  }
  return out;
}

function flexVolume(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (str(src.driver) === '') out.push(required(`${path}.driver`));
  for (const k of Object.keys(obj(src.options) ?? {})) {
    const ns = k.includes('/') ? k.slice(0, k.indexOf('/')) : k;
    const normalized = `.${ns.toLowerCase()}`;
    if (normalized.endsWith('.kubernetes.io') || normalized.endsWith('.k8s.io'))
      out.push(invalid(`${path}.options[${k}]`, k, 'kubernetes.io and k8s.io namespaces are reserved'));
  }
  return out;
}

function azureDisk(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  if (str(src.diskName) === '') out.push(required(`${path}.diskName`));
  const uri = str(src.diskURI);
  if (uri === '') out.push(required(`${path}.diskURI`));
  if (typeof src.cachingMode === 'string' && !['None', 'ReadOnly', 'ReadWrite'].includes(src.cachingMode))
    out.push(notSupported(`${path}.cachingMode`, src.cachingMode, ['None', 'ReadOnly', 'ReadWrite']));
  if (typeof src.kind === 'string') {
    if (!['Dedicated', 'Managed', 'Shared'].includes(src.kind))
      out.push(notSupported(`${path}.kind`, src.kind, ['Dedicated', 'Managed', 'Shared']));
    if (src.kind === 'Managed' && !uri.startsWith('/subscriptions/'))
      out.push(
        notSupported(`${path}.diskURI`, uri, [
          '/subscriptions/{sub-id}/resourcegroups/{group-name}/providers/microsoft.compute/disks/{disk-id}',
        ]),
      );
    if (src.kind !== 'Managed' && !uri.startsWith('https://'))
      out.push(
        notSupported(`${path}.diskURI`, uri, [
          'https://{account-name}.blob.core.windows.net/{container-name}/{disk-name}.vhd',
        ]),
      );
  }
  return out;
}

function storageos(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  const name = str(src.volumeName);
  if (name === '') out.push(required(`${path}.volumeName`));
  else out.push(...each(`${path}.volumeName`, name, isDNS1123Label(name)));
  const ns = str(src.volumeNamespace);
  if (ns !== '') out.push(...each(`${path}.volumeNamespace`, ns, isDNS1123Label(ns)));
  const ref = obj(src.secretRef);
  if (ref && str(ref.name) === '') out.push(required(`${path}.secretRef.name`));
  return out;
}

function csi(src: Obj, path: string): FieldError[] {
  const out: FieldError[] = [];
  const driver = str(src.driver);
  if (driver === '') out.push(required(`${path}.driver`));
  if (driver.length > 63) out.push(tooLong(`${path}.driver`, 63));
  out.push(...each(`${path}.driver`, driver, isDNS1123Subdomain(driver.toLowerCase())));
  const ref = obj(src.nodePublishSecretRef);
  if (ref) {
    const name = str(ref.name);
    if (name === '') out.push(required(`${path}.nodePublishSecretRef.name`));
    else out.push(...each(`${path}.name`, name, isDNS1123Subdomain(name)));
  }
  return out;
}

/**
 * validateEphemeralVolumeSource: the claim template is required; its metadata (labels and
 * annotations only) and the two required parts of its spec (access modes, a storage request)
 * are checked, and the PVC name `<pod>-<volume>` must be a DNS subdomain.
 */
function ephemeral(src: Obj, path: string, ctx: VolumeContext): FieldError[] {
  const out: FieldError[] = [];
  const template = obj(src.volumeClaimTemplate);
  if (!template) out.push(required(`${path}.volumeClaimTemplate`));
  else {
    const t = `${path}.volumeClaimTemplate`;
    const meta = obj(template.metadata) ?? {};
    out.push(...validateLabels(meta.labels, `${t}.metadata.labels`));
    for (const k of Object.keys(meta))
      if (k !== 'labels' && k !== 'annotations') out.push(forbidden(`${t}.metadata.${k}`, 'cannot be set'));
    const spec = obj(template.spec) ?? {};
    if (!Array.isArray(spec.accessModes) || spec.accessModes.length === 0)
      out.push(required(`${t}.spec.accessModes`, 'at least 1 access mode is required'));
    const requests = obj(obj(spec.resources)?.requests) ?? {};
    if (!Object.hasOwn(requests, 'storage')) out.push(required(`${t}.spec.resources[storage]`));
    out.push(...validateLabelSelector(spec.selector, `${t}.spec.selector`));
  }
  if (ctx.podName !== '' && ctx.volumeName !== '') {
    const pvc = `${ctx.podName}-${ctx.volumeName}`;
    for (const m of isDNS1123Subdomain(pvc))
      out.push(invalid(path.replace(/\.ephemeral$/, '.name'), ctx.volumeName, `PVC name "${pvc}": ${m}`));
  }
  return out;
}

function projected(src: Obj, path: string): FieldError[] {
  const out = fileMode(src, 'defaultMode', path);
  const paths = new Set<string>();
  const claim = (p: string, value: string): void => {
    if (paths.has(p)) out.push(invalid(path, value, 'conflicting duplicate paths'));
    else paths.add(p);
  };
  list(src.sources).forEach((source, i) => {
    const srcPath = `${path}.sources[${i}]`;
    let count = 0;
    for (const key of ['secret', 'configMap'] as const) {
      const s = obj(source[key]);
      if (!s) continue;
      count++;
      const p = `${srcPath}.${key}`;
      if (str(s.name) === '') out.push(required(`${p}.name`));
      list(s.items).forEach((kp, j) => {
        out.push(...keyToPath(kp, `${p}.items[${j}]`));
        if (str(kp.path) !== '') claim(str(kp.path), str(s.name));
      });
    }
    const dapi = obj(source.downwardAPI);
    if (dapi) {
      count++;
      for (const file of list(dapi.items)) {
        out.push(...downwardAPIFile(file, `${srcPath}.downwardAPI`));
        if (str(file.path) !== '') claim(str(file.path), str(file.path));
      }
    }
    const token = obj(source.serviceAccountToken);
    if (token) {
      count++;
      // SetDefaults_ServiceAccountTokenProjection: expirationSeconds defaults to 3600.
      const seconds = token.expirationSeconds === undefined ? 3600 : num(token.expirationSeconds);
      const p = `${srcPath}.serviceAccountToken.expirationSeconds`;
      if (seconds < 600) out.push(invalid(p, seconds, 'may not specify a duration less than 10 minutes'));
      if (seconds > 2 ** 32)
        out.push(invalid(p, seconds, 'may not specify a duration larger than 2^32 seconds'));
      if (str(token.path) === '') out.push(required(`${path}.path`));
      else out.push(...localNonReservedPath(str(token.path), `${path}.path`));
    }
    if (count > 1) out.push(forbidden(srcPath, 'may not specify more than 1 volume type per source'));
  });
  return out;
}
