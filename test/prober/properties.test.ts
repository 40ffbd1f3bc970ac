import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Probe } from '../../src/model/k8s.ts';
import {
  type HandlerOutcome,
  newProbeWorker,
  probeDue,
  recordOutcome,
} from '../../src/sim/kubelet/probe-worker.ts';

const running = {
  id: 'containerd://a',
  running: true,
  startedAt: 0,
  started: true,
  terminatedForGood: false,
};
const live = { terminal: false, deleting: false };
const outcome: Record<'s' | 'f' | 'e', HandlerOutcome> = {
  s: { kind: 'success' },
  f: { kind: 'failure', output: 'x' },
  e: { kind: 'error', output: 'e' },
};

function probe(successThreshold: number, failureThreshold: number): Probe {
  return {
    exec: { command: ['true'] },
    initialDelaySeconds: 0,
    timeoutSeconds: 1,
    periodSeconds: 1,
    successThreshold,
    failureThreshold,
  };
}

/** Readiness result, stated declaratively: the value of the latest run (errors removed) that reached its threshold. */
function expectedReadiness(seq: ('s' | 'f' | 'e')[], st: number, ft: number): 'success' | 'failure' {
  const xs = seq.filter((x) => x !== 'e');
  for (let end = xs.length - 1; end >= 0; end--) {
    const v = xs[end]!;
    let len = 0;
    for (let i = end; i >= 0 && xs[i] === v; i--) len++;
    if (len >= (v === 's' ? st : ft)) return v === 's' ? 'success' : 'failure';
  }
  return 'failure';
}

/** Liveness kill index: the first probe after which the last `ft` non-error results are all failures. */
function expectedKill(seq: ('s' | 'f' | 'e')[], ft: number): number | undefined {
  const kept: number[] = [];
  for (let i = 0; i < seq.length; i++) {
    if (seq[i] === 'e') continue;
    kept.push(i);
    const last = kept.slice(-ft);
    if (last.length === ft && last.every((k) => seq[k] === 'f')) return i;
  }
  return undefined;
}

const seqArb = fc.array(fc.constantFrom<'s' | 'f' | 'e'>('s', 'f', 'e'), { maxLength: 40 });

describe('prober worker properties (fast-check)', () => {
  it('readiness publishes the value of the latest run that reached its threshold; errors never count', () => {
    fc.assert(
      fc.property(seqArb, fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (seq, st, ft) => {
        const w = newProbeWorker('readiness', 'c', probe(st, ft), 0);
        seq.forEach((x, i) => {
          expect(probeDue(w, i * 1000, live, running).kind).toBe('run');
          recordOutcome(w, outcome[x]);
        });
        expect(w.result).toBe(expectedReadiness(seq, st, ft));
      }),
      { numRuns: 300 },
    );
  });

  it('liveness goes on hold exactly when failureThreshold consecutive failures are seen', () => {
    fc.assert(
      fc.property(seqArb, fc.integer({ min: 1, max: 5 }), (seq, ft) => {
        const w = newProbeWorker('liveness', 'c', probe(1, ft), 0);
        let killedAt: number | undefined;
        seq.forEach((x, i) => {
          if (probeDue(w, i * 1000, live, running).kind !== 'run') return;
          const r = recordOutcome(w, outcome[x]);
          if (r.published === 'failure') killedAt = i;
        });
        expect(killedAt).toBe(expectedKill(seq, ft));
        expect(w.onHold).toBe(killedAt !== undefined);
      }),
      { numRuns: 300 },
    );
  });
});
