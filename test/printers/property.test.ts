import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContainerState, ContainerStatus, PodSnapshot } from '../../src/model/status.ts';
import type { ObjectRecord, Trace } from '../../src/model/trace.ts';
import {
  describePod,
  eventsTable,
  podColumns,
  podLogs,
  timelineSvg,
  watchTranscript,
} from '../../src/sim/printers/index.ts';
import { assertWellFormed, container, emptyTrace, pod } from './helpers.ts';

const time = fc.integer({ min: -5_000, max: 3_600_000 });
const reason = fc.constantFrom(
  '',
  'Error',
  'Completed',
  'CrashLoopBackOff',
  'PodInitializing',
  'ContainerCreating',
  'OOMKilled',
  '<&"x">',
);
const state: fc.Arbitrary<ContainerState> = fc.oneof(
  fc.record({ kind: fc.constant('waiting' as const), reason }),
  fc.record({ kind: fc.constant('running' as const), startedAt: time }),
  fc.record({
    kind: fc.constant('terminated' as const),
    exitCode: fc.integer({ min: 0, max: 255 }),
    reason,
    finishedAt: time,
    startedAt: time,
    signal: fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
  }),
);
const status = (names: string[]): fc.Arbitrary<ContainerStatus[]> =>
  fc.tuple(
    ...names.map((name) =>
      fc.record({
        name: fc.constant(name),
        image: fc.constant('busybox:1.32.0'),
        state,
        ready: fc.boolean(),
        started: fc.boolean(),
        restartCount: fc.nat(50),
        containerID: fc.option(fc.constantFrom('containerd://a', 'containerd://b'), { nil: undefined }),
        lastState: fc.option(
          fc.record({
            kind: fc.constant('terminated' as const),
            exitCode: fc.nat(255),
            reason,
            finishedAt: time,
          }),
          { nil: undefined },
        ),
      }),
    ),
  );
const snapshotArb: fc.Arbitrary<PodSnapshot> = fc.record({
  kind: fc.constant('Pod' as const),
  namespace: fc.constantFrom('default', 'lab'),
  name: fc.constant('p'),
  uid: fc.constantFrom('u1', 'u2'),
  creationTimestamp: time,
  deletionTimestamp: fc.option(time, { nil: undefined }),
  status: fc.record({
    phase: fc.constantFrom('Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'),
    reason: fc.option(fc.constantFrom('DeadlineExceeded', 'NodeLost', 'Evicted'), { nil: undefined }),
    conditions: fc.array(
      fc.record({
        type: fc.constantFrom(
          'Initialized',
          'Ready',
          'ContainersReady',
          'PodScheduled',
          'PodReadyToStartContainers',
        ),
        status: fc.constantFrom('True', 'False', 'Unknown'),
        reason: fc.option(fc.constantFrom('SchedulingGated', 'PodCompleted'), { nil: undefined }),
        lastTransitionTime: time,
      }),
      { maxLength: 5 },
    ),
    initContainerStatuses: fc.oneof(status([]), status(['i1']), status(['s1', 'i2'])),
    containerStatuses: fc.oneof(status([]), status(['a']), status(['a', 'b'])),
  }),
});
const spec = pod(
  'p',
  [container('a'), container('b')],
  [container('s1', { restartPolicy: 'Always' }), container('i2')],
);

const traceArb: fc.Arbitrary<Trace> = fc
  .tuple(
    fc.array(
      fc.oneof(
        { weight: 5, arbitrary: fc.record({ at: time, snap: snapshotArb }) },
        { weight: 1, arbitrary: fc.record({ at: time, snap: fc.constant(undefined) }) },
      ),
      { maxLength: 12 },
    ),
    fc.array(fc.record({ at: time, text: fc.string({ maxLength: 8 }) }), { maxLength: 6 }),
  )
  .map(([recs, lines]) => {
    const records: ObjectRecord[] = recs.map(({ at, snap }) =>
      snap
        ? { at, key: `Pod/${snap.namespace}/p`, exists: true, snapshot: snap }
        : { at, key: 'Pod/default/p', exists: false },
    );
    const t = emptyTrace(3_600_000, records);
    t.logs = lines.map(({ at, text }) => ({
      at,
      pod: 'p',
      namespace: 'default',
      container: 'a',
      stream: 'stdout',
      text,
    }));
    t.events = lines.map(({ at, text }) => ({
      at,
      object: 'Pod/p',
      namespace: 'default',
      type: 'Warning',
      reason: 'Unhealthy',
      message: text,
      source: 'kubelet',
    }));
    t.probes = lines.map(({ at, text }) => ({
      at,
      pod: 'p',
      namespace: 'default',
      container: 'a',
      probe: 'liveness',
      result: 'failure',
      output: text,
    }));
    return t;
  });

describe('printers on arbitrary input', () => {
  it('podColumns never throws and keeps its shapes', () => {
    fc.assert(
      fc.property(snapshotArb, time, (snap, now) => {
        const c = podColumns(spec, snap, now);
        expect(c.ready).toMatch(/^\d+\/3$/);
        expect(c.status.length).toBeGreaterThan(0);
        expect(c.restarts).toMatch(/^\d+( \((\d+[smhdy])+ ago\)| \(<invalid> ago\))?$/);
        expect(c.restarts.startsWith(String(c.restartCount))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('every output is deterministic and never throws; the transcript stays aligned; the SVG is well-formed', () => {
    fc.assert(
      fc.property(traceArb, time, (trace, now) => {
        const text = watchTranscript(trace, [spec]);
        expect(watchTranscript(trace, [spec])).toBe(text);
        const [header, ...rows] = text.trimEnd().split('\n');
        const starts = [...header!.matchAll(/\S+/g)].map((m) => m.index);
        const misaligned = rows.filter((row) =>
          starts.slice(1).some((c) => row[c - 1] !== ' ' || row[c] === ' '),
        );
        expect(misaligned).toEqual([]);
        expect(eventsTable(trace, { aggregate: true })).toBe(eventsTable(trace, { aggregate: true }));
        expect(describePod(spec, trace, now)).toBe(describePod(spec, trace, now));
        expect(typeof podLogs(trace, 'p', { spec, previous: now % 2 === 0, at: now })).toBe('string');
        assertWellFormed(
          timelineSvg(trace, [spec], { checks: [{ id: 'c&<', at: now, window: [now, 0], passed: false }] }),
        );
      }),
      { numRuns: 100 },
    );
  });
});
