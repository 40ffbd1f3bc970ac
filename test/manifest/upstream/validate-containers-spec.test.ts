/**
 * Container rows of TestValidateContainers and TestValidateInitContainers (k/k
 * pkg/apis/core/validation/validation_test.go, release-1.33), each in a Pod named "123" whose
 * container `ctr` (or init container) gets the fields of the row, after podlab's API defaulting.
 * Case names and what is skipped: as in validate-containers.test.ts.
 */
import { describe } from 'vitest';
import { podWithContainer as c, MSG, pod, type Row, rows } from './harness.ts';

const Cp = 'spec.containers[0]';
const LABEL = MSG.dnsLabel;
const _SUBDOMAIN = MSG.dnsSubdomain;

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

describe('TestValidateContainers', () => rows(containers));
describe('TestValidateInitContainers', () => rows(initRows));
