/**
 * TestValidateJob (k/k pkg/apis/batch/validation/validation_test.go, release-1.33) and the Job
 * defaults (pkg/apis/batch/v1/defaults_test.go TestSetDefaultJob), as `kubectl apply` sees them:
 * upstream's error-case keys are `field:detail`, kept as the row names; the texts come from
 * validation.go. Rows without an upstream key describe the rule they cover.
 *
 * Skipped, and why: Indexed-mode rows (podlab simulates NonIndexed Jobs; docs/deviations.md),
 * ValidateJobUpdate rows (a Job is applied once), rows on a manual selector with a uid the
 * client cannot know.
 */
import { describe, expect, it } from 'vitest';
import { loadJson, type Row } from './harness.ts';

type Json = Record<string, unknown>;
const T = (c: string) => `TestValidateJob/"${c}"`;

/** A valid Job: one container, restartPolicy Never, the rest left to the defaults. */
function job(spec: Json = {}, podSpec: Json = {}, meta: Json = {}): Json {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'myjob', namespace: 'ns', ...meta },
    spec: {
      template: {
        spec: { restartPolicy: 'Never', containers: [{ name: 'ctr', image: 'busybox:1.36' }], ...podSpec },
      },
      ...spec,
    },
  };
}

const NEGATIVE = 'must be greater than or equal to 0';

describe('Job validation (release-1.33)', () => {
  const list: Row[] = [
    ['a minimal Job with restartPolicy Never', job(), []],
    ['restartPolicy OnFailure', job({}, { restartPolicy: 'OnFailure' }), []],
    [
      T('spec.parallelism:must be greater than or equal to 0'),
      job({ parallelism: -1 }),
      [`spec.parallelism: Invalid value: -1: ${NEGATIVE}`],
    ],
    [
      T('spec.completions:must be greater than or equal to 0'),
      job({ completions: -1 }),
      [`spec.completions: Invalid value: -1: ${NEGATIVE}`],
    ],
    [
      T('spec.activeDeadlineSeconds:must be greater than or equal to 0'),
      job({ activeDeadlineSeconds: -1 }),
      [`spec.activeDeadlineSeconds: Invalid value: -1: ${NEGATIVE}`],
    ],
    [
      T('spec.backoffLimit:must be greater than or equal to 0'),
      job({ backoffLimit: -1 }),
      [`spec.backoffLimit: Invalid value: -1: ${NEGATIVE}`],
    ],
    [
      T('spec.ttlSecondsAfterFinished:must be greater than or equal to 0'),
      job({ ttlSecondsAfterFinished: -1 }),
      [`spec.ttlSecondsAfterFinished: Invalid value: -1: ${NEGATIVE}`],
    ],
    [
      T('spec.template.spec.restartPolicy: Required value'),
      job({}, { restartPolicy: undefined }),
      ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ],
    [
      'restartPolicy Always reads as unset (the Pod default)',
      job({}, { restartPolicy: 'Always' }),
      ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
    ],
    [
      T('spec.template.spec.restartPolicy: Unsupported value'),
      job({}, { restartPolicy: 'Sometimes' }),
      // ValidatePodSpec's own restartPolicy check reports it first, then validateJobSpec's.
      [
        'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
        'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"',
      ],
    ],
    [
      T(
        'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
      ),
      job(
        {
          podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1] } }] },
        },
        { restartPolicy: 'OnFailure' },
      ),
      [
        'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
      ],
    ],
    [
      T('spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Duplicate value'),
      job({
        podFailurePolicy: {
          rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [11, 11] } }],
        },
      }),
      ['spec.podFailurePolicy.rules[0].onExitCodes.values[1]: Duplicate value: 11'],
    ],
    [
      T(
        'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
      ),
      job({
        podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [0, 1] } }] },
      }),
      [
        'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
      ],
    ],
    [
      T('spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{2, 1}: must be ordered'),
      job({
        podFailurePolicy: {
          rules: [{ action: 'FailJob', onExitCodes: { operator: 'NotIn', values: [2, 1] } }],
        },
      }),
      ['spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{2, 1}: must be ordered'],
    ],
    [
      T('spec.podFailurePolicy.rules[0].action: Unsupported value: "UnknownAction"'),
      job({
        podFailurePolicy: {
          rules: [{ action: 'UnknownAction', onExitCodes: { operator: 'In', values: [1] } }],
        },
      }),
      [
        'spec.podFailurePolicy.rules[0].action: Unsupported value: "UnknownAction": supported values: "Count", "FailIndex", "FailJob", "Ignore"',
      ],
    ],
    [
      T('spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "abc"'),
      job({
        podFailurePolicy: {
          rules: [{ action: 'FailJob', onExitCodes: { containerName: 'abc', operator: 'In', values: [1] } }],
        },
      }),
      [
        'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "abc": must be one of the container or initContainer names in the pod template',
      ],
    ],
    [
      T(
        'spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
      ),
      job({ podFailurePolicy: { rules: [{ action: 'FailJob' }] } }),
      [
        'spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required',
      ],
    ],
    [
      T('spec.podReplacementPolicy: Unsupported value'),
      job({
        podReplacementPolicy: 'TerminatingOrFailed',
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      }),
      ['spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"'],
    ],
    [
      T('spec.completionMode: Unsupported value'),
      job({ completionMode: 'Foo' }),
      ['spec.completionMode: Unsupported value: "Foo": supported values: "NonIndexed", "Indexed"'],
    ],
    [
      T('spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode'),
      job({ backoffLimitPerIndex: 1 }),
      ['spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode'],
    ],
    [
      T('spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`'),
      job({
        manualSelector: true,
        selector: { matchLabels: { a: 'b' } },
        template: {
          metadata: { labels: { y: 'z' } },
          spec: { restartPolicy: 'Never', containers: [{ name: 'ctr', image: 'busybox:1.36' }] },
        },
      }),
      [
        'spec.template.metadata.labels: Invalid value: map[string]string{"y":"z"}: `selector` does not match template `labels`',
      ],
    ],
    [
      T('spec.selector: Required value'),
      job({
        manualSelector: true,
        template: {
          metadata: { labels: { y: 'z' } },
          spec: { restartPolicy: 'Never', containers: [{ name: 'ctr', image: 'busybox:1.36' }] },
        },
      }),
      ['spec.selector: Required value'],
    ],
    [
      'a template label job-name other than the Job name (validateGeneratedSelector)',
      job({
        template: {
          metadata: { labels: { 'job-name': 'other' } },
          spec: { restartPolicy: 'Never', containers: [{ name: 'ctr', image: 'busybox:1.36' }] },
        },
      }),
      [
        `spec.template.metadata.labels[job-name]: Invalid value: map[string]string{"batch.kubernetes.io/controller-uid":"UID", "batch.kubernetes.io/job-name":"myjob", "controller-uid":"UID", "job-name":"other"}: myjob`,
      ],
    ],
    [
      'a template container error moves under spec.template.spec (ValidatePodTemplateSpec)',
      job({}, { containers: [{ name: 'Ctr', image: 'busybox:1.36' }] }),
      [
        "spec.template.spec.containers[0].name: Invalid value: \"Ctr\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
  ];
  // The generated uid is deterministic; rows write it as UID.
  for (const [name, manifest, causes] of list) {
    it(name, () => {
      const r = loadJson([manifest]);
      const text = r.rejected
        .map((x) => x.text)
        .join('\n')
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}/g, 'UID');
      const head = 'The Job "myjob" is invalid: ';
      const want =
        causes.length === 0
          ? ''
          : causes.length === 1
            ? head + causes[0]
            : [head, ...causes.map((c) => `* ${c}`)].join('\n');
      expect(text).toBe(want);
    });
  }
});

describe('Job defaults and generated selector (SetDefaults_Job, generateSelector)', () => {
  it('TestSetDefaultJob/"Both Parallelism and Completions are nil -> both default to 1"', () => {
    const r = loadJson([job()]);
    const spec = r.objects[0]!.raw.spec as Json;
    expect([
      spec.completions,
      spec.parallelism,
      spec.backoffLimit,
      spec.completionMode,
      spec.suspend,
      spec.podReplacementPolicy,
    ]).toEqual([1, 1, 6, 'NonIndexed', false, 'TerminatingOrFailed']);
  });
  it('TestSetDefaultJob/"Completions is set, Parallelism defaults to 1"', () => {
    const spec = loadJson([job({ completions: 3 })]).objects[0]!.raw.spec as Json;
    expect([spec.completions, spec.parallelism]).toEqual([3, 1]);
  });
  it('TestSetDefaultJob/"Parallelism is set, Completions stays nil (a work queue)"', () => {
    const spec = loadJson([job({ parallelism: 2 })]).objects[0]!.raw.spec as Json;
    expect([spec.completions, spec.parallelism]).toEqual([undefined, 2]);
  });
  it('TestSetDefaultJob/"PodReplacementPolicy defaults to Failed with a podFailurePolicy, pattern status to True"', () => {
    const spec = loadJson([
      job({
        podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] },
      }),
    ]).objects[0]!.raw.spec as Json;
    expect(spec.podReplacementPolicy).toBe('Failed');
    expect(JSON.stringify(spec.podFailurePolicy)).toContain('"status":"True"');
  });
  it('generateSelector labels the template and selects the controller uid', () => {
    const o = loadJson([job()]).objects[0]!;
    const uid = (o.raw.metadata as Json).uid as string;
    const spec = o.raw.spec as Json;
    const labels = ((spec.template as Json).metadata as Json).labels;
    expect(labels).toEqual({
      'job-name': 'myjob',
      'batch.kubernetes.io/job-name': 'myjob',
      'controller-uid': uid,
      'batch.kubernetes.io/controller-uid': uid,
    });
    expect(spec.selector).toEqual({ matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    expect(o.kind).toBe('Job');
  });
  it('the template PodSpec takes the Pod defaults', () => {
    const spec = loadJson([job()]).objects[0]!.raw.spec as Json;
    const pod = (spec.template as Json).spec as Json;
    expect([pod.dnsPolicy, pod.terminationGracePeriodSeconds, pod.schedulerName]).toEqual([
      'ClusterFirst',
      30,
      'default-scheduler',
    ]);
  });
  it('an unknown field is a strict decoding error with the Job words', () => {
    const r = loadJson([job({ completion: 3 })]);
    expect(r.rejected[0]!.text).toBe(
      'Error from server (BadRequest): error when creating "x.yaml": Job in version "v1" cannot be handled as a Job: strict decoding error: unknown field "spec.completion"',
    );
  });
});
