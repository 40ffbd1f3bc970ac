/**
 * Container rows of TestValidateContainers, TestValidateInitContainers, TestValidateProbe,
 * TestValidateHandler, TestValidatePorts, TestValidateEnv and TestValidateEnvFrom
 * (k/k pkg/apis/core/validation/validation_test.go, release-1.33), each in a Pod named "123"
 * whose container `ctr` gets the fields of the row (after podlab's API defaulting, as the API
 * server validates it: probe thresholds, pull policy, termination message policy and
 * protocols are filled in first).
 *
 * Case names were checked against upstream's tables (TestValidatePorts, TestValidateEnv,
 * TestRelaxedValidateEnv, TestValidateEnvFrom, TestValidateContainers errorCases,
 * TestValidateInitContainers errorCases; TestValidateProbe/TestValidateHandler cases are
 * unnamed upstream and are named by list index). Rows describing a rule have no upstream row.
 * Skipped, and why: rows whose input the defaulter replaces before
 * validation (e.g. "zero timeoutSeconds" becomes 1, an empty pull policy becomes
 * IfNotPresent); rows for gates off in 1.33; resize-policy rows (in-place resize is not
 * simulated); hugepages and extended-resource rows beyond one each.
 */
import { describe } from 'vitest';
import { podWithContainer as c, pod, type Row, rows } from './harness.ts';

const Cp = 'spec.containers[0]';
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const P = (c: string) => `TestValidatePorts/"${c}"`;

const ports: Row[] = [
  [
    'TestValidatePorts: successCase',
    c({
      ports: [
        { name: 'abc', containerPort: 80, hostPort: 80, protocol: 'TCP' },
        { name: 'easy', containerPort: 82, protocol: 'TCP' },
        { name: 'as', containerPort: 83, protocol: 'UDP' },
        { name: 'do-re-me', containerPort: 84, protocol: 'SCTP' },
        { containerPort: 85, protocol: 'TCP' },
      ],
    }),
    [],
  ],
  [
    P('name > 15 characters'),
    c({ ports: [{ name: 'a'.repeat(16), containerPort: 80 }] }),
    [`${Cp}.ports[0].name: Invalid value: "${'a'.repeat(16)}": must be no more than 15 characters`],
  ],
  [
    P('name contains invalid characters'),
    c({ ports: [{ name: 'a.b.c', containerPort: 80 }] }),
    [
      `${Cp}.ports[0].name: Invalid value: "a.b.c": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
    ],
  ],
  [
    P('name is a number'),
    c({ ports: [{ name: '80', containerPort: 80 }] }),
    [`${Cp}.ports[0].name: Invalid value: "80": must contain at least one letter (a-z)`],
  ],
  [
    P('name not unique'),
    c({
      ports: [
        { name: 'abc', containerPort: 80 },
        { name: 'abc', containerPort: 81 },
      ],
    }),
    [`${Cp}.ports[1].name: Duplicate value: "abc"`],
  ],
  [
    P('zero container port'),
    c({ ports: [{ containerPort: 0 }] }),
    [`${Cp}.ports[0].containerPort: Required value`],
  ],
  [
    P('invalid container port'),
    c({ ports: [{ containerPort: 65536 }] }),
    [`${Cp}.ports[0].containerPort: Invalid value: 65536: must be between 1 and 65535, inclusive`],
  ],
  [
    P('invalid host port'),
    c({ ports: [{ containerPort: 80, hostPort: 65536 }] }),
    [`${Cp}.ports[0].hostPort: Invalid value: 65536: must be between 1 and 65535, inclusive`],
  ],
  [
    P('invalid protocol case'),
    c({ ports: [{ containerPort: 80, protocol: 'tcp' }] }),
    [`${Cp}.ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"`],
  ],
  [
    P('invalid protocol'),
    c({ ports: [{ containerPort: 80, protocol: 'ICMP' }] }),
    [`${Cp}.ports[0].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"`],
  ],
  // upstream validates the internal object; SetDefaults_ContainerPort (v1/defaults.go) fills TCP
  [`${P('protocol required')} is defaulted to TCP`, c({ ports: [{ name: 'abc', containerPort: 80 }] }), []],
];

const E = (c: string) => `TestValidateEnv/"${c}"`;
const env = (vars: unknown[]) => c({ env: vars });
const envRows: Row[] = [
  [
    'TestValidateEnv: successCase',
    env([
      { name: 'abc', value: 'value' },
      { name: 'ABC', value: 'value' },
      { name: 'AbC_123', value: 'value' },
      { name: 'abc', value: '' },
      { name: 'a.b.c', value: 'value' },
      { name: 'a-b-c', value: 'value' },
    ]),
    [],
  ],
  [E('zero-length name'), env([{ name: '' }]), [`${Cp}.env[0].name: Required value`]],
  [
    'TestRelaxedValidateEnv/"illegal character" (RelaxedEnvironmentVariableValidation, beta and on in 1.33)',
    env([{ name: '=abc' }]),
    [
      `${Cp}.env[0].name: Invalid value: "=abc": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    ],
  ],
  [
    'TestRelaxedValidateEnv: successCase (names TestValidateEnv/"invalid name a".."d" refuse without the gate)',
    env([
      { name: '!"#$%&\'()', value: 'value' },
      { name: '* +,-./0123456789', value: 'value' },
      { name: ':;<>?@', value: 'value' },
      { name: '[\\]^_`{}|~', value: 'value' },
    ]),
    [],
  ],
  ['env name starting with a digit (relaxed names)', env([{ name: '1abc', value: 'x' }]), []],
  [
    E('valueFrom.fieldRef and valueFrom.configMapKeyRef set'),
    env([
      {
        name: 'some_var_name',
        valueFrom: {
          fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' },
          configMapKeyRef: { name: 'some-config-map', key: 'some-key' },
        },
      },
    ]),
    [`${Cp}.env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time`],
  ],
  [
    E('missing FieldPath on ObjectFieldSelector'),
    env([{ name: 'abc', valueFrom: { fieldRef: { apiVersion: 'v1' } } }]),
    [`${Cp}.env[0].valueFrom.fieldRef.fieldPath: Required value`],
  ],
  [
    // SetDefaults_ObjectFieldSelector (v1/defaults.go) fills apiVersion v1 before validation
    `${E('missing APIVersion on ObjectFieldSelector')} is defaulted to v1`,
    env([{ name: 'abc', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }]),
    [],
  ],
  [
    E('invalid fieldPath'),
    env([{ name: 'abc', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.whoops' } } }]),
    [
      `${Cp}.env[0].valueFrom.fieldRef.fieldPath: Invalid value: "metadata.whoops": error converting fieldPath: field label not supported: metadata.whoops`,
    ],
  ],
  [
    E('metadata.labels without subscript'),
    env([{ name: 'labels', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } } }]),
    [
      `${Cp}.env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"`,
    ],
  ],
  [
    E('metadata.annotations with invalid key'),
    env([
      {
        name: 'abc',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.annotations['invalid~key']" } },
      },
    ]),
    [
      `${Cp}.env[0].valueFrom.fieldRef: Invalid value: "invalid~key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ],
  ],
  [
    E('value and valueFrom specified'),
    env([
      {
        name: 'abc',
        value: 'foo',
        valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } },
      },
    ]),
    [`${Cp}.env[0].valueFrom: Invalid value: "": may not be specified when \`value\` is not empty`],
  ],
  [
    E('valueFrom without a source'),
    env([{ name: 'abc', valueFrom: {} }]),
    [
      `${Cp}.env[0].valueFrom: Invalid value: "": must specify one of: \`fieldRef\`, \`resourceFieldRef\`, \`configMapKeyRef\` or \`secretKeyRef\``,
    ],
  ],
  [
    E('valueFrom.fieldRef and valueFrom.secretKeyRef specified'),
    env([
      {
        name: 'abc',
        valueFrom: {
          fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' },
          secretKeyRef: { name: 'a-secret', key: 'a-key' },
        },
      },
    ]),
    [`${Cp}.env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time`],
  ],
  [
    E('valueFrom.secretKeyRef.name invalid'),
    env([{ name: 'abc', valueFrom: { secretKeyRef: { name: '$%^&*#', key: 'a-key' } } }]),
    [`${Cp}.env[0].valueFrom.secretKeyRef.name: Invalid value: "$%^&*#": ${SUBDOMAIN}`],
  ],
  [
    E('valueFrom.configMapKeyRef.name invalid'),
    env([{ name: 'abc', valueFrom: { configMapKeyRef: { name: '$%^&*#', key: 'some-key' } } }]),
    [`${Cp}.env[0].valueFrom.configMapKeyRef.name: Invalid value: "$%^&*#": ${SUBDOMAIN}`],
  ],
  [
    'configMapKeyRef without key (validateConfigMapKeySelector)',
    env([{ name: 'abc', valueFrom: { configMapKeyRef: { name: 'cm' } } }]),
    [`${Cp}.env[0].valueFrom.configMapKeyRef.key: Required value`],
  ],
  [
    'secretKeyRef with a key starting with .. (validateSecretKeySelector)',
    env([{ name: 'abc', valueFrom: { secretKeyRef: { name: 's', key: '..x' } } }]),
    [`${Cp}.env[0].valueFrom.secretKeyRef.key: Invalid value: "..x": must not start with '..'`],
  ],
  [
    E('metadata.name with subscript'),
    env([
      { name: 'labels', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.name['key']" } } },
    ]),
    [
      `${Cp}.env[0].valueFrom.fieldRef.fieldPath: Invalid value: "metadata.name['key']": error converting fieldPath: field label does not support subscript: metadata.name['key']`,
    ],
  ],
  [
    E('unsupported fieldPath'),
    env([{ name: 'abc', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.phase' } } }]),
    [
      `${Cp}.env[0].valueFrom.fieldRef.fieldPath: Unsupported value: "status.phase": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"`,
    ],
  ],
  [
    'TestValidateEnvFrom/"zero-length name" (configMapRef)',
    c({ envFrom: [{ configMapRef: { name: '' } }] }),
    [`${Cp}.envFrom[0].configMapRef.name: Required value`],
  ],
  [
    'TestValidateEnvFrom/"no refs"',
    c({ envFrom: [{}] }),
    [`${Cp}.envFrom: Invalid value: "": must specify one of: \`configMapRef\` or \`secretRef\``],
  ],
  [
    'TestValidateEnvFrom/"invalid secret ref name"',
    c({ envFrom: [{ secretRef: { name: '$%^&*#' } }] }),
    [`${Cp}.envFrom[0].secretRef.name: Invalid value: "$%^&*#": ${SUBDOMAIN}`],
  ],
  [
    'TestValidateEnvFrom/"invalid config ref name"',
    c({ envFrom: [{ configMapRef: { name: '$%^&*#' } }] }),
    [`${Cp}.envFrom[0].configMapRef.name: Invalid value: "$%^&*#": ${SUBDOMAIN}`],
  ],
  [
    'TestValidateEnvFrom: successCase',
    c({
      envFrom: [
        { configMapRef: { name: 'abc' } },
        { prefix: 'pre_', configMapRef: { name: 'abc' } },
        { prefix: 'a.b', configMapRef: { name: 'abc' } },
        { secretRef: { name: 'abc' } },
        { prefix: 'pre_', secretRef: { name: 'abc' } },
        { prefix: 'a.b', secretRef: { name: 'abc' } },
      ],
    }),
    [],
  ],
  [
    'TestValidateEnvFrom/"multiple refs"',
    c({ envFrom: [{ configMapRef: { name: 'abc' }, secretRef: { name: 'abc' } }] }),
    [`${Cp}.envFrom: Invalid value: "": may not have more than one field specified at a time`],
  ],
  [
    'envFrom configMapRef name with a trailing dash (a valid subdomain prefix)',
    c({ envFrom: [{ configMapRef: { name: 'abc-' } }] }),
    [],
  ],
];

const probe = (p: Record<string, unknown>) => c({ livenessProbe: p });
// TestValidateHandler and TestValidateProbe list unnamed cases: rows name them by list and index
// (Test_validateProbe's table is unnamed too).
const H = (c: string) => `TestValidateHandler: ${c}`;
const probes: Row[] = [
  ['TestValidateProbe: successCases (exec echo)', probe({ exec: { command: ['true'] } }), []],
  [
    'Test_validateProbe[0]: a probe without a handler',
    probe({ initialDelaySeconds: 1 }),
    [`${Cp}.livenessProbe: Required value: must specify a handler type`],
  ],
  [
    'Test_validateProbe[2]: initialDelaySeconds -1 (ValidateNonnegativeField)',
    probe({ exec: { command: ['true'] }, initialDelaySeconds: -1 }),
    [`${Cp}.livenessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0`],
  ],
  [
    'validateHandler: more than one handler (exec then httpGet, the second is refused unvalidated; no upstream row)',
    probe({ exec: { command: ['true'] }, httpGet: { port: 0 } }),
    [`${Cp}.livenessProbe.httpGet: Forbidden: may not specify more than 1 handler type`],
  ],
  [
    'validateHandler: three handlers, each extra one refused in field order (issue 16; no upstream row)',
    probe({ httpGet: { path: '/', port: 80 }, tcpSocket: { port: 80 }, grpc: { port: 9000 } }),
    [
      `${Cp}.livenessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type`,
      `${Cp}.livenessProbe.grpc: Forbidden: may not specify more than 1 handler type`,
    ],
  ],
  [H('successCases[0]'), probe({ exec: { command: ['echo'] } }), []],
  [H('successCases[1]'), probe({ httpGet: { path: '/', port: 1, host: '', scheme: 'HTTP' } }), []],
  [H('successCases[3]'), probe({ httpGet: { path: '/', port: 'port', host: '', scheme: 'HTTP' } }), []],
  [H('successCases[2]'), probe({ httpGet: { path: '/foo', port: 65535, host: 'host', scheme: 'HTTP' } }), []],
  [
    H('successCases[4] and [5] (headers)'),
    probe({
      httpGet: {
        path: '/',
        port: 1,
        httpHeaders: [
          { name: 'Host', value: 'foo.example.com' },
          { name: 'X-Forwarded-For', value: '1.2.3.4' },
        ],
      },
    }),
    [],
  ],
  [
    H('errorCases[1]'),
    probe({ exec: { command: [] } }),
    [`${Cp}.livenessProbe.exec.command: Required value`],
  ],
  [
    `${H('errorCases[2]')} (an empty path is defaulted to / first)`,
    probe({ httpGet: { path: '', port: 0, scheme: 'HTTP' } }),
    [`${Cp}.livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive`],
  ],
  [
    'httpGet named port longer than 15 characters (IsValidPortName)',
    probe({ httpGet: { path: '/foo', port: 'a'.repeat(16), scheme: 'HTTP' } }),
    [
      `${Cp}.livenessProbe.httpGet.port: Invalid value: "${'a'.repeat(16)}": must be no more than 15 characters`,
    ],
  ],
  [
    'httpGet scheme other than HTTP/HTTPS',
    probe({ httpGet: { path: '/', port: 80, scheme: 'HTTPX' } }),
    [`${Cp}.livenessProbe.httpGet.scheme: Unsupported value: "HTTPX": supported values: "HTTP", "HTTPS"`],
  ],
  [
    H('errorCases[5]'),
    probe({
      httpGet: { path: '/', port: 'port', httpHeaders: [{ name: 'Host:', value: 'foo.example.com' }] },
    }),
    [
      `${Cp}.livenessProbe.httpGet.httpHeaders: Invalid value: "Host:": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')`,
    ],
  ],
  [
    H('errorCases[6]'),
    probe({
      httpGet: {
        path: '/',
        port: 'port',
        httpHeaders: [{ name: 'X_Forwarded_For', value: 'foo.example.com' }],
      },
    }),
    [
      `${Cp}.livenessProbe.httpGet.httpHeaders: Invalid value: "X_Forwarded_For": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')`,
    ],
  ],
  [
    H('errorCases[3]'),
    probe({ httpGet: { path: '/foo', port: 65536, host: 'host' } }),
    [`${Cp}.livenessProbe.httpGet.port: Invalid value: 65536: must be between 1 and 65535, inclusive`],
  ],
  [
    H('errorCases[4]'),
    probe({ httpGet: { path: '', port: '', host: '' } }),
    [
      `${Cp}.livenessProbe.httpGet.port: Invalid value: "": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
      `${Cp}.livenessProbe.httpGet.port: Invalid value: "": must contain at least one letter (a-z)`,
    ],
  ],
  [
    'TestValidateContainers/"invalid liveness probe, no tcp socket port."',
    probe({ tcpSocket: { port: 0 } }),
    [`${Cp}.livenessProbe.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive`],
  ],
  [
    'TestValidateContainers/"invalid liveness probe, successThreshold != 1"',
    probe({ exec: { command: ['true'] }, successThreshold: 2 }),
    [`${Cp}.livenessProbe.successThreshold: Invalid value: 2: must be 1`],
  ],
  [
    'TestValidateContainers/"invalid readiness probe, terminationGracePeriodSeconds set."',
    c({ readinessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 10 } }),
    [
      `${Cp}.readinessProbe.terminationGracePeriodSeconds: Invalid value: 10: must not be set for readinessProbes`,
    ],
  ],
  [
    'probe terminationGracePeriodSeconds 0 (validateProbe: must be greater than 0)',
    probe({ exec: { command: ['true'] }, terminationGracePeriodSeconds: 0 }),
    [`${Cp}.livenessProbe.terminationGracePeriodSeconds: Invalid value: 0: must be greater than 0`],
  ],
  [
    'grpc probe port out of range (validateGRPCAction)',
    c({ startupProbe: { grpc: { port: 70000 } } }),
    [`${Cp}.startupProbe.grpc.port: Invalid value: 70000: must be between 1 and 65535, inclusive`],
  ],
  [
    'TestValidateContainers/"invalid lifecycle, no action."',
    c({ lifecycle: { preStop: {} } }),
    [`${Cp}.lifecycle.preStop: Required value: must specify a handler type`],
  ],
  [
    'TestValidateContainers/"invalid lifecycle, no exec command."',
    c({ lifecycle: { preStop: { exec: {} } } }),
    [`${Cp}.lifecycle.preStop.exec.command: Required value`],
  ],
  [
    'TestValidateContainers/"invalid lifecycle, no http path." is accepted through kubectl: SetDefaults_HTTPGetAction sets /',
    c({ lifecycle: { postStart: { httpGet: { port: 80 } } } }),
    [],
  ],
  [
    'TestValidateContainers/"invalid lifecycle, no http port."',
    c({ lifecycle: { postStart: { httpGet: { path: '/' } } } }),
    [`${Cp}.lifecycle.postStart.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive`],
  ],
  [
    'preStop sleep longer than the grace period (validateSleepAction; PodLifecycleSleepActionAllowZero on in 1.33)',
    c({ lifecycle: { preStop: { sleep: { seconds: 31 } } } }),
    [
      `${Cp}.lifecycle.preStop.sleep: Invalid value: 31: must be non-negative and less than terminationGracePeriodSeconds (30)`,
    ],
  ],
  [
    'TestValidateContainers: a zero sleep is valid in 1.33',
    c({ lifecycle: { preStop: { sleep: { seconds: 0 } } } }),
    [],
  ],
];

const T = (c: string) => `TestValidateContainers/"${c}"`;
const containers: Row[] = [
  [T('zero-length name'), c({ name: '' }), [`${Cp}.name: Required value`]],
  [
    T('name > 63 characters'),
    c({ name: 'a'.repeat(64) }),
    [`${Cp}.name: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
  ],
  [
    T('name not a DNS label'),
    c({ name: 'a.b.c' }),
    [`${Cp}.name: Invalid value: "a.b.c": must not contain dots`],
  ],
  [
    `${T('name not a DNS label')} (upper case)`,
    c({ name: 'NotALabel' }),
    [`${Cp}.name: Invalid value: "NotALabel": ${LABEL}`],
  ],
  [
    T('name not unique'),
    pod({
      containers: [
        { name: 'abc', image: 'image' },
        { name: 'abc', image: 'image' },
      ],
    }),
    ['spec.containers[1].name: Duplicate value: "abc"'],
  ],
  [T('zero-length image'), c({ image: '' }), [`${Cp}.image: Required value`]],
  [
    T('image with leading whitespace (validateContainerOnlyForPod)'),
    c({ image: ' image' }),
    [`${Cp}.image: Invalid value: " image": must not have leading or trailing whitespace`],
  ],
  [
    T('invalid image pull policy'),
    c({ imagePullPolicy: 'BadPullPolicy' }),
    [
      `${Cp}.imagePullPolicy: Unsupported value: "BadPullPolicy": supported values: "Always", "IfNotPresent", "Never"`,
    ],
  ],
  [
    T('invalid message termination policy'),
    c({ terminationMessagePolicy: 'Unknown' }),
    [
      `${Cp}.terminationMessagePolicy: Unsupported value: "Unknown": supported values: "File", "FallbackToLogsOnError"`,
    ],
  ],
  [
    T('Resource Requests CPU invalid'),
    c({ resources: { requests: { cpu: '-10' } } }),
    [`${Cp}.resources.requests[cpu]: Invalid value: "-10": must be greater than or equal to 0`],
  ],
  [
    T('Request limit simple invalid'),
    c({ resources: { limits: { cpu: '5' }, requests: { cpu: '6' } } }),
    [`${Cp}.resources.requests: Invalid value: "6": must be less than or equal to cpu limit of 5`],
  ],
  [
    T('Invalid storage limit request'),
    c({ resources: { limits: { 'attachable-volumes-aws-ebs': '10' } } }),
    // validateResourceName then validateContainerResourceName; the limit was copied to requests.
    [
      `${Cp}.resources.limits[attachable-volumes-aws-ebs]: Invalid value: "attachable-volumes-aws-ebs": must be a standard resource type or fully qualified`,
      `${Cp}.resources.limits[attachable-volumes-aws-ebs]: Invalid value: "attachable-volumes-aws-ebs": must be a standard resource for containers`,
      `${Cp}.resources.requests[attachable-volumes-aws-ebs]: Invalid value: "attachable-volumes-aws-ebs": must be a standard resource type or fully qualified`,
      `${Cp}.resources.requests[attachable-volumes-aws-ebs]: Invalid value: "attachable-volumes-aws-ebs": must be a standard resource for containers`,
    ],
  ],
  [
    T('invalid liveness probe, negative numbers'),
    c({
      livenessProbe: {
        tcpSocket: { port: 80 },
        initialDelaySeconds: -1,
        timeoutSeconds: -1,
        periodSeconds: -1,
        successThreshold: -1,
        failureThreshold: -1,
        terminationGracePeriodSeconds: -1,
      },
    }),
    [
      `${Cp}.livenessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.livenessProbe.timeoutSeconds: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.livenessProbe.successThreshold: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.livenessProbe.failureThreshold: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.livenessProbe.terminationGracePeriodSeconds: Invalid value: -1: must be greater than 0`,
      `${Cp}.livenessProbe.successThreshold: Invalid value: -1: must be 1`,
    ],
  ],
  [
    T('invalid readiness probe, negative numbers'),
    c({
      readinessProbe: {
        tcpSocket: { port: 80 },
        initialDelaySeconds: -1,
        timeoutSeconds: -1,
        periodSeconds: -1,
        successThreshold: -1,
        failureThreshold: -1,
        terminationGracePeriodSeconds: -1,
      },
    }),
    [
      `${Cp}.readinessProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.readinessProbe.timeoutSeconds: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.readinessProbe.successThreshold: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.readinessProbe.failureThreshold: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.readinessProbe.terminationGracePeriodSeconds: Invalid value: -1: must be greater than 0`,
      `${Cp}.readinessProbe.terminationGracePeriodSeconds: Invalid value: -1: must not be set for readinessProbes`,
    ],
  ],
  [
    T('invalid startup probe, negative numbers'),
    c({
      startupProbe: {
        tcpSocket: { port: 80 },
        initialDelaySeconds: -1,
        timeoutSeconds: -1,
        periodSeconds: -1,
        successThreshold: -1,
        failureThreshold: -1,
        terminationGracePeriodSeconds: -1,
      },
    }),
    [
      `${Cp}.startupProbe.initialDelaySeconds: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.startupProbe.timeoutSeconds: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.startupProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.startupProbe.successThreshold: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.startupProbe.failureThreshold: Invalid value: -1: must be greater than or equal to 0`,
      `${Cp}.startupProbe.terminationGracePeriodSeconds: Invalid value: -1: must be greater than 0`,
      `${Cp}.startupProbe.successThreshold: Invalid value: -1: must be 1`,
    ],
  ],
  [
    T('invalid liveness probe, no action.'),
    c({ livenessProbe: { successThreshold: 1 } }),
    [`${Cp}.livenessProbe: Required value: must specify a handler type`],
  ],
  [
    T('invalid startup probe, successThreshold != 1'),
    c({ startupProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } }),
    [`${Cp}.startupProbe.successThreshold: Invalid value: 2: must be 1`],
  ],
  [
    T('invalid lifecycle, no tcp socket port.'),
    c({ lifecycle: { preStop: { tcpSocket: {} } } }),
    [`${Cp}.lifecycle.preStop.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive`],
  ],
  [
    T('invalid lifecycle, zero tcp socket port.'),
    c({ lifecycle: { preStop: { tcpSocket: { port: 0 } } } }),
    [`${Cp}.lifecycle.preStop.tcpSocket.port: Invalid value: 0: must be between 1 and 65535, inclusive`],
  ],
  // SetDefaults_HTTPGetAction (v1/defaults.go) fills scheme HTTP before validation
  [
    `${T('invalid lifecycle, no http scheme.')} is defaulted to HTTP`,
    c({ lifecycle: { preStop: { httpGet: { path: '/', port: 80 } } } }),
    [],
  ],
  [
    T('Forbidden RestartPolicy: OnFailure'),
    c({ restartPolicy: 'OnFailure' }),
    [`${Cp}.restartPolicy: Forbidden: may not be set for non-init containers`],
  ],
  [
    T('Forbidden RestartPolicy: Always'),
    c({ restartPolicy: 'Always' }),
    [`${Cp}.restartPolicy: Forbidden: may not be set for non-init containers`],
  ],
  [
    T('unknown volume name'),
    c({ volumeMounts: [{ name: 'anything', mountPath: '/foo' }] }),
    [`${Cp}.volumeMounts[0].name: Not found: "anything"`],
  ],
  [
    'TestValidateVolumeMounts/"subpath in ../"',
    c(
      { volumeMounts: [{ name: 'v', mountPath: '/d', subPath: '../x' }] },
      { volumes: [{ name: 'v', emptyDir: {} }] },
    ),
    [`${Cp}.volumeMounts.subPath: Invalid value: "../x": must not contain '..'`],
  ],
  [
    'TestValidateVolumeMounts/"subpath and subpathexpr both set"',
    c(
      { volumeMounts: [{ name: 'v', mountPath: '/d', subPath: 'a', subPathExpr: '$(POD)' }] },
      { volumes: [{ name: 'v', emptyDir: {} }] },
    ),
    [
      `${Cp}.volumeMounts[0].subPathExpr: Invalid value: "$(POD)": subPathExpr and subPath are mutually exclusive`,
    ],
  ],
  [
    'TestValidateVolumeMounts/"Bidirectional mount propagation on a non-privileged container"',
    c(
      { volumeMounts: [{ name: 'v', mountPath: '/d', mountPropagation: 'Bidirectional' }] },
      { volumes: [{ name: 'v', emptyDir: {} }] },
    ),
    [
      `${Cp}.volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers`,
    ],
  ],
  [
    'TestValidateSecurityContext/"allowPrivilegeEscalation false with privileged" (the struct is printed as a stand-in, docs/deviations.md)',
    c({ securityContext: { privileged: true, allowPrivilegeEscalation: false } }),
    [
      `${Cp}.securityContext: Invalid value: &core.SecurityContext{…}: cannot set \`allowPrivilegeEscalation\` to false and \`privileged\` to true`,
    ],
  ],
];

const I = (c: string) => `TestValidateInitContainers/"${c}"`;
const init = (fields: Record<string, unknown>) =>
  pod({ initContainers: [{ name: 'init', image: 'image', ...fields }] });
const Ip = 'spec.initContainers[0]';
const initRows: Row[] = [
  [`${I('successCase')}: a plain init container`, init({}), []],
  [
    `${I('successCase')}: container-3-restart-always-with-lifecycle-hook-and-probes`,
    init({
      restartPolicy: 'Always',
      livenessProbe: { exec: { command: ['true'] } },
      readinessProbe: { tcpSocket: { port: 80 } },
      startupProbe: { httpGet: { path: '/', port: 80 } },
      lifecycle: { preStop: { exec: { command: ['x'] } } },
    }),
    [],
  ],
  [I('name collision with regular container'), init({ name: 'ctr' }), [`${Ip}.name: Duplicate value: "ctr"`]],
  [
    I('Not supported RestartPolicy: OnFailure'),
    init({ restartPolicy: 'OnFailure' }),
    [`${Ip}.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"`],
  ],
  [
    I('uses disallowed field: LivenessProbe'),
    init({ livenessProbe: { exec: { command: ['true'] } } }),
    [`${Ip}.livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always`],
  ],
  [
    I('uses disallowed field: Lifecycle'),
    init({ lifecycle: { preStop: { exec: { command: ['x'] } } } }),
    [`${Ip}.lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always`],
  ],
  [
    I('invalid liveness probe, successThreshold != 1'),
    init({ restartPolicy: 'Always', livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 } }),
    [`${Ip}.livenessProbe.successThreshold: Invalid value: 2: must be 1`],
  ],
  [
    I('invalid readiness probe, terminationGracePeriodSeconds set.'),
    init({
      restartPolicy: 'Always',
      readinessProbe: { exec: { command: ['true'] }, terminationGracePeriodSeconds: 5 },
    }),
    [
      `${Ip}.readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes`,
    ],
  ],
  [
    I('Not supported RestartPolicy: empty'),
    init({ restartPolicy: '' }),
    [`${Ip}.restartPolicy: Unsupported value: "": supported values: "Always"`],
  ],
  [
    I('invalid startup probe in restartable container, successThreshold != 1'),
    init({ restartPolicy: 'Always', startupProbe: { tcpSocket: { port: 80 }, successThreshold: 2 } }),
    [`${Ip}.startupProbe.successThreshold: Invalid value: 2: must be 1`],
  ],
  [
    I('uses disallowed field: ReadinessProbe'),
    init({ readinessProbe: { tcpSocket: { port: 80 } } }),
    [`${Ip}.readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always`],
  ],
  [
    I('Disallowed field with other errors should only return a single Forbidden'),
    init({
      startupProbe: {
        tcpSocket: { port: 80 },
        initialDelaySeconds: -1,
        timeoutSeconds: -1,
        periodSeconds: -1,
        successThreshold: -1,
        failureThreshold: -1,
        terminationGracePeriodSeconds: -1,
      },
    }),
    [`${Ip}.startupProbe: Forbidden: may not be set for init containers without restartPolicy=Always`],
  ],
  [
    I('duplicate ports'),
    init({
      name: 'abc',
      ports: [
        { containerPort: 8080, hostPort: 8080, protocol: 'TCP' },
        { containerPort: 8080, hostPort: 8080, protocol: 'TCP' },
      ],
    }),
    [`${Ip}.ports[1].hostPort: Duplicate value: "TCP//8080"`],
  ],
  [
    'init containers with the same hostPort are checked one at a time (each as initContainers[0])',
    pod({
      initContainers: [
        { name: 'a', image: 'i', ports: [{ containerPort: 80, hostPort: 8080 }] },
        { name: 'b', image: 'i', ports: [{ containerPort: 80, hostPort: 8080 }] },
      ],
    }),
    [],
  ],
  [
    'two ports of one init container on the same hostPort',
    pod({
      initContainers: [
        { name: 'a', image: 'i' },
        {
          name: 'b',
          image: 'i',
          ports: [
            { containerPort: 80, hostPort: 8080 },
            { containerPort: 81, hostPort: 8080 },
          ],
        },
      ],
    }),
    ['spec.initContainers[0].ports[1].hostPort: Duplicate value: "TCP//8080"'],
  ],
];

describe('TestValidatePorts', () => rows(ports));
describe('TestValidateEnv and TestValidateEnvFrom', () => rows(envRows));
describe('TestValidateProbe and TestValidateHandler', () => rows(probes));
describe('TestValidateContainers', () => rows(containers));
describe('TestValidateInitContainers', () => rows(initRows));
