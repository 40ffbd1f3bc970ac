import { describe, expect, it } from 'vitest';
import type { Probe } from '../../src/model/k8s.ts';
import {
  type ContainerView,
  type HandlerOutcome,
  manualTrigger,
  newProbeWorker,
  nextProbeAt,
  nextTickAt,
  type ProbeType,
  probeDue,
  recordOutcome,
  wantsManualTrigger,
} from '../../src/sim/kubelet/probe-worker.ts';

function probe(p: Partial<Probe> = {}): Probe {
  return {
    exec: { command: ['cat', '/tmp/healthy'] },
    initialDelaySeconds: 0,
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
    ...p,
  };
}

const live = { terminal: false, deleting: false };
function running(id = 'containerd://a', startedAt = 0, started = true): ContainerView {
  return { id, running: true, startedAt, started, terminatedForGood: false };
}
const fail: HandlerOutcome = { kind: 'failure', output: 'x' };
const ok: HandlerOutcome = { kind: 'success' };
const err: HandlerOutcome = { kind: 'error', output: 'boom' };

describe('prober worker (k/k pkg/kubelet/prober/worker.go doProbe)', () => {
  const initial: { type: ProbeType; expected: string }[] = [
    { type: 'readiness', expected: 'failure' },
    { type: 'liveness', expected: 'success' },
    { type: 'startup', expected: 'unknown' },
  ];
  it.each(initial)(
    'step 2: new container publishes the initial value ($type -> $expected)',
    ({ type, expected }) => {
      const w = newProbeWorker(type, 'c', probe({ initialDelaySeconds: 100 }), 0);
      const d = probeDue(w, 0, live, running('containerd://a', 0, type !== 'startup'));
      expect(d).toEqual({ kind: 'skip', published: expected });
      expect(w.result).toBe(expected);
    },
  );

  it('step 1: a terminal pod stops the worker', () => {
    const w = newProbeWorker('readiness', 'c', probe(), 0);
    expect(probeDue(w, 0, { terminal: true, deleting: false }, running())).toEqual({ kind: 'stop' });
    expect(w.stopped).toBe(true);
    expect(probeDue(w, 10_000, live, running())).toEqual({ kind: 'stop' });
  });

  it('no container ID yet: skip without result change ("Probe target container not found")', () => {
    const w = newProbeWorker('liveness', 'c', probe(), 0);
    expect(probeDue(w, 0, live, { running: false, started: false, terminatedForGood: false })).toEqual({
      kind: 'skip',
    });
  });

  it('liveness exec failureThreshold 3 period 3: Failure published at the third consecutive failure, then hold', () => {
    const w = newProbeWorker('liveness', 'c', probe({ periodSeconds: 3 }), 0);
    const c = running();
    const published: (string | undefined)[] = [];
    for (let k = 0; k < 3; k++) {
      const at = nextTickAt(w, k * 3000);
      expect(probeDue(w, at, live, c).kind).toBe('run');
      published.push(recordOutcome(w, fail).published);
    }
    expect(published).toEqual([undefined, undefined, 'failure']);
    expect(w.onHold).toBe(true);
    expect(w.resultRun).toBe(0);
    expect(probeDue(w, 9000, live, c)).toEqual({ kind: 'skip' });
    // A new container resumes probing with the initial Success.
    expect(probeDue(w, 12_000, live, running('containerd://b', 11_000))).toEqual({
      kind: 'run',
      published: 'success',
    });
  });

  it('a success in between resets the consecutive-failure run', () => {
    const w = newProbeWorker('liveness', 'c', probe({ periodSeconds: 3 }), 0);
    const c = running();
    const seq = [fail, fail, ok, fail, fail, fail];
    const out = seq.map((o, k) => {
      probeDue(w, k * 3000, live, c);
      return recordOutcome(w, o).published;
    });
    expect(out).toEqual([undefined, undefined, 'success', undefined, undefined, 'failure']);
  });

  it('step 8: errors are discarded (no counting, no state change)', () => {
    const w = newProbeWorker('liveness', 'c', probe({ failureThreshold: 2 }), 0);
    const c = running();
    probeDue(w, 0, live, c);
    recordOutcome(w, fail);
    probeDue(w, 10_000, live, c);
    expect(recordOutcome(w, err)).toEqual({ changed: false, hold: false });
    probeDue(w, 20_000, live, c);
    expect(recordOutcome(w, fail).published).toBe('failure');
  });

  it('step 6: initialDelaySeconds truncates seconds since StartedAt', () => {
    const w = newProbeWorker('liveness', 'c', probe({ initialDelaySeconds: 5, periodSeconds: 1 }), 0);
    const c = running('containerd://a', 200);
    expect(probeDue(w, 5000, live, c).kind).toBe('skip'); // int(4.8) = 4 < 5
    expect(probeDue(w, 5200, live, c).kind).toBe('run'); // int(5.0) = 5
  });

  it('step 7: liveness/readiness wait until started; startup idles once started', () => {
    const l = newProbeWorker('liveness', 'c', probe(), 0);
    expect(probeDue(l, 0, live, running('containerd://a', 0, false)).kind).toBe('skip');
    const s = newProbeWorker('startup', 'c', probe(), 0);
    expect(probeDue(s, 0, live, running('containerd://a', 0, true)).kind).toBe('skip');
    expect(probeDue(s, 10_000, live, running('containerd://b', 10_000, false)).kind).toBe('run');
  });

  it('step 10: any startup verdict puts the worker on hold', () => {
    for (const o of [ok, fail]) {
      const s = newProbeWorker('startup', 'c', probe({ failureThreshold: 1 }), 0);
      probeDue(s, 0, live, running('containerd://a', 0, false));
      expect(recordOutcome(s, o)).toEqual({ published: o.kind, changed: true, hold: true });
    }
  });

  it('step 4: a non-running container publishes Failure; terminated for good stops the worker', () => {
    const w = newProbeWorker('readiness', 'c', probe(), 0);
    probeDue(w, 0, live, running());
    expect(
      probeDue(w, 10_000, live, {
        id: 'containerd://a',
        running: false,
        started: false,
        terminatedForGood: false,
      }),
    ).toEqual({ kind: 'skip', published: 'failure' });
    expect(
      probeDue(w, 20_000, live, {
        id: 'containerd://a',
        running: false,
        started: false,
        terminatedForGood: true,
      }),
    ).toEqual({ kind: 'stop', published: 'failure' });
  });

  it('step 5: deleting pod: liveness/startup publish Success and stop; readiness continues', () => {
    const l = newProbeWorker('liveness', 'c', probe(), 0);
    probeDue(l, 0, live, running());
    expect(probeDue(l, 10_000, { terminal: false, deleting: true }, running())).toEqual({
      kind: 'stop',
      published: 'success',
    });
    const r = newProbeWorker('readiness', 'c', probe(), 0);
    probeDue(r, 0, live, running());
    expect(probeDue(r, 10_000, { terminal: false, deleting: true }, running()).kind).toBe('run');
  });

  it('ticker: first tick immediate, phase = admission; manual trigger resets the phase', () => {
    const w = newProbeWorker('readiness', 'c', probe({ periodSeconds: 30 }), 1000);
    expect(nextTickAt(w, 0)).toBe(1000);
    expect(nextTickAt(w, 1000)).toBe(1000);
    expect(nextTickAt(w, 1001)).toBe(31_000);
    expect(wantsManualTrigger(w)).toBe(true);
    expect(manualTrigger(w, 5000)).toBe(true);
    expect(nextTickAt(w, 5001)).toBe(35_000);
    expect(nextProbeAt(w, 35_000, 36_000)).toBe(65_000);
    expect(nextProbeAt(w, 35_000, 70_000)).toBe(70_000);
  });
});
