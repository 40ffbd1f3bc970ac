/**
 * Kubelet rules, each traced to a section of kubernetes-semantics.md, run with scripted
 * images (test/sim/fake-image.ts) so that only the kubelet's rules are under test.
 */
import { describe, expect, it } from 'vitest';
import type { ContainerStatus, PodSnapshot } from '../../src/model/status.ts';
import type { Trace } from '../../src/model/trace.ts';
import { Backoff } from '../../src/sim/kubelet/backoff.ts';
import { changeInstants, eventsFor, podAt, stateAt } from '../../src/sim/query.ts';
import { ctr, pod, probe, run, starts } from './helpers.ts';

function snap(t: Trace, name: string, s: number): PodSnapshot {
  const p = podAt(t, name, s * 1000);
  if (!p) throw new Error(`no pod ${name} at ${s}s`);
  return p;
}
function cstat(t: Trace, name: string, container: string, s: number): ContainerStatus {
  const p = snap(t, name, s);
  const c = [...p.status.initContainerStatuses, ...p.status.containerStatuses].find(
    (x) => x.name === container,
  );
  if (!c) throw new Error(`no container ${container}`);
  return c;
}
function cond(t: Trace, name: string, type: string, s: number) {
  return snap(t, name, s).status.conditions.find((c) => c.type === type);
}
function msgs(t: Trace, reason: string): string[] {
  return t.events.filter((e) => e.reason === reason).map((e) => e.message);
}
function deltas(xs: number[]): number[] {
  return xs.slice(1).map((x, i) => x - xs[i]!);
}
/** Intervals between a container's death (finishedAt) and its next start. */
function restartDelays(t: Trace, name: string, container: string): number[] {
  const out: number[] = [];
  let lastFinished: number | undefined;
  let lastId: string | undefined;
  for (const r of t.records) {
    if (!r.exists || r.snapshot.kind !== 'Pod' || r.snapshot.name !== name) continue;
    const c = [...r.snapshot.status.initContainerStatuses, ...r.snapshot.status.containerStatuses].find(
      (x) => x.name === container,
    );
    if (!c) continue;
    if (c.state.kind === 'terminated') lastFinished = c.state.finishedAt;
    if (c.containerID && c.containerID !== lastId) {
      if (lastId !== undefined && lastFinished !== undefined) out.push((r.at - lastFinished) / 1000);
      lastId = c.containerID;
    }
  }
  return out;
}

describe('4.2 crash-loop back-off', () => {
  it('restart delays are 0, 10, 20, 40, 80, 160, 300, 300 s (section 4.2 and 13)', () => {
    const t = run([pod('p', [ctr('c', ['false'])])], 1300);
    expect(deltas(starts(t, 'c'))).toEqual([0, 10, 20, 40, 80, 160, 300, 300, 300]);
  });

  it('waiting CrashLoopBackOff carries the upstream message with Go durations (section 4.2)', () => {
    const t = run([pod('p', [ctr('c', ['false'])])], 400);
    const uid = snap(t, 'p', 0).uid;
    const messages = t.records
      .flatMap((r) => (r.exists && r.snapshot.kind === 'Pod' ? r.snapshot.status.containerStatuses : []))
      .map((c) =>
        c.state.kind === 'waiting' && c.state.reason === 'CrashLoopBackOff' ? c.state.message : undefined,
      )
      .filter((m, i, a) => m !== undefined && a.indexOf(m) === i);
    expect(messages).toEqual(
      ['10s', '20s', '40s', '1m20s', '2m40s', '5m0s'].map(
        (d) => `back-off ${d} restarting failed container=c pod=p_default(${uid})`,
      ),
    );
    expect(msgs(t, 'BackOff')[0]).toBe(`Back-off restarting failed container c in pod p_default(${uid})`);
    expect(eventsFor(t, 'Pod/p').find((e) => e.reason === 'BackOff')?.type).toBe('Warning');
  });

  it('e2e "cap back-off at MaxContainerBackOff": the capped delay is 300 s (upstream tolerates [300, 390])', () => {
    const t = run([pod('p', [ctr('c', ['sleep', '5'])])], 2400);
    const d = restartDelays(t, 'p', 'c');
    expect(d.slice(0, 6)).toEqual([0, 10, 20, 40, 80, 160]);
    expect(d.slice(6)).toEqual(d.slice(6).map(() => 300));
    expect(d.length).toBeGreaterThanOrEqual(8);
  });

  it('the back-off resets when a container ran longer than 2 x 300 s (section 4.2)', () => {
    const t = run([pod('p', [ctr('c', ['script', 'sleep:700000', 'exit:1'])])], 3000);
    expect(restartDelays(t, 'p', 'c')).toEqual([0, 0, 0, 0]);
  });

  it('Backoff: Next doubles up to the cap, IsInBackOffSince, expiry after 2 x cap (client-go flowcontrol)', () => {
    const b = new Backoff();
    b.next('k', 0, 0);
    expect(b.get('k')).toBe(10_000);
    expect(b.isInBackOffSince('k', 5000, 14_999)).toBe(true);
    expect(b.isInBackOffSince('k', 5000, 15_000)).toBe(false);
    for (let i = 0; i < 10; i++) b.next('k', 1000 * i, 1000 * i);
    expect(b.get('k')).toBe(300_000);
    expect(b.isInBackOffSince('k', 9000 + 600_001, 9000 + 600_001)).toBe(false);
    b.next('k', 9000 + 600_001, 9000 + 600_001);
    expect(b.get('k')).toBe(10_000);
  });
});

describe('4.1 restart policy and 6.1 phase', () => {
  const cases: {
    name: string;
    policy: 'Always' | 'OnFailure' | 'Never';
    cmd: string[];
    phase: string;
    restarts: boolean;
  }[] = [
    { name: 'Never, exit 1 -> Failed', policy: 'Never', cmd: ['false'], phase: 'Failed', restarts: false },
    {
      name: 'Never, exit 0 -> Succeeded',
      policy: 'Never',
      cmd: ['true'],
      phase: 'Succeeded',
      restarts: false,
    },
    {
      name: 'OnFailure, exit 0 -> Succeeded',
      policy: 'OnFailure',
      cmd: ['true'],
      phase: 'Succeeded',
      restarts: false,
    },
    {
      name: 'OnFailure, exit 1 -> Running, restarted',
      policy: 'OnFailure',
      cmd: ['false'],
      phase: 'Running',
      restarts: true,
    },
    {
      name: 'Always, exit 0 -> Running, restarted',
      policy: 'Always',
      cmd: ['true'],
      phase: 'Running',
      restarts: true,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const t = run([pod('p', [ctr('c', c.cmd)], { restartPolicy: c.policy })], 60);
      expect(snap(t, 'p', 60).status.phase).toBe(c.phase);
      expect(starts(t, 'c').length > 1).toBe(c.restarts);
    });
  }

  it('a terminal phase is never left (section 6.1)', () => {
    const t = run(
      [pod('p', [ctr('a', ['false']), ctr('b', ['sleep', '5'])], { restartPolicy: 'Never' })],
      30,
    );
    const phases = t.records.flatMap((r) =>
      r.exists && r.snapshot.kind === 'Pod' ? [r.snapshot.status.phase] : [],
    );
    const first = phases.indexOf('Failed');
    expect(first).toBeGreaterThan(0);
    expect(phases.slice(first).every((p) => p === 'Failed')).toBe(true);
    expect(snap(t, 'p', 30).status.conditions.find((c) => c.type === 'Ready')?.reason).toBe('PodFailed');
  });

  it('Succeeded pods have ContainersReady False with reason PodCompleted (section 6.2)', () => {
    const t = run([pod('p', [ctr('c', ['true'])], { restartPolicy: 'Never' })], 5);
    expect(cond(t, 'p', 'ContainersReady', 5)).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });

  it('terminated reasons Completed/Error, restartCount and lastState (section 4.4)', () => {
    const t = run([pod('p', [ctr('c', ['false'])])], 15);
    const c = cstat(t, 'p', 'c', 15);
    expect(c.restartCount).toBe(2);
    expect(c.lastState).toMatchObject({ kind: 'terminated', reason: 'Error', exitCode: 1 });
    const t2 = run([pod('p', [ctr('c', ['true'])])], 1);
    expect(cstat(t2, 'p', 'c', 1).lastState?.reason).toBe('Completed');
  });

  it('a missing executable: terminated StartError 128, waiting RunContainerError (section 4.4)', () => {
    const t = run([pod('p', [ctr('c', ['nosuch'])])], 5);
    const c = cstat(t, 'p', 'c', 0);
    expect(c.lastState).toMatchObject({ reason: 'StartError', exitCode: 128 });
    const waiting = t.records.flatMap((r) =>
      r.exists && r.snapshot.kind === 'Pod'
        ? r.snapshot.status.containerStatuses.map((x) => (x.state.kind === 'waiting' ? x.state.reason : ''))
        : [],
    );
    expect(waiting).toContain('RunContainerError');
    expect(c.state).toMatchObject({ kind: 'waiting', reason: 'CrashLoopBackOff' });
    expect(msgs(t, 'Failed')[0]).toContain('exec: "nosuch": executable file not found in $PATH');
  });

  it('containerStatuses are sorted by name (section 4.4)', () => {
    const t = run([pod('p', [ctr('zeta', ['sleep', '60']), ctr('alpha', ['sleep', '60'])])], 1);
    expect(snap(t, 'p', 1).status.containerStatuses.map((c) => c.name)).toEqual(['alpha', 'zeta']);
  });

  it('regular containers start sequentially in spec order with Created/Started events (section 4.1)', () => {
    const t = run([pod('p', [ctr('b', ['sleep', '60']), ctr('a', ['sleep', '60'])])], 1);
    expect(t.events.filter((e) => e.reason === 'Started').map((e) => e.container)).toEqual(['b', 'a']);
    expect(msgs(t, 'Created')).toEqual(['Created container: b', 'Created container: a']);
    expect(msgs(t, 'Scheduled')).toEqual(['Successfully assigned default/p to podlab-node']);
  });
});

describe('4.1 image pulls (section 8 events)', () => {
  it('IfNotPresent pulls once, then "already present"; Always pulls every start', () => {
    const t = run(
      [pod('p', [ctr('c', ['false'])]), pod('q', [ctr('c', ['false'], { imagePullPolicy: 'Always' })])],
      15,
    );
    const pulled = (name: string) =>
      eventsFor(t, `Pod/${name}`)
        .filter((e) => e.reason === 'Pulled')
        .map((e) => e.message);
    expect(pulled('p')[0]).toBe(
      'Successfully pulled image "fake:1" in 0s (0s including waiting). Image size: 0 bytes.',
    );
    expect(
      pulled('p')
        .slice(1)
        .every((m) => m === 'Container image "fake:1" already present on machine'),
    ).toBe(true);
    expect(pulled('q').every((m) => m.startsWith('Successfully pulled image'))).toBe(true);
    expect(eventsFor(t, 'Pod/q').filter((e) => e.reason === 'Pulling').length).toBe(pulled('q').length);
  });

  it('pull time from the cluster knob (section 13)', () => {
    const t = run([pod('p', [ctr('c', ['sleep', '60'])])], 10, [], (o) => {
      o.cluster.imagePullMs = 3000;
    });
    expect(starts(t, 'c')).toEqual([3]);
    expect(msgs(t, 'Pulled')[0]).toContain('in 3s (3s including waiting)');
  });

  it('unknown image: ErrImagePull, then ImagePullBackOff with back-off (sections 4.2, 8)', () => {
    const t = run([pod('p', [ctr('c', ['true'], { image: 'nosuch:1' })])], 100);
    const e = eventsFor(t, 'Pod/p');
    expect(e.find((x) => x.reason === 'Failed')?.message).toMatch(
      /^Failed to pull image "nosuch:1": failed to pull and unpack image "docker.io\/library\/nosuch:1"/,
    );
    expect(e.filter((x) => x.message === 'Error: ErrImagePull').length).toBeGreaterThanOrEqual(2);
    expect(e.some((x) => x.reason === 'BackOff' && x.message === 'Back-off pulling image "nosuch:1"')).toBe(
      true,
    );
    expect(e.some((x) => x.message === 'Error: ImagePullBackOff')).toBe(true);
    expect(cstat(t, 'p', 'c', 0).state).toMatchObject({ kind: 'waiting', reason: 'ErrImagePull' });
    expect(cstat(t, 'p', 'c', 25).state).toMatchObject({ kind: 'waiting', reason: 'ImagePullBackOff' });
    const pulls = e.filter((x) => x.reason === 'Pulling').map((x) => x.at / 1000);
    expect(pulls).toEqual([0, 10, 30, 70]);
    expect(snap(t, 'p', 100).status.phase).toBe('Pending');
  });

  it('e2e_node "bad init image": init waits ImagePullBackOff, nothing starts (section 5)', () => {
    const t = run(
      [
        pod('p', [ctr('c', ['true'])], {
          restartPolicy: 'Never',
          initContainers: [ctr('i', ['true'], { image: 'bad.registry/x:1' })],
        }),
      ],
      60,
    );
    expect(cstat(t, 'p', 'i', 60).state).toMatchObject({ kind: 'waiting', reason: 'ImagePullBackOff' });
    expect(starts(t, 'i')).toEqual([]);
    expect(starts(t, 'c')).toEqual([]);
  });
});

describe('5 init containers and sidecars', () => {
  it('e2e "init containers on RestartNever pod": Succeeded, Initialized True, inits ready exit 0', () => {
    const t = run(
      [
        pod('p', [ctr('run1', ['true'])], {
          restartPolicy: 'Never',
          initContainers: [ctr('init1', ['true']), ctr('init2', ['true'])],
        }),
      ],
      10,
    );
    const s = snap(t, 'p', 10);
    expect(s.status.phase).toBe('Succeeded');
    expect(cond(t, 'p', 'Initialized', 10)?.status).toBe('True');
    expect(
      s.status.initContainerStatuses.map((c) => [c.ready, c.state.kind === 'terminated' && c.state.exitCode]),
    ).toEqual([
      [true, 0],
      [true, 0],
    ]);
  });

  it('e2e_node "init containers run serially": each starts after the previous exited', () => {
    const inits = ['i1', 'i2', 'i3'].map((n) => ctr(n, ['sleep', '1']));
    const t = run(
      [pod('p', [ctr('c', ['sleep', '60'])], { restartPolicy: 'Never', initContainers: inits })],
      10,
    );
    expect([...starts(t, 'i1'), ...starts(t, 'i2'), ...starts(t, 'i3'), ...starts(t, 'c')]).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it('e2e "not start app containers if init fails on RestartAlways": Pending, PodInitializing, incomplete status', () => {
    const t = run(
      [
        pod('p', [ctr('run1', ['sleep', '600'])], {
          initContainers: [ctr('init1', ['false']), ctr('init2', ['true'])],
        }),
      ],
      40,
    );
    expect(cstat(t, 'p', 'init1', 40).restartCount).toBeGreaterThanOrEqual(3);
    expect(cstat(t, 'p', 'init2', 40).state).toMatchObject({ kind: 'waiting', reason: 'PodInitializing' });
    expect(cstat(t, 'p', 'run1', 40).state).toMatchObject({ kind: 'waiting', reason: 'PodInitializing' });
    expect(snap(t, 'p', 40).status.phase).toBe('Pending');
    expect(cond(t, 'p', 'Initialized', 40)).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [init1 init2]',
    });
    expect(deltas(starts(t, 'init1'))).toEqual([0, 10, 20]);
  });

  it('e2e "fail pod if init fails on RestartNever": Failed, message [init2], run1 waiting', () => {
    const t = run(
      [
        pod('p', [ctr('run1', ['true'])], {
          restartPolicy: 'Never',
          initContainers: [ctr('init1', ['true']), ctr('init2', ['false'])],
        }),
      ],
      30,
    );
    expect(snap(t, 'p', 30).status.phase).toBe('Failed');
    expect(cond(t, 'p', 'Initialized', 30)?.message).toBe('containers with incomplete status: [init2]');
    expect(cstat(t, 'p', 'run1', 30).state.kind).toBe('waiting');
    expect(starts(t, 'run1')).toEqual([]);
  });

  it('e2e_node "no init re-run on regular restart"', () => {
    const t = run(
      [
        pod('p', [ctr('c', ['sleep', '10'])], {
          initContainers: [ctr('i1', ['true']), ctr('i2', ['true']), ctr('i3', ['true'])],
        }),
      ],
      200,
    );
    expect(starts(t, 'c').length).toBeGreaterThanOrEqual(4);
    expect([starts(t, 'i1'), starts(t, 'i2'), starts(t, 'i3')]).toEqual([[0], [0], [0]]);
  });

  it('a sidecar starts before the next init, keeps running, counts in ContainersReady', () => {
    const side = ctr('side', ['sleep', '600'], { restartPolicy: 'Always' });
    const t = run(
      [pod('p', [ctr('c', ['sleep', '600'])], { initContainers: [side, ctr('i2', ['sleep', '2'])] })],
      10,
    );
    expect(starts(t, 'side')).toEqual([0]);
    expect(starts(t, 'i2')).toEqual([0]);
    expect(starts(t, 'c')).toEqual([2]);
    expect(snap(t, 'p', 10).status.phase).toBe('Running');
    expect(cond(t, 'p', 'ContainersReady', 10)?.status).toBe('True');
    expect(cstat(t, 'p', 'side', 10)).toMatchObject({ ready: true, started: true });
  });

  it('a sidecar with a startupProbe: the next init starts only once it is started (section 5)', () => {
    const side = ctr('side', ['script', 'sleep:5000', 'touch:/up', 'sleep:600000'], {
      restartPolicy: 'Always',
      startupProbe: probe({ exec: { command: ['cat', '/up'] }, periodSeconds: 2, failureThreshold: 30 }),
    });
    const t = run(
      [pod('p', [ctr('c', ['sleep', '600'])], { initContainers: [side, ctr('i2', ['true'])] })],
      20,
    );
    expect(starts(t, 'i2')).toEqual([6]);
    expect(snap(t, 'p', 3).status.phase).toBe('Pending');
  });

  it('sidecars are restarted regardless of restartPolicy and stopped when the regular containers are done', () => {
    const side = ctr('side', ['sleep', '3'], { restartPolicy: 'Always' });
    const t = run(
      [pod('p', [ctr('c', ['sleep', '20'])], { restartPolicy: 'Never', initContainers: [side] })],
      80,
    );
    expect(starts(t, 'side').length).toBeGreaterThanOrEqual(3);
    const s = snap(t, 'p', 80);
    expect(s.status.phase).toBe('Succeeded');
  });
});

describe('3 probes', () => {
  const web = (
    p: Partial<Parameters<typeof probe>[0]>,
    kind: 'readinessProbe' | 'livenessProbe' = 'readinessProbe',
  ) => ctr('web', ['script', 'serve:80', 'idle'], { [kind]: probe(p) });

  it('e2e "readiness should not be ready before initial delay and never restart"', () => {
    const t = run(
      [pod('p', [web({ httpGet: { path: '/', port: 80, scheme: 'HTTP' }, initialDelaySeconds: 15 })])],
      60,
    );
    const readyAt = changeInstants(t, 'Pod/default/p').find(
      (s) => cond(t, 'p', 'Ready', s / 1000)?.status === 'True',
    );
    expect(readyAt).toBeDefined();
    expect(readyAt!).toBeGreaterThanOrEqual(15_000);
    expect(readyAt).toBe(20_000);
    expect(cstat(t, 'p', 'web', 60).restartCount).toBe(0);
  });

  it('e2e "readiness that fails should never be ready and never restart" (port 81, connection refused)', () => {
    const t = run([pod('p', [web({ httpGet: { path: '/', port: 81, scheme: 'HTTP' } })])], 60);
    for (let s = 0; s <= 60; s++) expect(cond(t, 'p', 'Ready', s)?.status).toBe('False');
    expect(cstat(t, 'p', 'web', 60).restartCount).toBe(0);
    const ip = snap(t, 'p', 1).status.podIP;
    expect(msgs(t, 'Unhealthy')[0]).toBe(
      `Readiness probe failed: Get "http://${ip}:81/": dial tcp ${ip}:81: connect: connection refused`,
    );
  });

  it('readiness is probed on container start (manual trigger) and then every period (sections 3.1, 13)', () => {
    const t = run([pod('p', [web({ tcpSocket: { port: 80 }, periodSeconds: 10 })])], 30);
    const at = t.probes.filter((p) => p.probe === 'readiness').map((p) => p.at / 1000);
    expect(at).toEqual([0, 10, 20, 30]);
    expect(cond(t, 'p', 'Ready', 0)?.status).toBe('True');
  });

  it('e2e "restarted with exec cat /tmp/health liveness" and "not restarted" twin', () => {
    const lp = probe({
      exec: { command: ['cat', '/tmp/health'] },
      initialDelaySeconds: 15,
      timeoutSeconds: 5,
      failureThreshold: 1,
    });
    const bad = ctr('c', ['script', 'touch:/tmp/health', 'sleep:10000', 'rm:/tmp/health', 'sleep:600000'], {
      livenessProbe: lp,
    });
    const good = ctr('c', ['script', 'touch:/tmp/health', 'sleep:600000'], { livenessProbe: lp });
    const t = run([pod('bad', [bad]), pod('good', [good])], 240);
    expect(cstat(t, 'bad', 'c', 240).restartCount).toBeGreaterThanOrEqual(1);
    expect(cstat(t, 'good', 'c', 240).restartCount).toBe(0);
    const kill = eventsFor(t, 'Pod/bad').find((e) => e.reason === 'Killing');
    expect(kill?.message).toBe('Container c failed liveness probe, will be restarted');
    expect(eventsFor(t, 'Pod/bad').find((e) => e.reason === 'Unhealthy')?.message).toBe(
      "Liveness probe failed: cat: can't open '/tmp/health': No such file or directory\n",
    );
  });

  it('a liveness kill of a SIGTERM-ignoring process takes the full grace period; probe-level TGPS overrides it (4.3, e2e)', () => {
    const lp = (tg?: number) =>
      probe({
        httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' },
        initialDelaySeconds: 10,
        failureThreshold: 1,
        ...(tg ? { terminationGracePeriodSeconds: tg } : {}),
      });
    const t = run(
      [
        pod('full', [ctr('c', ['sleep', '1000'], { livenessProbe: lp() })], {
          terminationGracePeriodSeconds: 500,
        }),
        pod('short', [ctr('c', ['sleep', '1000'], { livenessProbe: lp(5) })], {
          terminationGracePeriodSeconds: 500,
        }),
      ],
      600,
    );
    expect(starts(t, 'c').length).toBeGreaterThan(0);
    const killAt = (n: string) => eventsFor(t, `Pod/${n}`).find((e) => e.reason === 'Killing')!.at / 1000;
    expect(killAt('short')).toBe(10);
    expect(cstat(t, 'short', 'c', 15).lastState).toMatchObject({
      exitCode: 137,
      reason: 'Error',
      finishedAt: 15_000,
    });
    expect(cstat(t, 'full', 'c', 509).restartCount).toBe(0);
    expect(cstat(t, 'full', 'c', 510).restartCount).toBe(1);
  });

  it('e2e "restarted with exec liveness probe with timeout": a probe still running at the timeout fails', () => {
    const lp = probe({
      exec: { command: ['script', 'sleep:10000'] },
      initialDelaySeconds: 15,
      timeoutSeconds: 1,
      failureThreshold: 1,
    });
    const t = run(
      [pod('p', [ctr('c', ['sleep', '600'], { livenessProbe: lp })], { terminationGracePeriodSeconds: 1 })],
      60,
    );
    expect(cstat(t, 'p', 'c', 60).restartCount).toBeGreaterThanOrEqual(1);
    expect(msgs(t, 'Unhealthy')[0]).toBe(
      'Liveness probe failed: command timed out: "script sleep:10000" timed out after 1s',
    );
    expect(t.probes[0]).toMatchObject({ at: 21_000, result: 'failure' });
  });

  it('e2e "startup probe fails" restarts; "not restarted by liveness because startup delays it"', () => {
    const t = run(
      [
        pod(
          'fails',
          [
            ctr('c', ['sleep', '600'], {
              startupProbe: probe({
                exec: { command: ['false'] },
                initialDelaySeconds: 15,
                failureThreshold: 3,
              }),
              livenessProbe: probe({
                exec: { command: ['true'] },
                initialDelaySeconds: 15,
                failureThreshold: 1,
              }),
            }),
          ],
          { terminationGracePeriodSeconds: 1 },
        ),
        pod('gated', [
          ctr('c', ['sleep', '600'], {
            startupProbe: probe({
              exec: { command: ['false'] },
              initialDelaySeconds: 15,
              failureThreshold: 60,
            }),
            livenessProbe: probe({ exec: { command: ['false'] }, failureThreshold: 1 }),
          }),
        ]),
      ],
      240,
    );
    expect(cstat(t, 'fails', 'c', 240).restartCount).toBeGreaterThanOrEqual(1);
    expect(eventsFor(t, 'Pod/fails').find((e) => e.reason === 'Killing')?.message).toBe(
      'Container c failed startup probe, will be restarted',
    );
    expect(cstat(t, 'gated', 'c', 240).restartCount).toBe(0);
    expect(t.probes.some((p) => p.pod === 'gated' && p.probe === 'liveness')).toBe(false);
  });

  it('e2e "restarted by liveness after startup enables it"', () => {
    const c = ctr('c', ['script', 'sleep:10000', 'touch:/tmp/startup', 'sleep:600000'], {
      startupProbe: probe({
        exec: { command: ['cat', '/tmp/startup'] },
        initialDelaySeconds: 15,
        failureThreshold: 60,
      }),
      livenessProbe: probe({ exec: { command: ['false'] }, initialDelaySeconds: 15, failureThreshold: 1 }),
    });
    const t = run([pod('p', [c], { terminationGracePeriodSeconds: 1 })], 240);
    expect(cstat(t, 'p', 'c', 240).restartCount).toBeGreaterThanOrEqual(1);
  });

  it('e2e "ready immediately after startupProbe succeeds" (manual trigger, not a full period)', () => {
    const c = ctr('c', ['script', 'touch:/tmp/health', 'sleep:32000', 'touch:/tmp/startup', 'sleep:600000'], {
      readinessProbe: probe({ exec: { command: ['cat', '/tmp/health'] }, periodSeconds: 30 }),
      startupProbe: probe({
        exec: { command: ['cat', '/tmp/startup'] },
        periodSeconds: 5,
        failureThreshold: 120,
      }),
    });
    const t = run([pod('p', [c])], 120);
    const startedAt = changeInstants(t, 'Pod/default/p').find((s) => cstat(t, 'p', 'c', s / 1000).started)!;
    const readyAt = changeInstants(t, 'Pod/default/p').find(
      (s) => cond(t, 'p', 'Ready', s / 1000)?.status === 'True',
    )!;
    expect(startedAt).toBe(35_000);
    expect(readyAt - startedAt).toBeLessThanOrEqual(25_000);
    expect(readyAt).toBe(35_000);
  });

  it('initialDelaySeconds counts from container start even with a startupProbe (3.1, 12.2)', () => {
    const c = ctr('c', ['sleep', '600'], {
      startupProbe: probe({ exec: { command: ['true'] }, periodSeconds: 1 }),
      livenessProbe: probe({ exec: { command: ['true'] }, periodSeconds: 1, initialDelaySeconds: 5 }),
    });
    const t = run([pod('p', [c])], 10);
    expect(t.probes.find((p) => p.probe === 'liveness')?.at).toBe(5000);
  });

  it('an exec probe whose binary is missing errors: discarded, never restarts, note added (3.3, 13)', () => {
    const c = ctr('c', ['sleep', '600'], {
      livenessProbe: probe({
        exec: { command: ['curl', 'localhost'] },
        periodSeconds: 2,
        failureThreshold: 1,
      }),
    });
    const t = run([pod('p', [c])], 60);
    expect(cstat(t, 'p', 'c', 60).restartCount).toBe(0);
    expect(t.probes.every((p) => p.result === 'error')).toBe(true);
    expect(msgs(t, 'Unhealthy')[0]).toMatch(
      /^Liveness probe errored and resulted in unknown state: rpc error: code = Unknown desc = failed to exec in container: .*exec: "curl": executable file not found in \$PATH: unknown$/,
    );
    expect(t.notes).toHaveLength(1);
    expect(t.notes[0]).toMatchObject({ pod: 'p', container: 'c' });
  });

  it('Unhealthy events on every failure, also below the threshold (3.4)', () => {
    const c = ctr('c', ['sleep', '600'], {
      livenessProbe: probe({ exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 3 }),
    });
    const t = run([pod('p', [c], { terminationGracePeriodSeconds: 1 })], 3);
    expect(msgs(t, 'Unhealthy')).toEqual([
      'Liveness probe failed: ',
      'Liveness probe failed: ',
      'Liveness probe failed: ',
    ]);
    expect(msgs(t, 'Killing')).toEqual(['Container c failed liveness probe, will be restarted']);
  });

  it('liveness kill with restartPolicy Never: no ", will be restarted", pod Failed (4.1)', () => {
    const c = ctr('c', ['sleep', '600'], {
      livenessProbe: probe({ exec: { command: ['false'] }, failureThreshold: 1 }),
    });
    const t = run([pod('p', [c], { restartPolicy: 'Never', terminationGracePeriodSeconds: 1 })], 30);
    expect(msgs(t, 'Killing')).toEqual(['Container c failed liveness probe']);
    expect(snap(t, 'p', 30).status.phase).toBe('Failed');
  });
});

describe('4.3 hooks', () => {
  it('e2e_node "PostStart blocks second container": c2 starts after c1 postStart; c1 waits ContainerCreating', () => {
    const c1 = ctr('c1', ['sleep', '600'], {
      lifecycle: { postStart: { exec: { command: ['sleep', '1'] } } },
    });
    const t = run([pod('p', [c1, ctr('c2', ['sleep', '600'])], { restartPolicy: 'Never' })], 5);
    expect(starts(t, 'c1')).toEqual([0]);
    expect(starts(t, 'c2')).toEqual([1]);
    expect(cstat(t, 'p', 'c1', 0).state).toMatchObject({ kind: 'waiting', reason: 'ContainerCreating' });
    expect(cstat(t, 'p', 'c1', 1).state).toMatchObject({ kind: 'running', startedAt: 0 });
  });

  it('postStart failure: FailedPostStartHook, Killing FailedPostStartHook, waiting PostStartHookError (4.3)', () => {
    const c = ctr('c', ['sleep', '600'], {
      lifecycle: { postStart: { exec: { command: ['script', 'err:boom', 'exit:1'] } } },
    });
    const t = run([pod('p', [c], { terminationGracePeriodSeconds: 3 })], 4);
    const uid = snap(t, 'p', 0).uid;
    expect(msgs(t, 'FailedPostStartHook')[0]).toBe('PostStartHook failed');
    expect(msgs(t, 'Killing')[0]).toBe('FailedPostStartHook');
    const st = t.records
      .flatMap((r) => (r.exists && r.snapshot.kind === 'Pod' ? r.snapshot.status.containerStatuses : []))
      .find((x) => x.state.kind === 'waiting' && x.state.reason === 'PostStartHookError');
    expect(st?.state.kind === 'waiting' && st.state.message).toBe(
      `Exec lifecycle hook ([script err:boom exit:1]) for Container "c" in Pod "p_default(${uid})" failed - error: command 'script err:boom exit:1' exited with 1: boom\n, message: "boom\\n"`,
    );
    expect(cstat(t, 'p', 'c', 3).lastState).toMatchObject({ exitCode: 137 });
  });

  it('e2e "Sleep action: valid prestop": deletion takes between 5 s and 30 s', () => {
    const c = ctr('c', ['sleep', '600'], { lifecycle: { preStop: { sleep: { seconds: 5 } } } });
    const t = run([pod('p', [c])], 60, [
      { at: 1000, kind: 'delete', objectKind: 'Pod', name: 'p', namespace: 'default' },
    ]);
    const gone = t.records.find((r) => !r.exists)!.at / 1000 - 1;
    expect(gone).toBe(30);
  });

  it('e2e "Sleep action: reduce GracePeriodSeconds": delete with grace 2, preStop sleep 15 -> 2 s + 2 s minimum', () => {
    const c = ctr('c', ['sleep', '600'], { lifecycle: { preStop: { sleep: { seconds: 15 } } } });
    const t = run([pod('p', [c])], 60, [
      { at: 1000, kind: 'delete', objectKind: 'Pod', name: 'p', namespace: 'default', gracePeriodSeconds: 2 },
    ]);
    const gone = t.records.find((r) => !r.exists)!.at / 1000 - 1;
    expect(gone).toBeGreaterThanOrEqual(2);
    expect(gone).toBeLessThan(15);
    expect(gone).toBe(4);
  });

  it('e2e "Sleep action: ignore terminated container": deletion < 15 s', () => {
    const c = ctr('c', ['true'], { lifecycle: { preStop: { sleep: { seconds: 20 } } } });
    const t = run([pod('p', [c], { restartPolicy: 'Never' })], 60, [
      { at: 5000, kind: 'delete', objectKind: 'Pod', name: 'p', namespace: 'default' },
    ]);
    expect(t.records.find((r) => !r.exists)!.at).toBe(5000);
  });

  it('preStop exec failure: FailedPreStopHook, the kill continues', () => {
    const c = ctr('c', ['sleep', '600'], { lifecycle: { preStop: { exec: { command: ['false'] } } } });
    const t = run([pod('p', [c], { terminationGracePeriodSeconds: 3 })], 60, [
      { at: 0, kind: 'delete', objectKind: 'Pod', name: 'p', namespace: 'default' },
    ]);
    expect(msgs(t, 'FailedPreStopHook')).toEqual(['PreStopHook failed']);
    expect(t.records.find((r) => !r.exists)!.at).toBe(3000);
  });
});

describe('9 deletion and termination', () => {
  it('Terminating with deletionTimestamp; SIGTERM-ignoring container killed after the grace period; terminal phase; removal', () => {
    const t = run([pod('p', [ctr('c', ['sleep', '600'])])], 60, [
      { at: 10_000, kind: 'delete', objectKind: 'Pod', name: 'p', namespace: 'default' },
    ]);
    const s = snap(t, 'p', 10);
    expect(s.deletionTimestamp).toBe(40_000);
    expect(s.deletionGracePeriodSeconds).toBe(30);
    expect(msgs(t, 'Killing')).toEqual(['Stopping container c']);
    expect(stateAt(t, 'Pod/default/p', 39_999)).toBeDefined();
    expect(stateAt(t, 'Pod/default/p', 40_000)).toBeUndefined();
    const last = t.records.filter((r) => r.exists).at(-1)!;
    expect(last.exists && last.snapshot.kind === 'Pod' && last.snapshot.status.phase).toBe('Failed');
    expect(t.actions[0]).toMatchObject({ stdout: 'pod "p" deleted\n', exitCode: 0 });
  });

  it('a process that handles SIGTERM ends at once; all exit 0 -> Succeeded before removal', () => {
    const t = run([pod('p', [ctr('c', ['sleep', '600'], { image: 'fake-term:1' })])], 60, [
      { at: 10_000, kind: 'delete', objectKind: 'Pod', name: 'p', namespace: 'default' },
    ]);
    expect(stateAt(t, 'Pod/default/p', 10_000)).toBeUndefined();
    const last = t.records.filter((r) => r.exists).at(-1)!;
    expect(last.exists && last.snapshot.kind === 'Pod' && last.snapshot.status.phase).toBe('Succeeded');
  });

  it('--grace-period=0 without --force becomes 1 (kill min 2 s); --force removes the object at once', () => {
    const t = run([pod('a', [ctr('c', ['sleep', '600'])]), pod('b', [ctr('c', ['sleep', '600'])])], 60, [
      { at: 1000, kind: 'delete', objectKind: 'Pod', name: 'a', namespace: 'default', gracePeriodSeconds: 0 },
      {
        at: 1000,
        kind: 'delete',
        objectKind: 'Pod',
        name: 'b',
        namespace: 'default',
        gracePeriodSeconds: 0,
        force: true,
      },
    ]);
    expect(snap(t, 'a', 1).deletionGracePeriodSeconds).toBe(1);
    expect(t.records.find((r) => r.key === 'Pod/default/a' && !r.exists)?.at).toBe(3000);
    expect(t.records.find((r) => r.key === 'Pod/default/b' && !r.exists)?.at).toBe(1000);
    expect(t.actions[1]).toMatchObject({
      stdout: 'pod "b" force deleted\n',
      stderr:
        'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    });
    expect(eventsFor(t, 'Pod/b').some((e) => e.reason === 'Killing')).toBe(true);
  });

  it('sidecars are stopped after the regular containers (section 5, 9)', () => {
    const side = ctr('side', ['sleep', '600'], { restartPolicy: 'Always' });
    const t = run(
      [pod('p', [ctr('c', ['sleep', '600'])], { initContainers: [side], terminationGracePeriodSeconds: 5 })],
      60,
      [{ at: 1000, kind: 'delete', objectKind: 'Pod', name: 'p', namespace: 'default' }],
    );
    const kills = t.events.filter((e) => e.reason === 'Killing').map((e) => [e.container, e.at / 1000]);
    expect(kills).toEqual([
      ['c', 1],
      ['side', 6],
    ]);
  });

  it('liveness probing stops during termination, readiness continues (e2e "readiness false and liveness disabled while terminating")', () => {
    const c = ctr('c', ['script', 'touch:/tmp/ready', 'sleep:600000'], {
      readinessProbe: probe({
        exec: { command: ['cat', '/tmp/ready'] },
        periodSeconds: 2,
        failureThreshold: 1,
      }),
      livenessProbe: probe({ exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 100 }),
    });
    const t = run([pod('p', [c])], 60, [
      { at: 10_000, kind: 'delete', objectKind: 'Pod', name: 'p', namespace: 'default' },
    ]);
    expect(t.probes.filter((p) => p.probe === 'liveness' && p.at > 10_000)).toEqual([]);
    expect(t.probes.some((p) => p.probe === 'readiness' && p.at > 10_000)).toBe(true);
  });

  it('activeDeadlineSeconds: Failed, reason DeadlineExceeded, containers killed (section 9)', () => {
    const t = run(
      [
        pod('p', [ctr('c', ['sleep', '600'])], {
          activeDeadlineSeconds: 5,
          terminationGracePeriodSeconds: 2,
        }),
      ],
      30,
    );
    const s = snap(t, 'p', 5);
    expect(s.status).toMatchObject({ phase: 'Failed', reason: 'DeadlineExceeded' });
    expect(msgs(t, 'DeadlineExceeded')).toEqual([
      'Pod was active on the node longer than the specified deadline',
    ]);
    expect(cstat(t, 'p', 'c', 30).state).toMatchObject({ kind: 'terminated', exitCode: 137 });
    expect(starts(t, 'c')).toEqual([0]);
  });
});

describe('9 deletion during kubelet work', () => {
  it('deleting a Pod while a failed postStart kill is in progress still removes it', () => {
    const c = ctr('c', ['sleep', '600'], { lifecycle: { postStart: { exec: { command: ['false'] } } } });
    const t = run([pod('p', [c], { terminationGracePeriodSeconds: 10 })], 60, [
      { at: 3000, kind: 'delete', objectKind: 'Pod', name: 'p', namespace: 'default' },
    ]);
    expect(t.records.find((r) => !r.exists)?.at).toBe(10_000);
  });

  it('deleting a Pod while a liveness kill is in progress still removes it', () => {
    const c = ctr('c', ['sleep', '600'], {
      livenessProbe: probe({ exec: { command: ['false'] }, periodSeconds: 1, failureThreshold: 1 }),
    });
    const t = run([pod('p', [c], { terminationGracePeriodSeconds: 20 })], 60, [
      { at: 5000, kind: 'delete', objectKind: 'Pod', name: 'p', namespace: 'default', gracePeriodSeconds: 5 },
    ]);
    // The liveness kill (1 s, grace 20) is overtaken by the deletion's (5 s, grace 5).
    expect(t.events.filter((e) => e.reason === 'Killing').map((e) => e.at)).toEqual([1000, 5000]);
    expect(t.records.find((r) => !r.exists)?.at).toBe(10_000);
    expect(starts(t, 'c')).toEqual([0]);
  });
});

describe('9 deletion with a zero grace period in the spec', () => {
  it('terminationGracePeriodSeconds: 0 -> the object is removed at once, the kubelet still stops the container', () => {
    const t = run([pod('p', [ctr('c', ['sleep', '600'])], { terminationGracePeriodSeconds: 0 })], 10, [
      { at: 1000, kind: 'delete', objectKind: 'Pod', name: 'p', namespace: 'default' },
    ]);
    expect(t.records.find((r) => !r.exists)?.at).toBe(1000);
    expect(t.actions[0]).toMatchObject({ stdout: 'pod "p" deleted\n', stderr: '' });
    expect(t.events.some((e) => e.reason === 'Killing')).toBe(true);
  });
});
