/**
 * The outcomes of the golden cases taken from upstream's e2e tests (test/e2e/common/node, test/e2e_node), by case name.
 */
import { expect } from 'vitest';
import type { Trace } from '../../src/model/trace.ts';
import { changeInstants, podAt } from '../../src/sim/query.ts';
import {
  ctr,
  firstReady,
  goneAt,
  neverReady,
  noRestartsThroughout,
  pod,
  ready,
  restartDelays,
  restarts,
  starts,
  status,
} from './golden-queries.ts';

export const E2E_OUTCOMES: Record<string, (t: Trace) => void> = {
  'e2e-probe-readiness-initial-delay': (t: Trace) => {
    const startedAt = ctr(t, 'probe-pod', 'c', 1).state;
    expect(startedAt.kind === 'running' && startedAt.startedAt).toBe(0);
    expect(firstReady(t, 'probe-pod')).toBeGreaterThanOrEqual(15);
    noRestartsThroughout(t, 'probe-pod', 90);
  },
  'e2e-probe-readiness-fails': (t: Trace) => {
    neverReady(t, 'probe-pod', 60);
    noRestartsThroughout(t, 'probe-pod', 70);
  },
  'e2e-probe-liveness-exec-restarted': (t: Trace) =>
    expect(restarts(t, 'liveness-exec', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-liveness-exec-not-restarted': (t: Trace) => noRestartsThroughout(t, 'liveness-exec', 240),
  'e2e-probe-liveness-http-restarted': (t: Trace) =>
    expect(restarts(t, 'liveness-http', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-liveness-tcp-not-restarted': (t: Trace) => noRestartsThroughout(t, 'liveness-tcp', 240),
  'e2e-probe-monotonic-restarts': (t: Trace) => {
    expect(restarts(t, 'liveness-http', 840)).toBeGreaterThanOrEqual(5);
    let last = 0;
    for (let s = 0; s <= 840; s += 1) {
      const n = restarts(t, 'liveness-http', s);
      expect(n).toBeGreaterThanOrEqual(last);
      last = n;
    }
  },
  'e2e-probe-liveness-http-not-restarted': (t: Trace) => noRestartsThroughout(t, 'liveness-http', 240),
  'e2e-probe-liveness-exec-timeout': (t: Trace) => {
    expect(restarts(t, 'liveness-timeout', 240)).toBeGreaterThanOrEqual(1);
    expect(
      t.events.some(
        (e) =>
          e.message === 'Liveness probe failed: command timed out: "/bin/sh -c sleep 10" timed out after 1s',
      ),
    ).toBe(true);
  },
  'e2e-probe-readiness-exec-timeout': (t: Trace) => {
    neverReady(t, 'readiness-timeout', 60);
    noRestartsThroughout(t, 'readiness-timeout', 70);
  },
  'e2e-probe-liveness-exec-longer-than-timeout': (t: Trace) =>
    expect(restarts(t, 'liveness-timeout', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-startup-fails': (t: Trace) => expect(restarts(t, 'startup', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-startup-delays-liveness': (t: Trace) => {
    noRestartsThroughout(t, 'startup', 240);
    expect(t.events.some((e) => e.message.startsWith('Liveness'))).toBe(false);
  },
  'e2e-probe-startup-enables-liveness': (t: Trace) =>
    expect(restarts(t, 'startup', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-ready-after-startup': (t: Trace) => {
    const startedAt = changeInstants(t, 'Pod/default/startup').find(
      (ms) => ctr(t, 'startup', 'busybox', ms / 1000).started,
    );
    expect(startedAt).toBeDefined();
    const r = firstReady(t, 'startup')!;
    expect(r - startedAt! / 1000).toBeLessThanOrEqual(25);
  },
  'e2e-probe-liveness-grace-override': (t: Trace) => {
    expect(restarts(t, 'liveness-override', 280)).toBeGreaterThanOrEqual(1);
    const kill = t.events.find((e) => e.reason === 'Killing')!;
    expect(ctr(t, 'liveness-override', 'busybox', 280).restartCount).toBeGreaterThanOrEqual(1);
    const first = t.records.find(
      (r) =>
        r.exists && r.snapshot.kind === 'Pod' && r.snapshot.status.containerStatuses[0]?.restartCount === 1,
    )!;
    expect((first.at - kill.at) / 1000).toBe(5);
  },
  'e2e-probe-startup-grace-override': (t: Trace) => {
    expect(restarts(t, 'startup-override', 280)).toBeGreaterThanOrEqual(1);
    expect(t.events.find((e) => e.reason === 'Killing')?.message).toBe(
      'Container busybox failed startup probe, will be restarted',
    );
  },
  'e2e-probe-grpc-not-restarted': (t: Trace) => noRestartsThroughout(t, 'grpc', 240),
  'e2e-probe-grpc-restarted': (t: Trace) => expect(restarts(t, 'grpc', 240)).toBeGreaterThanOrEqual(1),
  'e2e-probe-readiness-false-while-terminating': (t: Trace) => {
    const gone = goneAt(t, 'Pod/default/terminating')!;
    expect(gone).toBeGreaterThan(15);
    expect(ready(t, 'terminating', gone - 1)).toBe(false);
    expect(pod(t, 'terminating', gone - 1).deletionTimestamp).toBeDefined();
    expect(t.events.some((e) => e.message.includes('failed liveness probe'))).toBe(false);
  },
  'e2e-init-restart-never': (t: Trace) => {
    const s = status(t, 'pod-init', 30);
    expect(s.phase).toBe('Succeeded');
    expect(s.conditions.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(
      s.initContainerStatuses.every(
        (c) => c.ready && c.state.kind === 'terminated' && c.state.exitCode === 0,
      ),
    ).toBe(true);
  },
  'e2e-init-restart-always': (t: Trace) => {
    const s = status(t, 'pod-init', 30);
    expect(s.phase).toBe('Running');
    expect(s.conditions.find((c) => c.type === 'Initialized')?.status).toBe('True');
    expect(
      s.initContainerStatuses.every(
        (c) => c.ready && c.state.kind === 'terminated' && c.state.exitCode === 0,
      ),
    ).toBe(true);
  },
  'e2e-init-fails-restart-always': (t: Trace) => {
    const at =
      changeInstants(t, 'Pod/default/pod-init').find(
        (ms) => ctr(t, 'pod-init', 'init1', ms / 1000).restartCount >= 3,
      )! / 1000;
    for (let s = 0; s <= at; s++) {
      expect(ctr(t, 'pod-init', 'run1', s).state).toMatchObject({
        kind: 'waiting',
        reason: 'PodInitializing',
      });
      expect(ctr(t, 'pod-init', 'init2', s).state).toMatchObject({
        kind: 'waiting',
        reason: 'PodInitializing',
      });
      expect(status(t, 'pod-init', s).phase).toBe('Pending');
    }
    expect(status(t, 'pod-init', at).conditions.find((c) => c.type === 'Initialized')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotInitialized',
      message: 'containers with incomplete status: [init1 init2]',
    });
  },
  'e2e-init-fails-restart-never': (t: Trace) => {
    const s = status(t, 'pod-init', 30);
    expect(s.phase).toBe('Failed');
    expect(s.conditions.find((c) => c.type === 'Initialized')?.message).toBe(
      'containers with incomplete status: [init2]',
    );
    expect(ctr(t, 'pod-init', 'run1', 30).state.kind).toBe('waiting');
  },
  'e2e-hook-prestop-sleep-valid': (t: Trace) => {
    const took = goneAt(t, 'Pod/default/pod-with-prestop-sleep-hook')! - 5;
    expect(took).toBeGreaterThanOrEqual(5);
    expect(took).toBeLessThanOrEqual(30);
  },
  'e2e-hook-prestop-sleep-reduce-grace': (t: Trace) => {
    const took = goneAt(t, 'Pod/default/pod-with-prestop-sleep-hook')! - 5;
    expect(took).toBeGreaterThanOrEqual(2);
    expect(took).toBeLessThanOrEqual(15);
  },
  'e2e-hook-prestop-sleep-ignore-terminated': (t: Trace) => {
    expect(goneAt(t, 'Pod/default/pod-with-prestop-sleep-hook')! - 5).toBeLessThan(15);
  },
  'e2e-hook-prestop-exec': (t: Trace) => {
    expect(t.logs.some((l) => l.text === 'GET /echo?msg=prestop')).toBe(true);
    expect(goneAt(t, 'Pod/default/pod-with-prestop-exec-hook')! - 5).toBeLessThanOrEqual(30);
  },
  'e2e-hook-poststart-exec': (t: Trace) => {
    expect(t.actions[0]).toMatchObject({ stdout: 'GET /echo?msg=poststart\n', exitCode: 0 });
    expect(ctr(t, 'pod-with-poststart-exec-hook', 'pod-with-poststart-exec-hook', 1).state.kind).toBe(
      'waiting',
    );
  },
  'e2e-hook-poststart-fails': (t: Trace) => {
    expect(t.events.find((e) => e.reason === 'FailedPostStartHook')?.message).toBe('PostStartHook failed');
    expect(t.events.find((e) => e.reason === 'Killing')?.message).toBe('FailedPostStartHook');
    expect(ctr(t, 'poststart-fails', 'c', 10).state).toMatchObject({
      kind: 'waiting',
      reason: 'CrashLoopBackOff',
    });
  },
  'e2e-pods-submitted-removed': (t: Trace) => {
    expect(goneAt(t, 'Pod/default/pod-submit-remove')).toBe(40);
    expect(pod(t, 'pod-submit-remove', 39).deletionTimestamp).toBe(40_000);
    expect(podAt(t, 'pod-submit-remove', 40_000)).toBeUndefined();
  },
  'e2e-pods-active-deadline-updated': (t: Trace) => {
    expect(status(t, 'pod-update-activedeadlineseconds', 5)).toMatchObject({
      phase: 'Failed',
      reason: 'DeadlineExceeded',
    });
  },
  'e2e-pods-backoff-reset-image-update': (t: Trace) => {
    const d = restartDelays(t, 'pod-back-off-image', 'back-off');
    // Delays before the update grew to 160 s; after it (at 200 s) they start again at 0/10 s.
    const before = d.slice(0, 6);
    expect(before).toEqual([0, 10, 20, 40, 80, 20]);
    expect(Math.max(...before)).toBeGreaterThanOrEqual(80);
    expect(d[6]).toBeLessThanOrEqual(2 * 10);
  },
  'e2e-pods-backoff-cap': (t: Trace) => {
    const d = restartDelays(t, 'back-off-cap', 'back-off-cap');
    const capped = d.filter((x) => x >= 300);
    expect(capped.length).toBeGreaterThanOrEqual(2);
    expect(capped.every((x) => x >= 300 && x <= 390)).toBe(true);
  },
  'e2e-node-init-serial': (t: Trace) => {
    expect([
      ...starts(t, 'init-1'),
      ...starts(t, 'init-2'),
      ...starts(t, 'init-3'),
      ...starts(t, 'regular-1'),
    ]).toEqual([0, 1, 2, 3]);
  },
  'e2e-node-init-fails-never': (t: Trace) => {
    expect(status(t, 'init-fails', 30).phase).toBe('Failed');
    expect(starts(t, 'regular-1')).toEqual([]);
  },
  'e2e-node-init-before-poststart': (t: Trace) => {
    expect(ctr(t, 'init-poststart', 'init-1', 1).state.kind).toBe('terminated');
    expect(starts(t, 'regular-1')).toEqual([1]);
    expect(ctr(t, 'init-poststart', 'regular-1', 1).state.kind).toBe('waiting');
    expect(ctr(t, 'init-poststart', 'regular-1', 2).state.kind).toBe('running');
  },
  'e2e-node-regular-restarted': (t: Trace) => {
    const at = changeInstants(t, 'Pod/default/regular-restart').find(
      (ms) => ctr(t, 'regular-restart', 'regular-1', ms / 1000).restartCount >= 3,
    );
    expect(at).toBeDefined();
    expect(at!).toBeLessThanOrEqual(120_000);
  },
  'e2e-node-poststart-blocks': (t: Trace) => {
    expect(starts(t, 'regular-1')).toEqual([0]);
    expect(starts(t, 'regular-2')).toEqual([1]);
  },
  'e2e-node-no-init-rerun': (t: Trace) => {
    expect(ctr(t, 'no-init-rerun', 'regular-1', 200).restartCount).toBeGreaterThanOrEqual(3);
    expect([starts(t, 'init-1'), starts(t, 'init-2'), starts(t, 'init-3')]).toEqual([[0], [1], [2]]);
  },
  'e2e-node-bad-init-image': (t: Trace) => {
    expect(
      changeInstants(t, 'Pod/default/bad-init-image').some(
        (ms) =>
          ctr(t, 'bad-init-image', 'init-1', ms / 1000).state.kind === 'waiting' &&
          (ctr(t, 'bad-init-image', 'init-1', ms / 1000).state as { reason: string }).reason ===
            'ImagePullBackOff',
      ),
    ).toBe(true);
    expect(starts(t, 'init-1')).toEqual([]);
    expect(starts(t, 'regular-1')).toEqual([]);
  },
};
