/**
 * Container rows of TestValidateProbe, TestValidateHandler, TestValidatePorts, TestValidateEnv
 * and TestValidateEnvFrom; TestValidateContainers and TestValidateInitContainers are in
 * validate-containers-spec.test.ts. All from k/k pkg/apis/core/validation/validation_test.go
 * (release-1.33), each in a Pod named "123" whose container `ctr` gets the fields of the row (after podlab's API defaulting, as the API
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
import { podWithContainer as c, MSG, type Row, rows } from './harness.ts';

const Cp = 'spec.containers[0]';
const _LABEL = MSG.dnsLabel;
const SUBDOMAIN = MSG.dnsSubdomain;
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

describe('TestValidatePorts', () => rows(ports));
describe('TestValidateEnv and TestValidateEnvFrom', () => rows(envRows));
describe('TestValidateProbe and TestValidateHandler', () => rows(probes));
