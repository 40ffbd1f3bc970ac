/**
 * Sequences derived from the upstream e2e cases (k/k test/e2e/common/node/container_probe.go)
 * and the docs' liveness-exec example, driven through a minimal kubelet loop.
 */
import { describe, expect, it } from 'vitest';
import { fail, type HarnessEvent, ok, probeSpec, runHarness } from './harness.ts';

const S = 1000;
const kills = (log: HarnessEvent[]) => log.filter((e) => e.kind === 'kill');
const starts = (log: HarnessEvent[]) => log.filter((e) => e.kind === 'start');
const readyAt = (log: HarnessEvent[]) => log.find((e) => e.kind === 'ready' && e.ready)?.at;

describe('e2e-derived probe sequences', () => {
  it('docs liveness-exec (delay 5, period 5, failureThreshold 3, file removed at 30 s): killed at the third failure, 40 s', () => {
    const log = runHarness({
      probes: { liveness: probeSpec({ initialDelaySeconds: 5, periodSeconds: 5 }) },
      outcome: (_t, since) => (since < 30 * S ? ok : fail),
      horizonMs: 45 * S,
      restartDelayMs: 60 * S,
    });
    const probes = log
      .filter((e) => e.kind === 'probe')
      .map((e) => [e.at / S, e.kind === 'probe' && e.outcome]);
    expect(probes).toEqual([
      [5, 'success'],
      [10, 'success'],
      [15, 'success'],
      [20, 'success'],
      [25, 'success'],
      [30, 'failure'],
      [35, 'failure'],
      [40, 'failure'],
    ]);
    expect(kills(log)).toEqual([{ at: 40 * S, kind: 'kill', type: 'liveness' }]);
  });

  it('liveness failureThreshold 3 period 3: a success in between resets the run', () => {
    const pattern = [fail, fail, ok, fail, fail, fail];
    const log = runHarness({
      probes: { liveness: probeSpec({ periodSeconds: 3 }) },
      outcome: (_t, since) => pattern[Math.round(since / (3 * S))] ?? ok,
      horizonMs: 20 * S,
      restartDelayMs: 100 * S,
    });
    expect(kills(log)).toEqual([{ at: 15 * S, kind: 'kill', type: 'liveness' }]);
  });

  it('readiness should not be ready before initial delay (delay 15, period 10): Ready at 20 s, never restarted', () => {
    const log = runHarness({
      probes: { readiness: probeSpec({ initialDelaySeconds: 15 }) },
      outcome: () => ok,
      horizonMs: 60 * S,
    });
    expect(readyAt(log)).toBe(20 * S);
    expect(kills(log)).toEqual([]);
  });

  it('readiness that fails is never ready and never restarts', () => {
    const log = runHarness({ probes: { readiness: probeSpec({}) }, outcome: () => fail, horizonMs: 60 * S });
    expect(readyAt(log)).toBeUndefined();
    expect(starts(log)).toHaveLength(1);
  });

  it('ready immediately after startupProbe succeeds (manual trigger), not a full readiness period later', () => {
    const log = runHarness({
      probes: {
        readiness: probeSpec({ periodSeconds: 30 }),
        startup: probeSpec({ periodSeconds: 5, failureThreshold: 120 }),
      },
      // /tmp/health exists from the start; /tmp/startup appears at 32 s.
      outcome: (type, since) => (type === 'readiness' ? ok : since >= 32 * S ? ok : fail),
      horizonMs: 120 * S,
    });
    const started = log.find((e) => e.kind === 'started')?.at;
    expect(started).toBe(35 * S);
    expect(readyAt(log)).toBe(35 * S);
    expect(readyAt(log)! - started!).toBeLessThanOrEqual(25 * S);
  });

  it('restarted when the startup probe fails (delay 15, failureThreshold 3): killed at the third failure', () => {
    const log = runHarness({
      probes: {
        startup: probeSpec({ initialDelaySeconds: 15, failureThreshold: 3 }),
        liveness: probeSpec({ initialDelaySeconds: 15, failureThreshold: 1 }),
      },
      outcome: (type) => (type === 'startup' ? fail : ok),
      horizonMs: 60 * S,
      restartDelayMs: 1000 * S,
    });
    expect(kills(log)).toEqual([{ at: 40 * S, kind: 'kill', type: 'startup' }]);
    expect(log.some((e) => e.kind === 'probe' && e.type === 'liveness')).toBe(false);
  });

  it('not restarted by liveness because the startup probe delays it (failureThreshold 60, 4 min)', () => {
    const log = runHarness({
      probes: {
        startup: probeSpec({ initialDelaySeconds: 15, failureThreshold: 60 }),
        liveness: probeSpec({ failureThreshold: 1 }),
      },
      outcome: () => fail,
      horizonMs: 240 * S,
    });
    expect(kills(log)).toEqual([]);
  });

  it('restarted by liveness after the startup probe enables it', () => {
    const log = runHarness({
      probes: {
        startup: probeSpec({ initialDelaySeconds: 15, failureThreshold: 60 }),
        liveness: probeSpec({ initialDelaySeconds: 15, failureThreshold: 1 }),
      },
      outcome: (type, since) => (type === 'liveness' ? fail : since >= 10 * S ? ok : fail),
      horizonMs: 60 * S,
      restartDelayMs: 1000 * S,
    });
    expect(log.find((e) => e.kind === 'started')?.at).toBe(20 * S);
    expect(kills(log)).toEqual([{ at: 20 * S, kind: 'kill', type: 'liveness' }]);
  });

  it('monotonically increasing restarts: liveness failing after 10 s with failureThreshold 1 restarts again and again', () => {
    const log = runHarness({
      probes: { liveness: probeSpec({ initialDelaySeconds: 5, failureThreshold: 1 }) },
      outcome: (_t, since) => (since < 10 * S ? ok : fail),
      horizonMs: 600 * S,
      restartDelayMs: 30 * S,
    });
    expect(starts(log).length).toBeGreaterThanOrEqual(5);
    const instants = starts(log).map((e) => e.at);
    expect([...instants].sort((a, b) => a - b)).toEqual(instants);
  });

  it('readiness false while terminating, liveness disabled: no liveness probe after deletion', () => {
    const log = runHarness({
      probes: {
        readiness: probeSpec({ initialDelaySeconds: 5, periodSeconds: 2, failureThreshold: 1 }),
        liveness: probeSpec({ periodSeconds: 1, failureThreshold: 1 }),
      },
      // SIGTERM at 20 s removes /tmp/ready and /tmp/liveness.
      outcome: (_t, since) => (since < 20 * S ? ok : fail),
      horizonMs: 40 * S,
      deleteAt: 20 * S,
    });
    expect(log.filter((e) => e.kind === 'probe' && e.type === 'liveness' && e.at >= 20 * S)).toEqual([]);
    expect(kills(log)).toEqual([]);
    const unready = log.find((e) => e.kind === 'ready' && !e.ready && e.at >= 20 * S);
    expect(unready?.at).toBe(20 * S);
  });
});
