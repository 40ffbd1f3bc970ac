/**
 * The Deployment and ReplicaSet controllers in virtual time (src/sim/controllers/
 * deployment-controller.ts, replicaset-controller.ts), against k/k release-1.33
 * pkg/controller/deployment (sync.go getNewReplicaSet, rolling.go, progress.go) and
 * pkg/controller/replicaset (manageReplicas, calculateStatus, the minReadySeconds requeue):
 * names, labels and owner references, a rolling update, a stalled rollout and its progress
 * deadline, `kubectl scale`, `kubectl rollout undo`, Recreate, minReadySeconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadManifests } from '../../src/manifest/index.ts';
import type { DeploymentSnapshot, ReplicaSetSnapshot } from '../../src/model/status.ts';
import type { Action, Trace } from '../../src/model/trace.ts';
import { computeHash } from '../../src/sim/controllers/deployment-util.ts';
import { defaultSimOptions, simulate } from '../../src/sim/simulate.ts';

function deployment(o: { image?: string; path?: string; spec?: string; replicas?: number } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: ${o.replicas ?? 3}
${o.spec ?? ''}  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: nginx
          image: ${o.image ?? 'nginx:1.27'}
          readinessProbe:
            httpGet:
              path: ${o.path ?? '/'}
              port: 80
            periodSeconds: 5
`;
}

function objects(yaml: string) {
  const loaded = loadManifests(yaml, { file: 'd.yaml' });
  expect(loaded.rejected).toEqual([]);
  return loaded.objects.map((x) => x.object);
}

function run(yaml: string, actions: Action[] = [], horizonMs = 120_000): Trace {
  const o = defaultSimOptions();
  o.budgets.horizonMs = horizonMs;
  return simulate(objects(yaml), actions, o);
}

function apply(at: number, yaml: string): Action {
  return { at, kind: 'apply', objects: objects(yaml) };
}

/** The last record of `key` at or before `t`. */
function at<T>(t: Trace, key: string, ms = t.endAt): T | undefined {
  const recs = t.records.filter((r) => r.key === key && r.at <= ms);
  const last = recs[recs.length - 1];
  return last?.exists ? (last.snapshot as T) : undefined;
}

function replicaSets(t: Trace, ms = t.endAt): ReplicaSetSnapshot[] {
  const keys = [...new Set(t.records.filter((r) => r.key.startsWith('ReplicaSet/')).map((r) => r.key))];
  return keys.map((k) => at<ReplicaSetSnapshot>(t, k, ms)).filter((x): x is ReplicaSetSnapshot => !!x);
}

function livePods(t: Trace, ms = t.endAt): string[] {
  const keys = [...new Set(t.records.filter((r) => r.key.startsWith('Pod/')).map((r) => r.key))];
  return keys.filter((k) => at(t, k, ms) !== undefined).map((k) => k.split('/')[2]!);
}

function deploymentEvents(t: Trace): string[] {
  return t.events.filter((e) => e.object === 'Deployment/web').map((e) => `${e.at / 1000} ${e.message}`);
}

describe('a new Deployment', () => {
  const t = run(deployment(), [], 30_000);
  const rs = replicaSets(t);

  it('makes the ReplicaSet <name>-<ComputeHash(template)> at revision 1', () => {
    const d = objects(deployment())[0]!;
    const hash = computeHash((d as { spec: { template: Record<string, unknown> } }).spec.template);
    expect(rs.map((r) => [r.name, r.revision, r.replicas, r.owner])).toEqual([[`web-${hash}`, 1, 3, 'web']]);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
  });

  it('whose Pods are <rs>-<5 chars>, labelled with the hash and owned by the ReplicaSet', () => {
    const pods = t.createdPods ?? [];
    expect(pods).toHaveLength(3);
    for (const p of pods) {
      expect(p.metadata.name).toMatch(new RegExp(`^${rs[0]!.name}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      expect(p.metadata.labels).toEqual({ app: 'web', 'pod-template-hash': rs[0]!.name.slice(4) });
      expect(p.metadata.ownerReferences).toEqual([
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: rs[0]!.name,
          uid: rs[0]!.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
  });

  it('scales it up from 0 to 3 in one event and each Pod gets a SuccessfulCreate', () => {
    expect(deploymentEvents(t)).toEqual([`0 Scaled up replica set ${rs[0]!.name} from 0 to 3`]);
    const created = t.events.filter((e) => e.object === `ReplicaSet/${rs[0]!.name}`);
    expect(created.map((e) => e.reason)).toEqual([
      'SuccessfulCreate',
      'SuccessfulCreate',
      'SuccessfulCreate',
    ]);
    expect(created.map((e) => e.source)).toEqual(Array(3).fill('replicaset-controller'));
  });

  it('ends available: Available MinimumReplicasAvailable, Progressing NewReplicaSetAvailable', () => {
    const d = at<DeploymentSnapshot>(t, 'Deployment/default/web')!;
    expect(d.status).toMatchObject({
      replicas: 3,
      updatedReplicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(d.status.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ['Available', 'True', 'MinimumReplicasAvailable'],
      ['Progressing', 'True', 'NewReplicaSetAvailable'],
    ]);
    expect(d.status.conditions[1]!.message).toBe(`ReplicaSet "${rs[0]!.name}" has successfully progressed.`);
  });

  it('is byte-identical run after run', () => {
    expect(JSON.stringify(run(deployment(), [], 30_000))).toBe(JSON.stringify(t));
  });
});

describe('a rolling update (maxSurge 25% of 3 = 1, maxUnavailable 25% of 3 = 0)', () => {
  const t = run(deployment(), [apply(20_000, deployment({ image: 'nginx:1.28' }))], 60_000);

  it('surges one new Pod at a time and scales the old set down as new Pods become available', () => {
    const [oldRS, newRS] = replicaSets(t);
    expect([oldRS!.replicas, newRS!.replicas, newRS!.revision]).toEqual([0, 3, 2]);
    const steps = deploymentEvents(t).filter((e) => e.startsWith('20 '));
    expect(steps).toEqual([
      `20 Scaled up replica set ${newRS!.name} from 0 to 1`,
      `20 Scaled down replica set ${oldRS!.name} from 3 to 2`,
      `20 Scaled up replica set ${newRS!.name} from 1 to 2`,
      `20 Scaled down replica set ${oldRS!.name} from 2 to 1`,
      `20 Scaled up replica set ${newRS!.name} from 2 to 3`,
      `20 Scaled down replica set ${oldRS!.name} from 1 to 0`,
    ]);
  });

  it('never has fewer than 3 available replicas nor more than 4 Pods (minAvailable, maxSurge)', () => {
    for (const r of t.records) {
      if (!r.exists || r.snapshot.kind !== 'Deployment' || r.at < 20_000) continue;
      expect(r.snapshot.status.availableReplicas).toBeGreaterThanOrEqual(3);
      expect(r.snapshot.status.replicas).toBeLessThanOrEqual(4);
    }
  });
});

describe('a stalled rollout (the new template never gets ready)', () => {
  const t = run(
    deployment({ spec: '  progressDeadlineSeconds: 60\n' }),
    [apply(20_000, deployment({ path: '/healthz', spec: '  progressDeadlineSeconds: 60\n' }))],
    120_000,
  );

  it('keeps the 3 old Pods serving and one new Pod not ready', () => {
    const [oldRS, newRS] = replicaSets(t);
    expect([oldRS!.replicas, oldRS!.status.readyReplicas]).toEqual([3, 3]);
    expect([newRS!.replicas, newRS!.status.replicas, newRS!.status.readyReplicas]).toEqual([1, 1, 0]);
  });

  it('times out progressDeadlineSeconds after the last progress, plus requeueStuckDeployment’s second', () => {
    const d = at<DeploymentSnapshot>(t, 'Deployment/default/web', 80_999)!;
    expect(d.status.conditions.find((c) => c.type === 'Progressing')!.reason).toBe('ReplicaSetUpdated');
    const late = at<DeploymentSnapshot>(t, 'Deployment/default/web', 81_000)!;
    const p = late.status.conditions.find((c) => c.type === 'Progressing')!;
    expect([p.status, p.reason, p.lastUpdateTime]).toEqual(['False', 'ProgressDeadlineExceeded', 81_000]);
    expect(p.message).toBe(`ReplicaSet "${replicaSets(t)[1]!.name}" has timed out progressing.`);
    expect(late.status.conditions.find((c) => c.type === 'Available')!.status).toBe('True');
  });
});

describe('kubectl scale and kubectl rollout undo', () => {
  it('scale: the one active ReplicaSet takes the new size; the lowest-ranked Pods go first', () => {
    const t = run(
      deployment(),
      [
        {
          at: 10_000,
          kind: 'scale',
          objectKind: 'Deployment',
          name: 'web',
          namespace: 'default',
          replicas: 1,
        },
      ],
      30_000,
    );
    expect(t.actions[0]!.stdout).toBe('deployment.apps/web scaled\n');
    expect(replicaSets(t).map((r) => r.replicas)).toEqual([1]);
    expect(deploymentEvents(t)[1]).toMatch(/^10 Scaled down replica set web-\w+ from 3 to 1$/);
    expect(livePods(t)).toHaveLength(1);
    // Equal on every rank (ready at 0 s, created in the same second): ties keep the informer's
    // order (creation order), so the first two go (Go's sort.Sort may pick others; deviations.md).
    expect(livePods(t)[0]).toBe(t.createdPods![2]!.metadata.name);
  });

  it('rollout undo: the previous revision’s template comes back and its ReplicaSet becomes revision 3', () => {
    const t = run(
      deployment(),
      [
        apply(10_000, deployment({ image: 'nginx:1.28' })),
        { at: 30_000, kind: 'rollback', name: 'web', namespace: 'default' },
        { at: 40_000, kind: 'rollback', name: 'web', namespace: 'default', toRevision: 9 },
      ],
      60_000,
    );
    expect(t.actions.map((a) => a.stdout + a.stderr)).toEqual([
      'deployment.apps/web configured\n',
      'deployment.apps/web rolled back\n',
      'error: unable to find specified revision 9 in history\n',
    ]);
    const [first, second] = replicaSets(t);
    expect([first!.revision, first!.replicas, second!.revision, second!.replicas]).toEqual([3, 3, 2, 0]);
    expect(at<DeploymentSnapshot>(t, 'Deployment/default/web')!.revision).toBe(3);
  });

  it('set image: the container image changes in the template, a rollout to revision 2', () => {
    const set = (image: string, container = 'nginx'): Action => ({
      at: 10_000,
      kind: 'setImage',
      name: 'web',
      namespace: 'default',
      container,
      image,
    });
    const t = run(deployment(), [set('nginx:1.28'), set('nginx:1.28', 'app')], 40_000);
    expect(t.actions.map((a) => a.stdout + a.stderr)).toEqual([
      'deployment.apps/web image updated\n',
      'error: unable to find container named "app"\n',
    ]);
    const [oldRS, newRS] = replicaSets(t);
    expect([oldRS!.replicas, newRS!.replicas, newRS!.revision]).toEqual([0, 3, 2]);
    const images = (t.createdPods ?? []).slice(3).map((p) => p.spec.containers[0]!.image);
    expect(images).toEqual(['nginx:1.28', 'nginx:1.28', 'nginx:1.28']);
  });

  it('kubectl apply: unchanged, configured, and a changed selector refused as immutable', () => {
    const other = deployment().replace(/app: web/g, 'app: shop');
    const t = run(
      deployment(),
      [apply(5_000, deployment()), apply(6_000, deployment({ replicas: 2 })), apply(7_000, other)],
      20_000,
    );
    expect(t.actions.map((a) => a.stdout + a.stderr)).toEqual([
      'deployment.apps/web unchanged\n',
      'deployment.apps/web configured\n',
      'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"shop"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n',
    ]);
    expect(replicaSets(t).map((r) => r.replicas)).toEqual([2]);
    expect(at<DeploymentSnapshot>(t, 'Deployment/default/web')!.generation).toBe(2);
  });

  it('rollout undo without history, and of a missing Deployment', () => {
    const t = run(deployment(), [
      { at: 5_000, kind: 'rollback', name: 'web', namespace: 'default' },
      { at: 5_000, kind: 'rollback', name: 'api', namespace: 'default' },
    ]);
    expect(t.actions.map((a) => a.stderr)).toEqual([
      'error: no rollout history found for deployment "web"\n',
      'Error from server (NotFound): deployments.apps "api" not found\n',
    ]);
  });
});

describe('a ReplicaSet of its own', () => {
  const rs = `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: front}
spec:
  replicas: 2
  selector: {matchLabels: {app: front}}
  template:
    metadata: {labels: {app: front}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27"}]
`;
  const scale = (at: number, replicas: number): Action => ({
    at,
    kind: 'scale',
    objectKind: 'ReplicaSet',
    name: 'front',
    namespace: 'default',
    replicas,
  });

  it('scales down the Pods ready for the least time first (ActivePodsWithRanks rule 6)', () => {
    // Ready for 30 s and 5 s: floor(log2) of the ages in ns differ (34, 32), so rule 6 decides;
    // 30 s and 20 s would tie in log scale (both 34) and fall through to the creation time and uid.
    const t = run(rs, [scale(25_000, 4), scale(30_000, 2)], 40_000);
    const names = (t.createdPods ?? []).map((p) => p.metadata.name);
    expect(names).toHaveLength(4);
    expect(names.every((n) => /^front-[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(n))).toBe(true);
    // The two Pods of 0 s stay; the two of 25 s are deleted.
    expect(livePods(t).sort()).toEqual(names.slice(0, 2).sort());
    const deleted = t.events.filter((e) => e.reason === 'SuccessfulDelete').map((e) => e.message);
    expect(deleted.sort()).toEqual(
      names
        .slice(2)
        .map((n) => `Deleted pod: ${n}`)
        .sort(),
    );
    expect(t.actions.map((a) => a.stdout)).toEqual([
      'replicaset.apps/front scaled\n',
      'replicaset.apps/front scaled\n',
    ]);
  });

  it('refuses a changed selector as immutable', () => {
    const other = rs.replace(/app: front/g, 'app: back');
    const t = run(rs, [{ at: 5_000, kind: 'apply', objects: objects(other) }], 10_000);
    expect(t.actions[0]!.stderr).toBe(
      'The ReplicaSet "front" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"back"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable\n',
    );
  });

  it('re-creates a deleted Pod under a new name', () => {
    const first = run(rs, [], 5_000).createdPods![0]!.metadata.name;
    const t = run(
      rs,
      [{ at: 5_000, kind: 'delete', objectKind: 'Pod', name: first, namespace: 'default' }],
      60_000,
    );
    expect(t.createdPods).toHaveLength(3);
    expect(livePods(t)).not.toContain(first);
    expect(livePods(t)).toHaveLength(2);
  });
});

describe('Recreate and minReadySeconds', () => {
  it('Recreate scales the old ReplicaSet to 0 and makes the new one only once its Pods are gone', () => {
    const spec = '  strategy:\n    type: Recreate\n';
    const t = run(deployment({ spec }), [apply(10_000, deployment({ spec, image: 'nginx:1.28' }))], 60_000);
    const events = deploymentEvents(t).filter((e) => !e.startsWith('0 '));
    expect(events[0]).toMatch(/^10 Scaled down replica set web-\w+ from 3 to 0$/);
    const up = events[1]!;
    expect(up).toMatch(/ Scaled up replica set web-\w+ from 0 to 3$/);
    const gone = t.records.filter((r) => r.key.startsWith('Pod/') && !r.exists).map((r) => r.at);
    expect(Number(up.split(' ')[0]) * 1000).toBeGreaterThanOrEqual(Math.max(...gone));
  });

  it('minReadySeconds: a ready Pod counts as available only minReadySeconds after it became ready', () => {
    const t = run(deployment({ spec: '  minReadySeconds: 10\n' }), [], 30_000);
    const rs = replicaSets(t)[0]!;
    const key = `ReplicaSet/default/${rs.name}`;
    expect(at<ReplicaSetSnapshot>(t, key, 10_000)!.status).toEqual({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 0,
    });
    const when = t.records.find(
      (r) =>
        r.key === key &&
        r.exists &&
        r.snapshot.kind === 'ReplicaSet' &&
        r.snapshot.status.availableReplicas === 3,
    )!.at;
    // Ready at 0 s; available strictly after 0 + 10 s; the requeue comes at 10 s + 1 s (updatePod).
    expect(when).toBe(11_000);
  });
});

describe('properties of the apps controllers', () => {
  const versions = ['nginx:1.27', 'nginx:1.28', 'nginx:1.29'];
  const step = fc.oneof(
    fc.record({ kind: fc.constant('scale' as const), replicas: fc.integer({ min: 0, max: 5 }) }),
    fc.record({ kind: fc.constant('setImage' as const), image: fc.constantFrom(...versions) }),
    fc.record({
      kind: fc.constant('rollback' as const),
      toRevision: fc.option(fc.integer({ min: 1, max: 4 })),
    }),
  );

  it('any sequence of scale, set image and rollout undo settles: one ReplicaSet holds every replica, complete', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 60 }), step), { maxLength: 6 }),
        fc.constantFrom(
          '  strategy:\n    type: Recreate\n',
          '',
          '  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 1}\n',
        ),
        (steps, spec) => {
          const actions: Action[] = steps.map(([s, a]) => {
            const base = { at: s * 1000, name: 'web', namespace: 'default' };
            if (a.kind === 'scale')
              return { ...base, kind: 'scale', objectKind: 'Deployment', replicas: a.replicas };
            if (a.kind === 'setImage')
              return { ...base, kind: 'setImage', container: 'nginx', image: a.image };
            return {
              ...base,
              kind: 'rollback',
              ...(a.toRevision !== null ? { toRevision: a.toRevision } : {}),
            };
          });
          const t = run(deployment({ spec }), actions, 200_000);
          expect(JSON.stringify(run(deployment({ spec }), actions, 200_000))).toBe(JSON.stringify(t));
          const d = at<DeploymentSnapshot>(t, 'Deployment/default/web')!;
          expect(d.status.observedGeneration).toBe(d.generation);
          const sets = replicaSets(t);
          const holding = sets.filter((r) => r.replicas > 0);
          expect(holding.length).toBeLessThanOrEqual(1);
          expect(sets.reduce((n, r) => n + r.replicas, 0)).toBe(d.replicas);
          expect(d.status).toMatchObject({
            replicas: d.replicas,
            updatedReplicas: d.replicas,
            availableReplicas: d.replicas,
          });
          expect(livePods(t)).toHaveLength(d.replicas);
        },
      ),
      { numRuns: 25 },
    );
  });
});
