/**
 * A container's environment (pkg/kubelet/kubelet_pods.go makeEnvironmentVariables, envvars
 * FromServices) and `$(VAR)` expansion (third_party/forked/golang/expansion, its test table).
 */
import { describe, expect, it } from 'vitest';
import type { Container, Pod, Service } from '../../src/model/k8s.ts';
import { type ConfigObject, ConfigStore } from '../../src/sim/cluster/config-store.ts';
import type { ServiceEntry } from '../../src/sim/cluster/endpoints.ts';
import { builtinServices } from '../../src/sim/cluster/endpoints.ts';
import { containerEnv, expand, expandCommand, serviceEnvVars } from '../../src/sim/kubelet/env.ts';

const VARS: Record<string, string> = { VAR_A: 'A', VAR_B: 'B', VAR_C: 'C', VAR_EMPTY: '' };
const lookup = (name: string) => VARS[name];

describe('$(VAR) expansion', () => {
  it.each([
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_A)', 'A-A'],
    ['$(VAR_A)-1', 'A-1'],
    ['$(VAR_A)_$(VAR_B)_$(VAR_C)', 'A_B_C'],
    ['$$(VAR_B)_$(VAR_A)', '$(VAR_B)_A'],
    ['$$(VAR_B)_$$(VAR_A)', '$(VAR_B)_$(VAR_A)'],
    ['f000-$$VAR_A', 'f000-$VAR_A'],
    ['foo\\$(VAR_C)bar', 'foo\\Cbar'],
    ['$(VAR_EMPTY)', ''],
    ['$(VAR_DNE)', '$(VAR_DNE)'],
    ['$(VAR_A', '$(VAR_A'],
    ['$()', '$()'],
    ['$', '$'],
    ['$$', '$'],
    ['$$$$', '$$'],
    ['$VAR_A', '$VAR_A'],
    ['no vars', 'no vars'],
  ])('%s -> %s', (input, want) => {
    expect(expand(input, lookup)).toBe(want);
  });

  it('expands the spec command and args, not the image entrypoint', () => {
    const c = { name: 'c', command: ['/bin/echo'], args: ['$(MESSAGE)', '$(NOPE)'] } as Container;
    expect(expandCommand(c, [['MESSAGE', 'hello world']])).toEqual({
      command: ['/bin/echo'],
      args: ['hello world', '$(NOPE)'],
    });
    expect(expandCommand({ name: 'c' } as Container, [])).toEqual({});
  });
});

function service(
  namespace: string,
  name: string,
  clusterIP: string,
  ports: Service['spec']['ports'],
): ServiceEntry {
  return {
    service: { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace }, spec: { ports } },
    clusterIP,
  } as ServiceEntry;
}

describe('Service variables (envvars.FromServices)', () => {
  const services = [
    ...builtinServices(),
    service('default', 'my-db', '10.96.0.20', [
      { name: 'pg', protocol: 'TCP', port: 5432, targetPort: 5432 },
      { name: 'stats-udp', protocol: 'UDP', port: 8125, targetPort: 8125 },
    ]),
    service('default', 'headless', 'None', [{ protocol: 'TCP', port: 80, targetPort: 80 }]),
    service('other', 'elsewhere', '10.96.0.30', [{ protocol: 'TCP', port: 80, targetPort: 80 }]),
  ];

  it('names each variable as upstream, for the namespace and default/kubernetes', () => {
    expect(serviceEnvVars(services, 'default', true)).toEqual([
      ['KUBERNETES_SERVICE_HOST', '10.96.0.1'],
      ['KUBERNETES_SERVICE_PORT', '443'],
      ['KUBERNETES_SERVICE_PORT_HTTPS', '443'],
      ['KUBERNETES_PORT', 'tcp://10.96.0.1:443'],
      ['KUBERNETES_PORT_443_TCP', 'tcp://10.96.0.1:443'],
      ['KUBERNETES_PORT_443_TCP_PROTO', 'tcp'],
      ['KUBERNETES_PORT_443_TCP_PORT', '443'],
      ['KUBERNETES_PORT_443_TCP_ADDR', '10.96.0.1'],
      ['MY_DB_SERVICE_HOST', '10.96.0.20'],
      ['MY_DB_SERVICE_PORT', '5432'],
      ['MY_DB_SERVICE_PORT_PG', '5432'],
      ['MY_DB_SERVICE_PORT_STATS_UDP', '8125'],
      ['MY_DB_PORT', 'tcp://10.96.0.20:5432'],
      ['MY_DB_PORT_5432_TCP', 'tcp://10.96.0.20:5432'],
      ['MY_DB_PORT_5432_TCP_PROTO', 'tcp'],
      ['MY_DB_PORT_5432_TCP_PORT', '5432'],
      ['MY_DB_PORT_5432_TCP_ADDR', '10.96.0.20'],
      ['MY_DB_PORT_8125_UDP', 'udp://10.96.0.20:8125'],
      ['MY_DB_PORT_8125_UDP_PROTO', 'udp'],
      ['MY_DB_PORT_8125_UDP_PORT', '8125'],
      ['MY_DB_PORT_8125_UDP_ADDR', '10.96.0.20'],
    ]);
  });

  it('keeps only default/kubernetes with enableServiceLinks: false, and in another namespace', () => {
    const names = (ns: string, links: boolean) => [
      ...new Set(serviceEnvVars(services, ns, links).map(([n]) => n.split('_')[0])),
    ];
    expect(names('default', false)).toEqual(['KUBERNETES']);
    expect(names('other', true)).toEqual(['ELSEWHERE', 'KUBERNETES']);
  });
});

const pod = (container: Partial<Container>, spec: Partial<Pod['spec']> = {}): [Pod, Container] => {
  const c = { name: 'c', image: 'busybox', ...container } as Container;
  const p = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels: { app: 'web' }, annotations: { team: 'a' } },
    spec: { containers: [c], restartPolicy: 'Always', enableServiceLinks: true, ...spec },
  } as Pod;
  return [p, c];
};

/** The ConfigMaps and Secrets of the env tests' cluster (namespace default). */
function storeOf(objects: ConfigObject[]): ConfigStore {
  const store = new ConfigStore();
  for (const o of objects) store.apply(o);
  return store;
}

function envOf(
  container: Partial<Container>,
  spec: Partial<Pod['spec']> = {},
  store = new ConfigStore(),
  warnings: string[] = [],
) {
  const [p, c] = pod(container, spec);
  return containerEnv({
    pod: p,
    container: c,
    uid: 'uid-1',
    podIP: '10.244.0.10',
    nodeName: 'podlab-node',
    hostIP: '172.18.0.2',
    services: [],
    config: (kind, name) => store.read(kind, 'default', name),
    warn: (reason, message) => warnings.push(`${reason}: ${message}`),
  });
}

describe('containerEnv', () => {
  it('expands values against earlier variables only, and reads the Downward API', () => {
    const r = envOf({
      env: [
        { name: 'A', value: 'a' },
        { name: 'B', value: '$(A)-$(C)' },
        { name: 'C', value: 'c' },
        { name: 'NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'TEAM', valueFrom: { fieldRef: { fieldPath: "metadata.annotations['team']" } } },
      ],
    });
    expect(r).toEqual({
      env: [
        ['A', 'a'],
        ['B', 'a-$(C)'],
        ['C', 'c'],
        ['NAME', 'p'],
        ['NS', 'default'],
        ['UID', 'uid-1'],
        ['IP', '10.244.0.10'],
        ['HOST', '172.18.0.2'],
        ['NODE', 'podlab-node'],
        ['SA', 'default'],
        ['APP', 'web'],
        ['TEAM', 'a'],
      ],
    });
  });

  it('reads resources over the divisor, rounded up; an unset limit is the node allocatable', () => {
    const ref = (name: string, resource: string, divisor?: string) => ({
      name,
      valueFrom: { resourceFieldRef: { resource, ...(divisor ? { divisor } : {}) } },
    });
    expect(
      envOf({
        resources: { limits: { cpu: '250m', memory: '64Mi' } },
        env: [
          ref('CPU', 'limits.cpu'),
          ref('MILLICPU', 'limits.cpu', '1m'),
          ref('MEM_MI', 'limits.memory', '1Mi'),
          ref('MEM_REQUEST', 'requests.memory'),
          ref('DISK_GI', 'limits.ephemeral-storage', '1Gi'),
        ],
      }),
    ).toEqual({
      env: [
        ['CPU', '1'],
        ['MILLICPU', '250'],
        ['MEM_MI', '64'],
        ['MEM_REQUEST', '67108864'],
        ['DISK_GI', '100'],
      ],
    });
    expect(envOf({ env: [ref('MEM_MI', 'limits.memory', '1Mi')] })).toEqual({ env: [['MEM_MI', '8192']] });
    // Quantities are int64 upstream: a huge one saturates (and costs nothing to compute).
    expect(
      envOf({ resources: { limits: { memory: '1e999999999' } }, env: [ref('MEM', 'limits.memory')] }),
    ).toEqual({ env: [['MEM', '9223372036854775807']] });
  });

  it('fails on a ConfigMap or Secret that does not exist, unless optional', () => {
    expect(envOf({ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] })).toEqual({
      error: 'secret "db" not found',
    });
    expect(
      envOf({ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }),
    ).toEqual({
      error: 'configmap "cfg" not found',
    });
    expect(envOf({ envFrom: [{ configMapRef: { name: 'cfg' } }] })).toEqual({
      error: 'configmap "cfg" not found',
    });
    expect(
      envOf({
        envFrom: [{ secretRef: { name: 's', optional: true } }],
        env: [
          { name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } },
          { name: 'Y', value: 'y' },
        ],
      }),
    ).toEqual({ env: [['Y', 'y']] });
  });

  const cfg: ConfigObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cfg', namespace: 'default' },
    data: { MODE: 'debug', 'log.level': 'info' },
    binaryData: { BIN: 'AAE=' },
  };
  const db: ConfigObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'default' },
    type: 'Opaque',
    data: { password: 'czNjcjN0' },
  };
  const store = () => storeOf([cfg, db]);
  const envTable: [name: string, container: Partial<Container>, want: ReturnType<typeof envOf>][] = [
    [
      'configMapKeyRef reads data, not $(VAR)-expanded',
      { env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'MODE' } } }] },
      { env: [['M', 'debug']] },
    ],
    [
      'secretKeyRef reads the decoded bytes',
      { env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] },
      { env: [['P', 's3cr3t']] },
    ],
    [
      'a missing key fails with the kubelet text (makeEnvironmentVariables)',
      { env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nope' } } }] },
      { error: "couldn't find key nope in ConfigMap default/cfg" },
    ],
    [
      'a missing Secret key fails with the kubelet text',
      { env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'user' } } }] },
      { error: "couldn't find key user in Secret default/db" },
    ],
    [
      'a missing optional key skips the variable',
      { env: [{ name: 'M', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nope', optional: true } } }] },
      { env: [] },
    ],
    [
      'envFrom takes every data key (not binaryData), prefixed, in key order; env overrides',
      {
        envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'APP_' }, { secretRef: { name: 'db' } }],
        env: [{ name: 'password', value: 'mine' }],
      },
      {
        env: [
          ['APP_MODE', 'debug'],
          ['APP_log.level', 'info'],
          ['password', 'mine'],
        ],
      },
    ],
  ];
  for (const [name, container, want] of envTable) {
    it(`ConfigMap/Secret: ${name}`, () => {
      expect(envOf(container, {}, store())).toEqual(want);
    });
  }

  it('ConfigMap/Secret: envFrom skips invalid names with the InvalidEnvironmentVariableNames event', () => {
    const warnings: string[] = [];
    const r = envOf({ envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'A=' }] }, {}, store(), warnings);
    expect(r).toEqual({ env: [] });
    expect(warnings).toEqual([
      'InvalidEnvironmentVariableNames: Keys [A=MODE, A=log.level] from the EnvFrom configMap default/cfg were skipped since they are considered invalid environment variable names.',
    ]);
  });

  it('puts the declared variables first, then the Service variables they do not override', () => {
    const [p, c] = pod({ env: [{ name: 'KUBERNETES_SERVICE_PORT', value: 'mine' }] });
    const r = containerEnv({
      pod: p,
      container: c,
      uid: 'u',
      podIP: '10.244.0.10',
      nodeName: 'n',
      hostIP: 'h',
      services: builtinServices(),
      config: () => undefined,
      warn: () => {},
    });
    if ('error' in r) throw new Error(r.error);
    expect(r.env[0]).toEqual(['KUBERNETES_SERVICE_PORT', 'mine']);
    expect(r.env.filter(([n]) => n === 'KUBERNETES_SERVICE_PORT')).toHaveLength(1);
    expect(r.env.map(([n]) => n)).toContain('KUBERNETES_PORT_443_TCP_ADDR');
  });
});
