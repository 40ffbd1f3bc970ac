import { describe, expect, it } from 'vitest';
import type { LogLine } from '../../src/model/trace.ts';
import { podLogs, podLogsResult } from '../../src/sim/printers/index.ts';
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
  terminated,
  waiting,
} from './helpers.ts';

const line = (at: number, text: string, containerID?: string, c = 'liveness'): LogLine => ({
  at,
  pod: 'liveness-exec',
  namespace: 'default',
  container: c,
  stream: 'stdout',
  text,
  ...(containerID ? { containerID } : {}),
});

function fixture(withIds: boolean) {
  const f = livenessFixture();
  const a = withIds ? 'containerd://aaa' : undefined;
  const b = withIds ? 'containerd://bbb' : undefined;
  f.trace.logs = [
    line(0, 'start', a),
    line(30 * S, 'tick', a),
    line(69 * S, 'bye', a),
    line(69 * S, 'start again', b),
  ];
  return f;
}

describe('podLogs', () => {
  it('current and previous instance by containerID, even when they meet at one instant', () => {
    const { trace } = fixture(true);
    expect(podLogs(trace, 'liveness-exec')).toBe('start again\n');
    expect(podLogs(trace, 'liveness-exec', { previous: true })).toBe('start\ntick\nbye\n');
  });

  it('without ids, splits instances by time; a line at the very restart instant goes to the new run', () => {
    const { trace } = fixture(false);
    expect(podLogs(trace, 'liveness-exec', { previous: true })).toBe('start\ntick\n');
    expect(podLogs(trace, 'liveness-exec')).toBe('bye\nstart again\n');
  });

  it('at an earlier instant shows the first run so far, and has no previous run yet', () => {
    const { trace } = fixture(true);
    expect(podLogs(trace, 'liveness-exec', { at: 50 * S })).toBe('start\ntick\n');
    expect(podLogs(trace, 'liveness-exec', { at: 50 * S, previous: true })).toBe(
      'Error from server (BadRequest): previous terminated container "liveness" in pod "liveness-exec" not found\n',
    );
  });

  it('a container waiting in CrashLoopBackOff shows its last run (kubelet validateContainerLogStatus)', () => {
    const trace = emptyTrace(60 * S, [
      rec(0, snapshot('crash', { containers: [cs('c', running(0), { containerID: 'containerd://1' })] })),
      rec(
        5 * S,
        snapshot('crash', {
          containers: [cs('c', terminated(1, 'Error', 5 * S, 0), { containerID: 'containerd://1' })],
        }),
      ),
      rec(
        5 * S,
        snapshot('crash', {
          containers: [
            {
              ...cs('c', running(5 * S), { restartCount: 1, containerID: 'containerd://2' }),
              lastState: terminated(1, 'Error', 5 * S, 0),
            },
          ],
        }),
      ),
      rec(
        10 * S,
        snapshot('crash', {
          containers: [
            {
              ...cs('c', waiting('CrashLoopBackOff'), { restartCount: 1, containerID: 'containerd://2' }),
              lastState: terminated(1, 'Error', 10 * S, 5 * S),
            },
          ],
        }),
      ),
    ]);
    trace.logs = [
      {
        at: 0,
        pod: 'crash',
        namespace: 'default',
        container: 'c',
        stream: 'stdout',
        text: 'one',
        containerID: 'containerd://1',
      },
      {
        at: 5 * S,
        pod: 'crash',
        namespace: 'default',
        container: 'c',
        stream: 'stderr',
        text: 'two',
        containerID: 'containerd://2',
      },
    ];
    expect(podLogs(trace, 'crash')).toBe('two\n');
    expect(podLogs(trace, 'crash', { previous: true })).toBe('two\n');
    expect(podLogs(trace, 'crash', { at: 7 * S, previous: true })).toBe('one\n');
  });

  it('kubectl errors: unknown pod, invalid container, waiting container', () => {
    const spec = pod('web', [container('app'), container('side')], [container('init')]);
    const trace = emptyTrace(10 * S, [
      rec(
        0,
        snapshot('web', {
          phase: 'Pending',
          init: [cs('init', waiting('ErrImagePull'))],
          containers: [cs('app', waiting('PodInitializing')), cs('side', waiting('PodInitializing'))],
        }),
      ),
    ]);
    expect(podLogs(trace, 'nope')).toBe('Error from server (NotFound): pods "nope" not found\n');
    expect(podLogs(trace, 'web', { container: 'x', spec })).toBe(
      'error: container x is not valid for pod web\n',
    );
    expect(podLogs(trace, 'web', { container: 'init', spec })).toBe(
      'Error from server (BadRequest): container "init" in pod "web" is waiting to start: image can\'t be pulled\n',
    );
    const r = podLogsResult(trace, 'web', { spec });
    expect(r).toEqual({
      stdout: '',
      stderr:
        'Defaulted container "app" out of: app, side, init (init)\n' +
        'Error from server (BadRequest): container "app" in pod "web" is waiting to start: PodInitializing\n',
      exitCode: 1,
    });
    expect(podLogs(trace, 'web')).toBe(
      'error: a container name must be specified for pod web, choose one of: [app side]\n',
    );
  });

  it('honours the default-container annotation and reads init container logs', () => {
    const spec = pod('job', [container('a'), container('b')], [container('init')], {
      annotations: { 'kubectl.kubernetes.io/default-container': 'b' },
    });
    const trace = emptyTrace(10 * S, [
      rec(
        0,
        snapshot('job', {
          init: [cs('init', terminated(0, 'Completed', 1 * S, 0), { containerID: 'containerd://i' })],
          containers: [
            cs('a', running(1 * S), { containerID: 'containerd://a' }),
            cs('b', running(1 * S), { containerID: 'containerd://b' }),
          ],
        }),
      ),
    ]);
    const l = (c: string, text: string): LogLine => ({
      at: 1 * S,
      pod: 'job',
      namespace: 'default',
      container: c,
      stream: 'stdout',
      text,
      containerID: `containerd://${c === 'init' ? 'i' : c}`,
    });
    trace.logs = [l('init', 'ready'), l('a', 'from a'), l('b', 'from b')];
    expect(podLogsResult(trace, 'job', { spec })).toEqual({ stdout: 'from b\n', stderr: '', exitCode: 0 });
    expect(podLogs(trace, 'job', { spec, container: 'init' })).toBe('ready\n');
  });
});
