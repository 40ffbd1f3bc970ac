/**
 * TestValidateVolumes (k/k pkg/apis/core/validation/validation_test.go, release-1.33), each
 * volume in a Pod named "123", plus the volume mounts that refer to volumes.
 *
 * Skipped, and why: the Quobyte, Azure, vSphere, Photon, Portworx, ScaleIO, StorageOS, FC and
 * Flex rows beyond one each (cloud sources no lab uses; one row per source keeps the rule);
 * rows that need a gate off in 1.33 (ImageVolume rows: the source is dropped); the ephemeral
 * rows that check a PersistentVolumeClaimSpec in depth (podlab checks only what it names in
 * docs/manifests.md); rows that call validateVolumeSource with opts other than a Pod's.
 */
import { describe } from 'vitest';
import { rows, podWithVolume as v } from './harness.ts';

const P = 'spec.volumes[0]';
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const MODE = 'must be a number between 0 and 0777 (octal), both inclusive';
const HOST_PATH_TYPES =
  'supported values: "", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"';
const T = (c: string) => `TestValidateVolumes/"${c}"`;

describe('TestValidateVolumes: names and sources', () => {
  rows([
    [T('valid alpha name'), v({ name: 'empty', emptyDir: {} }), []],
    [T('valid num name'), v({ name: '123', emptyDir: {} }), []],
    [T('valid alphanum name'), v({ name: 'empty-123', emptyDir: {} }), []],
    [T('valid numalpha name'), v({ name: '123-empty', emptyDir: {} }), []],
    [T('zero-length name'), v({ name: '', emptyDir: {} }), [`${P}.name: Required value`]],
    [
      T('name > 63 characters'),
      v({ name: 'a'.repeat(64), emptyDir: {} }),
      [`${P}.name: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
    ],
    [
      T('name has dots'),
      v({ name: 'a.b.c', emptyDir: {} }),
      [`${P}.name: Invalid value: "a.b.c": must not contain dots`],
    ],
    [
      T('name not a DNS label'),
      v({ name: 'Not a DNS label!', emptyDir: {} }),
      [`${P}.name: Invalid value: "Not a DNS label!": ${LABEL}`],
    ],
    [
      T('more than one source'),
      v({ name: 'dups', emptyDir: {}, hostPath: { path: '/mnt/path', type: 'Directory' } }),
      [`${P}.hostPath: Forbidden: may not specify more than 1 volume type`],
    ],
    [
      'emptyDir with a negative sizeLimit (validateVolumeSource)',
      v({ name: 'e', emptyDir: { sizeLimit: '-1Gi' } }),
      [`${P}.emptyDir.sizeLimit: Forbidden: SizeLimit field must be a valid resource quantity`],
    ],
  ]);
});

describe('TestValidateVolumes: hostPath, gitRepo, disks', () => {
  rows([
    [T('default HostPath'), v({ name: 'hostpath', hostPath: { path: '/mnt/path', type: 'Directory' } }), []],
    [T('valid HostPath'), v({ name: 'hostpath', hostPath: { path: '/mnt/path', type: 'Socket' } }), []],
    [
      T('invalid HostPath'),
      v({ name: 'hostpath', hostPath: { path: '/mnt/path', type: 'invalid' } }),
      [`${P}.hostPath.type: Unsupported value: "invalid": ${HOST_PATH_TYPES}`],
    ],
    [
      T('invalid HostPath backsteps'),
      v({ name: 'hostpath', hostPath: { path: '/mnt/path/..', type: 'Directory' } }),
      [`${P}.hostPath.path: Invalid value: "/mnt/path/..": must not contain '..'`],
    ],
    [
      'hostPath without path (validateHostPathVolumeSource)',
      v({ name: 'h', hostPath: {} }),
      [`${P}.hostPath.path: Required value`],
    ],
    [
      T('valid GcePersistentDisk'),
      v({ name: 'gce-pd', gcePersistentDisk: { pdName: 'my-PD', fsType: 'ext4', partition: 1 } }),
      [],
    ],
    [
      'gcePersistentDisk without pdName (errors under persistentDisk, as upstream)',
      v({ name: 'gce-pd', gcePersistentDisk: { partition: 300 } }),
      [
        `${P}.persistentDisk.pdName: Required value`,
        `${P}.persistentDisk.partition: Invalid value: 300: must be between 1 and 255, inclusive`,
      ],
    ],
    [
      T('valid AWSElasticBlockStore'),
      v({ name: 'aws-ebs', awsElasticBlockStore: { volumeID: 'my-PD', fsType: 'ext4', partition: 1 } }),
      [],
    ],
    [
      T('valid GitRepo'),
      v({
        name: 'git-repo',
        gitRepo: { repository: 'my-repo', revision: 'hashstring', directory: 'target' },
      }),
      [],
    ],
    [
      T('valid GitRepo in .'),
      v({ name: 'git-repo-dot', gitRepo: { repository: 'my-repo', directory: '.' } }),
      [],
    ],
    [
      T('valid GitRepo with .. in name'),
      v({ name: 'git-repo-dot-dot-foo', gitRepo: { repository: 'my-repo', directory: '..foo' } }),
      [],
    ],
    [
      T('GitRepo starts with ../'),
      v({ name: 'gitrepo', gitRepo: { repository: 'foo', directory: '../dots/bar' } }),
      [`${P}.gitRepo.directory: Invalid value: "../dots/bar": must not contain '..'`],
    ],
    [
      T('GitRepo contains ..'),
      v({ name: 'gitrepo', gitRepo: { repository: 'foo', directory: 'dots/../bar' } }),
      [`${P}.gitRepo.directory: Invalid value: "dots/../bar": must not contain '..'`],
    ],
    [
      T('GitRepo absolute target'),
      v({ name: 'gitrepo', gitRepo: { repository: 'foo', directory: '/abstarget' } }),
      [`${P}.gitRepo.directory: Invalid value: "/abstarget": must be a relative path`],
    ],
  ]);
});

const iscsi = (fields: Record<string, unknown>) =>
  v({
    name: 'iscsi',
    iscsi: {
      targetPortal: '127.0.0.1',
      iqn: 'iqn.2015-02.example.com:test',
      lun: 1,
      fsType: 'ext4',
      ...fields,
    },
  });

describe('TestValidateVolumes: iscsi', () => {
  rows([
    [T('valid ISCSI'), iscsi({}), []],
    [T('valid IQN: eui format'), iscsi({ iqn: 'eui.0123456789ABCDEF' }), []],
    [T('valid IQN: naa format'), iscsi({ iqn: 'naa.62004567BA64678D0123456789ABCDEF' }), []],
    [T('empty portal'), iscsi({ targetPortal: '' }), [`${P}.iscsi.targetPortal: Required value`]],
    [T('empty iqn'), iscsi({ iqn: '' }), [`${P}.iscsi.iqn: Required value`]],
    [
      T('invalid IQN: iqn format'),
      iscsi({ iqn: 'iqn.2015-02.example.com:test;ls;' }),
      [`${P}.iscsi.iqn: Invalid value: "iqn.2015-02.example.com:test;ls;": must be valid format`],
    ],
    [
      T('invalid IQN: eui format'),
      iscsi({ iqn: 'eui.0123456789ABCDEFGHIJ' }),
      [`${P}.iscsi.iqn: Invalid value: "eui.0123456789ABCDEFGHIJ": must be valid format`],
    ],
    [
      T('invalid IQN: naa format'),
      iscsi({ iqn: 'naa.62004567BA_4-78D.123456789ABCDEF' }),
      [`${P}.iscsi.iqn: Invalid value: "naa.62004567BA_4-78D.123456789ABCDEF": must be valid format`],
    ],
    [T('valid initiatorName'), iscsi({ initiatorName: 'iqn.2015-02.example.com:init' }), []],
    [
      T('invalid initiatorName'),
      iscsi({ initiatorName: '2015-02.example.com:init' }),
      [
        `${P}.iscsi.initiatorname: Invalid value: "2015-02.example.com:init": must be valid format starting with iqn, eui, or naa`,
      ],
    ],
    [
      `${T('empty secret')} (discovery CHAP)`,
      iscsi({ chapAuthDiscovery: true }),
      [`${P}.iscsi.secretRef: Required value`],
    ],
    [
      `${T('empty secret')} (session CHAP)`,
      iscsi({ chapAuthSession: true }),
      [`${P}.iscsi.secretRef: Required value`],
    ],
  ]);
});

const secret = (fields: Record<string, unknown>) =>
  v({ name: 'secret', secret: { secretName: 's', ...fields } });
const cfg = (fields: Record<string, unknown>) => v({ name: 'cfgmap', configMap: { name: 'c', ...fields } });

describe('TestValidateVolumes: secret and configMap', () => {
  rows([
    [T('valid Secret'), secret({ secretName: 'my-secret' }), []],
    [T('valid Secret with defaultMode'), secret({ defaultMode: 0o644 }), []],
    [
      T('valid Secret with projection and mode'),
      secret({ items: [{ key: 'key', path: 'filename', mode: 0o644 }] }),
      [],
    ],
    [T('valid Secret with subdir projection'), secret({ items: [{ key: 'key', path: 'dir/filename' }] }), []],
    [
      T('secret with missing path'),
      secret({ items: [{ key: 'key', path: '' }] }),
      [`${P}.secret.items[0].path: Required value`],
    ],
    [
      T('secret with leading ..'),
      secret({ items: [{ key: 'key', path: '../foo' }] }),
      [`${P}.secret.items[0].path: Invalid value: "../foo": must not contain '..'`],
    ],
    [
      T('secret with .. inside'),
      secret({ items: [{ key: 'key', path: 'foo/../bar' }] }),
      [`${P}.secret.items[0].path: Invalid value: "foo/../bar": must not contain '..'`],
    ],
    [
      T('secret with invalid positive defaultMode'),
      secret({ defaultMode: 0o1000 }),
      [`${P}.secret.defaultMode: Invalid value: 512: ${MODE}`],
    ],
    [
      T('secret with invalid negative defaultMode'),
      secret({ defaultMode: -1 }),
      [`${P}.secret.defaultMode: Invalid value: -1: ${MODE}`],
    ],
    [
      'secret without secretName (issue 16)',
      v({ name: 'secret', secret: {} }),
      [`${P}.secret.secretName: Required value`],
    ],
    [
      'secret with defaultMode 999 (issue 16)',
      secret({ defaultMode: 999 }),
      [`${P}.secret.defaultMode: Invalid value: 999: ${MODE}`],
    ],
    [T('valid ConfigMap'), cfg({ name: 'my-cfgmap' }), []],
    [T('valid ConfigMap with defaultMode'), cfg({ name: 'my-cfgmap', defaultMode: 0o644 }), []],
    [
      T('valid ConfigMap with projection and mode'),
      cfg({ items: [{ key: 'key', path: 'filename', mode: 0o644 }] }),
      [],
    ],
    [T('valid ConfigMap with subdir projection'), cfg({ items: [{ key: 'key', path: 'dir/filename' }] }), []],
    [
      T('configmap with missing path'),
      cfg({ items: [{ key: 'key', path: '' }] }),
      [`${P}.configMap.items[0].path: Required value`],
    ],
    [
      T('configmap with leading ..'),
      cfg({ items: [{ key: 'key', path: '../foo' }] }),
      [`${P}.configMap.items[0].path: Invalid value: "../foo": must not contain '..'`],
    ],
    [
      T('configmap with .. inside'),
      cfg({ items: [{ key: 'key', path: 'foo/../bar' }] }),
      [`${P}.configMap.items[0].path: Invalid value: "foo/../bar": must not contain '..'`],
    ],
    [
      T('configmap with invalid positive defaultMode'),
      cfg({ defaultMode: 0o1000 }),
      [`${P}.configMap.defaultMode: Invalid value: 512: ${MODE}`],
    ],
    [
      T('configmap with invalid negative defaultMode'),
      cfg({ defaultMode: -1 }),
      [`${P}.configMap.defaultMode: Invalid value: -1: ${MODE}`],
    ],
    [
      'configMap without name (issue 16)',
      v({ name: 'cfgmap', configMap: {} }),
      [`${P}.configMap.name: Required value`],
    ],
    [
      'configMap item without key and with an absolute path (validateKeyToPath)',
      cfg({ items: [{ path: '/etc/x', mode: 0o1777 }] }),
      [
        `${P}.configMap.items[0].key: Required value`,
        `${P}.configMap.items[0].path: Invalid value: "/etc/x": must be a relative path`,
        `${P}.configMap.items[0].mode: Invalid value: 1023: ${MODE}`,
      ],
    ],
  ]);
});

describe('TestValidateVolumes: network and claim sources', () => {
  rows([
    [T('valid Glusterfs'), v({ name: 'glusterfs', glusterfs: { endpoints: 'host1', path: 'path' } }), []],
    [
      T('empty hosts'),
      v({ name: 'glusterfs', glusterfs: { endpoints: '', path: 'path' } }),
      [`${P}.glusterfs.endpoints: Required value`],
    ],
    [
      T('empty path'),
      v({ name: 'glusterfs', glusterfs: { endpoints: 'host', path: '' } }),
      [`${P}.glusterfs.path: Required value`],
    ],
    [
      T('valid Flocker -- datasetUUID'),
      v({ name: 'flocker', flocker: { datasetUUID: 'd846b09d-223d-43df-ab5b-d6db2206a0e4' } }),
      [],
    ],
    [T('valid Flocker -- datasetName'), v({ name: 'flocker', flocker: { datasetName: 'datasetName' } }), []],
    [
      T('both empty'),
      v({ name: 'flocker', flocker: { datasetName: '' } }),
      [`${P}.flocker: Required value: one of datasetName and datasetUUID is required`],
    ],
    [
      T('both specified'),
      v({
        name: 'flocker',
        flocker: { datasetName: 'datasetName', datasetUUID: 'd846b09d-223d-43df-ab5b-d6db2206a0e4' },
      }),
      [
        `${P}.flocker: Invalid value: "resource": datasetName and datasetUUID can not be specified simultaneously`,
      ],
    ],
    [
      T('slash in flocker datasetName'),
      v({ name: 'flocker', flocker: { datasetName: 'foo/bar' } }),
      [`${P}.flocker.datasetName: Invalid value: "foo/bar": must not contain '/'`],
    ],
    [T('valid RBD'), v({ name: 'rbd', rbd: { monitors: ['foo'], image: 'bar', fsType: 'ext4' } }), []],
    [
      T('empty rbd monitors'),
      v({ name: 'rbd', rbd: { monitors: [], image: 'bar', fsType: 'ext4' } }),
      [`${P}.rbd.monitors: Required value`],
    ],
    [
      T('empty image'),
      v({ name: 'rbd', rbd: { monitors: ['foo'], image: '', fsType: 'ext4' } }),
      [`${P}.rbd.image: Required value`],
    ],
    [
      T('valid Cinder'),
      v({ name: 'cinder', cinder: { volumeID: '29ea5088-4f60-4757-962e-dba678767887', fsType: 'ext4' } }),
      [],
    ],
    [T('valid CephFS'), v({ name: 'cephfs', cephfs: { monitors: ['foo'] } }), []],
    [
      T('empty cephfs monitors'),
      v({ name: 'cephfs', cephfs: { monitors: [] } }),
      [`${P}.cephfs.monitors: Required value`],
    ],
    [
      'nfs without server and with a relative path (validateNFSVolumeSource)',
      v({ name: 'nfs', nfs: { path: 'data' } }),
      [`${P}.nfs.server: Required value`, `${P}.nfs.path: Invalid value: "data": must be an absolute path`],
    ],
    [
      'persistentVolumeClaim without claimName (issue 16)',
      v({ name: 'pvc', persistentVolumeClaim: {} }),
      [`${P}.persistentVolumeClaim.claimName: Required value`],
    ],
    [
      'persistentVolumeClaim with claimName',
      v({ name: 'pvc', persistentVolumeClaim: { claimName: 'data' } }),
      [],
    ],
    [
      'csi without driver (validateCSIVolumeSource)',
      v({ name: 'csi', csi: {} }),
      [
        `${P}.csi.driver: Required value`,
        `${P}.csi.driver: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
    [
      'ephemeral without volumeClaimTemplate',
      v({ name: 'eph', ephemeral: {} }),
      [`${P}.ephemeral.volumeClaimTemplate: Required value`],
    ],
  ]);
});

const dapi = (item: Record<string, unknown>) =>
  v({
    name: 'downapi',
    downwardAPI: {
      items: [{ path: 'path', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' }, ...item }],
    },
  });

describe('TestValidateVolumes: downwardAPI (errors at the source path, without the item index)', () => {
  rows([
    [
      T('valid DownwardAPI'),
      v({
        name: 'downwardapi',
        downwardAPI: {
          items: [
            { path: 'labels', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } },
            {
              path: 'labels with subscript',
              fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['key']" },
            },
            { path: 'annotations', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.annotations' } },
            { path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } },
            {
              path: 'path/with/embedded..dotdot',
              fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' },
            },
            {
              path: 'cpu_limit',
              resourceFieldRef: { containerName: 'test-container', resource: 'limits.cpu' },
            },
            {
              path: 'memory_request',
              resourceFieldRef: { containerName: 'test-container', resource: 'requests.memory' },
            },
          ],
        },
      }),
      [],
    ],
    [
      T('hugepages-downwardAPI-enabled'),
      dapi({
        fieldRef: undefined,
        resourceFieldRef: { containerName: 'test-container', resource: 'requests.hugepages-2Mi' },
      }),
      [],
    ],
    [T('downapi valid defaultMode'), v({ name: 'downapi', downwardAPI: { defaultMode: 0o644 } }), []],
    [T('downapi valid item mode'), dapi({ mode: 0o644 }), []],
    [
      T('downapi invalid positive item mode'),
      dapi({ mode: 0o1000 }),
      [`${P}.downwardAPI.mode: Invalid value: 512: ${MODE}`],
    ],
    [
      T('downapi invalid negative item mode'),
      dapi({ mode: -1 }),
      [`${P}.downwardAPI.mode: Invalid value: -1: ${MODE}`],
    ],
    [T('downapi empty metatada path'), dapi({ path: '' }), [`${P}.downwardAPI.path: Required value`]],
    [
      T('downapi absolute path'),
      dapi({ path: '/absolutepath' }),
      [`${P}.downwardAPI.path: Invalid value: "/absolutepath": must be a relative path`],
    ],
    [
      T('downapi dot dot path'),
      dapi({ path: '../../passwd' }),
      [`${P}.downwardAPI.path: Invalid value: "../../passwd": must not contain '..'`],
    ],
    [
      T('downapi dot dot file name'),
      dapi({ path: '..badFileName' }),
      [`${P}.downwardAPI.path: Invalid value: "..badFileName": must not start with '..'`],
    ],
    [
      T('downapi dot dot first level dirent'),
      dapi({ path: '..badDirName/goodFileName' }),
      [`${P}.downwardAPI.path: Invalid value: "..badDirName/goodFileName": must not start with '..'`],
    ],
    [
      T('downapi fieldRef and ResourceFieldRef together'),
      dapi({
        path: 'test',
        resourceFieldRef: { containerName: 'test-container', resource: 'requests.memory' },
      }),
      [
        `${P}.downwardAPI: Invalid value: "resource": fieldRef and resourceFieldRef can not be specified simultaneously`,
      ],
    ],
    [
      T('downapi invalid positive defaultMode'),
      v({ name: 'downapi', downwardAPI: { defaultMode: 0o1000 } }),
      [`${P}.downwardAPI.defaultMode: Invalid value: 512: ${MODE}`],
    ],
    [
      'downwardAPI item that env vars may read but volumes may not (spec.nodeName)',
      dapi({ fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } }),
      [
        `${P}.downwardAPI.fieldRef.fieldPath: Unsupported value: "spec.nodeName": supported values: "metadata.annotations", "metadata.labels", "metadata.name", "metadata.namespace", "metadata.uid"`,
      ],
    ],
    [
      'downwardAPI resourceFieldRef without containerName',
      dapi({ fieldRef: undefined, resourceFieldRef: { resource: 'limits.cpu' } }),
      [`${P}.downwardAPI.resourceFieldRef.containerName: Required value`],
    ],
  ]);
});

describe('TestValidateVolumes: projected', () => {
  rows([
    [
      T('ProjectedVolumeSource more than one projection in a source'),
      v({
        name: 'projected-volume',
        projected: { sources: [{ secret: { name: 'foo' } }, { secret: { name: 'foo' }, downwardAPI: {} }] },
      }),
      [`${P}.projected.sources[1]: Forbidden: may not specify more than 1 volume type per source`],
    ],
    // Upstream validates the internal object; through the API server SetDefaults_Volume
    // (pkg/apis/core/v1/defaults.go) first turns a volume without a source into an emptyDir.
    [`${T('no volume source')} is defaulted to emptyDir`, v({ name: 'volume' }), []],
    [
      'projected secret and configMap with conflicting paths (validateProjectionSources)',
      v({
        name: 'proj',
        projected: {
          sources: [
            { secret: { name: 's', items: [{ key: 'a', path: 'x' }] } },
            { configMap: { name: 'c', items: [{ key: 'b', path: 'x' }] } },
          ],
        },
      }),
      [`${P}.projected: Invalid value: "c": conflicting duplicate paths`],
    ],
    [
      'projected source with two kinds',
      v({ name: 'proj', projected: { sources: [{ secret: { name: 's' }, configMap: { name: 'c' } }] } }),
      [`${P}.projected.sources[0]: Forbidden: may not specify more than 1 volume type per source`],
    ],
    [
      'projected serviceAccountToken shorter than 10 minutes',
      v({
        name: 'proj',
        projected: { sources: [{ serviceAccountToken: { path: 'token', expirationSeconds: 60 } }] },
      }),
      [
        `${P}.projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes`,
      ],
    ],
    [
      'projected serviceAccountToken with the default expiration',
      v({ name: 'proj', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }),
      [],
    ],
  ]);
});
