/**
 * Contract 2 (scenario-format.md section 2): the grade result JSON of
 * `podlab grade SCENARIO SUBMISSION --json`, its student and instructor views, rejected
 * results, byte-identical reruns, and the ways to name a scenario.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVERY_KEY, EVERY_KEY_ANSWER } from './fixtures.ts';
import { type CliRun, COURSE, grade, podlab, ROOT, scenarioText, tempDir, writeFiles } from './helpers.ts';

const SOLUTION = join(ROOT, 'scenarios/liveness-exec/solution.yaml');
const COURSE_POD = join(COURSE, 'livenessprobepod.yml');
/** As a student types it from the repository root: kubectl's message names the file so. */
const COURSE_POD_ARG = relative(ROOT, COURSE_POD);

/** Top-level keys of Gradescope's results.json that the result may carry besides section 2's. */
const GRADESCOPE_KEYS = [
  'output',
  'visibility',
  'stdout_visibility',
  'execution_time',
  'extra_data',
  'leaderboard',
];
const SECTION_2_KEYS = [
  'scenario',
  'scenario_version',
  'status',
  'score',
  'max_score',
  'tests',
  'errors',
  'warnings',
  'transcript',
  'events',
  'simulator',
];

type Json = Record<string, unknown>;

function json(run: CliRun): Json {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Json;
}

function expectResultShape(r: Json): void {
  for (const k of SECTION_2_KEYS) expect(r, `key ${k}`).toHaveProperty(k);
  for (const k of Object.keys(r)) expect([...SECTION_2_KEYS, ...GRADESCOPE_KEYS]).toContain(k);
  expect(typeof r.scenario).toBe('string');
  expect(r.scenario_version).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(['graded', 'rejected']).toContain(r.status);
  expect(typeof r.score).toBe('number');
  expect(typeof r.max_score).toBe('number');
  expect(typeof r.transcript).toBe('string');
  const tests = r.tests as Json[];
  expect(Array.isArray(tests)).toBe(true);
  for (const t of tests) {
    // A student view's one entry for its concealed checks has no id (issue 14).
    if (!('id' in t)) expect(t.name).toMatch(/^\d+ hidden checks?$/);
    else expect(typeof t.id).toBe('string');
    expect(typeof t.score).toBe('number');
    expect(typeof t.max_score).toBe('number');
    expect(['passed', 'failed']).toContain(t.status);
    expect(['visible', 'hidden', 'after_due_date']).toContain(t.visibility);
    if ('name' in t) expect(typeof t.name).toBe('string');
    if ('output' in t) expect(typeof t.output).toBe('string');
  }
  expect(r.score).toBe(tests.reduce((s, t) => s + (t.score as number), 0));
  expect(r.max_score).toBe(tests.reduce((s, t) => s + (t.max_score as number), 0));
  for (const e of r.errors as Json[]) {
    expect(typeof e.message).toBe('string');
    for (const k of Object.keys(e)) expect(['message', 'field', 'line', 'column', 'file']).toContain(k);
  }
  for (const w of r.warnings as Json[]) {
    expect(typeof w.message).toBe('string');
    for (const k of Object.keys(w)) expect(['message', 'field', 'line']).toContain(k);
  }
  for (const e of r.events as Json[]) {
    expect(Object.keys(e).sort()).toEqual(['at', 'message', 'object', 'reason', 'type']);
    expect(e.at).toMatch(/^\d+(\.\d+)?s$/);
    expect(e.object).toMatch(/^(Pod|Service)\/[a-z0-9.-]+$/);
    expect(['Normal', 'Warning']).toContain(e.type);
  }
  const sim = r.simulator as Json;
  expect(Object.keys(sim).sort()).toEqual(['digest', 'kubernetes', 'version']);
  expect(sim.kubernetes).toBe('1.33');
  expect(typeof sim.version).toBe('string');
  expect(sim.version).not.toBe('');
  expect(sim.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
}

let runs: Record<string, CliRun>;
let elsewhere: string;

beforeAll(async () => {
  elsewhere = writeFiles(tempDir(), {
    'sub.yaml': readFileSync(SOLUTION, 'utf8'),
    'copy/scenario.yaml': readFileSync(join(ROOT, 'scenarios/liveness-exec/scenario.yaml'), 'utf8'),
    'due-past.yaml': EVERY_KEY.replace(
      '  duration: 1h\n',
      '  duration: 1h\n  policy: {dueDate: "2020-01-01T00:00:00Z"}\n',
    ),
    'due-none.yaml': EVERY_KEY,
    'web.yaml': EVERY_KEY_ANSWER,
  });
  const jobs: Record<string, Promise<CliRun>> = {
    student: podlab(['grade', 'liveness-exec', SOLUTION, '--json']),
    instructor: podlab(['grade', 'liveness-exec', SOLUTION, '--json', '--instructor']),
    byFile: podlab(['grade', 'scenarios/liveness-exec/scenario.yaml', SOLUTION, '--json']),
    byFolder: podlab(['grade', 'scenarios/liveness-exec', SOLUTION, '--json']),
    builtinElsewhere: podlab(['grade', 'liveness-exec', 'sub.yaml', '--json'], elsewhere),
    folderElsewhere: podlab(['grade', 'copy', 'sub.yaml', '--json'], elsewhere),
    rejected: podlab(['grade', 'liveness-exec', COURSE_POD_ARG, '--json']),
    report: podlab(['grade', 'liveness-exec', COURSE_POD_ARG]),
    duePast: podlab(['grade', 'due-past.yaml', 'web.yaml', '--json'], elsewhere),
    dueNone: podlab(['grade', 'due-none.yaml', 'web.yaml', '--json'], elsewhere),
    noScenario: podlab(['grade', 'no-such-lab', SOLUTION, '--json']),
    oneArg: podlab(['grade', 'liveness-exec']),
  };
  const names = Object.keys(jobs);
  const done = await Promise.all(Object.values(jobs));
  runs = Object.fromEntries(names.map((n, i) => [n, done[i]!]));
});

describe('grade result JSON (section 2)', () => {
  it('has the fields of section 2 with their types, graded at full marks', () => {
    const r = json(runs.student!);
    expectResultShape(r);
    expect(r.scenario).toBe('liveness-exec');
    expect(r.status).toBe('graded');
    expect(r.score).toBe(r.max_score);
    expect(r.errors).toEqual([]);
  });

  it('is byte-identical across two runs (two processes, the same scenario named two ways)', () => {
    expect(runs.byFile!.stdout).toBe(runs.student!.stdout);
  });

  it('events: {at: "39s"-like, object: "Pod/name", type, reason, message} in time order', () => {
    const events = json(runs.student!).events as Json[];
    expect(events[0]).toEqual({
      at: '0s',
      object: 'Pod/livenessprobe-pod',
      type: 'Normal',
      reason: 'Scheduled',
      message: 'Successfully assigned default/livenessprobe-pod to podlab-node',
    });
    const seconds = events.map((e) => Number.parseFloat(e.at as string));
    expect(seconds).toEqual([...seconds].sort((a, b) => a - b));
    expect(events.some((e) => e.reason === 'Unhealthy' && e.type === 'Warning')).toBe(true);
    // Past 120 s the time is still written in seconds, like the spec's "39s".
    expect(events.some((e) => /^1\d\ds$/.test(e.at as string))).toBe(true);
  });

  it('transcript: the header and aligned columns of kubectl get pods -w with a TIME column', () => {
    const transcript = json(runs.student!).transcript as string;
    const lines = transcript.replace(/\n$/, '').split('\n');
    expect(lines[0]).toMatch(/^TIME +NAME +READY +STATUS +RESTARTS$/);
    // kubectl's tabwriter: each column starts where the header's does, 3 spaces of padding.
    const starts = ['NAME', 'READY', 'STATUS', 'RESTARTS'].map((h) => lines[0]!.indexOf(h));
    for (const line of lines.slice(1)) {
      for (const s of starts) {
        expect(line[s - 1], line).toBe(' ');
        expect(line[s], line).not.toBe(' ');
      }
    }
    const widest = Math.max(...lines.map((l) => l.split(/ {2,}/)[0]!.length));
    expect(starts[0]).toBe(widest + 3);
    expect(lines[1]).toMatch(/^0s +livenessprobe-pod +0\/1 +Pending +0$/);
    expect(lines).toContainEqual(expect.stringMatching(/^0s +livenessprobe-pod +1\/1 +Running +0$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^\d+s +livenessprobe-pod +1\/1 +Running +1 \(0s ago\)$/),
    );
    // One row per change: no two consecutive rows of the Pod with the same READY, STATUS, RESTARTS.
    const cells = lines.slice(1).map((l) =>
      l
        .split(/ {2,}/)
        .slice(1)
        .join('|')
        .replace(/ \(.*\)$/, ''),
    );
    for (let i = 1; i < cells.length; i++) expect(cells[i]).not.toBe(cells[i - 1]);
  });

  it('student view: no entry per hidden check, one summary entry with their points (issue 14)', () => {
    const student = json(runs.student!);
    const instructor = json(runs.instructor!);
    expectResultShape(instructor);
    const tests = student.tests as Json[];
    const full = instructor.tests as Json[];
    const concealed = full.filter((t) => t.visibility !== 'visible');
    expect(concealed.some((t) => t.visibility === 'hidden')).toBe(true);
    for (const h of concealed) {
      expect(h.name).toBeTruthy();
      expect(h.output).toBeTruthy();
      expect(
        tests.find((t) => t.id === h.id),
        `no entry for ${h.id}`,
      ).toBeUndefined();
      expect(runs.student!.stdout).not.toContain(`"${h.id}"`);
      expect(runs.student!.stdout).not.toContain(h.name as string);
    }
    const summary = tests.filter((t) => t.id === undefined);
    expect(summary).toEqual([
      {
        name: `${concealed.length} hidden checks`,
        score: concealed.reduce((s, t) => s + (t.score as number), 0),
        max_score: concealed.reduce((s, t) => s + (t.max_score as number), 0),
        status: concealed.every((t) => t.status === 'passed') ? 'passed' : 'failed',
        visibility: 'visible',
        output: expect.any(String),
      },
    ]);
    expect((student.extra_data as Json).hidden_checks).toMatchObject({
      count: concealed.length,
      in_total: true,
    });
    expect(student.score).toBe(instructor.score);
    expect(student.max_score).toBe(instructor.max_score);
    expect(tests.reduce((s, t) => s + (t.score as number), 0)).toBe(student.score);
    for (const t of full.filter((x) => x.visibility === 'visible')) {
      expect(tests.find((x) => x.id === t.id)).toEqual(t);
    }
  });

  it('after_due_date checks are concealed until the due date, then shown', () => {
    const past = (json(runs.duePast!).tests as Json[]).find((t) => t.id === 'pull-policy')!;
    expect(past).toMatchObject({ visibility: 'after_due_date', status: 'passed', score: 1 });
    expect(past.name).toBe('pull-policy');
    expect(past.output).toContain('IfNotPresent');
    const before = json(runs.dueNone!);
    expect((before.tests as Json[]).find((t) => t.id === 'pull-policy')).toBeUndefined();
    expect(JSON.stringify(before)).not.toContain('"pull-policy"');
    expect((json(runs.duePast!).extra_data as Json).hidden_checks).toMatchObject({ count: 1 });
    expect((before.extra_data as Json).hidden_checks).toMatchObject({ count: 2 });
    expect((json(runs.duePast!).tests as Json[]).find((t) => t.id === 'image')).toBeUndefined();
  });

  it('a scenario is named by its file, its folder or its built-in name, from any working directory', () => {
    const expected = runs.student!.stdout;
    expect(runs.byFile!.stdout).toBe(expected);
    expect(runs.byFolder!.stdout).toBe(expected);
    const elsewhereResult = json(runs.builtinElsewhere!);
    expect(elsewhereResult.status).toBe('graded');
    expect(elsewhereResult.score).toBe(elsewhereResult.max_score);
    expect(json(runs.folderElsewhere!).scenario_version).toBe(json(runs.student!).scenario_version);
  });

  it('rejected: score 0, every check failed with the reason, errors with kubectl text, line and column', () => {
    const r = json(runs.rejected!);
    expectResultShape(r);
    expect(r.status).toBe('rejected');
    expect(r.score).toBe(0);
    expect(r.max_score).toBe(json(runs.student!).max_score);
    const errors = r.errors as Json[];
    // One error per unknown field, each in kubectl's words and at its own line.
    expect(errors.map((e) => e.message)).toEqual(
      ['initialDelaySeconds', 'periodSeconds'].map(
        (f) =>
          `Error from server (BadRequest): error when creating "${COURSE_POD_ARG}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].livenessProbe.exec.${f}"`,
      ),
    );
    expect(errors[0]!.field).toBe('spec.containers[0].livenessProbe.exec.initialDelaySeconds');
    const lines = readFileSync(COURSE_POD, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('initialDelaySeconds')) + 1;
    expect(errors[0]).toMatchObject({ line, column: lines[line - 1]!.indexOf('initialDelaySeconds') + 1 });
    for (const t of r.tests as Json[]) {
      expect(t.status).toBe('failed');
      expect(t.score).toBe(0);
      if ('id' in t && t.visibility === 'visible') expect(t.output).toContain('unknown field');
    }
    expect(r.transcript).toBe('');
    expect(r.events).toEqual([]);
  });

  it('the readable report of a rejection quotes kubectl and the place in the file', () => {
    expect(runs.report!.code).toBe(0);
    expect(runs.report!.stdout).toContain('Score: 0/');
    expect(runs.report!.stdout).toContain(
      'strict decoding error: unknown field "spec.containers[0].livenessProbe.exec.initialDelaySeconds"',
    );
  });

  it('bad usage exits 2 with a message: unknown scenario, missing argument', () => {
    for (const r of [runs.noScenario!, runs.oneArg!]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toBe('');
      expect(r.stderr).not.toContain('internal error');
    }
    expect(runs.noScenario!.stderr).toContain('no-such-lab');
  });
});

describe('rejections (section 2: YAML error, unknown field, invalid object, disallowed kind, missing required object, too large)', () => {
  const scenario = scenarioText({
    spec: '  submission: {allowedKinds: [Pod], maxBytes: 300, required: [{kind: Pod, name: p}]}',
    checks:
      '    - {id: a, at: 1s, pod: p, expect: {exists: true}}\n    - {id: b, points: 2, visibility: hidden, at: 1s, pod: p, expect: {exists: true}}',
  });
  const pod =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox:1.32.0, command: [sleep, "3600"]}]\n';
  it.each<[string, string, RegExp, number | undefined]>([
    [
      'YAML error',
      'apiVersion: v1\nkind: Pod\nmetadata:\n\tname: p\n',
      /^error: error parsing .*yaml: line 4/,
      4,
    ],
    [
      'unknown field',
      pod.replace('name: c,', 'name: c, colour: red,'),
      /strict decoding error: unknown field "spec\.containers\[0\]\.colour"/,
      5,
    ],
    [
      'wrong type',
      pod.replace('"3600"', '3600'),
      /cannot be handled as a Pod: json: cannot unmarshal number/,
      5,
    ],
    [
      'invalid object',
      pod.replace('image: busybox:1.32.0, ', ''),
      /^The Pod "p" is invalid: spec\.containers\[0\]\.image: Required value$/,
      5,
    ],
    [
      'disallowed kind',
      `${pod}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n`,
      /Service/,
      7,
    ],
    ['missing required object', pod.replace('name: p}', 'name: q}'), /Pod named "p"/, undefined],
    ['too large', `${pod}${'#'.repeat(400)}\n`, /300 bytes/, undefined],
    ['empty', '', /no objects passed to apply/, undefined],
  ])('%s: rejected, score 0, every check failed with the reason', (_what, text, message, line) => {
    const r = grade(scenario, text);
    expect(r.status).toBe('rejected');
    expect(r.score).toBe(0);
    expect(r.max_score).toBe(3);
    expect(r.errors[0]!.message).toMatch(message);
    if (line !== undefined) expect(r.errors[0]!.line).toBe(line);
    for (const t of r.tests) {
      expect(t.status).toBe('failed');
      expect(t.output).toContain(r.errors[0]!.message.split('\n')[0]!);
    }
    expect(grade(scenario, pod).status).toBe('graded');
  });
});
