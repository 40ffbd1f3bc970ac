/**
 * Kubelet rules, each traced to a section of kubernetes-semantics.md, run with scripted
 * images (test/sim/fake-image.ts) so that only the kubelet's rules are under test.
 */
import { describe, expect, it } from 'vitest';
import { Backoff } from '../../src/sim/kubelet/backoff.ts';
import { eventsFor } from '../../src/sim/query.ts';
import { ctr, pod, probe, run, starts } from './helpers.ts';
import { cond, cstat, deltas, msgs, restartDelays, snap } from './kubelet-queries.ts';

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
