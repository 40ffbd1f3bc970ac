import { describe, expect, it } from 'vitest';
import { timelineSvg } from '../../src/sim/printers/index.ts';
import {
  assertWellFormed,
  container,
  cs,
  emptyTrace,
  livenessFixture,
  pod,
  rec,
  running,
  S,
  snapshot,
  terminated,
  waiting,
} from './helpers.ts';

function crashTrace() {
  const spec = pod('crash', [container('app')], [container('setup')]);
  const trace = emptyTrace(120 * S, [
    rec(
      0,
      snapshot('crash', {
        phase: 'Pending',
        init: [cs('setup', running(0))],
        containers: [cs('app', waiting('PodInitializing'))],
      }),
    ),
    rec(
      2 * S,
      snapshot('crash', {
        init: [cs('setup', terminated(0, 'Completed', 2 * S))],
        containers: [cs('app', running(2 * S), { ready: true })],
      }),
    ),
    rec(
      10 * S,
      snapshot('crash', {
        init: [cs('setup', terminated(0, 'Completed', 2 * S))],
        containers: [cs('app', terminated(1, 'Error', 10 * S))],
      }),
    ),
    rec(
      10 * S,
      snapshot('crash', {
        init: [cs('setup', terminated(0, 'Completed', 2 * S))],
        containers: [cs('app', running(10 * S), { ready: true, restartCount: 1, lastFinishedAt: 10 * S })],
      }),
    ),
    rec(
      20 * S,
      snapshot('crash', {
        init: [cs('setup', terminated(0, 'Completed', 2 * S))],
        containers: [cs('app', terminated(1, 'Error', 20 * S), { restartCount: 1, lastFinishedAt: 10 * S })],
      }),
    ),
    rec(
      20 * S,
      snapshot('crash', {
        init: [cs('setup', terminated(0, 'Completed', 2 * S))],
        containers: [cs('app', waiting('CrashLoopBackOff'), { restartCount: 1, lastFinishedAt: 20 * S })],
      }),
    ),
    rec(
      30 * S,
      snapshot('crash', {
        init: [cs('setup', terminated(0, 'Completed', 2 * S))],
        containers: [cs('app', running(30 * S), { restartCount: 2, lastFinishedAt: 20 * S })],
      }),
    ),
  ]);
  trace.events = [
    {
      at: 20 * S,
      object: 'Pod/crash',
      namespace: 'default',
      container: 'app',
      type: 'Warning',
      reason: 'BackOff',
      message: 'Back-off restarting failed container app in pod crash_default(uid-1) <&>',
      source: 'kubelet',
    },
  ];
  trace.probes = [
    {
      at: 31 * S,
      pod: 'crash',
      namespace: 'default',
      container: 'app',
      probe: 'readiness',
      result: 'failure',
      output: 'HTTP probe failed with statuscode: 500',
    },
    {
      at: 31 * S + 10,
      pod: 'crash',
      namespace: 'default',
      container: 'app',
      probe: 'readiness',
      result: 'failure',
      output: 'again',
    },
    {
      at: 60 * S,
      pod: 'crash',
      namespace: 'default',
      container: 'app',
      probe: 'liveness',
      result: 'success',
      output: '',
    },
    {
      at: 90 * S,
      pod: 'crash',
      namespace: 'default',
      container: 'app',
      probe: 'startup',
      result: 'error',
      output: 'exec: "x": not found',
    },
  ];
  return { spec, trace };
}

describe('timelineSvg', () => {
  it('is a well-formed, accessible SVG', () => {
    const { pod: spec, trace } = livenessFixture();
    const svg = timelineSvg(trace, [spec], { checks: [{ id: 'a', at: 69 * S, passed: true }] });
    assertWellFormed(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" role="img"')).toBe(true);
    expect(svg).toContain('aria-labelledby="podlab-timeline-title podlab-timeline-desc"');
    expect(svg).toContain('<title id="podlab-timeline-title">Timeline of the run: 1 Pod, 0s to 90s</title>');
    expect(svg).toContain(
      '<desc id="podlab-timeline-desc">1 container lane, 1 restart, 11 events, 0 probe results, 1 of 1 checks passed.',
    );
  });

  it('draws one lane per container with init containers first, states in distinct colours, and a legend', () => {
    const { spec, trace } = crashTrace();
    const svg = timelineSvg(trace, [spec]);
    assertWellFormed(svg);
    const lanes = [...svg.matchAll(/<g class="lane" aria-label="container ([^"]+)">/g)].map((m) => m[1]);
    expect(lanes).toEqual(['init: setup', 'app']);
    expect(svg).toContain('<title>init: setup: Running from 0s to 2s</title>');
    expect(svg).toContain('<title>init: setup: Terminated: Completed from 2s to 2m</title>');
    expect(svg).toContain('<title>app: Waiting: PodInitializing from 0s to 2s</title>');
    expect(svg).toContain('<title>app: Running from 2s to 10s</title>');
    expect(svg).toContain('<title>app: Running from 10s to 20s</title>');
    expect(svg).toContain('<title>app: Waiting: CrashLoopBackOff from 20s to 30s</title>');
    const fills = new Set(
      [...svg.matchAll(/class="state state-(\w+)"[^>]*fill="(#\w+)"/g)].map((m) => `${m[1]}=${m[2]}`),
    );
    expect(fills).toEqual(
      new Set(['running=#0072B2', 'terminated=#999999', 'waiting=#E69F00', 'backoff=#D55E00']),
    );
    for (const name of [
      'waiting',
      'running',
      'terminated',
      'back-off',
      'ready',
      'restart',
      'probe failure',
      'check failed',
    ]) {
      expect(svg).toContain(`font-size="10">${name}</text>`);
    }
  });

  it('marks restarts, readiness, probes (merged per pixel) and events with tooltips', () => {
    const { spec, trace } = crashTrace();
    const svg = timelineSvg(trace, [spec]);
    expect(svg).toContain('<title>app restarted (restart #1) at 10s</title>');
    expect(svg).toContain('<title>app restarted (restart #2) at 30s</title>');
    expect(svg).toContain('<title>app ready from 10s to 20s</title>');
    expect(svg).toContain('<title>2 readiness probe results (failure) 31s; last: again</title>');
    expect(svg).toContain('<title>liveness probe success at 60s</title>');
    expect(svg).toContain('<title>startup probe error at 90s: exec: &quot;x&quot;: not found</title>');
    expect(svg).toContain(
      '<title>20s Warning BackOff: Back-off restarting failed container app in pod crash_default(uid-1) &lt;&amp;&gt;</title>',
    );
    expect(svg.match(/class="restart"/g)).toHaveLength(2);
    expect(svg.match(/class="probe /g)).toHaveLength(3);
  });

  it('draws check instants and windows, passed and failed', () => {
    const { spec, trace } = crashTrace();
    const svg = timelineSvg(trace, [spec], {
      checks: [
        { id: 'restarted', at: 10 * S, passed: true },
        { id: 'ready-in-time', window: [0, 60 * S], passed: false },
      ],
    });
    assertWellFormed(svg);
    expect(svg).toContain('<g class="check check-passed" aria-label="check restarted passed">');
    expect(svg).toContain('<title>check restarted passed at 10s</title>');
    expect(svg).toContain('<g class="check check-failed" aria-label="check ready-in-time failed">');
    expect(svg).toContain('<title>check ready-in-time failed: window 0s–60s</title>');
    expect(svg).toMatch(/class="check-window" x="190" y="[\d.]+" width="373"/);
  });

  it('is deterministic, honours width and idPrefix, and handles an empty run', () => {
    const { spec, trace } = crashTrace();
    expect(timelineSvg(trace, [spec])).toBe(timelineSvg(trace, [spec]));
    const wide = timelineSvg(trace, [spec], { width: 1200, idPrefix: 'run 7' });
    expect(wide).toContain('width="1200"');
    expect(wide).toContain('<title id="run-7-title">');
    const empty = timelineSvg(emptyTrace(0), []);
    assertWellFormed(empty);
    expect(empty).toContain('No Pod was created in this run.');
  });

  it('draws Service endpoint lanes and operator actions', () => {
    const { spec, trace } = crashTrace();
    const svc = (at: number, ready: string[]) => ({
      at,
      key: 'Service/default/web',
      exists: true as const,
      snapshot: {
        kind: 'Service' as const,
        namespace: 'default',
        name: 'web',
        uid: 's1',
        creationTimestamp: 0,
        clusterIP: '10.96.0.10',
        readyAddresses: ready,
        notReadyAddresses: [],
      },
    });
    trace.records.push(svc(0, []), svc(25 * S, ['10.244.0.5']), svc(75 * S, []));
    trace.actions = [
      { at: 20 * S, index: 0, kind: 'exec', stdout: '', stderr: '', exitCode: 0 },
      { at: 60 * S, index: 1, kind: 'delete', stdout: 'pod "crash" deleted\n', stderr: '', exitCode: 0 },
    ];
    const svg = timelineSvg(trace, [spec]);
    assertWellFormed(svg);
    expect(svg).toContain('<g class="service" aria-label="ready endpoints of Service default/web">');
    expect(svg).toContain('<title>Service default/web: no ready endpoints from 0s to 25s</title>');
    expect(svg).toContain(
      '<title>Service default/web: 1 ready endpoint (10.244.0.5) from 25s to 75s</title>',
    );
    expect(svg).toContain('<title>Service default/web: no ready endpoints from 75s to 2m</title>');
    expect(svg).toContain('<title>20s exec: exit 0</title>');
    expect(svg).toContain('<title>60s delete: pod &quot;crash&quot; deleted</title>');
    expect(svg).toContain('2 container lanes, 1 Service endpoint lane, 2 operator actions, 2 restarts,');
  });

  it('keeps a 24 h run bounded by merging marks per pixel', () => {
    const { spec, trace } = crashTrace();
    trace.endAt = 24 * 3600 * S;
    for (let t = 0; t < trace.endAt; t += 5 * S) {
      trace.probes.push({
        at: t,
        pod: 'crash',
        namespace: 'default',
        container: 'app',
        probe: 'liveness',
        result: 'failure',
        output: 'x',
      });
    }
    const svg = timelineSvg(trace, [spec]);
    assertWellFormed(svg);
    expect(svg.match(/class="probe /g)!.length).toBeLessThanOrEqual(760);
  });
});
