/**
 * The `deployment` check (graders/checks/deployment.ts) on traces of the real simulator: a
 * 3-replica Deployment whose update at 10 s never gets ready (progressDeadlineSeconds 30:
 * ProgressDeadlineExceeded at 41 s), and the scenario schema of the check and of the scale and
 * rollback actions.
 */
import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../../graders/evaluate.ts';
import { parseScenario } from '../../graders/scenario.ts';
import type { Check, CheckSubject, When } from '../../graders/types.ts';
import { loadManifests } from '../../src/manifest/index.ts';
import type { Trace } from '../../src/model/trace.ts';
import { defaultSimOptions, simulate } from '../../src/sim/simulate.ts';
import { context, trace as emptyTrace } from './fixtures.ts';

function deployment(path: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  progressDeadlineSeconds: 30
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: nginx
          image: nginx:1.27
          readinessProbe: {httpGet: {path: ${path}, port: 80}}
`;
}

function stalled(): Trace {
  const objects = (y: string) => loadManifests(y, { file: 'd.yaml' }).objects.map((x) => x.object);
  const o = defaultSimOptions();
  o.budgets.horizonMs = 90_000;
  const t = simulate(
    objects(deployment('/')),
    [{ at: 10_000, kind: 'apply', objects: objects(deployment('/nope')) }],
    o,
  );
  return { ...emptyTrace(t.records, t.events), endAt: t.endAt };
}

const ctx = context(stalled(), []);
const s = (n: number) => n * 1000;
const check = (
  d: Omit<Extract<CheckSubject, { kind: 'deployment' }>, 'kind' | 'name' | 'namespace'>,
  when: When,
  name = 'web',
): Check => ({
  id: 'c',
  points: 1,
  visibility: 'visible',
  subject: { kind: 'deployment', name, namespace: 'default', ...d },
  when,
});

describe('deployment checks', () => {
  const table: { name: string; c: Check; passed: boolean; output?: RegExp }[] = [
    {
      name: 'rolled out with 3 available at 5 s, revision 1',
      c: check({ availableReplicas: 3, revision: 1, rolloutComplete: true }, { kind: 'at', at: s(5) }),
      passed: true,
    },
    {
      name: 'ProgressDeadlineExceeded within 0-60 s, at 41 s',
      c: check(
        { condition: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' },
        { kind: 'within', from: 0, to: s(60) },
      ),
      passed: true,
      output: /at 41s$/,
    },
    {
      name: 'not yet timed out within 0-40 s',
      c: check(
        { condition: 'Progressing', reason: 'ProgressDeadlineExceeded' },
        { kind: 'within', from: 0, to: s(40) },
      ),
      passed: false,
      output: /observed Progressing True \(ReplicaSetUpdated\) at 10s$/,
    },
    {
      name: 'the old Pods keep serving throughout: 3 available, Available True',
      c: check(
        { availableReplicas: 3, condition: 'Available', status: 'True' },
        { kind: 'throughout', from: s(1), to: s(90) },
      ),
      passed: true,
    },
    {
      name: 'one updated replica, rollout not complete, rollout status text',
      c: check(
        {
          updatedReplicas: 1,
          rolloutComplete: false,
          rolloutStatus: '1 out of 3 new replicas have been updated',
        },
        { kind: 'at', at: s(20) },
      ),
      passed: true,
    },
    {
      name: 'after the deadline rollout status is kubectl’s error',
      c: check({ rolloutStatus: 'exceeded its progress deadline' }, { kind: 'at', at: s(60) }),
      passed: true,
    },
    {
      name: 'a wrong expectation fails with what was observed',
      c: check({ updatedReplicas: 3 }, { kind: 'at', at: s(60) }),
      passed: false,
      output: /^expected updatedReplicas 3 for Deployment web at 60s; observed updatedReplicas 1$/,
    },
    {
      name: 'a Deployment that does not exist',
      c: check({ availableReplicas: 1 }, { kind: 'at', at: s(5) }, 'api'),
      passed: false,
      output: /observed Deployment api does not exist$/,
    },
    {
      name: 'exists: false holds for a missing Deployment',
      c: check({ exists: false }, { kind: 'at', at: s(5) }, 'api'),
      passed: true,
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const v = evaluateCheck(row.c, ctx);
      expect(v.passed, v.output).toBe(row.passed);
      if (row.output) expect(v.output).toMatch(row.output);
    });
  }
});

function scenario(extra: string): string {
  return `apiVersion: podlab/v1
kind: Scenario
metadata: {name: d, title: D}
spec:
  instructions: x
  submission: {allowedKinds: [Deployment]}
  duration: 60s
${extra}`;
}

describe('the scenario format: deployment checks, scale and rollback actions', () => {
  it('compiles them', () => {
    const r = parseScenario(
      scenario(`  actions:
    - {at: 10s, scale: {deployment: web, replicas: 2}}
    - {at: 20s, rollback: {deployment: web}}
    - {at: 30s, rollback: {deployment: web, toRevision: 1}}
    - {at: 35s, rollback: {deployment: web, toRevision: 0}}
  checks:
    - {id: a, at: 40s, deployment: {name: web, condition: Available, status: true, revision: 3}}
`),
      's.yaml',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.actions).toEqual([
      { at: 10_000, kind: 'scale', objectKind: 'Deployment', name: 'web', namespace: 'default', replicas: 2 },
      { at: 20_000, kind: 'rollback', name: 'web', namespace: 'default' },
      { at: 30_000, kind: 'rollback', name: 'web', namespace: 'default', toRevision: 1 },
      // kubectl's own default: 0 is the previous revision, as the actions file of `podlab simulate` takes it.
      { at: 35_000, kind: 'rollback', name: 'web', namespace: 'default', toRevision: 0 },
    ]);
    expect(r.scenario.checks[0]!.subject).toEqual({
      kind: 'deployment',
      name: 'web',
      namespace: 'default',
      condition: 'Available',
      status: 'True',
      revision: 3,
    });
  });

  it.each([
    [
      '    - {at: 1s, scale: {deployment: web, replicaset: web-x, replicas: 1}}\n',
      'a scale action names exactly one of deployment, replicaset',
    ],
    [
      '    - {at: 1s, rollback: {deployment: web}, scale: {deployment: web, replicas: 1}}\n',
      'found scale and rollback',
    ],
    ['    - {at: 1s, rollback: {name: web}}\n', 'unknown field "name"'],
    ['    - {at: 1s, rollback: {deployment: web, toRevision: -1}}\n', 'expected number to be >=0'],
  ])('refuses a bad action %#', (action, message) => {
    const r = parseScenario(
      scenario(
        `  actions:\n${action}  checks:\n    - {id: a, at: 1s, deployment: {name: web, exists: true}}\n`,
      ),
      's.yaml',
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.message).join('\n')).toContain(message);
  });

  it('refuses status without condition, and an empty deployment check', () => {
    for (const [body, message] of [
      ['{name: web, status: "True"}', 'status and reason belong to a condition'],
      ['{name: web}', 'list exists, replicas'],
    ] as const) {
      const r = parseScenario(scenario(`  checks:\n    - {id: a, at: 1s, deployment: ${body}}\n`), 's.yaml');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.map((e) => e.message).join('\n')).toContain(message);
    }
  });
});
