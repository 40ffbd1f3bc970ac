/**
 * apps/v1 Deployments and ReplicaSets in the manifest loader: strict decoding, the v1 defaults
 * (pkg/apis/apps/v1/defaults_test.go TestSetDefaultDeployment) and create validation
 * (pkg/apis/apps/validation/validation_test.go TestValidateDeployment, TestValidateReplicaSet:
 * the error cases are named after upstream's table keys where one exists).
 */
import { describe, expect, it } from 'vitest';
import { kubectlOutput, loadManifests } from '../../src/manifest/index.ts';
import { selectorMatches } from '../../src/manifest/validate/apps.ts';

function loadApps(text: string) {
  return loadManifests(text, { file: 'd.yaml', apps: true });
}

interface DeployOptions {
  kind?: string;
  spec?: string;
  labels?: string;
  selector?: string;
  podSpec?: string;
}

/** A Deployment (or ReplicaSet) manifest; each option replaces one part of a valid one. */
function deploy(o: DeployOptions = {}): string {
  const selector = o.selector ?? '  selector:\n    matchLabels:\n      app: web\n';
  const labels = o.labels ?? '      labels:\n        app: web\n';
  const podSpec = o.podSpec ?? '      containers:\n        - name: web\n          image: nginx:1.27\n';
  return `apiVersion: apps/v1\nkind: ${o.kind ?? 'Deployment'}\nmetadata:\n  name: web\nspec:\n${o.spec ?? ''}${selector}  template:\n    metadata:\n${labels}    spec:\n${podSpec}`;
}

describe('apps/v1 kinds in the loader', () => {
  it('load by default, and stay a kind podlab does not simulate with `apps: false`', () => {
    expect(loadManifests(deploy(), { file: 'd.yaml' }).objects.map((o) => o.kind)).toEqual(['Deployment']);
    const r = loadManifests(deploy(), { file: 'd.yaml', apps: false });
    expect(r.objects).toEqual([]);
    expect(r.rejected[0]!.text).toContain('is a real Kubernetes kind that podlab does not simulate');
  });

  it('a valid Deployment loads with the apps/v1 defaults and kubectl prints deployment.apps/NAME', () => {
    const r = loadApps(deploy());
    expect(r.rejected).toEqual([]);
    const spec = r.objects[0]!.raw.spec as Record<string, unknown>;
    expect(spec.replicas).toBe(1);
    expect(spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' },
    });
    expect(spec.revisionHistoryLimit).toBe(10);
    expect(spec.progressDeadlineSeconds).toBe(600);
    const podSpec = (spec.template as { spec: Record<string, unknown> }).spec;
    // SetDefaults_PodSpec applies to the template; SetDefaults_Pod (enableServiceLinks) does not.
    expect(podSpec.restartPolicy).toBe('Always');
    expect(podSpec.terminationGracePeriodSeconds).toBe(30);
    expect(podSpec.enableServiceLinks).toBeUndefined();
    expect(kubectlOutput(r).stdout).toBe('deployment.apps/web created\n');
  });

  it('Recreate gets no rollingUpdate; explicit values are kept', () => {
    const r = loadApps(
      deploy({ spec: '  replicas: 3\n  revisionHistoryLimit: 0\n  strategy:\n    type: Recreate\n' }),
    );
    const spec = r.objects[0]!.raw.spec as Record<string, unknown>;
    expect(spec.strategy).toEqual({ type: 'Recreate' });
    expect([spec.replicas, spec.revisionHistoryLimit]).toEqual([3, 0]);
  });

  it('a ReplicaSet defaults replicas to 1 and prints replicaset.apps/NAME', () => {
    const r = loadApps(deploy({ kind: 'ReplicaSet' }));
    expect(r.rejected).toEqual([]);
    expect((r.objects[0]!.raw.spec as Record<string, unknown>).replicas).toBe(1);
    expect(kubectlOutput(r).stdout).toBe('replicaset.apps/web created\n');
  });

  it('strict decoding: unknown fields and Go type errors name the apps struct', () => {
    const unknown = loadApps(deploy({ spec: '  replica: 3\n' }));
    expect(unknown.rejected[0]!.text).toBe(
      'Error from server (BadRequest): error when creating "d.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"',
    );
    const typed = loadApps(deploy({ spec: '  replicas: three\n' }));
    expect(typed.rejected[0]!.text).toContain(
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });

  const invalidCases: { name: string; manifest: string; causes: string[] }[] = [
    {
      name: 'selector does not match template labels (invalid-labeled input)',
      manifest: deploy({ labels: '      labels:\n        app: api\n' }),
      causes: [
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"api"}: `selector` does not match template `labels`',
      ],
    },
    {
      name: 'missing selector: required, and nothing matches',
      manifest: deploy({ selector: '' }),
      causes: [
        'spec.selector: Required value',
        'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`',
      ],
    },
    {
      name: 'empty selector',
      manifest: deploy({ selector: '  selector: {}\n' }),
      causes: [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment',
      ],
    },
    {
      name: 'negative replicas',
      manifest: deploy({ spec: '  replicas: -1\n' }),
      causes: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'restartPolicy Never (invalid restart policy)',
      manifest: deploy({
        podSpec:
          '      restartPolicy: Never\n      containers:\n        - name: web\n          image: nginx:1.27\n',
      }),
      causes: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    },
    {
      name: 'activeDeadlineSeconds in the template',
      manifest: deploy({
        podSpec:
          '      activeDeadlineSeconds: 30\n      containers:\n        - name: web\n          image: nginx:1.27\n',
      }),
      causes: [
        'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
      ],
    },
    {
      name: 'no containers: the PodSpec is validated under spec.template.spec',
      manifest: deploy({ podSpec: '      containers: []\n' }),
      causes: ['spec.template.spec.containers: Required value'],
    },
    {
      name: 'maxSurge and maxUnavailable both 0',
      manifest: deploy({
        spec: '  strategy:\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n',
      }),
      causes: [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:""}: may not be 0 when `maxSurge` is 0',
      ],
    },
    {
      name: 'maxUnavailable over 100%',
      manifest: deploy({ spec: '  strategy:\n    rollingUpdate:\n      maxUnavailable: 110%\n' }),
      causes: [
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"110%"}: must not be greater than 100%',
      ],
    },
    {
      name: 'maxSurge not a percent',
      manifest: deploy({ spec: '  strategy:\n    rollingUpdate:\n      maxSurge: twenty\n' }),
      causes: [
        "spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"twenty\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ],
    },
    {
      name: 'Recreate with rollingUpdate',
      manifest: deploy({ spec: '  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 1\n' }),
      causes: [
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
      ],
    },
    {
      name: 'progressDeadlineSeconds not greater than minReadySeconds',
      manifest: deploy({ spec: '  minReadySeconds: 10\n  progressDeadlineSeconds: 10\n' }),
      causes: ['spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds'],
    },
    {
      name: 'negative revisionHistoryLimit',
      manifest: deploy({ spec: '  revisionHistoryLimit: -2\n' }),
      causes: ['spec.revisionHistoryLimit: Invalid value: -2: must be greater than or equal to 0'],
    },
    {
      name: 'ReplicaSet: selector does not match',
      manifest: deploy({ kind: 'ReplicaSet', labels: '      labels:\n        tier: x\n' }),
      causes: [
        'spec.template.metadata.labels: Invalid value: map[string]string{"tier":"x"}: `selector` does not match template `labels`',
      ],
    },
  ];

  it.each(invalidCases)('invalid: $name', ({ manifest, causes }) => {
    const r = loadApps(manifest);
    expect(r.objects).toEqual([]);
    expect(r.errors.map((e) => e.field)).toEqual(causes.map((c) => c.slice(0, c.indexOf(': '))));
    const kind = manifest.includes('kind: ReplicaSet') ? 'ReplicaSet' : 'Deployment';
    const head = `The ${kind} "web" is invalid: `;
    const text = causes.length === 1 ? head + causes[0] : [head, ...causes.map((c) => `* ${c}`)].join('\n');
    expect(r.rejected[0]!.text).toBe(text);
  });

  it('the mismatch error points at the template labels in the file', () => {
    const r = loadApps(deploy({ labels: '      labels:\n        app: api\n' }));
    expect(r.errors[0]!.line).toBe(11);
  });
});

describe('selectorMatches (LabelSelectorAsSelector + Matches)', () => {
  const rows: {
    name: string;
    selector: Record<string, unknown>;
    labels: Record<string, string>;
    want: boolean;
  }[] = [
    {
      name: 'matchLabels subset',
      selector: { matchLabels: { app: 'web' } },
      labels: { app: 'web', x: 'y' },
      want: true,
    },
    {
      name: 'matchLabels differ',
      selector: { matchLabels: { app: 'web' } },
      labels: { app: 'api' },
      want: false,
    },
    {
      name: 'In',
      selector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
      labels: { tier: 'b' },
      want: true,
    },
    {
      name: 'NotIn with the label absent',
      selector: { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['a'] }] },
      labels: {},
      want: true,
    },
    {
      name: 'Exists',
      selector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
      labels: {},
      want: false,
    },
    {
      name: 'DoesNotExist',
      selector: { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
      labels: { app: 'x' },
      want: true,
    },
  ];
  it.each(rows)('$name', ({ selector, labels, want }) => {
    expect(selectorMatches(selector, labels)).toBe(want);
  });
});
