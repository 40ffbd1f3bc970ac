/**
 * Node and pod affinity rows of TestValidatePod (k/k pkg/apis/core/validation/validation_test.go,
 * successCases and errorCases, run through ValidatePodCreate) as Pod manifests named "123".
 *
 * Upstream source: the stored copy read for this table is commit 000f26050b9b (not pinned to a
 * tag; release-1.33 era, see validate-pod-scheduling.test.ts). errorCases give a substring; the
 * full texts follow validation.go (validateAffinity, ValidateNodeSelectorRequirement,
 * ValidateNodeFieldSelectorRequirement, validatePodAffinityTerm,
 * validateMatchLabelKeysAndMismatchLabelKeys). The Pod registry's PrepareForCreate merges
 * matchLabelKeys/mismatchLabelKeys into the selector first (MatchLabelKeysInPodAffinity, beta and
 * on in 1.33). Rows without an upstream case name describe a rule and name its function.
 */
import { describe, expect, it } from 'vitest';
import { loadJson, MSG, pod, type Row, rows } from './harness.ts';

type Json = Record<string, unknown>;
const P = (c: string) => `TestValidatePod/"${c}"`;

const NA = 'spec.affinity.nodeAffinity';
const REQ = `${NA}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms`;
const nodeAffinity = (na: Json) => pod({ affinity: { nodeAffinity: na } });
const required = (terms: unknown[]) => ({
  requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms },
});
const preferredFoo = [
  { weight: 10, preference: { matchExpressions: [{ key: 'foo', operator: 'In', values: ['bar'] }] } },
];
const key2In = { matchExpressions: [{ key: 'key2', operator: 'In', values: ['value1', 'value2'] }] };
const key2NotIn = { matchExpressions: [{ key: 'key2', operator: 'NotIn', values: ['value1', 'value2'] }] };
const keyNotIn = { matchExpressions: [{ key: 'key', operator: 'NotIn', values: ['value1', 'value2'] }] };
const threeKeys = {
  matchExpressions: [
    { key: 'key', operator: 'NotIn', values: ['value1', 'value2'] },
    { key: 'key2', operator: 'In', values: ['value1'] },
    { key: 'key3', operator: 'NotIn', values: ['value1'] },
  ],
};

type Kind = 'podAffinity' | 'podAntiAffinity';
/** A Pod whose `kind` has one hard (required) or soft (preferred, weight 10) term. */
function podTerm(kind: Kind, hard: boolean, term: Json, meta: Json = {}): Json {
  const list = hard
    ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term }] };
  return pod({ affinity: { [kind]: list } }, meta);
}
function termPath(kind: Kind, hard: boolean): string {
  return hard
    ? `spec.affinity.${kind}.requiredDuringSchedulingIgnoredDuringExecution[0]`
    : `spec.affinity.${kind}.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm`;
}
const kinds: [Kind, boolean, string][] = [
  ['podAffinity', false, 'soft pod affinity'],
  ['podAffinity', true, 'hard pod affinity'],
  ['podAntiAffinity', false, 'soft pod anti-affinity'],
  ['podAntiAffinity', true, 'hard pod anti-affinity'],
];

const affinity: Row[] = [
  [
    P('serialized node affinity requirements'),
    nodeAffinity({
      ...required([
        { ...key2In, matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host1'] }] },
      ]),
      preferredDuringSchedulingIgnoredDuringExecution: preferredFoo,
    }),
    [],
  ],
  [
    P('serialized node affinity requirements, II'),
    nodeAffinity({
      ...required([{ matchExpressions: [] }]),
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [] } }],
    }),
    [],
  ],
  [
    P('serialized pod affinity in affinity requirements in annotations'),
    pod({
      affinity: {
        podAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: key2In,
              topologyKey: 'zone',
              namespaces: ['ns'],
              namespaceSelector: {
                matchExpressions: [{ key: 'key', operator: 'In', values: ['value1', 'value2'] }],
              },
            },
          ],
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 10,
              podAffinityTerm: { labelSelector: key2NotIn, namespaces: ['ns'], topologyKey: 'region' },
            },
          ],
        },
      },
    }),
    [],
  ],
  [
    P('serialized pod anti affinity with different Label Operators in affinity requirements in annotations'),
    pod({
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: { matchExpressions: [{ key: 'key2', operator: 'Exists' }] },
              topologyKey: 'zone',
              namespaces: ['ns'],
            },
          ],
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 10,
              podAffinityTerm: {
                labelSelector: { matchExpressions: [{ key: 'key2', operator: 'DoesNotExist' }] },
                namespaces: ['ns'],
                topologyKey: 'region',
              },
            },
          ],
        },
      },
    }),
    [],
  ],
  ...kinds.map(
    ([kind, hard]): Row => [
      P(
        `MatchLabelKeys/MismatchLabelKeys in ${hard ? 'required' : 'preferred'} ${kind === 'podAffinity' ? 'PodAffinity' : 'PodAntiAffinity'}`,
      ),
      podTerm(kind, hard, {
        labelSelector: threeKeys,
        topologyKey: 'k8s.io/zone',
        matchLabelKeys: ['key2'],
        mismatchLabelKeys: ['key3'],
      }),
      [],
    ],
  ),
  [
    P('LabelSelector can have the same key as MismatchLabelKeys'),
    podTerm('podAffinity', true, {
      labelSelector: {
        matchExpressions: [
          { key: 'key', operator: 'NotIn', values: ['value1', 'value2'] },
          { key: 'key2', operator: 'In', values: ['value1'] },
          { key: 'key2', operator: 'NotIn', values: ['value1'] },
        ],
      },
      topologyKey: 'k8s.io/zone',
      mismatchLabelKeys: ['key2'],
    }),
    [],
  ],
  [
    P("invalid node selector requirement in node affinity, operator can't be null"),
    nodeAffinity(required([{ matchExpressions: [{ key: 'key1' }] }])),
    [`${REQ}[0].matchExpressions[0].operator: Invalid value: "": not a valid selector operator`],
  ],
  [
    P('invalid node selector requirement in node affinity, key is invalid'),
    nodeAffinity(required([{ matchExpressions: [{ key: 'invalid key ___@#', operator: 'Exists' }] }])),
    [`${REQ}[0].matchExpressions[0].key: Invalid value: "invalid key ___@#": ${MSG.qualifiedNamePart}`],
  ],
  [
    P('invalid node field selector requirement in node affinity, more values for field selector'),
    nodeAffinity(
      required([{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['host1', 'host2'] }] }]),
    ),
    [
      `${REQ}[0].matchFields[0].values: Required value: must be only one value when \`operator\` is 'In' or 'NotIn' for node field selector`,
    ],
  ],
  [
    P('invalid node field selector requirement in node affinity, invalid operator'),
    nodeAffinity(required([{ matchFields: [{ key: 'metadata.name', operator: 'Exists' }] }])),
    [`${REQ}[0].matchFields[0].operator: Invalid value: "Exists": not a valid selector operator`],
  ],
  [
    P('invalid node field selector requirement in node affinity, invalid key'),
    nodeAffinity(
      required([{ matchFields: [{ key: 'metadata.namespace', operator: 'In', values: ['ns1'] }] }]),
    ),
    [`${REQ}[0].matchFields[0].key: Invalid value: "metadata.namespace": not a valid field selector key`],
  ],
  [
    P('invalid preferredSchedulingTerm in node affinity, weight should be in range 1-100'),
    nodeAffinity({ preferredDuringSchedulingIgnoredDuringExecution: [{ ...preferredFoo[0], weight: 199 }] }),
    [
      `${NA}.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 199: must be in the range 1-100`,
    ],
  ],
  [
    P(
      'invalid requiredDuringSchedulingIgnoredDuringExecution node selector, nodeSelectorTerms must have at least one term',
    ),
    nodeAffinity(required([])),
    [`${REQ}: Required value: must have at least one node selector term`],
  ],
  [
    P('invalid required node affinity, value of NodeSelectorRequirement should be a valid label value'),
    nodeAffinity(required([{ matchExpressions: [{ key: 'foo', operator: 'In', values: ['-1'] }] }])),
    [`${REQ}[0].matchExpressions[0].values[0]: Invalid value: "-1": ${MSG.labelValue}`],
  ],
  [
    'ValidatePreferredSchedulingTerms: preferred terms allow values that are not label values',
    nodeAffinity({
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 1, preference: { matchExpressions: [{ key: 'foo', operator: 'In', values: ['-1'] }] } },
      ],
    }),
    [],
  ],
  [
    P(
      'invalid weight in preferredDuringSchedulingIgnoredDuringExecution in pod affinity annotations, weight should be in range 1-100',
    ),
    pod({
      affinity: {
        podAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 109,
              podAffinityTerm: { labelSelector: key2NotIn, namespaces: ['ns'], topologyKey: 'region' },
            },
          ],
        },
      },
    }),
    [
      'spec.affinity.podAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 109: must be in the range 1-100',
    ],
  ],
  [
    P(
      'invalid labelSelector in preferredDuringSchedulingIgnoredDuringExecution in podaffinity annotations, values should be empty if the operator is Exists',
    ),
    podTerm('podAntiAffinity', false, {
      labelSelector: {
        matchExpressions: [{ key: 'key2', operator: 'Exists', values: ['value1', 'value2'] }],
      },
      namespaces: ['ns'],
      topologyKey: 'region',
    }),
    [
      `${termPath('podAntiAffinity', false)}.labelSelector.matchExpressions[0].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
    ],
  ],
  [
    P(
      'invalid namespaceSelector in preferredDuringSchedulingIgnoredDuringExecution in podaffinity, In operator must include Values',
    ),
    podTerm('podAntiAffinity', false, {
      namespaceSelector: { matchExpressions: [{ key: 'key2', operator: 'In' }] },
      namespaces: ['ns'],
      topologyKey: 'region',
    }),
    [
      `${termPath('podAntiAffinity', false)}.namespaceSelector.matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
    ],
  ],
  [
    P(
      'invalid namespaceSelector in preferredDuringSchedulingIgnoredDuringExecution in podaffinity, Exists operator can not have values',
    ),
    podTerm('podAntiAffinity', false, {
      namespaceSelector: {
        matchExpressions: [{ key: 'key2', operator: 'Exists', values: ['value1', 'value2'] }],
      },
      namespaces: ['ns'],
      topologyKey: 'region',
    }),
    [
      `${termPath('podAntiAffinity', false)}.namespaceSelector.matchExpressions[0].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
    ],
  ],
  [
    P(
      'invalid name space in preferredDuringSchedulingIgnoredDuringExecution in podaffinity annotations, namespace should be valid',
    ),
    podTerm('podAffinity', false, {
      labelSelector: { matchExpressions: [{ key: 'key2', operator: 'Exists' }] },
      namespaces: ['INVALID_NAMESPACE'],
      topologyKey: 'region',
    }),
    [`${termPath('podAffinity', false)}.namespace: Invalid value: "INVALID_NAMESPACE": ${MSG.dnsLabel}`],
  ],
  ...kinds.map(
    ([kind, hard, what]): Row => [
      P(`invalid ${what}, empty topologyKey is not allowed for ${what}`),
      podTerm(kind, hard, { labelSelector: hard ? key2In : key2NotIn, namespaces: ['ns'] }),
      [
        `${termPath(kind, hard)}.topologyKey: Required value: can not be empty`,
        `${termPath(kind, hard)}.topologyKey: Invalid value: "": name part must be non-empty`,
        `${termPath(kind, hard)}.topologyKey: Invalid value: "": ${MSG.qualifiedNamePart}`,
      ],
    ],
  ),
  ...(['MatchLabelKeys', 'MismatchLabelKeys'] as const).flatMap((field) =>
    kinds.map(([kind, hard, what]): Row => {
      const key = field === 'MatchLabelKeys' ? 'matchLabelKeys' : 'mismatchLabelKeys';
      return [
        P(`invalid ${what}, key in ${field} isn't correctly defined`),
        podTerm(kind, hard, { labelSelector: keyNotIn, topologyKey: 'k8s.io/zone', [key]: ['/simple'] }),
        [`${termPath(kind, hard)}.${key}[0]: Invalid value: "/simple": prefix part must be non-empty`],
      ];
    }),
  ),
  ...kinds.map(
    ([kind, hard, what]): Row =>
      // Upstream's hard cases set the Pod's label key=value1 and write the selector as the
      // registry leaves it; as a manifest the user writes `key NotIn (value2)` and the registry
      // appends `key In (value1)` (mutatePodAffinity). The soft cases have no label: the user
      // wrote both expressions.
      hard
        ? [
            `${P(`invalid ${what}, key exists in both matchLabelKeys and labelSelector`)} (merged by the registry)`,
            podTerm(
              kind,
              hard,
              {
                labelSelector: { matchExpressions: [{ key: 'key', operator: 'NotIn', values: ['value2'] }] },
                topologyKey: 'k8s.io/zone',
                matchLabelKeys: ['key'],
              },
              { labels: { key: 'value1' } },
            ),
            [
              `${termPath(kind, hard)}[0]: Invalid value: "key": exists in both matchLabelKeys and labelSelector`,
            ],
          ]
        : [
            P(`invalid ${what}, key exists in both matchLabelKeys and labelSelector`),
            podTerm(kind, hard, {
              labelSelector: {
                matchExpressions: [
                  { key: 'key', operator: 'In', values: ['value1'] },
                  { key: 'key', operator: 'NotIn', values: ['value2'] },
                ],
              },
              topologyKey: 'k8s.io/zone',
              matchLabelKeys: ['key'],
            }),
            [
              `${termPath(kind, hard)}[0]: Invalid value: "key": exists in both matchLabelKeys and labelSelector`,
            ],
          ],
  ),
  ...kinds.map(
    ([kind, hard, what]): Row => [
      P(`invalid ${what}, key exists in both MatchLabelKeys and MismatchLabelKeys`),
      podTerm(kind, hard, {
        labelSelector: keyNotIn,
        topologyKey: 'k8s.io/zone',
        matchLabelKeys: ['samekey'],
        mismatchLabelKeys: ['samekey'],
      }),
      [
        `${termPath(kind, hard)}.matchLabelKeys[0]: Invalid value: "samekey": exists in both matchLabelKeys and mismatchLabelKeys`,
      ],
    ],
  ),
  [
    'mutatePodAffinity: a matchLabelKeys key the Pod has no label for adds nothing (accepted)',
    podTerm('podAffinity', true, {
      labelSelector: { matchExpressions: [{ key: 'key', operator: 'NotIn', values: ['value2'] }] },
      topologyKey: 'k8s.io/zone',
      matchLabelKeys: ['key'],
    }),
    [],
  ],
  [
    'validateLabelKeys: matchLabelKeys without a labelSelector',
    podTerm(
      'podAffinity',
      true,
      { topologyKey: 'k8s.io/zone', matchLabelKeys: ['key'] },
      { labels: { key: 'v' } },
    ),
    [
      `${termPath('podAffinity', true)}.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set`,
    ],
  ],
];

describe('TestValidatePod: node and pod affinity', () => rows(affinity));

/** The selector the API server stores after mutatePodAffinity (pkg/registry/core/pod/strategy.go). */
const stored: [name: string, labels: Json, term: Json, expressions: Json[]][] = [
  [
    'matchLabelKeys with the label: key In (value) appended',
    { app: 'web' },
    { labelSelector: { matchLabels: { tier: 'a' } }, topologyKey: 'zone', matchLabelKeys: ['app'] },
    [{ key: 'app', operator: 'In', values: ['web'] }],
  ],
  [
    "mismatchLabelKeys with the label: key NotIn (value) appended after the user's",
    { app: 'web' },
    {
      labelSelector: { matchExpressions: [{ key: 'x', operator: 'Exists' }] },
      topologyKey: 'zone',
      mismatchLabelKeys: ['app'],
    },
    [
      { key: 'x', operator: 'Exists' },
      { key: 'app', operator: 'NotIn', values: ['web'] },
    ],
  ],
  [
    'a key the Pod has no label for: nothing added',
    {},
    { labelSelector: { matchLabels: { tier: 'a' } }, topologyKey: 'zone', matchLabelKeys: ['app'] },
    [],
  ],
];

describe('mutatePodAffinity: the stored selector', () => {
  for (const [name, labels, term, expressions] of stored) {
    it(name, () => {
      const manifest = podTerm('podAntiAffinity', true, term, { labels });
      const r = loadJson([manifest]);
      expect(r.rejected).toEqual([]);
      const spec = r.objects[0]?.raw.spec as Json;
      const anti = (spec.affinity as Json).podAntiAffinity as Json;
      const selector = (anti.requiredDuringSchedulingIgnoredDuringExecution as Json[])[0]
        ?.labelSelector as Json;
      expect(selector.matchExpressions ?? []).toEqual(expressions);
    });
  }
});
