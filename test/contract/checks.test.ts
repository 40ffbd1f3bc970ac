/**
 * Contract 1.4 (scenario-format.md): the meaning of checks, graded through the public API
 * (`parseScenario` + `gradeSubmission`): temporal forms and their bounds, every `expect` key,
 * events, exec checks whose effects are discarded, Service endpoints, manifest paths, and
 * checks on missing subjects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GradeResult } from '../../graders/index.ts';
import { grade, ROOT, scenarioText, testById } from './helpers.ts';

const LIVENESS = readFileSync(join(ROOT, 'scenarios/liveness-exec/solution.yaml'), 'utf8');
const INIT = readFileSync(join(ROOT, 'scenarios/init-containers/solution.yaml'), 'utf8');

const LIVENESS_SETUP = `  setup:
    - |
      apiVersion: v1
      kind: Service
      metadata: {name: live}
      spec:
        selector: {app: livenessprobe-pod}
        ports: [{port: 80}]
`;

/** Seconds of the first event with this reason, read from a baseline run. */
function firstAt(result: GradeResult, reason: string, after = -1): number {
  const e = result.events.find((x) => x.reason === reason && Number.parseFloat(x.at) > after);
  if (!e) throw new Error(`no ${reason} event`);
  return Number.parseFloat(e.at);
}

function ms(seconds: number): string {
  return `${Math.round(seconds * 1000)}ms`;
}

function outcome(result: GradeResult): Record<string, string> {
  return Object.fromEntries(result.tests.map((t) => [t.id, t.status]));
}

const baseline = grade(
  scenarioText({
    duration: '150s',
    checks: '    - {id: x, at: 1s, pod: livenessprobe-pod, expect: {exists: true}}',
  }),
  LIVENESS,
);
const KILL = firstAt(baseline, 'Killing');
const RESTART = firstAt(baseline, 'Started', 0);

describe('baseline of the liveness-exec solution', () => {
  it('is killed after three failures and restarted after the 30 s grace period', () => {
    const unhealthy = baseline.events.filter((e) => e.reason === 'Unhealthy').slice(0, 3);
    expect(unhealthy.map((e) => Number.parseFloat(e.at))).toEqual([KILL - 6, KILL - 3, KILL]);
    expect(RESTART).toBe(KILL + 30);
  });
});

describe('temporal forms', () => {
  const checks = [
    // at: after every event of T (the kill-and-restart instant shows the restarted container).
    `    - {id: at-restart, at: ${ms(RESTART)}, pod: livenessprobe-pod, expect: {restarts: 1, status: Running, ready: "1/1"}}`,
    `    - {id: at-before-restart, at: ${ms(RESTART - 0.001)}, pod: livenessprobe-pod, expect: {restarts: 0}}`,
    // within: closed window; an event exactly at either bound counts.
    `    - {id: event-at-upper-bound, within: [${ms(KILL - 5)}, ${ms(KILL)}], event: {pod: livenessprobe-pod, reason: Killing}}`,
    `    - {id: event-at-lower-bound, within: [${ms(KILL)}, ${ms(KILL + 5)}], event: {pod: livenessprobe-pod, reason: Killing}}`,
    `    - {id: event-just-before, within: [0s, ${ms(KILL - 0.001)}], event: {pod: livenessprobe-pod, reason: Killing}}`,
    `    - {id: event-just-after, within: [${ms(KILL + 0.001)}, ${ms(RESTART - 1)}], event: {pod: livenessprobe-pod, reason: Killing}}`,
    `    - {id: event-at, at: ${ms(KILL)}, event: {pod: livenessprobe-pod, reason: Killing}}`,
    `    - {id: within-one-instant, within: [${ms(RESTART)}, ${ms(RESTART)}], pod: livenessprobe-pod, expect: {restarts: 1}}`,
    `    - {id: within-some-instant, within: [10s, 140s], pod: livenessprobe-pod, expect: {restarts: 1}}`,
    `    - {id: within-never, within: [10s, ${ms(RESTART - 0.001)}], pod: livenessprobe-pod, expect: {restarts: 1}}`,
    // throughout: every instant of the closed window.
    `    - {id: throughout-until-restart, throughout: [0s, ${ms(RESTART)}], pod: livenessprobe-pod, expect: {restarts: 0}}`,
    `    - {id: throughout-before-restart, throughout: [0s, ${ms(RESTART - 0.001)}], pod: livenessprobe-pod, expect: {restarts: 0}}`,
    `    - {id: throughout-running, throughout: [1s, 140s], pod: livenessprobe-pod, expect: {phase: Running}}`,
  ].join('\n');
  const result = grade(scenarioText({ duration: '150s', checks }), LIVENESS);

  it('at, within and throughout hold exactly at their bounds', () => {
    expect(outcome(result)).toEqual({
      'at-restart': 'passed',
      'at-before-restart': 'passed',
      'event-at-upper-bound': 'passed',
      'event-at-lower-bound': 'passed',
      'event-just-before': 'failed',
      'event-just-after': 'failed',
      'event-at': 'passed',
      'within-one-instant': 'passed',
      'within-some-instant': 'passed',
      'within-never': 'failed',
      'throughout-until-restart': 'failed',
      'throughout-before-restart': 'passed',
      'throughout-running': 'passed',
    });
  });

  it('a failed check says what was expected, what was observed and when', () => {
    const t = testById(result, 'throughout-until-restart');
    expect(t.output).toMatch(/RESTARTS/);
    expect(t.output).toContain(`${RESTART}s`);
    expect(testById(result, 'event-just-before').output).toMatch(/Killing/);
  });
});

describe('pod expectations', () => {
  const checks = [
    '    - {id: exists, at: 10s, pod: livenessprobe-pod, expect: {exists: true}}',
    '    - {id: not-exists, at: 10s, pod: livenessprobe-pod, expect: {exists: false}}',
    '    - {id: phase, at: 10s, pod: livenessprobe-pod, expect: {phase: Running}}',
    '    - {id: phase-wrong, at: 10s, pod: livenessprobe-pod, expect: {phase: Pending}}',
    '    - {id: status, at: 0s, pod: livenessprobe-pod, expect: {status: Running}}',
    '    - {id: ready-column, at: 10s, pod: livenessprobe-pod, expect: {ready: "1/1"}}',
    '    - {id: ready-column-wrong, at: 10s, pod: livenessprobe-pod, expect: {ready: "0/1"}}',
    '    - {id: ready-true, at: 10s, pod: livenessprobe-pod, expect: {ready: true}}',
    '    - {id: ready-false, at: 10s, pod: livenessprobe-pod, expect: {ready: false}}',
    `    - {id: restarts-number, at: ${ms(RESTART + 10)}, pod: livenessprobe-pod, expect: {restarts: 1}}`,
    `    - {id: restarts-range, at: ${ms(RESTART + 10)}, pod: livenessprobe-pod, expect: {restarts: {min: 1, max: 3}}}`,
    `    - {id: restarts-min, at: ${ms(RESTART + 10)}, pod: livenessprobe-pod, expect: {restarts: {min: 2}}}`,
    `    - {id: restarts-max, at: ${ms(RESTART + 10)}, pod: livenessprobe-pod, expect: {restarts: {max: 0}}}`,
    '    - {id: conditions, at: 10s, pod: livenessprobe-pod, expect: {conditions: {PodScheduled: "True", Initialized: "True", ContainersReady: "True", Ready: "True", PodReadyToStartContainers: "True"}}}',
    '    - {id: conditions-wrong, at: 10s, pod: livenessprobe-pod, expect: {conditions: {Ready: "False"}}}',
    '    - {id: container, at: 10s, pod: livenessprobe-pod, expect: {containers: {livenessprobe-pod: {state: running, ready: true, started: true, restarts: 0}}}}',
    `    - {id: container-restarted, at: ${ms(RESTART + 1)}, pod: livenessprobe-pod, expect: {containers: {livenessprobe-pod: {state: running, restarts: 1}}}}`,
    '    - {id: all-keys-one-instant, at: 10s, pod: livenessprobe-pod, expect: {exists: true, phase: Running, status: Running, ready: "1/1", restarts: 0}}',
    '    - {id: all-keys-one-wrong, at: 10s, pod: livenessprobe-pod, expect: {exists: true, phase: Running, status: Running, ready: "1/1", restarts: 1}}',
  ].join('\n');
  const result = grade(scenarioText({ duration: '150s', checks }), LIVENESS);

  it('every key of expect is compared at the same instant', () => {
    expect(outcome(result)).toEqual({
      exists: 'passed',
      'not-exists': 'failed',
      phase: 'passed',
      'phase-wrong': 'failed',
      status: 'passed',
      'ready-column': 'passed',
      'ready-column-wrong': 'failed',
      'ready-true': 'passed',
      'ready-false': 'failed',
      'restarts-number': 'passed',
      'restarts-range': 'passed',
      'restarts-min': 'failed',
      'restarts-max': 'failed',
      conditions: 'passed',
      'conditions-wrong': 'failed',
      container: 'passed',
      'container-restarted': 'passed',
      'all-keys-one-instant': 'passed',
      'all-keys-one-wrong': 'failed',
    });
  });

  it('init containers are container expectations too; STATUS shows Init:i/n', () => {
    const scenario = readFileSync(join(ROOT, 'scenarios/init-containers/scenario.yaml'), 'utf8');
    const spec = scenario.slice(scenario.indexOf('  actions:'), scenario.indexOf('  duration:'));
    const r = grade(
      scenarioText({
        duration: '90s',
        spec: spec.replace(/\n$/, ''),
        checks: [
          '    - {id: init-0, at: 10s, pod: myapp-pod, expect: {phase: Pending, status: "Init:0/2", ready: "0/1", ready: false}}',
          '    - id: init-running',
          '      at: 10s',
          '      pod: myapp-pod',
          '      expect:',
          '        conditions: {Initialized: "False"}',
          '        containers:',
          '          init-myservice: {state: running, ready: false, restarts: 0}',
          '          init-mydb: {state: waiting, reason: PodInitializing}',
          '          myapp-container: {state: waiting, reason: PodInitializing, ready: false, started: false}',
          '    - id: init-done',
          '      at: 60s',
          '      pod: myapp-pod',
          '      expect:',
          '        status: Running',
          '        containers:',
          '          init-myservice: {state: terminated, reason: Completed, exitCode: 0, ready: true}',
          '          init-mydb: {state: terminated, reason: Completed, exitCode: 0}',
          '          myapp-container: {state: running, ready: true}',
          '    - {id: init-1, at: 30s, pod: myapp-pod, expect: {status: "Init:1/2"}}',
        ].join('\n'),
      }).replace('ready: "0/1", ready: false', 'ready: "0/1"'),
      INIT,
    );
    expect(r.tests.filter((t) => t.status === 'failed').map((t) => `${t.id}: ${t.output}`)).toEqual([]);
  });

  it('a terminated container: state, reason and exitCode; phase Failed', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: job}
spec:
  restartPolicy: Never
  containers:
    - {name: main, image: busybox:1.32.0, command: [sh, -c, "sleep 2; exit 3"]}
`;
    const r = grade(
      scenarioText({
        duration: '30s',
        checks: [
          '    - {id: running, at: 1s, pod: job, expect: {phase: Running, containers: {main: {state: running, started: true}}}}',
          '    - {id: failed, at: 5s, pod: job, expect: {phase: Failed, status: Error, ready: "0/1", containers: {main: {state: terminated, reason: Error, exitCode: 3, started: false}}}}',
          '    - {id: wrong-code, at: 5s, pod: job, expect: {containers: {main: {exitCode: 0}}}}',
        ].join('\n'),
      }),
      pod,
    );
    expect(outcome(r)).toEqual({ running: 'passed', failed: 'passed', 'wrong-code': 'failed' });
    expect(testById(r, 'wrong-code').output).toMatch(/3/);
  });
});

describe('events', () => {
  const checks = [
    `    - {id: exact-reason, within: [0s, 150s], event: {pod: livenessprobe-pod, reason: Killing}}`,
    `    - {id: reason-is-exact, within: [0s, 150s], event: {pod: livenessprobe-pod, reason: Kill}}`,
    `    - {id: substring, within: [0s, 150s], event: {pod: livenessprobe-pod, reason: Killing, message: "failed liveness probe"}}`,
    `    - {id: substring-wrong, within: [0s, 150s], event: {pod: livenessprobe-pod, reason: Killing, message: "failed readiness probe"}}`,
    `    - {id: regex, within: [0s, 150s], event: {pod: livenessprobe-pod, reason: Killing, messageRegex: "^Container livenessprobe-pod failed liveness probe, will be restarted$"}}`,
    `    - {id: regex-wrong, within: [0s, 150s], event: {pod: livenessprobe-pod, reason: Killing, messageRegex: "^failed"}}`,
    `    - {id: count-exact, within: [0s, ${ms(KILL)}], event: {pod: livenessprobe-pod, reason: Unhealthy, count: 3}}`,
    `    - {id: count-exact-wrong, within: [0s, ${ms(KILL)}], event: {pod: livenessprobe-pod, reason: Unhealthy, count: 2}}`,
    `    - {id: count-range, within: [0s, 150s], event: {pod: livenessprobe-pod, reason: Killing, count: {min: 2, max: 2}}}`,
    `    - {id: count-zero, within: [0s, ${ms(KILL - 7)}], event: {pod: livenessprobe-pod, reason: Unhealthy, count: 0}}`,
    `    - {id: throughout-window, throughout: [0s, ${ms(KILL)}], event: {pod: livenessprobe-pod, reason: Unhealthy, count: 3}}`,
    `    - {id: message-text, within: [0s, 150s], event: {pod: livenessprobe-pod, reason: Started, message: "Started container livenessprobe-pod", count: {min: 2}}}`,
  ].join('\n');
  const result = grade(scenarioText({ duration: '150s', checks }), LIVENESS);

  it('reason exact, message substring or messageRegex, count number or range; throughout counts its window', () => {
    expect(outcome(result)).toEqual({
      'exact-reason': 'passed',
      'reason-is-exact': 'failed',
      substring: 'passed',
      'substring-wrong': 'failed',
      regex: 'passed',
      'regex-wrong': 'failed',
      'count-exact': 'passed',
      'count-exact-wrong': 'failed',
      'count-range': 'passed',
      'count-zero': 'passed',
      'throughout-window': 'passed',
      'message-text': 'passed',
    });
  });
});

describe('exec checks', () => {
  const checks = [
    '    - {id: file-there, at: 10s, exec: {pod: livenessprobe-pod, command: [test, -e, /tmp/livenesspod], exitCode: 0}}',
    '    - {id: remove-it, at: 11s, exec: {pod: livenessprobe-pod, command: [rm, /tmp/livenesspod], exitCode: 0}}',
    '    - {id: still-there, at: 12s, exec: {pod: livenessprobe-pod, container: livenessprobe-pod, command: [test, -e, /tmp/livenesspod], exitCode: 0}}',
    '    - {id: no-kill-after-exec, within: [11s, 29s], event: {pod: livenessprobe-pod, reason: Unhealthy, count: 0}}',
    '    - {id: stdout, at: 5s, exec: {pod: livenessprobe-pod, command: [sh, -c, "echo hello world"], stdout: "hello", exitCode: 0}}',
    '    - {id: stdout-wrong, at: 5s, exec: {pod: livenessprobe-pod, command: [sh, -c, "echo hello world"], stdout: "goodbye"}}',
    `    - {id: stderr, at: 5s, exec: {pod: livenessprobe-pod, command: [cat, /nope], exitCode: 1, stderr: "cat: can't open '/nope': No such file or directory"}}`,
    '    - {id: exit-wrong, at: 5s, exec: {pod: livenessprobe-pod, command: [cat, /nope], exitCode: 0}}',
    '    - {id: gone-later, at: 31s, exec: {pod: livenessprobe-pod, command: [test, -e, /tmp/livenesspod], exitCode: 1}}',
    '    - {id: exec-throughout, throughout: [1s, 29s], exec: {pod: livenessprobe-pod, command: [test, -e, /tmp/livenesspod], exitCode: 0}}',
    '    - {id: exec-throughout-wrong, throughout: [1s, 40s], exec: {pod: livenessprobe-pod, command: [test, -e, /tmp/livenesspod], exitCode: 0}}',
    '    - {id: exec-within, within: [20s, 40s], exec: {pod: livenessprobe-pod, command: [test, -e, /tmp/livenesspod], exitCode: 1}}',
  ].join('\n');
  const result = grade(scenarioText({ duration: '60s', checks }), LIVENESS);

  it('exitCode, stdout and stderr; the effects of an exec check are discarded', () => {
    expect(outcome(result)).toEqual({
      'file-there': 'passed',
      'remove-it': 'passed',
      'still-there': 'passed',
      'no-kill-after-exec': 'passed',
      stdout: 'passed',
      'stdout-wrong': 'failed',
      stderr: 'passed',
      'exit-wrong': 'failed',
      'gone-later': 'passed',
      'exec-throughout': 'passed',
      'exec-throughout-wrong': 'failed',
      'exec-within': 'passed',
    });
  });
});

describe('service checks', () => {
  const readiness = `apiVersion: v1
kind: Pod
metadata: {name: livenessprobe-pod, labels: {app: livenessprobe-pod}}
spec:
  containers:
    - name: web
      image: nginx:1.17.10-alpine
      readinessProbe:
        exec: {command: [test, -e, /tmp/ready]}
        periodSeconds: 5
`;
  const checks = [
    '    - {id: none, throughout: [0s, 19s], service: {name: live, readyEndpoints: 0}}',
    '    - {id: one-later, within: [20s, 30s], service: {name: live, readyEndpoints: 1}}',
    '    - {id: one-throughout, throughout: [26s, 60s], service: {name: live, readyEndpoints: {min: 1}}}',
    '    - {id: one-too-early, at: 10s, service: {name: live, readyEndpoints: 1}}',
    '    - {id: exists, at: 0s, service: {name: live, exists: true}}',
    '    - {id: pod-not-ready, at: 10s, pod: livenessprobe-pod, expect: {status: Running, ready: "0/1", ready: false}}',
    // Actions run after the simulator's own events of their instant (section 1.2): the probe
    // tick at 20 s still fails, the next one (25 s) succeeds.
    '    - {id: probe-before-action, at: 20s, event: {pod: livenessprobe-pod, reason: Unhealthy, message: Readiness probe failed}}',
    '    - {id: not-ready-at-20, at: 20s, pod: livenessprobe-pod, expect: {ready: false}}',
    '    - {id: ready-at-25, at: 25s, pod: livenessprobe-pod, expect: {ready: true}}',
    // Actions of one instant run in file order.
    '    - {id: touch-then-rm, at: 41s, exec: {pod: livenessprobe-pod, command: [test, -e, /tmp/a], exitCode: 1}}',
    '    - {id: rm-then-touch, at: 41s, exec: {pod: livenessprobe-pod, command: [test, -e, /tmp/b], exitCode: 0}}',
  ].join('\n');
  const result = grade(
    scenarioText({
      duration: '60s',
      spec: [
        `${LIVENESS_SETUP}  actions:`,
        '    - {at: 20s, exec: {pod: livenessprobe-pod, command: [touch, /tmp/ready]}}',
        '    - {at: 40s, exec: {pod: livenessprobe-pod, command: [touch, /tmp/a]}}',
        '    - {at: 40s, exec: {pod: livenessprobe-pod, command: [rm, /tmp/b]}}',
        '    - {at: 40s, exec: {pod: livenessprobe-pod, command: [rm, /tmp/a]}}',
        '    - {at: 40s, exec: {pod: livenessprobe-pod, command: [touch, /tmp/b]}}',
      ].join('\n'),
      checks: checks.replace('ready: "0/1", ready: false', 'ready: "0/1"'),
    }),
    readiness,
  );

  it("readyEndpoints follows readiness; actions run after the instant's own events, in file order", () => {
    expect(outcome(result)).toEqual({
      none: 'passed',
      'one-later': 'passed',
      'one-throughout': 'passed',
      'one-too-early': 'failed',
      exists: 'passed',
      'pod-not-ready': 'passed',
      'probe-before-action': 'passed',
      'not-ready-at-20': 'passed',
      'ready-at-25': 'passed',
      'touch-then-rm': 'passed',
      'rm-then-touch': 'passed',
    });
  });
});

describe('manifest checks (after defaulting)', () => {
  const m = (id: string, path: string, rest: string) =>
    `    - {id: ${id}, manifest: {kind: Pod, name: livenessprobe-pod, path: "${path}", ${rest}}}`;
  const checks = [
    m('dots', 'metadata.labels.app', 'equals: livenessprobe-pod'),
    m('index', 'spec.containers[0].livenessProbe.periodSeconds', 'equals: 3'),
    m('by-name', 'spec.containers[name=livenessprobe-pod].image', 'equals: "busybox:1.32.0"'),
    m('defaulted', 'spec.containers[0].livenessProbe.failureThreshold', 'equals: 3'),
    m('defaulted-policy', 'spec.restartPolicy', 'equals: Always'),
    m('defaulted-grace', 'spec.terminationGracePeriodSeconds', 'equals: 30'),
    m('equals-list', 'spec.containers[0].livenessProbe.exec.command', 'equals: [test, -e, /tmp/livenesspod]'),
    m('equals-wrong', 'spec.containers[0].livenessProbe.periodSeconds', 'equals: 5'),
    m('exists', 'spec.containers[0].livenessProbe.exec', 'exists: true'),
    m('not-exists', 'spec.containers[0].readinessProbe', 'exists: false'),
    m('not-exists-wrong', 'spec.containers[0].livenessProbe', 'exists: false'),
    m('one-of', 'spec.containers[0].imagePullPolicy', 'oneOf: [IfNotPresent, Never]'),
    m('one-of-wrong', 'spec.containers[0].imagePullPolicy', 'oneOf: [Always]'),
    m('matches', 'spec.containers[0].image', 'matches: "^busybox:1\\\\.3"'),
    m('matches-wrong', 'spec.containers[0].image', 'matches: "^nginx"'),
    m('missing-path', 'spec.containers[1].image', 'equals: busybox'),
    m('missing-name', 'spec.containers[name=nope].image', 'exists: true'),
    '    - {id: missing-object, manifest: {kind: Pod, name: nope, path: metadata.name, exists: true}}',
    '    - {id: missing-object-absent, manifest: {kind: Service, name: nope, path: metadata.name, exists: false}}',
  ].join('\n');
  const result = grade(scenarioText({ duration: '10s', checks }), LIVENESS);

  it('paths a.b, [0], [name=x] with equals, exists, oneOf, matches', () => {
    expect(outcome(result)).toEqual({
      dots: 'passed',
      index: 'passed',
      'by-name': 'passed',
      defaulted: 'passed',
      'defaulted-policy': 'passed',
      'defaulted-grace': 'passed',
      'equals-list': 'passed',
      'equals-wrong': 'failed',
      exists: 'passed',
      'not-exists': 'passed',
      'not-exists-wrong': 'failed',
      'one-of': 'passed',
      'one-of-wrong': 'failed',
      matches: 'passed',
      'matches-wrong': 'failed',
      'missing-path': 'failed',
      'missing-name': 'failed',
      'missing-object': 'failed',
      // The subject (the submitted Service) is missing: the check fails and says so.
      'missing-object-absent': 'failed',
    });
    expect(testById(result, 'equals-wrong').output).toMatch(/5/);
    expect(testById(result, 'equals-wrong').output).toMatch(/3/);
    expect(testById(result, 'missing-object').output).toMatch(/nope/);
    expect(testById(result, 'missing-object-absent').output).toMatch(/nope/);
  });
});

describe('checks on missing subjects fail with a message, never crash', () => {
  const checks = [
    '    - {id: no-pod, at: 5s, pod: nope, expect: {phase: Running}}',
    '    - {id: no-pod-absent, throughout: [0s, 10s], pod: nope, expect: {exists: false}}',
    '    - {id: no-container, at: 5s, pod: livenessprobe-pod, expect: {containers: {nope: {state: running}}}}',
    '    - {id: no-service, at: 5s, service: {name: nope, readyEndpoints: 0}}',
    '    - {id: no-service-absent, at: 5s, service: {name: nope, exists: false}}',
    '    - {id: exec-no-pod, at: 5s, exec: {pod: nope, command: ["true"], exitCode: 0}}',
    '    - {id: exec-no-container, at: 5s, exec: {pod: livenessprobe-pod, container: nope, command: ["true"], exitCode: 0}}',
    '    - {id: exec-no-binary, at: 5s, exec: {pod: livenessprobe-pod, command: [curl, localhost], exitCode: 0}}',
    '    - {id: event-no-pod, within: [0s, 10s], event: {pod: nope, reason: Started}}',
  ].join('\n');
  const result = grade(scenarioText({ duration: '10s', checks }), LIVENESS);

  it('each says what is missing', () => {
    expect(outcome(result)).toEqual({
      'no-pod': 'failed',
      'no-pod-absent': 'passed',
      'no-container': 'failed',
      'no-service': 'failed',
      'no-service-absent': 'passed',
      'exec-no-pod': 'failed',
      'exec-no-container': 'failed',
      'exec-no-binary': 'failed',
      'event-no-pod': 'failed',
    });
    for (const id of [
      'no-pod',
      'no-container',
      'no-service',
      'exec-no-pod',
      'exec-no-container',
      'event-no-pod',
    ]) {
      expect(testById(result, id).output, id).toMatch(/nope/);
    }
    expect(testById(result, 'exec-no-binary').output).toMatch(/curl/);
  });
});

describe('images of a scenario (section 1.1)', () => {
  const spec = [
    '  images:',
    '    registry.example/web:1.0:',
    '      command: [sh, -c, "sleep 3600"]',
    '      listens:',
    '        - port: 8080',
    '          http: {"/healthz": 200}',
    '      stopSignal: SIGTERM',
    '      files: {/etc/app.conf: "mode: fast\\n"}',
    '    registry.example/stubborn:1.0:',
    '      command: [sh, -c, "sleep 3600"]',
    '  actions:',
    '    - {at: 10s, delete: {kind: Pod, name: web}}',
    '    - {at: 10s, delete: {kind: Pod, name: stubborn}}',
  ].join('\n');
  const pods = `apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  containers:
    - name: web
      image: registry.example/web:1.0
      readinessProbe:
        httpGet: {path: /other, port: 8080}
        periodSeconds: 2
      livenessProbe:
        tcpSocket: {port: 8080}
---
apiVersion: v1
kind: Pod
metadata: {name: stubborn}
spec:
  containers:
    - {name: app, image: registry.example/stubborn:1.0}
---
apiVersion: v1
kind: Pod
metadata: {name: typo}
spec:
  containers:
    - {name: app, image: registry.example/nosuch:1.0}
`;
  const checks = [
    '    - {id: default-command, at: 5s, pod: stubborn, expect: {status: Running}}',
    '    - {id: file, at: 5s, exec: {pod: web, command: [cat, /etc/app.conf], stdout: "mode: fast"}}',
    '    - {id: other-path-404, within: [0s, 9s], event: {pod: web, reason: Unhealthy, message: "Readiness probe failed: HTTP probe failed with statuscode: 404"}}',
    '    - {id: tcp-open, throughout: [0s, 9s], pod: web, expect: {restarts: 0}}',
    '    - {id: sigterm-handled, at: 11s, pod: web, expect: {exists: false}}',
    '    - {id: sigterm-ignored, at: 39s, pod: stubborn, expect: {exists: true, status: Terminating}}',
    '    - {id: killed-after-grace, at: 41s, pod: stubborn, expect: {exists: false}}',
    '    - {id: pull-error, at: 1s, pod: typo, expect: {status: ErrImagePull, phase: Pending}}',
    '    - {id: pull-backoff, within: [1s, 20s], pod: typo, expect: {status: ImagePullBackOff}}',
  ].join('\n');
  const result = grade(scenarioText({ duration: '60s', spec, checks }), pods);

  it('command, listens (other paths 404), stopSignal, files; an unknown image fails to pull', () => {
    expect(result.tests.filter((t) => t.status === 'failed').map((t) => `${t.id}: ${t.output}`)).toEqual([]);
  });
});

describe('cluster knobs (section 1.3)', () => {
  const services = [
    '  setup:',
    '    - |',
    '      apiVersion: v1',
    '      kind: Service',
    '      metadata: {name: myservice}',
    '      spec: {ports: [{port: 80}]}',
    '    - |',
    '      apiVersion: v1',
    '      kind: Service',
    '      metadata: {name: mydb}',
    '      spec: {ports: [{port: 80}]}',
  ].join('\n');
  const checks = '    - {id: running, at: 20s, pod: myapp-pod, expect: {status: Running}}';
  const run = (knob: string) =>
    grade(
      scenarioText({
        duration: '30s',
        spec: `${services}\n  cluster: {busyboxShortNameLookup: ${knob}}`,
        checks,
      }),
      INIT,
    );

  it('busyboxShortNameLookup: resolve finds a Service by its short name, strict never does', () => {
    expect(run('resolve').tests[0]!.status).toBe('passed');
    const strict = run('strict');
    expect(strict.tests[0]!.status).toBe('failed');
    expect(strict.tests[0]!.output).toContain('Init:0/2');
  });

  it('imagePullSeconds: a pull that happens takes that long', () => {
    const r = grade(
      scenarioText({
        duration: '30s',
        spec: '  cluster: {imagePullSeconds: 1m30s}',
        checks: '    - {id: creating, at: 89s, pod: livenessprobe-pod, expect: {status: ContainerCreating}}',
      }).replace('duration: 30s', 'duration: 100s'),
      LIVENESS,
    );
    expect(r.tests[0]!.status, r.tests[0]!.output).toBe('passed');
    expect(r.events.find((e) => e.reason === 'Started')!.at).toBe('90s');
  });
});
