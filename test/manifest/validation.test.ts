import { describe, expect, it } from 'vitest';
import { load, pod, rejection } from './helpers.ts';

const INVALID = 'The Pod "web" is invalid: ';
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

// Each row: a manifest mistake and the exact text kubectl prints for it (kubernetes-semantics.md 2.3).
const ENV_FIELDS =
  '"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"';
const fieldRef = (fieldPath: string) =>
  pod({
    container: `      env:\n        - name: X\n          valueFrom:\n            fieldRef:\n              fieldPath: "${fieldPath}"`,
  });

const resourceRef = (resource: string, divisor?: string) =>
  pod({
    container: `      env:\n        - name: X\n          valueFrom:\n            resourceFieldRef:\n              resource: ${resource}${divisor ? `\n              divisor: "${divisor}"` : ''}`,
  });

const podCases: [string, string, string][] = [
  [
    'env resourceFieldRef to a resource env vars may not read (validateContainerResourceFieldSelector)',
    resourceRef('limit.memory'),
    `${INVALID}spec.containers[0].env[0].valueFrom.resourceFieldRef.resource: Unsupported value: "limit.memory": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"`,
  ],
  [
    'env resourceFieldRef with a cpu divisor other than 1m or 1 (the error shows the resource)',
    resourceRef('limits.cpu', '2'),
    `${INVALID}spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor's values 1m and 1 are supported with the cpu resource`,
  ],
  [
    'env resourceFieldRef with a memory divisor that is not a power of the units',
    resourceRef('requests.memory', '3Ki'),
    `${INVALID}spec.containers[0].env[0].valueFrom.resourceFieldRef.divisor: Invalid value: "requests.memory": only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the memory resource`,
  ],
  [
    'env fieldRef to a field the Downward API does not know (validateObjectFieldSelector)',
    fieldRef('status.podIp'),
    `${INVALID}spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "status.podIp": error converting fieldPath: field label not supported: status.podIp`,
  ],
  [
    'env fieldRef to a Pod field env vars may not read',
    fieldRef('status.phase'),
    `${INVALID}spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: ${ENV_FIELDS}`,
  ],
  [
    'env fieldRef with a subscript on a plain field',
    fieldRef("spec.nodeName['x']"),
    `${INVALID}spec.containers[0].env[0].valueFrom.fieldRef.fieldPath: Invalid value: "spec.nodeName['x']": error converting fieldPath: field label does not support subscript: spec.nodeName['x']`,
  ],
  [
    'restartPolicy on a regular container',
    pod({ container: '      restartPolicy: Always' }),
    `${INVALID}spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers`,
  ],
  [
    'readiness probe on a plain init container',
    pod({
      init: '    - name: init\n      image: busybox\n      readinessProbe:\n        exec:\n          command: [cat, /tmp/ok]',
    }),
    `${INVALID}spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always`,
  ],
  [
    'lifecycle on a plain init container',
    pod({
      init: '    - name: init\n      image: busybox\n      lifecycle:\n        postStart:\n          exec:\n            command: [cat, /tmp/ok]',
    }),
    `${INVALID}spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always`,
  ],
  [
    'init restartPolicy other than Always',
    pod({ init: '    - name: init\n      image: busybox\n      restartPolicy: OnFailure' }),
    `${INVALID}spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"`,
  ],
  [
    'pod restartPolicy typo',
    pod({ spec: '  restartPolicy: always' }),
    `${INVALID}spec.restartPolicy: Unsupported value: "always": supported values: "Always", "OnFailure", "Never"`,
  ],
  [
    'probe with exec and httpGet',
    pod({
      container:
        '      livenessProbe:\n        exec:\n          command: [cat, /tmp/ok]\n        httpGet:\n          port: 80',
    }),
    `${INVALID}spec.containers[0].livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type`,
  ],
  [
    'probe with httpGet and tcpSocket',
    pod({
      container:
        '      readinessProbe:\n        tcpSocket:\n          port: 80\n        httpGet:\n          port: 80',
    }),
    `${INVALID}spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type`,
  ],
  [
    'probe without handler',
    pod({ container: '      livenessProbe:\n        periodSeconds: 5' }),
    `${INVALID}spec.containers[0].livenessProbe: Required value: must specify a handler type`,
  ],
  [
    'postStart without handler',
    pod({ container: '      lifecycle:\n        postStart: {}' }),
    `${INVALID}spec.containers[0].lifecycle.postStart: Required value: must specify a handler type`,
  ],
  [
    'liveness successThreshold 2',
    pod({
      container:
        '      livenessProbe:\n        exec:\n          command: [cat, /tmp/ok]\n        successThreshold: 2',
    }),
    `${INVALID}spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1`,
  ],
  [
    'startup successThreshold 3',
    pod({
      container:
        '      startupProbe:\n        exec:\n          command: [cat, /tmp/ok]\n        successThreshold: 3',
    }),
    `${INVALID}spec.containers[0].startupProbe.successThreshold: Invalid value: 3: must be 1`,
  ],
  [
    'readiness terminationGracePeriodSeconds',
    pod({
      container:
        '      readinessProbe:\n        exec:\n          command: [cat, /tmp/ok]\n        terminationGracePeriodSeconds: 5',
    }),
    `${INVALID}spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes`,
  ],
  [
    'negative periodSeconds',
    pod({
      container:
        '      readinessProbe:\n        exec:\n          command: [cat, /tmp/ok]\n        periodSeconds: -1',
    }),
    `${INVALID}spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0`,
  ],
  [
    'liveness probe terminationGracePeriodSeconds 0',
    pod({
      container:
        '      livenessProbe:\n        exec:\n          command: [cat, /tmp/ok]\n        terminationGracePeriodSeconds: 0',
    }),
    `${INVALID}spec.containers[0].livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0`,
  ],
  [
    'exec with empty command',
    pod({ container: '      livenessProbe:\n        exec:\n          command: []' }),
    `${INVALID}spec.containers[0].livenessProbe.exec.command: Required value`,
  ],
  [
    'httpGet without port',
    pod({ container: '      readinessProbe:\n        httpGet:\n          path: /' }),
    `${INVALID}spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive`,
  ],
  [
    'httpGet with a bad port name',
    pod({ container: '      readinessProbe:\n        httpGet:\n          port: HTTP' }),
    [
      INVALID,
      '* spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      '* spec.containers[0].readinessProbe.httpGet.port: Invalid value: "HTTP": must contain at least one letter (a-z)',
    ].join('\n'),
  ],
  [
    'httpGet scheme typo',
    pod({ container: '      readinessProbe:\n        httpGet:\n          port: 80\n          scheme: http' }),
    `${INVALID}spec.containers[0].readinessProbe.httpGet.scheme: Unsupported value: "http": supported values: "HTTP", "HTTPS"`,
  ],
  [
    'tcpSocket port out of range',
    pod({ container: '      livenessProbe:\n        tcpSocket:\n          port: 70000' }),
    `${INVALID}spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: 70000: must be between 1 and 65535, inclusive`,
  ],
  [
    'preStop sleep longer than the grace period',
    pod({ container: '      lifecycle:\n        preStop:\n          sleep:\n            seconds: 40' }),
    `${INVALID}spec.containers[0].lifecycle.preStop.sleep: Invalid value: 40: must be non-negative and less than terminationGracePeriodSeconds (30)`,
  ],
  [
    'missing image',
    pod().replace('      image: nginx:1.17.10-alpine\n', ''),
    `${INVALID}spec.containers[0].image: Required value`,
  ],
  [
    'image with trailing space',
    pod().replace('image: nginx:1.17.10-alpine', "image: 'nginx '"),
    `${INVALID}spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace`,
  ],
  [
    'missing container name',
    pod().replace('    - name: web\n      image', '    - image'),
    `${INVALID}spec.containers[0].name: Required value`,
  ],
  [
    'no containers',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers: []\n',
    `${INVALID}spec.containers: Required value`,
  ],
  [
    'no spec at all',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n',
    `${INVALID}spec.containers: Required value`,
  ],
  [
    'duplicate container name',
    pod({ container: '    - name: web\n      image: busybox' }),
    `${INVALID}spec.containers[1].name: Duplicate value: "web"`,
  ],
  [
    'init container named like a container',
    pod({ init: '    - name: web\n      image: busybox' }),
    `${INVALID}spec.initContainers[0].name: Duplicate value: "web"`,
  ],
  [
    'container name with capitals',
    pod().replace('- name: web', '- name: Web'),
    `${INVALID}spec.containers[0].name: Invalid value: "Web": ${LABEL_MSG}`,
  ],
  [
    'container name with a dot',
    pod().replace('- name: web', '- name: web.1'),
    `${INVALID}spec.containers[0].name: Invalid value: "web.1": must not contain dots`,
  ],
  [
    'containerPort out of range',
    pod({ container: '      ports:\n        - containerPort: 70000' }),
    `${INVALID}spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
  ],
  [
    'containerPort missing',
    pod({ container: '      ports:\n        - name: http' }),
    `${INVALID}spec.containers[0].ports[0].containerPort: Required value`,
  ],
  [
    'duplicate port names',
    pod({
      container:
        '      ports:\n        - containerPort: 80\n          name: http\n        - containerPort: 81\n          name: http',
    }),
    `${INVALID}spec.containers[0].ports[1].name: Duplicate value: "http"`,
  ],
  [
    'port protocol typo',
    pod({ container: '      ports:\n        - containerPort: 80\n          protocol: tcp' }),
    `${INVALID}spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"`,
  ],
  [
    'imagePullPolicy typo',
    pod({ container: '      imagePullPolicy: ifNotPresent' }),
    `${INVALID}spec.containers[0].imagePullPolicy: Unsupported value: "ifNotPresent": supported values: "Always", "IfNotPresent", "Never"`,
  ],
  [
    'env without name',
    pod({ container: '      env:\n        - value: x' }),
    `${INVALID}spec.containers[0].env[0].name: Required value`,
  ],
  [
    'volumeMount of an unknown volume',
    pod({ container: '      volumeMounts:\n        - name: data\n          mountPath: /data' }),
    `${INVALID}spec.containers[0].volumeMounts[0].name: Not found: "data"`,
  ],
  [
    'pod name with capitals',
    pod({ name: 'Web' }),
    `The Pod "Web" is invalid: metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}`,
  ],
  [
    'label value with a space',
    pod({ meta: '  labels:\n    app: my app' }),
    `${INVALID}metadata.labels: Invalid value: "my app": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
  ],
  [
    'label key with a space',
    pod({ meta: '  labels:\n    "my app": x' }),
    `${INVALID}metadata.labels: Invalid value: "my app": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
  ],
  [
    'dnsPolicy typo',
    pod({ spec: '  dnsPolicy: clusterFirst' }),
    `${INVALID}spec.dnsPolicy: Unsupported value: "clusterFirst": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"`,
  ],
  [
    'activeDeadlineSeconds 0',
    pod({ spec: '  activeDeadlineSeconds: 0' }),
    `${INVALID}spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive`,
  ],
  [
    'terminationMessagePolicy typo',
    pod({ container: '      terminationMessagePolicy: file' }),
    `${INVALID}spec.containers[0].terminationMessagePolicy: Unsupported value: "file": supported values: "File", "FallbackToLogsOnError"`,
  ],
];

describe('Pod validation: exact kubectl text', () => {
  it.each(podCases)('%s', (_name, yaml, expected) => {
    expect(rejection(yaml)).toBe(expected);
  });
});

describe('Pod validation: order and rendering', () => {
  it('renders several causes as kubectl does, containers before initContainers', () => {
    const text = pod({
      container: '      restartPolicy: Always',
      init: '    - name: init\n      livenessProbe:\n        exec:\n          command: [cat, /tmp/ok]',
    }).replace('- name: web\n      image: nginx:1.17.10-alpine', '- name: web');
    expect(rejection(text)).toBe(
      [
        'The Pod "web" is invalid: ',
        '* spec.containers[0].image: Required value',
        '* spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers',
        '* spec.initContainers[0].image: Required value',
        '* spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
      ].join('\n'),
    );
  });

  it('each cause carries its field and the position of its key', () => {
    const text = pod({
      container: '      restartPolicy: Always\n      livenessProbe:\n        periodSeconds: 3',
    });
    const r = load(text);
    expect(r.errors.map((e) => [e.field, e.line, e.column])).toEqual([
      ['spec.containers[0].livenessProbe', 10, 7],
      ['spec.containers[0].restartPolicy', 9, 7],
    ]);
    expect(r.errors[0]!.message).toBe(
      'The Pod "web" is invalid: spec.containers[0].livenessProbe: Required value: must specify a handler type',
    );
    expect(r.errors[0]!.file).toBe('x.yaml');
  });

  it('accepts a sidecar (init container with restartPolicy Always) with probes and validates them', () => {
    const ok = pod({
      init: '    - name: proxy\n      image: busybox\n      restartPolicy: Always\n      readinessProbe:\n        tcpSocket:\n          port: 8080',
    });
    expect(load(ok).rejected).toEqual([]);
    const bad = pod({
      init: '    - name: proxy\n      image: busybox\n      restartPolicy: Always\n      livenessProbe:\n        tcpSocket:\n          port: 8080\n        successThreshold: 2',
    });
    expect(rejection(bad)).toBe(
      `${INVALID}spec.initContainers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1`,
    );
  });

  it('accepts tcpSocket as a lifecycle handler with a warning (deprecated, not run)', () => {
    const r = load(
      pod({ container: '      lifecycle:\n        preStop:\n          tcpSocket:\n            port: 80' }),
    );
    expect(r.rejected).toEqual([]);
    expect(r.warnings.map((w) => w.field)).toEqual(['spec.containers[0].lifecycle.preStop.tcpSocket']);
  });

  it('a missing name: apply reads the live object first; create validates', () => {
    const text = pod().replace('  name: web\n', '  labels: {app: web}\n');
    expect(load(text).rejected[0]!.text).toBe(
      [
        'error: error when retrieving current configuration of:',
        'Resource: "/v1, Resource=pods", GroupVersionKind: "/v1, Kind=Pod"',
        'Name: "", Namespace: "default"',
        'from server for: "x.yaml": resource name may not be empty',
      ].join('\n'),
    );
    expect(load(text, 'create').rejected[0]!.text).toBe(
      'The Pod "" is invalid: metadata.name: Required value: name or generateName is required',
    );
  });
});

const SVC = 'The Service "web" is invalid: ';
function service(spec: string, name = 'web'): string {
  return `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n${spec}\n`;
}

const serviceCases: [string, string, string][] = [
  ['no ports', service('  selector:\n    app: web'), `${SVC}spec.ports: Required value`],
  [
    'port missing',
    service('  ports:\n    - targetPort: 80'),
    `${SVC}spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`,
  ],
  [
    'port and targetPort missing',
    service('  ports:\n    - protocol: TCP'),
    [
      SVC,
      '* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      '* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
    ].join('\n'),
  ],
  [
    'two ports without names',
    service('  ports:\n    - port: 80\n    - port: 81'),
    [
      'The Service "web" is invalid: ',
      '* spec.ports[0].name: Required value',
      '* spec.ports[1].name: Required value',
    ].join('\n'),
  ],
  [
    'duplicate port names',
    service('  ports:\n    - port: 80\n      name: http\n    - port: 81\n      name: http'),
    `${SVC}spec.ports[1].name: Duplicate value: "http"`,
  ],
  [
    'port out of range',
    service('  ports:\n    - port: 70000\n      targetPort: 80'),
    `${SVC}spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive`,
  ],
  [
    'type typo',
    service('  type: clusterIP\n  ports:\n    - port: 80'),
    `${SVC}spec.type: Unsupported value: "clusterIP": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`,
  ],
  [
    'nodePort on ClusterIP',
    service('  ports:\n    - port: 80\n      nodePort: 30080'),
    `${SVC}spec.ports[0].nodePort: Forbidden: may not be used when \`type\` is 'ClusterIP'`,
  ],
  [
    'name that is not a DNS-1035 label',
    service('  ports:\n    - port: 80', '1web'),
    `The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
  ],
  [
    'selector value with a slash',
    service('  selector:\n    app: a/b\n  ports:\n    - port: 80'),
    `${SVC}spec.selector: Invalid value: "a/b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
  ],
];

describe('Service validation: exact kubectl text', () => {
  it.each(serviceCases)('%s', (_name, yaml, expected) => {
    expect(rejection(yaml)).toBe(expected);
  });

  it('accepts a headless Service without ports', () => {
    expect(load(service('  clusterIP: None\n  selector:\n    app: web')).rejected).toEqual([]);
  });
});

describe('generateName', () => {
  it('create names the object deterministically (5 characters of the generator alphabet)', () => {
    const text = pod().replace('  name: web\n', '  generateName: job-\n');
    const a = load(text, 'create');
    expect(a.rejected).toEqual([]);
    expect(a.objects[0]!.name).toMatch(/^job-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(load(text, 'create').objects[0]!.name).toBe(a.objects[0]!.name);
    expect((a.objects[0]!.raw.metadata as { name: string }).name).toBe(a.objects[0]!.name);
  });

  it('apply refuses generateName', () => {
    const text = pod().replace('  name: web\n', '  generateName: job-\n');
    expect(load(text).rejected[0]!.text).toBe('error: from job-: cannot use generate name with apply');
  });
});

describe('API warnings on accepted Pods (kubectl prints "Warning: ...")', () => {
  it.each([
    [
      'a duplicate env name',
      pod({
        container:
          '      env:\n        - name: A\n          value: "1"\n        - name: A\n          value: "2"',
      }),
      'spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply',
      12,
    ],
    [
      'the same port in two containers',
      pod({
        container:
          '      ports:\n        - containerPort: 80\n    - name: side\n      image: busybox\n      ports:\n        - containerPort: 80',
      }),
      'spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]',
      14,
    ],
    [
      'a negative grace period',
      pod({ spec: '  terminationGracePeriodSeconds: -5' }),
      'spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1',
      9,
    ],
  ])('%s', (_name, text, message, line) => {
    const r = load(text);
    expect(r.rejected).toEqual([]);
    expect(r.warnings.map((w) => [w.message, w.line])).toEqual([[message, line]]);
  });
});

describe('container resources', () => {
  it.each([
    [
      'requests above limits (canonical quantities)',
      '      resources:\n        limits: {cpu: 500m, memory: 1Gi}\n        requests: {cpu: "1", memory: 1536Mi}',
      [
        INVALID,
        '* spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m',
        '* spec.containers[0].resources.requests: Invalid value: "1536Mi": must be less than or equal to memory limit of 1Gi',
      ].join('\n'),
    ],
    [
      'a misspelt resource name',
      '      resources:\n        limits: {memroy: 128Mi}',
      [
        INVALID,
        '* spec.containers[0].resources.limits[memroy]: Invalid value: "memroy": must be a standard resource type or fully qualified',
        '* spec.containers[0].resources.limits[memroy]: Invalid value: "memroy": must be a standard resource for containers',
        // Defaulting copied the limit into requests before validation.
        '* spec.containers[0].resources.requests[memroy]: Invalid value: "memroy": must be a standard resource type or fully qualified',
        '* spec.containers[0].resources.requests[memroy]: Invalid value: "memroy": must be a standard resource for containers',
      ].join('\n'),
    ],
    [
      'a negative request',
      '      resources:\n        requests: {cpu: -0.5}',
      `${INVALID}spec.containers[0].resources.requests[cpu]: Invalid value: "-500m": must be greater than or equal to 0`,
    ],
  ])('%s', (_name, container, expected) => {
    expect(rejection(pod({ container }))).toBe(expected);
  });

  it('positions a keyed field at its key', () => {
    const r = load(pod({ container: '      resources:\n        limits:\n          memroy: 128Mi' }));
    // The defaulted requests are not in the file: their errors point at `resources`.
    expect(r.errors.map((e) => [e.line, e.column])).toEqual([
      [11, 11],
      [11, 11],
      [9, 7],
      [9, 7],
    ]);
  });

  it('accepts requests equal to or below limits, and numbers', () => {
    expect(
      load(
        pod({
          container:
            '      resources:\n        limits: {cpu: 1, memory: 1Gi}\n        requests: {cpu: 0.5, memory: 1024Mi}',
        }),
      ).rejected,
    ).toEqual([]);
  });
});
