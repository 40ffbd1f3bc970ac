/**
 * Properties of the simulator (fast-check): determinism, monotonic time and restart counts,
 * no throw on any input, budgets always end a run, readiness only after a readiness success,
 * no liveness kill during the startup phase. Runs are short to keep the suite fast.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ApiObject, Container, LifecycleHandler, Pod, Probe } from '../../src/model/k8s.ts';
import type { PodSnapshot } from '../../src/model/status.ts';
import type { Action, SimOptions, Trace } from '../../src/model/trace.ts';
import { defaultPod, defaultSimOptions, simulate } from '../../src/sim/index.ts';

const commands: string[][] = [
  ['sh', '-c', 'sleep 3600'],
  ['sh', '-c', 'exit 1'],
  ['sh', '-c', 'exit 0'],
  ['sh', '-c', 'echo hello; sleep 7; exit 2'],
  ['sh', '-c', 'touch /tmp/ok; sleep 20; rm /tmp/ok; sleep 3600'],
  ['sh', '-c', 'sleep 12; touch /tmp/ok; sleep 3600'],
  ['sh', '-c', 'trap "exit 0" TERM; while true; do sleep 1; done'],
  ['nosuchbinary'],
];

const probeArb: fc.Arbitrary<Probe> = fc
  .record({
    handler: fc.constantFrom<Partial<Probe>>(
      { exec: { command: ['cat', '/tmp/ok'] } },
      { exec: { command: ['sh', '-c', 'sleep 3'] } },
      { exec: { command: ['curl', 'localhost'] } },
      { httpGet: { path: '/', port: 80, scheme: 'HTTP' } },
      { tcpSocket: { port: 8080 } },
    ),
    initialDelaySeconds: fc.integer({ min: 0, max: 20 }),
    timeoutSeconds: fc.integer({ min: 1, max: 5 }),
    periodSeconds: fc.integer({ min: 1, max: 10 }),
    failureThreshold: fc.integer({ min: 1, max: 4 }),
    successThreshold: fc.constant(1),
  })
  .map(({ handler, ...rest }) => ({ ...handler, ...rest }) as Probe);

function containerArb(name: string): fc.Arbitrary<Container> {
  return fc
    .record({
      image: fc.constantFrom('busybox:1.32.0', 'nginx:1.17.10-alpine', 'busybox', 'nosuch:1'),
      command: fc.option(fc.constantFrom(...commands), { nil: undefined }),
      livenessProbe: fc.option(probeArb, { nil: undefined }),
      readinessProbe: fc.option(probeArb, { nil: undefined }),
      startupProbe: fc.option(probeArb, { nil: undefined }),
      postStart: fc.option(
        fc.constantFrom<LifecycleHandler>(
          { exec: { command: ['sh', '-c', 'sleep 2'] } },
          { exec: { command: ['false'] } },
        ),
        { nil: undefined },
      ),
      preStop: fc.option(
        fc.constantFrom<LifecycleHandler>(
          { sleep: { seconds: 5 } },
          { exec: { command: ['sh', '-c', 'sleep 40'] } },
        ),
        { nil: undefined },
      ),
    })
    .map((r) => {
      const c: Container = {
        name,
        image: r.image,
        imagePullPolicy: 'IfNotPresent',
        terminationMessagePath: '/dev/termination-log',
        terminationMessagePolicy: 'File',
      };
      if (r.command) c.command = r.command;
      if (r.livenessProbe) c.livenessProbe = r.livenessProbe;
      if (r.readinessProbe) c.readinessProbe = r.readinessProbe;
      if (r.startupProbe) c.startupProbe = r.startupProbe;
      if (r.postStart || r.preStop)
        c.lifecycle = {
          ...(r.postStart ? { postStart: r.postStart } : {}),
          ...(r.preStop ? { preStop: r.preStop } : {}),
        };
      return c;
    });
}

const podArb: fc.Arbitrary<Pod> = fc
  .record({
    containers: fc
      .array(fc.constant(0), { minLength: 1, maxLength: 2 })
      .chain((xs) => fc.tuple(...xs.map((_, i) => containerArb(`c${i}`)))),
    inits: fc.array(fc.boolean(), { maxLength: 2 }),
    restartPolicy: fc.constantFrom<'Always' | 'OnFailure' | 'Never'>('Always', 'OnFailure', 'Never'),
    tgps: fc.integer({ min: 0, max: 40 }),
    ads: fc.option(fc.integer({ min: 1, max: 200 }), { nil: undefined }),
  })
  .map((r) =>
    defaultPod({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', labels: { app: 'p' } },
      spec: {
        containers: r.containers,
        initContainers: r.inits.map((sidecar, i) => ({
          name: `init${i}`,
          image: 'busybox:1.32.0',
          command: sidecar ? ['sh', '-c', 'sleep 30'] : ['sh', '-c', `sleep ${i + 1}`],
          imagePullPolicy: 'IfNotPresent',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          ...(sidecar ? { restartPolicy: 'Always' as const } : {}),
        })),
        restartPolicy: r.restartPolicy,
        terminationGracePeriodSeconds: r.tgps,
        ...(r.ads !== undefined ? { activeDeadlineSeconds: r.ads } : {}),
        dnsPolicy: 'ClusterFirst',
        enableServiceLinks: true,
        schedulerName: 'default-scheduler',
      },
    }),
  );

const actionsArb: fc.Arbitrary<Action[]> = fc.array(
  fc.oneof(
    fc
      .record({
        at: fc.integer({ min: 0, max: 200_000 }),
        grace: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
        force: fc.boolean(),
      })
      .map(
        (r): Action => ({
          at: r.at,
          kind: 'delete',
          objectKind: 'Pod',
          name: 'p',
          namespace: 'default',
          ...(r.grace !== undefined ? { gracePeriodSeconds: r.grace } : {}),
          force: r.force,
        }),
      ),
    fc.integer({ min: 0, max: 200_000 }).map(
      (at): Action => ({
        at,
        kind: 'exec',
        pod: 'p',
        namespace: 'default',
        command: ['rm', '-f', '/tmp/ok'],
      }),
    ),
  ),
  { maxLength: 2 },
);

function options(horizonS: number, tweak?: (o: SimOptions) => void): SimOptions {
  const o = defaultSimOptions();
  o.budgets.horizonMs = horizonS * 1000;
  tweak?.(o);
  return o;
}

const service: ApiObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 's', namespace: 'default' },
  spec: {
    type: 'ClusterIP',
    selector: { app: 'p' },
    ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
    sessionAffinity: 'None',
  },
};

function podRecords(t: Trace) {
  return t.records.flatMap((r) =>
    r.exists && r.snapshot.kind === 'Pod' ? [{ at: r.at, s: r.snapshot }] : [],
  );
}

const RUNS = {
  numRuns: Number(process.env.PODLAB_PROP_RUNS ?? 25),
  ...(process.env.PODLAB_PROP_SEED ? { seed: Number(process.env.PODLAB_PROP_SEED) } : {}),
};

describe('simulator properties', () => {
  it('same input, byte-identical trace', () => {
    fc.assert(
      fc.property(podArb, actionsArb, (pod, actions) => {
        const a = JSON.stringify(simulate([service, pod], actions, options(200)));
        const b = JSON.stringify(
          simulate([service, structuredClone(pod)], structuredClone(actions), options(200)),
        );
        expect(a).toBe(b);
      }),
      RUNS,
    );
  });

  it('time never goes back; restart counts never decrease; one record of an instant per change', () => {
    fc.assert(
      fc.property(podArb, actionsArb, (pod, actions) => {
        const t = simulate([service, pod], actions, options(300));
        for (const list of [t.records, t.events, t.probes, t.logs]) {
          for (let i = 1; i < list.length; i++) expect(list[i]!.at).toBeGreaterThanOrEqual(list[i - 1]!.at);
        }
        const last = new Map<string, number>();
        for (const { s } of podRecords(t)) {
          for (const c of [...s.status.initContainerStatuses, ...s.status.containerStatuses]) {
            expect(c.restartCount).toBeGreaterThanOrEqual(last.get(c.name) ?? 0);
            last.set(c.name, c.restartCount);
          }
        }
        expect(t.endAt).toBeLessThanOrEqual(300_000);
      }),
      RUNS,
    );
  });

  it('a Pod is never ready before its first readiness success; liveness never kills during the startup phase', () => {
    fc.assert(
      fc.property(podArb, (pod) => {
        const t = simulate([pod], [], options(300));
        for (const c of pod.spec.containers) {
          const firstOk = t.probes.find(
            (p) => p.container === c.name && p.probe === 'readiness' && p.result === 'success',
          );
          for (const { at, s } of podRecords(t)) {
            const st = s.status.containerStatuses.find((x) => x.name === c.name);
            if (c.readinessProbe && st?.ready) {
              expect(firstOk).toBeDefined();
              expect(at).toBeGreaterThanOrEqual(firstOk!.at);
            }
          }
          if (c.startupProbe) {
            for (const e of t.events.filter(
              (x) => x.container === c.name && x.message.includes('failed liveness probe'),
            )) {
              // The killed instance was started: at the kill's instant (a kill and an immediate
              // restart share it, the new instance recorded last) or in the last record before.
              const started = (r: { s: PodSnapshot }) =>
                r.s.status.containerStatuses.find((x) => x.name === c.name)?.started === true;
              const records = podRecords(t);
              const atKill = records.filter((r) => r.at === e.at);
              const before = records.filter((r) => r.at < e.at).at(-1);
              expect(atKill.some(started) || (before !== undefined && started(before))).toBe(true);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('a deleted Pod is gone once its grace periods have passed (section 9)', () => {
    fc.assert(
      fc.property(
        podArb,
        fc.integer({ min: 0, max: 100_000 }),
        fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }),
        fc.boolean(),
        (pod, at, grace, force) => {
          const del: Action = {
            at,
            kind: 'delete',
            objectKind: 'Pod',
            name: 'p',
            namespace: 'default',
            force,
            ...(grace !== undefined ? { gracePeriodSeconds: grace } : {}),
          };
          const t = simulate([pod], [del], options(400));
          const g =
            grace === undefined ? pod.spec.terminationGracePeriodSeconds : grace === 0 && !force ? 1 : grace;
          // Regular containers in parallel, then each sidecar/init container in turn; at least 2 s each.
          const stages = 1 + (pod.spec.initContainers ?? []).length;
          const bound = at + stages * (Math.max(g, 2) + 2) * 1000;
          const gone = t.records.find((r) => r.key === 'Pod/default/p' && !r.exists);
          expect(gone).toBeDefined();
          expect(gone!.at).toBeLessThanOrEqual(bound);
          expect(gone!.at).toBeGreaterThanOrEqual(at);
        },
      ),
      RUNS,
    );
  });

  it('budgets always end a run (events)', () => {
    fc.assert(
      fc.property(podArb, fc.integer({ min: 1, max: 300 }), (pod, maxEvents) => {
        const t = simulate(
          [pod],
          [],
          options(86_400, (o) => {
            o.budgets.maxEvents = maxEvents;
          }),
        );
        expect(['horizon', 'budget']).toContain(t.endReason.kind);
        if (t.endReason.kind === 'budget') {
          expect(t.endReason.budget).toBe('events');
          expect(t.endReason.detail).toContain(`${maxEvents} events`);
        }
      }),
      RUNS,
    );
  });

  it('no input throws (malformed objects, actions and options)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), fc.jsonValue(), (spec, meta, action) => {
        const weird = { apiVersion: 'v1', kind: 'Pod', metadata: meta, spec } as unknown as ApiObject;
        const weird2 = {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'x', namespace: 'default' },
          spec,
        } as unknown as ApiObject;
        const t = simulate([weird, weird2], [action as unknown as Action], options(30));
        expect(t.endReason).toBeDefined();
        // The apps kinds and actions too: a Deployment or ReplicaSet built by hand, and the
        // scale, setImage and rollback actions with any fields.
        const apps = ['Deployment', 'ReplicaSet'].map(
          (kind) =>
            ({ apiVersion: 'apps/v1', kind, metadata: { name: 'd', namespace: 'default' }, spec }) as unknown,
        ) as ApiObject[];
        const appsActions = ['scale', 'setImage', 'rollback'].map((kind) => ({
          ...(typeof action === 'object' && action !== null && !Array.isArray(action) ? action : {}),
          at: 1000,
          kind,
          name: 'd',
        })) as unknown as Action[];
        expect(simulate(apps, appsActions, options(30)).endReason).toBeDefined();
      }),
      { numRuns: 200 },
    );
  });
});
