import { describe, expect, it } from 'vitest';
import { load, pod, rejection } from './helpers.ts';

const BAD =
  'Error from server (BadRequest): error when creating "x.yaml": Pod in version "v1" cannot be handled as a Pod: ';

const cases: [string, string, string][] = [
  [
    'an unknown field',
    pod({ container: '      livenessprobe: {}' }),
    `${BAD}strict decoding error: unknown field "spec.containers[0].livenessprobe"`,
  ],
  [
    'several unknown fields, in document order',
    pod({
      container:
        '      readinessProbe:\n        exec:\n          command: [cat, /a]\n          periodSeconds: 3\n        foo: 1',
      spec: '  bar: 2',
    }),
    `${BAD}strict decoding error: unknown field "spec.containers[0].readinessProbe.exec.periodSeconds", unknown field "spec.containers[0].readinessProbe.foo", unknown field "spec.bar"`,
  ],
  ['an unknown top-level field', `${pod()}extra: 1\n`, `${BAD}strict decoding error: unknown field "extra"`],
  [
    'a field with the wrong case',
    pod({ container: '      ImagePullPolicy: Always' }),
    `${BAD}strict decoding error: unknown field "spec.containers[0].ImagePullPolicy"`,
  ],
  [
    'a string for an int32',
    pod({
      container: '      livenessProbe:\n        tcpSocket:\n          port: 80\n        periodSeconds: "10"',
    }),
    `${BAD}json: cannot unmarshal string into Go struct field Probe.spec.containers.livenessProbe.periodSeconds of type int32`,
  ],
  [
    'a fraction for an int32',
    pod({
      container: '      livenessProbe:\n        tcpSocket:\n          port: 80\n        periodSeconds: 1.5',
    }),
    `${BAD}json: cannot unmarshal number 1.5 into Go struct field Probe.spec.containers.livenessProbe.periodSeconds of type int32`,
  ],
  [
    'a number for an env value',
    pod({ container: '      env:\n        - name: PORT\n          value: 8080' }),
    `${BAD}json: cannot unmarshal number into Go struct field EnvVar.spec.containers.env.value of type string`,
  ],
  [
    'a YAML 1.1 boolean for an env value',
    pod({ container: '      env:\n        - name: DEBUG\n          value: yes' }),
    `${BAD}json: cannot unmarshal bool into Go struct field EnvVar.spec.containers.env.value of type string`,
  ],
  [
    'a number for a label',
    pod({ meta: '  labels:\n    version: 1' }),
    `${BAD}json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string`,
  ],
  [
    'a string for a list',
    pod({ container: '      command: sleep 10' }),
    `${BAD}json: cannot unmarshal string into Go struct field Container.spec.containers.command of type []string`,
  ],
  [
    'a list for a struct',
    pod({ container: '      livenessProbe: []' }),
    `${BAD}json: cannot unmarshal array into Go struct field Container.spec.containers.livenessProbe of type v1.Probe`,
  ],
  [
    'a map for the containers list',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    name: web\n',
    `${BAD}json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container`,
  ],
  [
    'a string for a bool',
    pod({ spec: '  enableServiceLinks: "true"' }),
    `${BAD}json: cannot unmarshal string into Go struct field PodSpec.spec.enableServiceLinks of type bool`,
  ],
  [
    'a bool for an int-or-string port',
    pod({ container: '      readinessProbe:\n        httpGet:\n          port: true' }),
    `${BAD}json: cannot unmarshal bool into Go value of type int32`,
  ],
  [
    'a bad quantity',
    pod({ container: '      resources:\n        limits:\n          memory: 128 MB' }),
    `${BAD}quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
  ],
  [
    'the first type error wins over unknown fields',
    pod({
      container:
        '      foo: 1\n      livenessProbe:\n        tcpSocket:\n          port: 80\n        periodSeconds: "3"',
    }),
    `${BAD}json: cannot unmarshal string into Go struct field Probe.spec.containers.livenessProbe.periodSeconds of type int32`,
  ],
];

describe('strict decoding (400 BadRequest)', () => {
  it.each(cases)('%s', (_name, yaml, expected) => {
    expect(rejection(yaml)).toBe(expected);
  });

  it('reports each unknown field at its key', () => {
    const text = pod({
      container:
        '      livenessProbe:\n        exec:\n          command: [cat, /a]\n          initialDelaySeconds: 1\n          periodSeconds: 3',
    });
    const r = load(text);
    expect(r.errors.map((e) => [e.field, e.line, e.column])).toEqual([
      ['spec.containers[0].livenessProbe.exec.initialDelaySeconds', 12, 11],
      ['spec.containers[0].livenessProbe.exec.periodSeconds', 13, 11],
    ]);
    expect(r.errors[0]!.message).toBe(
      `${BAD}strict decoding error: unknown field "spec.containers[0].livenessProbe.exec.initialDelaySeconds"`,
    );
  });

  it('accepts every kind of real field: int-or-string, quantities as numbers, free-form maps, nulls', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: full',
      '  creationTimestamp: null',
      '  labels: {app.kubernetes.io/name: full, tier: ""}',
      '  annotations: {note: "x"}',
      'spec:',
      '  nodeSelector: {kubernetes.io/os: linux}',
      '  tolerations: [{key: k, operator: Exists, effect: NoSchedule}]',
      '  affinity:',
      '    nodeAffinity:',
      '      requiredDuringSchedulingIgnoredDuringExecution:',
      '        nodeSelectorTerms: [{matchExpressions: [{key: a, operator: In, values: [b]}]}]',
      '  securityContext: {runAsUser: 1000, fsGroup: 2000, seccompProfile: {type: RuntimeDefault}}',
      '  volumes:',
      '    - name: data',
      '      emptyDir: {sizeLimit: 1Gi}',
      '    - name: cfg',
      '      configMap: {name: cfg, items: [{key: a, path: a}]}',
      '  containers:',
      '    - name: app',
      '      image: busybox:1.32.0',
      '      args: [sleep, "3600"]',
      '      env:',
      '        - {name: A, value: "1"}',
      '        - name: POD',
      '          valueFrom: {fieldRef: {fieldPath: metadata.name}}',
      '      resources: {limits: {cpu: 1, memory: 128Mi}, requests: {cpu: 100m}}',
      '      volumeMounts: [{name: data, mountPath: /data}, {name: cfg, mountPath: /cfg, readOnly: true}]',
      '      readinessProbe: {httpGet: {port: http, path: /, httpHeaders: [{name: X-A, value: b}]}, periodSeconds: 5}',
      '      startupProbe: {grpc: {port: 9000}, failureThreshold: 30}',
      '      ports: [{name: http, containerPort: 8080}]',
      '      securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}',
      '      lifecycle: {preStop: {sleep: {seconds: 5}}}',
      'status: {}',
      '',
    ].join('\n');
    const r = load(text);
    expect(r.rejected).toEqual([]);
    expect(r.objects).toHaveLength(1);
  });
});
