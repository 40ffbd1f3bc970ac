/**
 * Scheduling rows of k/k pkg/apis/core/validation/validation_test.go: the tolerations cases of
 * TestValidatePod (successCases and errorCases, run through ValidatePodCreate) and
 * TestValidateTopologySpreadConstraints, as Pod manifests named "123" (upstream's name). The
 * affinity rows of TestValidatePod are in validate-pod-affinity.test.ts.
 *
 * Upstream source: the stored copy of validation_test.go and validation.go read for this table
 * is commit 000f26050b9b (not pinned to a tag; release-1.33 era: PodValidationOptions has
 * AllowSidecarResizePolicy and PodLevelResourcesEnabled, and the cases below are unchanged in
 * release-1.33). TestValidatePod's errorCases give a substring of the error; the full texts
 * here follow validation.go (ValidateTolerations, validateTopologySpreadConstraints).
 * Rows without an upstream case name describe a rule and say which function they follow.
 */
import { describe } from 'vitest';
import { MSG, pod, type Row, rows } from './harness.ts';

type Json = Record<string, unknown>;
const P = (c: string) => `TestValidatePod/"${c}"`;
const tol = (t: Json, name = '123') => pod({ tolerations: [t] }, { name });

const tolerations: Row[] = [
  [
    P('populate forgiveness tolerations with exists operator in annotations.'),
    tol({ key: 'foo', operator: 'Exists', value: '', effect: 'NoExecute', tolerationSeconds: 60 }),
    [],
  ],
  [
    P('populate forgiveness tolerations with equal operator in annotations.'),
    tol({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoExecute', tolerationSeconds: 60 }),
    [],
  ],
  [
    P('populate tolerations equal operator in annotations.'),
    tol({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }),
    [],
  ],
  [
    P(
      'empty key with Exists operator is OK for toleration, empty toleration key means match all taint keys.',
    ),
    tol({ operator: 'Exists', effect: 'NoSchedule' }),
    [],
  ],
  [
    P('empty operator is OK for toleration, defaults to Equal.'),
    tol({ key: 'foo', value: 'bar', effect: 'NoSchedule' }),
    [],
  ],
  [
    P('empty effect is OK for toleration, empty toleration effect means match all taint effects.'),
    tol({ key: 'foo', operator: 'Equal', value: 'bar' }),
    [],
  ],
  [
    P('negative tolerationSeconds is OK for toleration.'),
    tol({
      key: 'node.kubernetes.io/not-ready',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: -2,
    }),
    [],
  ],
  [
    P('invalid toleration key'),
    tol({ key: 'nospecialchars^=@', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }),
    [`spec.tolerations[0].key: Invalid value: "nospecialchars^=@": ${MSG.qualifiedNamePart}`],
  ],
  [
    P('invalid toleration operator'),
    tol({ key: 'foo', operator: 'In', value: 'bar', effect: 'NoSchedule' }),
    ['spec.tolerations[0].operator: Unsupported value: "In": supported values: "Equal", "Exists"'],
  ],
  [
    P("value must be empty when `operator` is 'Exists'"),
    tol({ key: 'foo', operator: 'Exists', value: 'bar', effect: 'NoSchedule' }),
    ['spec.tolerations[0].operator: Invalid value: "bar": value must be empty when `operator` is \'Exists\''],
  ],
  [
    P("operator must be 'Exists' when `key` is empty"),
    tol({ operator: 'Equal', value: 'bar', effect: 'NoSchedule' }),
    [
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
    ],
  ],
  [
    P("effect must be 'NoExecute' when `TolerationSeconds` is set"),
    tol(
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoSchedule',
        tolerationSeconds: 20,
      },
      'pod-forgiveness-invalid',
    ),
    [
      'spec.tolerations[0].effect: Invalid value: "NoSchedule": effect must be \'NoExecute\' when `tolerationSeconds` is set',
    ],
  ],
  [
    'ValidateTolerations: an unknown effect (validateTaintEffect)',
    tol({ key: 'foo', operator: 'Exists', effect: 'PreferNoExecute' }),
    [
      'spec.tolerations[0].effect: Unsupported value: "PreferNoExecute": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    ],
  ],
  [
    'ValidateTolerations: Equal with a value that is not a label value (the error is on operator)',
    tol({ key: 'foo', operator: 'Equal', value: 'not a label!' }),
    [`spec.tolerations[0].operator: Invalid value: "not a label!": ${MSG.labelValue}`],
  ],
];

const spread = (c: Json) =>
  pod({
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: 'k8s.io/zone', whenUnsatisfiable: 'DoNotSchedule', ...c },
    ],
  });
const S = (c: string) => `TestValidateTopologySpreadConstraints/"${c}"`;
const TS = 'spec.topologySpreadConstraints[0]';
const ANY = 'can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway';
const topology: Row[] = [
  [S('all required fields ok'), spread({ minDomains: 3 }), []],
  [
    S('missing MaxSkew'),
    spread({ maxSkew: undefined }),
    [`${TS}.maxSkew: Invalid value: 0: must be greater than zero`],
  ],
  [
    S('negative MaxSkew'),
    spread({ maxSkew: -1 }),
    [`${TS}.maxSkew: Invalid value: -1: must be greater than zero`],
  ],
  [
    S('can use MinDomains with ScheduleAnyway, when MinDomains = nil'),
    spread({ whenUnsatisfiable: 'ScheduleAnyway' }),
    [],
  ],
  [
    S('negative minDomains is invalid'),
    spread({ minDomains: -1 }),
    [`${TS}.minDomains: Invalid value: -1: must be greater than zero`],
  ],
  [
    S('cannot use non-nil MinDomains with ScheduleAnyway'),
    spread({ whenUnsatisfiable: 'ScheduleAnyway', minDomains: 10 }),
    [`${TS}.minDomains: Invalid value: 10: ${ANY}`],
  ],
  [
    S('use negative MinDomains with ScheduleAnyway(invalid)'),
    spread({ whenUnsatisfiable: 'ScheduleAnyway', minDomains: -1 }),
    [
      `${TS}.minDomains: Invalid value: -1: must be greater than zero`,
      `${TS}.minDomains: Invalid value: -1: ${ANY}`,
    ],
  ],
  [
    S('missing TopologyKey'),
    spread({ topologyKey: undefined }),
    [`${TS}.topologyKey: Required value: can not be empty`],
  ],
  [
    S('missing scheduling mode'),
    spread({ whenUnsatisfiable: undefined }),
    [`${TS}.whenUnsatisfiable: Unsupported value: "": supported values: "DoNotSchedule", "ScheduleAnyway"`],
  ],
  [
    S('unsupported scheduling mode'),
    spread({ whenUnsatisfiable: 'N/A' }),
    [
      `${TS}.whenUnsatisfiable: Unsupported value: "N/A": supported values: "DoNotSchedule", "ScheduleAnyway"`,
    ],
  ],
  [
    S('multiple constraints ok with all required fields'),
    pod({
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'k8s.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 2, topologyKey: 'k8s.io/node', whenUnsatisfiable: 'ScheduleAnyway' },
      ],
    }),
    [],
  ],
  [
    S('multiple constraints missing TopologyKey on partial ones'),
    pod({
      topologySpreadConstraints: [
        { maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' },
        { maxSkew: 2, topologyKey: 'k8s.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
      ],
    }),
    [`${TS}.topologyKey: Required value: can not be empty`],
  ],
  [
    S('duplicate constraints'),
    pod({
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'k8s.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 2, topologyKey: 'k8s.io/zone', whenUnsatisfiable: 'DoNotSchedule' },
      ],
    }),
    [`${TS}.{topologyKey, whenUnsatisfiable}: Duplicate value: "{k8s.io/zone, DoNotSchedule}"`],
  ],
  [
    S('supported policy name set on NodeAffinityPolicy and NodeTaintsPolicy'),
    spread({ nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Ignore' }),
    [],
  ],
  [
    S('unsupported policy name set on NodeAffinityPolicy'),
    spread({ nodeAffinityPolicy: 'Unknown', nodeTaintsPolicy: 'Ignore' }),
    [`${TS}.nodeAffinityPolicy: Unsupported value: "Unknown": supported values: "Honor", "Ignore"`],
  ],
  [
    S('unsupported policy name set on NodeTaintsPolicy'),
    spread({ nodeAffinityPolicy: 'Honor', nodeTaintsPolicy: 'Unknown' }),
    [`${TS}.nodeTaintsPolicy: Unsupported value: "Unknown": supported values: "Honor", "Ignore"`],
  ],
  [
    S("key in MatchLabelKeys isn't correctly defined"),
    spread({ labelSelector: {}, matchLabelKeys: ['/simple'] }),
    [`${TS}.matchLabelKeys[0]: Invalid value: "/simple": prefix part must be non-empty`],
  ],
  [
    S('key exists in both matchLabelKeys and labelSelector'),
    spread({
      matchLabelKeys: ['foo'],
      labelSelector: { matchExpressions: [{ key: 'foo', operator: 'NotIn', values: ['value1', 'value2'] }] },
    }),
    [`${TS}.matchLabelKeys[0]: Invalid value: "foo": exists in both matchLabelKeys and labelSelector`],
  ],
  [
    S('key in MatchLabelKeys is forbidden to be specified when labelSelector is not set'),
    spread({ matchLabelKeys: ['foo'] }),
    [`${TS}.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set`],
  ],
  [
    S(
      'invalid matchLabels set on labelSelector when AllowInvalidTopologySpreadConstraintLabelSelector is false',
    ),
    spread({ labelSelector: { matchLabels: { 'NoUppercaseOrSpecialCharsLike=Equals': 'foo' } } }),
    [
      `${TS}.labelSelector.matchLabels: Invalid value: "NoUppercaseOrSpecialCharsLike=Equals": ${MSG.qualifiedNamePart}`,
    ],
  ],
  [
    S(
      'valid matchLabels set on labelSelector when AllowInvalidTopologySpreadConstraintLabelSelector is false',
    ),
    spread({ labelSelector: { matchLabels: { foo: 'foo' } } }),
    [],
  ],
];

describe('TestValidatePod: tolerations', () => rows(tolerations));
describe('TestValidateTopologySpreadConstraints', () => rows(topology));
