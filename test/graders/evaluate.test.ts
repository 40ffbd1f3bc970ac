import { describe, expect, it } from 'vitest';
import { evaluateCheck } from '../../graders/evaluate.ts';
import type { Check, CheckSubject, When } from '../../graders/types.ts';
import type { Service } from '../../src/model/k8s.ts';
import { context, cs, ev, gone, podSnap, podSpec, rec, svcSnap, trace } from './fixtures.ts';

const s = (n: number) => n * 1000;
const running = (startedAt = 0) => ({ kind: 'running' as const, startedAt });

function check(subject: CheckSubject, when?: When): Check {
  return { id: 'c', points: 1, visibility: 'visible', subject, ...(when ? { when } : {}) };
}
const podCheck = (expect: Extract<CheckSubject, { kind: 'pod' }>['expect'], when: When, pod = 'p') =>
  check({ kind: 'pod', pod, namespace: 'default', expect }, when);
const at = (t: number): When => ({ kind: 'at', at: s(t) });
const within = (a: number, b: number): When => ({ kind: 'within', from: s(a), to: s(b) });
const throughout = (a: number, b: number): When => ({ kind: 'throughout', from: s(a), to: s(b) });

// p: Running ready from 0; not ready at 20 s; restarted (count 1) at 40 s.
const base = trace([
  rec(0, podSnap('p', 'Pending', cs({ kind: 'waiting', reason: 'ContainerCreating' }))),
  rec(0, podSnap('p', 'Running', cs(running()))),
  rec(s(20), podSnap('p', 'Running', cs(running(), { ready: false }))),
  rec(
    s(40),
    podSnap(
      'p',
      'Running',
      cs(running(s(40)), {
        restartCount: 1,
        containerID: 'containerd://2',
        lastState: { kind: 'terminated', exitCode: 137, reason: 'Error', finishedAt: s(40) },
      }),
    ),
  ),
]);
const ctx = context(base, [podSpec('p')]);

describe('pod checks, at', () => {
  const table: { name: string; c: Check; passed: boolean; output?: RegExp }[] = [
    {
      name: 'the last record of an instant is the state at it',
      c: podCheck({ phase: 'Running', ready: '1/1' }, at(0)),
      passed: true,
      output: /^observed phase Running, READY 1\/1 at 0s$/,
    },
    { name: 'a 0 ms state is never observed', c: podCheck({ phase: 'Pending' }, at(0)), passed: false },
    { name: 'a change at T is applied at T', c: podCheck({ ready: '0/1' }, at(20)), passed: true },
    {
      name: 'just before a change the old state holds',
      c: podCheck({ ready: '1/1' }, { kind: 'at', at: s(20) - 1 }),
      passed: true,
    },
    {
      name: 'READY as a boolean reads the Ready condition',
      c: podCheck({ ready: false }, at(25)),
      passed: true,
    },
    { name: 'RESTARTS exact', c: podCheck({ restarts: 1 }, at(40)), passed: true },
    { name: 'RESTARTS range', c: podCheck({ restarts: { min: 1, max: 3 } }, at(50)), passed: true },
    {
      name: 'RESTARTS below range',
      c: podCheck({ restarts: { min: 1 } }, at(39)),
      passed: false,
      output: /^expected RESTARTS at least 1 at 39s; observed 0/,
    },
    { name: 'STATUS column', c: podCheck({ status: 'Running' }, at(30)), passed: true },
    {
      name: 'conditions',
      c: podCheck({ conditions: { Ready: 'False', Initialized: 'True' } }, at(30)),
      passed: true,
    },
    {
      name: 'container keys',
      c: podCheck(
        { containers: { app: { state: 'running', restarts: 1, ready: true, started: true } } },
        at(45),
      ),
      passed: true,
    },
    {
      name: 'container reason of a running container',
      c: podCheck({ containers: { app: { reason: 'CrashLoopBackOff' } } }, at(45)),
      passed: false,
      output:
        /^expected container app reason CrashLoopBackOff at 45s; observed container app reason \(none: running\)$/,
    },
    {
      name: 'missing container',
      c: podCheck({ containers: { nope: { state: 'running' } } }, at(45)),
      passed: false,
      output: /no container nope/,
    },
    {
      name: 'missing Pod fails with a message',
      c: podCheck({ phase: 'Running' }, at(10), 'ghost'),
      passed: false,
      output: /the Pod to exist at 10s; observed the Pod does not exist: no Pod named ghost was created/,
    },
    {
      name: 'exists false for a Pod never created',
      c: podCheck({ exists: false }, at(10), 'ghost'),
      passed: true,
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const v = evaluateCheck(row.c, ctx);
      expect(v.passed).toBe(row.passed);
      if (row.output) expect(v.output).toMatch(row.output);
    });
  }
  it('every listed key must hold at the same instant; the output names what failed', () => {
    const v = evaluateCheck(podCheck({ status: 'Running', ready: '1/1', restarts: 0 }, at(30)), ctx);
    expect(v.passed).toBe(false);
    expect(v.output).toMatch(/^expected READY 1\/1 at 30s; observed 0\/1/);
  });
});

describe('pod checks, within and throughout', () => {
  it('within holds when the state appears at a change instant inside the window', () => {
    const v = evaluateCheck(podCheck({ restarts: 1 }, within(30, 45)), ctx);
    expect(v).toEqual({ passed: true, output: 'observed RESTARTS 1 at 40s' });
  });
  it('within: a change exactly at the upper bound counts (closed window)', () => {
    expect(evaluateCheck(podCheck({ restarts: 1 }, within(30, 40)), ctx).passed).toBe(true);
  });
  it('within: the state in force at the lower bound counts', () => {
    expect(evaluateCheck(podCheck({ ready: '1/1' }, within(10, 15)), ctx).passed).toBe(true);
  });
  it('within fails when the state only comes after the window, saying what was seen', () => {
    const v = evaluateCheck(podCheck({ restarts: 1 }, { kind: 'within', from: s(30), to: s(40) - 1 }), ctx);
    expect(v.passed).toBe(false);
    expect(v.output).toMatch(
      /^expected RESTARTS 1 at some instant between 30s and 39.999s; observed 0 throughout the window/,
    );
  });
  it('throughout fails at the first instant where the state breaks, and says when', () => {
    const v = evaluateCheck(podCheck({ ready: '1/1' }, throughout(0, 30)), ctx);
    expect(v.passed).toBe(false);
    expect(v.output).toMatch(/^expected READY 1\/1 from 0s to 30s; observed 0\/1 at 20s/);
  });
  it('throughout: a change exactly at the upper bound breaks it', () => {
    expect(evaluateCheck(podCheck({ ready: '1/1' }, throughout(0, 20)), ctx).passed).toBe(false);
    expect(
      evaluateCheck(podCheck({ ready: '1/1' }, { kind: 'throughout', from: 0, to: s(20) - 1 }), ctx).passed,
    ).toBe(true);
  });
  it('throughout passes with a short output', () => {
    expect(evaluateCheck(podCheck({ phase: 'Running' }, throughout(0, 60)), ctx)).toEqual({
      passed: true,
      output: 'observed phase Running from 0s to 60s',
    });
  });
});

describe('deletion', () => {
  const t = trace([rec(0, podSnap('p', 'Running', cs(running()))), gone(s(42), 'Pod/default/p')]);
  const c = context(t, [podSpec('p')]);
  it('exists false after the deletion', () =>
    expect(evaluateCheck(podCheck({ exists: false }, at(42)), c).passed).toBe(true));
  it('exists true before it', () =>
    expect(evaluateCheck(podCheck({ exists: true }, at(41)), c).passed).toBe(true));
  it('a check on a deleted Pod says when it was deleted', () => {
    const v = evaluateCheck(podCheck({ status: 'Running' }, at(50)), c);
    expect(v.passed).toBe(false);
    expect(v.output).toMatch(/the Pod was deleted at 42s/);
  });
});

describe('explanations', () => {
  it('a restart count still 0 after a liveness kill of busybox sh is explained by the grace period', () => {
    const t = trace(
      [rec(0, podSnap('p', 'Running', cs(running())))],
      [
        ev(s(30), 'p', 'Unhealthy', 'Liveness probe failed: ', 'Warning'),
        ev(s(36), 'p', 'Killing', 'Container app failed liveness probe, will be restarted'),
      ],
    );
    const v = evaluateCheck(
      podCheck({ restarts: 1 }, at(60)),
      context(t, [
        podSpec('p', {
          livenessProbe: {
            exec: { command: ['test', '-e', '/tmp/x'] },
            initialDelaySeconds: 1,
            periodSeconds: 3,
            timeoutSeconds: 1,
            successThreshold: 1,
            failureThreshold: 3,
          },
        }),
      ]),
    );
    expect(v.passed).toBe(false);
    expect(v.output).toBe(
      'expected RESTARTS 1 at 60s; observed 0: the container was still stopping after its liveness failure at 36s, because busybox sh ignores SIGTERM and is killed when the 30s grace period ends (at 66s)',
    );
  });
  it('a liveness probe that only errors is named as the reason for no restart', () => {
    const t = trace(
      [rec(0, podSnap('p', 'Running', cs(running())))],
      [],
      [
        {
          at: s(10),
          pod: 'p',
          namespace: 'default',
          container: 'app',
          probe: 'liveness',
          result: 'error',
          output: 'exec: "curl": executable file not found in $PATH',
        },
      ],
    );
    const spec = podSpec('p', {
      livenessProbe: {
        exec: { command: ['curl'] },
        initialDelaySeconds: 0,
        periodSeconds: 10,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 3,
      },
    });
    const v = evaluateCheck(podCheck({ restarts: { min: 1 } }, at(60)), context(t, [spec]));
    expect(v.output).toMatch(
      /the liveness probe could not run "curl" \(not in the image\); an errored probe is not a failure, so the kubelet never restarts the container$/,
    );
  });
  it('not ready is explained by the last readiness probe result', () => {
    const t = trace(
      [rec(0, podSnap('p', 'Running', cs(running(), { ready: false })))],
      [],
      [
        {
          at: s(27),
          pod: 'p',
          namespace: 'default',
          container: 'app',
          probe: 'readiness',
          result: 'failure',
          output: 'HTTP probe failed with statuscode: 404',
        },
      ],
    );
    const spec = podSpec('p', {
      readinessProbe: {
        httpGet: { path: '/x', port: 80, scheme: 'HTTP' },
        initialDelaySeconds: 0,
        periodSeconds: 3,
        timeoutSeconds: 1,
        successThreshold: 1,
        failureThreshold: 3,
      },
    });
    const v = evaluateCheck(podCheck({ ready: '1/1' }, at(30)), context(t, [spec]));
    expect(v.output).toBe(
      'expected READY 1/1 at 30s; observed 0/1: the readiness probe of app failed at 27s: HTTP probe failed with statuscode: 404',
    );
  });
  it('too many restarts are listed with their instants', () => {
    const v = evaluateCheck(podCheck({ restarts: 0 }, at(50)), ctx);
    expect(v.output).toMatch(
      /^expected RESTARTS 0 at 50s; observed 1: app restarted at 40s \(the previous instance exited with code 137, Error, at 40s\)/,
    );
  });
});

describe('event checks', () => {
  const t = trace(
    [rec(0, podSnap('p', 'Running', cs(running())))],
    [
      ev(s(30), 'p', 'Unhealthy', 'Liveness probe failed: x', 'Warning'),
      ev(s(33), 'p', 'Unhealthy', 'Liveness probe failed: x', 'Warning'),
      ev(s(36), 'p', 'Killing', 'Container app failed liveness probe, will be restarted'),
      ev(s(90), 'p', 'Killing', 'Stopping container app'),
    ],
  );
  const c = context(t, [podSpec('p')]);
  const evc = (o: Partial<Extract<CheckSubject, { kind: 'event' }>>, w: When) =>
    check({ kind: 'event', pod: 'p', namespace: 'default', reason: 'Killing', ...o }, w);
  const table: { name: string; c: Check; passed: boolean; output?: string | RegExp }[] = [
    {
      name: 'an event exactly at the lower bound counts',
      c: evc({}, within(36, 50)),
      passed: true,
      output: 'observed 1 Killing event between 36s and 50s (at 36s)',
    },
    { name: 'an event exactly at the upper bound counts', c: evc({}, within(20, 36)), passed: true },
    { name: 'at: only events at that instant', c: evc({}, at(36)), passed: true },
    { name: 'at: another instant has none', c: evc({}, at(35)), passed: false },
    { name: 'message substring', c: evc({ message: 'failed liveness probe' }, within(0, 100)), passed: true },
    {
      name: 'message substring with count',
      c: evc({ message: 'Stopping container', count: 1 }, within(0, 100)),
      passed: true,
    },
    { name: 'messageRegex', c: evc({ messageRegex: '^Container app failed' }, within(0, 100)), passed: true },
    {
      name: 'exact count mismatch',
      c: evc({ reason: 'Unhealthy', count: 3 }, within(0, 100)),
      passed: false,
      output: /^expected 3 Unhealthy events for Pod p between 0s and 100s; observed 2 \(at 30s, 33s\)$/,
    },
    {
      name: 'count range',
      c: evc({ reason: 'Unhealthy', count: { min: 2, max: 2 } }, within(0, 100)),
      passed: true,
    },
    {
      name: 'count 0 passes when none happened',
      c: evc({ reason: 'BackOff', count: 0 }, within(0, 100)),
      passed: true,
    },
    { name: 'count 0 fails when one happened', c: evc({ count: 0 }, within(0, 100)), passed: false },
    {
      name: 'events outside the window are pointed out',
      c: evc({ message: 'failed liveness' }, within(40, 80)),
      passed: false,
      output: /such events happened outside the window, at 36s/,
    },
    {
      name: 'same reason other message is pointed out',
      c: evc({ message: 'definition changed' }, within(0, 100)),
      passed: false,
      output: /the Killing events had other messages, e\.g\. at 36s/,
    },
    {
      name: 'missing Pod',
      c: check({ kind: 'event', pod: 'ghost', namespace: 'default', reason: 'Killing' }, within(0, 100)),
      passed: false,
      output: /no Pod named ghost was created/,
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const v = evaluateCheck(row.c, c);
      expect(v.passed).toBe(row.passed);
      if (typeof row.output === 'string') expect(v.output).toBe(row.output);
      else if (row.output) expect(v.output).toMatch(row.output);
    });
  }
});

describe('service checks', () => {
  const svc: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
      sessionAffinity: 'None',
    },
  };
  const t = trace([
    rec(0, svcSnap('web', [])),
    rec(0, podSnap('p', 'Running', cs(running(), { ready: false }))),
    rec(s(25), podSnap('p', 'Running', cs(running()))),
    rec(s(25), svcSnap('web', ['10.244.0.5'])),
    rec(s(75), svcSnap('web', [])),
  ]);
  const c = context(t, [podSpec('p', {}, { app: 'web' })], { services: [svc] });
  const sc = (o: Partial<Extract<CheckSubject, { kind: 'service' }>>, w: When, name = 'web') =>
    check({ kind: 'service', name, namespace: 'default', ...o }, w);
  it('throughout with readyEndpoints 0', () =>
    expect(evaluateCheck(sc({ readyEndpoints: 0 }, throughout(0, 24)), c).passed).toBe(true));
  it('throughout breaks at 25 s and says so', () => {
    const v = evaluateCheck(sc({ readyEndpoints: 0 }, throughout(0, 30)), c);
    expect(v).toEqual({
      passed: false,
      output:
        'expected 0 ready endpoint(s) for Service web from 0s to 30s; observed 1 ready endpoint at 25s: Pod p is ready',
    });
  });
  it('within finds the endpoint', () =>
    expect(evaluateCheck(sc({ readyEndpoints: 1 }, within(20, 30)), c)).toEqual({
      passed: true,
      output: 'observed 1 ready endpoint at 25s',
    }));
  it('a count range', () =>
    expect(evaluateCheck(sc({ readyEndpoints: { min: 1 } }, at(50)), c).passed).toBe(true));
  it('no endpoint is explained by the selected Pod not being ready', () => {
    const v = evaluateCheck(sc({ readyEndpoints: 1 }, at(10)), c);
    expect(v.passed).toBe(false);
    expect(v.output).toMatch(
      /^expected 1 ready endpoint\(s\) for Service web at 10s; observed 0 ready endpoints: Pod p is not ready \(READY 0\/1\)/,
    );
  });
  it('a missing Service fails with a message', () => {
    const v = evaluateCheck(sc({ readyEndpoints: 1 }, at(10), 'nope'), c);
    expect(v.passed).toBe(false);
    expect(v.output).toMatch(/Service nope does not exist/);
  });
  it('exists false for a missing Service', () =>
    expect(evaluateCheck(sc({ exists: false }, at(10), 'nope'), c).passed).toBe(true));
});

describe('exec checks', () => {
  const t = trace([
    rec(0, podSnap('p', 'Running', cs(running()))),
    rec(s(20), podSnap('p', 'Running', cs(running(), { ready: false }))),
  ]);
  const c = context(t, [podSpec('p')], {
    exec: (atMs) =>
      atMs >= s(20)
        ? { exitCode: 0, stdout: 'welcome lagou\n', stderr: '' }
        : { exitCode: 1, stdout: '', stderr: "cat: can't open 'x': No such file or directory\n" },
  });
  const xc = (o: Partial<Extract<CheckSubject, { kind: 'exec' }>>, w: When) =>
    check({ kind: 'exec', pod: 'p', namespace: 'default', command: ['cat', 'x'], ...o }, w);
  it('exit code and stdout substring', () => {
    expect(evaluateCheck(xc({ exitCode: 0, stdout: 'welcome' }, at(30)), c)).toEqual({
      passed: true,
      output: '`cat x` in p: observed exit code 0, stdout "welcome lagou" at 30s',
    });
  });
  it('a failure shows the exit code and stderr', () => {
    expect(evaluateCheck(xc({ exitCode: 0 }, at(10)), c)).toEqual({
      passed: false,
      output:
        "expected `cat x` in p to give exit code 0 at 10s; observed exit code 1 (stderr: \"cat: can't open 'x': No such file or directory\")",
    });
  });
  it('stderr substring', () =>
    expect(evaluateCheck(xc({ stderr: "can't open" }, at(10)), c).passed).toBe(true));
  it('within runs the command at the change instants', () =>
    expect(evaluateCheck(xc({ exitCode: 0 }, within(0, 30)), c).passed).toBe(true));
  it('throughout fails at the first failing instant', () => {
    const v = evaluateCheck(xc({ exitCode: 1 }, throughout(0, 30)), c);
    expect(v.passed).toBe(false);
    expect(v.output).toBe(
      'expected `cat x` in p to give exit code 1 from 0s to 30s; observed exit code 0 at 20s',
    );
  });
  it('an exec that cannot run fails with its reason', () => {
    const c2 = context(t, [podSpec('p')]);
    expect(evaluateCheck(xc({ exitCode: 0 }, at(10)), c2)).toEqual({
      passed: false,
      output: 'expected `cat x` in p to give exit code 0 at 10s; observed no exec in this test',
    });
  });
});

describe('manifest checks', () => {
  const pod = podSpec('p', {
    livenessProbe: {
      tcpSocket: { port: 8080 },
      initialDelaySeconds: 10,
      periodSeconds: 3,
      timeoutSeconds: 5,
      successThreshold: 1,
      failureThreshold: 3,
    },
    ports: [{ name: 'web', containerPort: 80, protocol: 'TCP' }],
  });
  const submitted = new Map([
    [
      'Pod/default/p',
      {
        object: pod as never,
        raw: { ...pod, metadata: { ...pod.metadata, annotations: { note: 'x' } } } as unknown,
      },
    ],
  ]);
  const c = context(trace([]), [pod], { submitted });
  const mc = (o: Partial<Extract<CheckSubject, { kind: 'manifest' }>>) =>
    check({
      kind: 'manifest',
      objectKind: 'Pod',
      name: 'p',
      namespace: 'default',
      path: 'spec.containers[0].livenessProbe.tcpSocket.port',
      hasEquals: false,
      ...o,
    });
  const table: { name: string; c: Check; passed: boolean; output?: string }[] = [
    {
      name: 'equals',
      c: mc({ hasEquals: true, equals: 8080 }),
      passed: true,
      output: 'spec.containers[0].livenessProbe.tcpSocket.port of Pod p is 8080',
    },
    {
      name: 'equals mismatch',
      c: mc({ hasEquals: true, equals: 80 }),
      passed: false,
      output: 'expected spec.containers[0].livenessProbe.tcpSocket.port of Pod p to equal 80; found 8080',
    },
    { name: 'a number is not a string', c: mc({ hasEquals: true, equals: '8080' }), passed: false },
    { name: 'oneOf', c: mc({ oneOf: [80, 8080] }), passed: true },
    { name: 'matches', c: mc({ matches: '^80[0-9]0$' }), passed: true },
    { name: 'exists true', c: mc({ exists: true }), passed: true },
    {
      name: 'a defaulted field exists',
      c: mc({ path: 'spec.containers[0].livenessProbe.failureThreshold', hasEquals: true, equals: 3 }),
      passed: true,
    },
    {
      name: '[name=x] selects by name',
      c: mc({ path: 'spec.containers[name=app].ports[name=web].containerPort', hasEquals: true, equals: 80 }),
      passed: true,
    },
    {
      name: 'raw-only fields are found too',
      c: mc({ path: 'metadata.annotations.note', hasEquals: true, equals: 'x' }),
      passed: true,
    },
    {
      name: 'exists false on a missing field',
      c: mc({ path: 'spec.containers[0].readinessProbe', exists: false }),
      passed: true,
    },
    {
      name: 'a missing field says which part is missing',
      c: mc({ path: 'spec.containers[0].livenessProbe.httpGet.port', hasEquals: true, equals: 80 }),
      passed: false,
      output:
        'expected spec.containers[0].livenessProbe.httpGet.port of Pod p to equal 80; it is not set (spec.containers[0].livenessProbe has no httpGet)',
    },
    {
      name: 'a missing object',
      c: mc({ name: 'q', exists: true }),
      passed: false,
      output: 'expected a Pod named q in the submission; found Pod/p',
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const v = evaluateCheck(row.c, c);
      expect(v.passed).toBe(row.passed);
      if (row.output) expect(v.output).toBe(row.output);
    });
  }
});
