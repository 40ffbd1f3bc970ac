import { describe, expect, it } from 'vitest';
import { watchRows, watchTranscript } from '../../src/sim/printers/index.ts';
import {
  container,
  cs,
  emptyTrace,
  livenessFixture,
  pod,
  rec,
  running,
  S,
  snapshot,
  waiting,
} from './helpers.ts';

describe('watchTranscript', () => {
  it('prints one aligned row per change of READY, STATUS or RESTARTS', () => {
    const { pod: spec, trace } = livenessFixture();
    expect(watchTranscript(trace, [spec])).toBe(
      [
        'TIME   NAME            READY   STATUS              RESTARTS',
        '0s     liveness-exec   0/1     Pending             0',
        '0s     liveness-exec   0/1     ContainerCreating   0',
        '0s     liveness-exec   1/1     Running             0',
        '69s    liveness-exec   0/1     Error               0',
        '69s    liveness-exec   1/1     Running             1 (0s ago)',
        '',
      ].join('\n'),
    );
  });

  it('skips records where only the "(Ns ago)" text or other fields change', () => {
    const p = pod('web', [container('c')]);
    const st = (restartCount: number, ready: boolean) =>
      snapshot('web', {
        containers: [
          cs('c', running(), { ready, restartCount, ...(restartCount ? { lastFinishedAt: 10 * S } : {}) }),
        ],
      });
    const trace = emptyTrace(200 * S, [
      rec(0, st(0, false)),
      rec(5 * S, { ...st(0, false), status: { ...st(0, false).status, podIP: '10.0.0.9' } }),
      rec(10 * S, st(1, false)),
      rec(30 * S, st(1, false)),
      rec(150 * S, st(1, true)),
    ]);
    expect(watchTranscript(trace, [p])).toBe(
      [
        'TIME    NAME   READY   STATUS    RESTARTS',
        '0s      web    0/1     Running   0',
        '10s     web    0/1     Running   1 (0s ago)',
        '2m30s   web    1/1     Running   1 (2m20s ago)',
        '',
      ].join('\n'),
    );
  });

  it('interleaves pods by time then record order, prints nothing for a removed pod, restarts a recreated one', () => {
    const a = pod('a', [container('c')]);
    const b = pod('b', [container('c')]);
    const trace = emptyTrace(60 * S, [
      rec(0, snapshot('a', { phase: 'Pending' })),
      rec(2 * S, snapshot('b', { phase: 'Pending' })),
      rec(1 * S, snapshot('a', { containers: [cs('c', waiting('ContainerCreating'))], phase: 'Pending' })),
      { at: 20 * S, key: 'Pod/default/a', exists: false },
      rec(30 * S, snapshot('a', { phase: 'Pending', uid: 'uid-2' })),
    ]);
    expect(watchRows(trace, [a, b]).map((r) => `${r.at / S} ${r.name} ${r.status}`)).toEqual([
      '0 a Pending',
      '1 a ContainerCreating',
      '2 b Pending',
      '30 a Pending',
    ]);
  });

  it('adds a NAMESPACE column when pods span namespaces', () => {
    const trace = emptyTrace(10 * S, [
      rec(0, snapshot('a', { phase: 'Pending' })),
      rec(0, snapshot('a', { phase: 'Pending', namespace: 'lab' })),
    ]);
    expect(watchTranscript(trace, [])).toBe(
      [
        'TIME   NAMESPACE   NAME   READY   STATUS    RESTARTS',
        '0s     default     a      0/0     Pending   0',
        '0s     lab         a      0/0     Pending   0',
        '',
      ].join('\n'),
    );
  });

  it('prints only the header without pod records', () => {
    expect(watchTranscript(emptyTrace(0), [])).toBe('TIME   NAME   READY   STATUS   RESTARTS\n');
  });
});
