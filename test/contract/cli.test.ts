/**
 * Contract 3 (scenario-format.md section 3 and 1.5): `podlab scenario check`, `podlab
 * simulate`, `podlab validate` and the exit codes, run as child processes like an outsider.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, COURSE, podlab, ROOT, tempDir, writeFiles } from './helpers.ts';

const TINY = `apiVersion: podlab/v1
kind: Scenario
metadata: {name: tiny, title: A sleeping Pod}
spec:
  instructions: Run busybox:1.32.0 with sh -c "sleep 3600" in a Pod named tiny.
  submission: {allowedKinds: [Pod], required: [{kind: Pod, name: tiny}]}
  duration: 20s
  checks:
    - {id: running, at: 5s, pod: tiny, expect: {status: Running, ready: "1/1"}}
    - {id: image, manifest: {kind: Pod, name: tiny, path: "spec.containers[0].image", equals: "busybox:1.32.0"}}
    - {id: command, manifest: {kind: Pod, name: tiny, path: "spec.containers[0].command[2]", equals: "sleep 3600"}}
`;

const pod = (image: string, sleep: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: tiny}
spec:
  containers:
    - name: c
      image: ${image}
      command: [sh, -c, "${sleep}"]
${extra}`;

const SOLUTION = pod('busybox:1.32.0', 'sleep 3600');
const SCORE_1 = `# podlab-expect: score=1\n${pod('busybox:1.31.0', 'sleep 100')}`;
const REJECTED = `# podlab-expect: rejected\n${pod('busybox:1.32.0', 'sleep 3600', '      restartPolicy: Always\n')}`;
const BELOW_FULL = `# no expectation: below full marks\n${pod('busybox:1.31.0', 'sleep 3600')}`;

const LIVENESS = join(ROOT, 'scenarios/liveness-exec/solution.yaml');

let dir: string;
let runs: Record<string, CliRun>;

beforeAll(async () => {
  dir = writeFiles(tempDir(), {
    'good/scenario.yaml': TINY,
    'good/solution.yaml': SOLUTION,
    'good/mistakes/score-one.yaml': SCORE_1,
    'good/mistakes/rejected.yaml': REJECTED,
    'good/mistakes/below-full.yml': BELOW_FULL,
    'wrong-score/scenario.yaml': TINY,
    'wrong-score/solution.yaml': SOLUTION,
    'wrong-score/mistakes/claims-three.yaml': `# podlab-expect: score=3\n${pod('busybox:1.31.0', 'sleep 100')}`,
    'wrong-rejected/scenario.yaml': TINY,
    'wrong-rejected/solution.yaml': SOLUTION,
    'wrong-rejected/mistakes/not-rejected.yaml': `# podlab-expect: rejected\n${SOLUTION}`,
    'full-mistake/scenario.yaml': TINY,
    'full-mistake/solution.yaml': SOLUTION,
    'full-mistake/mistakes/actually-right.yaml': SOLUTION,
    'bad-solution/scenario.yaml': TINY,
    'bad-solution/solution.yaml': pod('busybox:1.32.0', 'sleep 1'),
    'invalid/scenario.yaml': TINY.replace('  duration: 20s', '  duration: 20s\n  timeout: 5s'),
    'invalid/solution.yaml': SOLUTION,
    'actions.yaml': `- at: 20s
  exec:
    pod: livenessprobenginx-pod
    command: [rm, -rf, /usr/share/nginx/html/index.html]
`,
    'bad-actions.yaml': '- at: 20s\n  exec: {pod: x, command: [ls]}\n  colour: red\n',
    'nginx.yaml': readFileSync(join(ROOT, 'scenarios/liveness-httpget/solution.yaml'), 'utf8'),
  });
  const course = writeFiles(tempDir(), {
    'scenarios/tiny/scenario.yaml': TINY,
    'scenarios/tiny/solution.yaml': SOLUTION,
    'scenarios/tiny/mistakes/score-one.yaml': SCORE_1,
  });
  const jobs: Record<string, Promise<CliRun>> = {
    checkAll: podlab(['scenario', 'check']),
    checkHere: podlab(['scenario', 'check'], course),
    checkGoodFile: podlab(['scenario', 'check', join(dir, 'good/scenario.yaml')]),
    checkWrong: podlab([
      'scenario',
      'check',
      join(dir, 'wrong-score'),
      join(dir, 'wrong-rejected'),
      join(dir, 'full-mistake'),
      join(dir, 'bad-solution'),
    ]),
    checkInvalid: podlab(['scenario', 'check', join(dir, 'good'), join(dir, 'invalid')]),
    checkMissing: podlab(['scenario', 'check', join(dir, 'no-such-folder')]),
    watch: podlab(['simulate', LIVENESS, '--until', '80s']),
    manyFiles: podlab([
      'simulate',
      ...['initcpod.yml', 'initcservice1.yml', 'initcservice2.yml'].map((f) => join(COURSE, f)),
      '--until',
      '30s',
    ]),
    json: podlab(['simulate', LIVENESS, '--until', '80s', '--output', 'json']),
    events: podlab(['simulate', LIVENESS, '--until', '80s', '--output', 'events']),
    describe: podlab(['simulate', LIVENESS, '--until', '80s', '--output', 'describe']),
    actions: podlab([
      'simulate',
      join(dir, 'nginx.yaml'),
      '--actions',
      join(dir, 'actions.yaml'),
      '--until',
      '60s',
    ]),
    badActions: podlab(['simulate', join(dir, 'nginx.yaml'), '--actions', join(dir, 'bad-actions.yaml')]),
    rejectedSim: podlab(['simulate', join(COURSE, 'livenessprobepod.yml')]),
    badOutput: podlab(['simulate', LIVENESS, '--output', 'yaml']),
    badUntil: podlab(['simulate', LIVENESS, '--until', 'soon']),
    validate: podlab(['validate', join(COURSE, 'livenessprobepod.yml'), LIVENESS]),
    unknownCommand: podlab(['frobnicate']),
  };
  const names = Object.keys(jobs);
  const done = await Promise.all(Object.values(jobs));
  runs = Object.fromEntries(names.map((n, i) => [n, done[i]!]));
});

describe('podlab scenario check', () => {
  it('with no path checks every folder under scenarios/ and exits 0', () => {
    const r = runs.checkAll!;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const f of readdirSync(join(ROOT, 'scenarios')))
      expect(r.stdout).toContain(`scenarios/${f}/solution.yaml`);
    expect(r.stdout).toMatch(/\b(\d+) of \1 scenario folders hold/);
  });

  it('with no path in a course repository checks the folders under its own scenarios/', () => {
    const r = runs.checkHere!;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/✓ scenarios\/tiny\/solution\.yaml: 3\/3/);
    expect(r.stdout).toMatch(/\n1 of 1 scenario folders? holds?\n$/);
  });

  it('honours # podlab-expect: rejected and score=N, and exits 0 when everything holds', () => {
    // A scenario file names its folder (the folder form is used by the other runs).
    for (const r of [runs.checkGoodFile!]) {
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/✓ .*good\/solution\.yaml: 3\/3/);
      expect(r.stdout).toMatch(/✓ .*score-one\.yaml: 1\/3/);
      expect(r.stdout).toMatch(/✓ .*rejected\.yaml: rejected/);
      expect(r.stdout).toMatch(/✓ .*below-full\.yml: 2\/3/);
    }
  });

  it('exits 1 when a mistake does not score what it states, scores full marks, or the solution is not full', () => {
    const r = runs.checkWrong!;
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/✗ .*claims-three\.yaml: 1\/3/);
    expect(r.stdout).toMatch(/✗ .*not-rejected\.yaml: 3\/3/);
    expect(r.stdout).toMatch(/✗ .*actually-right\.yaml: 3\/3/);
    expect(r.stdout).toMatch(/✗ .*bad-solution\/solution\.yaml: 1\/3 \(expected full marks\)/);
  });

  it('exits 2 on an invalid scenario file, with its path and line', () => {
    const r = runs.checkInvalid!;
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).toMatch(/invalid\/scenario\.yaml:8:\d+: unknown field "timeout"/);
  });

  it('exits 2 on a path that does not exist', () => {
    expect(runs.checkMissing!.code).toBe(2);
    expect(runs.checkMissing!.stderr).toContain('no-such-folder');
  });
});

describe('podlab simulate', () => {
  it('--output watch (default) prints the transcript', () => {
    const r = runs.watch!;
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^TIME +NAME +READY +STATUS +RESTARTS$/);
    expect(r.stdout).toMatch(/\n0s +livenessprobe-pod +0\/1 +Pending +0\n/);
    expect(r.stdout).toMatch(/\n\d+s +livenessprobe-pod +1\/1 +Running +1 \(0s ago\)\n/);
  });

  it('several files are applied together, like kubectl apply -f a -f b -f c', () => {
    const r = runs.manyFiles!;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('service/myservice created');
    expect(r.stdout.trimEnd().split('\n').pop()).toMatch(/^0s +myapp-pod +1\/1 +Running +0$/);
  });

  it('--until bounds the run; --output json prints the trace', () => {
    const trace = JSON.parse(runs.json!.stdout) as {
      endAt: number;
      events: { at: number; reason: string }[];
    };
    expect(runs.json!.code).toBe(0);
    expect(trace.endAt).toBe(80_000);
    expect(trace.events.every((e) => e.at <= 80_000)).toBe(true);
    expect(trace.events.some((e) => e.reason === 'Killing')).toBe(true);
  });

  it('--output events and describe print kubectl-like text', () => {
    expect(runs.events!.code).toBe(0);
    expect(runs.events!.stdout).toMatch(/Warning +Unhealthy .*Liveness probe failed/);
    expect(runs.events!.stdout).toMatch(
      /Normal +Killing .*Container livenessprobe-pod failed liveness probe, will be restarted/,
    );
    expect(runs.describe!.code).toBe(0);
    expect(runs.describe!.stdout).toMatch(/^Name: +livenessprobe-pod$/m);
    expect(runs.describe!.stdout).toContain(
      'Liveness:       exec [test -e /tmp/livenesspod] delay=1s timeout=1s period=3s #success=1 #failure=3',
    );
    expect(runs.describe!.stdout).toMatch(/Restart Count: +1/);
  });

  it('--actions FILE runs operator actions (the course: rm index.html restarts nginx)', () => {
    const r = runs.actions!;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\n\d+s +livenessprobenginx-pod +1\/1 +Running +1 \(0s ago\)\n/);
    expect(runs.badActions!.code).toBe(2);
    expect(runs.badActions!.stderr).toContain('unknown field "colour"');
  });

  it('a manifest kubectl rejects: kubectl words on stderr, and a result (exit 0)', () => {
    const r = runs.rejectedSim!;
    expect(r.stderr).toContain(
      'strict decoding error: unknown field "spec.containers[0].livenessProbe.exec.initialDelaySeconds"',
    );
    expect(r.code).toBe(0);
  });

  it('bad usage exits 2: unknown output, malformed --until', () => {
    for (const name of ['badOutput', 'badUntil']) {
      expect(runs[name]!.code, name).toBe(2);
      expect(runs[name]!.stderr, name).not.toBe('');
    }
  });
});

describe('podlab validate and usage', () => {
  it('validate prints what kubectl apply would: the error with its place, or "created"', () => {
    expect(runs.validate!.stderr).toContain(
      `Error from server (BadRequest): error when creating "${join(COURSE, 'livenessprobepod.yml')}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].livenessProbe.exec.initialDelaySeconds", unknown field "spec.containers[0].livenessProbe.exec.periodSeconds"`,
    );
    expect(runs.validate!.stderr).toMatch(/16/);
    expect(runs.validate!.stdout).toBe('pod/livenessprobe-pod created (server dry run)\n');
  });

  it('an unknown command exits 2', () => {
    expect(runs.unknownCommand!.code).toBe(2);
  });
});
