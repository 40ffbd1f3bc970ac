/**
 * Kubelet rules, continued: probes, hooks, deletion and termination (kubernetes-semantics.md
 * sections 3, 4.3 and 9), one test per rule as in kubelet.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { changeInstants, eventsFor, stateAt } from '../../src/sim/query.ts';
import { ctr, pod, probe, run, starts } from './helpers.ts';
import { cond, cstat, msgs, snap } from './kubelet-queries.ts';

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
