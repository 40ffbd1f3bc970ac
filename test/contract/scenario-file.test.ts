/**
 * Contract 1 (scenario-format.md section 1): every key of the scenario file is accepted,
 * unknown keys and invalid values are errors with their path and line, and `podlab grade` /
 * `podlab scenario check` exit 2 on an invalid scenario file.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../graders/index.ts';
import { EVERY_KEY, EVERY_KEY_ANSWER } from './fixtures.ts';
import { type CliRun, grade, podlab, scenarioText, tempDir, writeFiles } from './helpers.ts';

const ONE_CHECK = '    - {id: a, at: 1s, pod: p, expect: {exists: true}}';

function errorsOf(text: string) {
  const r = parseScenario(text, 'scenario.yaml');
  if (r.ok) throw new Error('expected the scenario to be invalid');
  return r.errors;
}

/** Inserts `insert` after the first line that equals `after` (whole line). */
function withLine(text: string, after: string, insert: string): string {
  const lines = text.split('\n');
  const i = lines.indexOf(after);
  if (i < 0) throw new Error(`no line ${after}`);
  lines.splice(i + 1, 0, insert);
  return lines.join('\n');
}

describe('scenario file: every key of section 1', () => {
  it('accepts every key, and a correct answer uses all of them to full marks', () => {
    const parsed = parseScenario(EVERY_KEY, 'every-key.yaml');
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    if (!parsed.ok) return;
    const s = parsed.scenario;
    expect(s.labels).toEqual({ unit: 'pod-lifecycle', level: '1' });
    expect(s.submission).toEqual({
      allowedKinds: ['Pod', 'Service'],
      maxBytes: 65536,
      required: [{ kind: 'Pod', name: 'web', namespace: 'default' }],
    });
    expect(s.durationMs).toBe(3_600_000);
    expect(s.cluster).toEqual({ busyboxShortNameLookup: 'strict', imagePullMs: 2000 });
    expect(s.actions.map((a) => [a.at, a.kind])).toEqual([
      [30_000, 'exec'],
      [90_000, 'apply'],
      [120_000, 'delete'],
    ]);
    expect(s.actions[2]).toMatchObject({
      objectKind: 'Pod',
      name: 'web',
      gracePeriodSeconds: 30,
      force: false,
    });
    expect(s.actions[0]).toMatchObject({ pod: 'web', container: 'web', command: ['touch', '/tmp/touched'] });
    const c0 = s.checks[0]!;
    expect(c0).toMatchObject({ id: 'running', title: 'Running and ready', points: 2, visibility: 'visible' });
    expect(s.checks.map((c) => c.visibility)).toContain('after_due_date');

    const result = grade(EVERY_KEY, EVERY_KEY_ANSWER);
    const failed = result.tests.filter((t) => t.status === 'failed').map((t) => `${t.id}: ${t.output}`);
    expect(failed).toEqual([]);
    expect(result.score).toBe(result.max_score);
    expect(result.max_score).toBe(14);
  });

  it('defaults: points 1, visibility visible, allowedKinds [Pod, Service], maxBytes 65536, resolve, 0s pulls', () => {
    const parsed = parseScenario(scenarioText({ checks: ONE_CHECK }), 's.yaml');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.scenario.checks[0]).toMatchObject({ points: 1, visibility: 'visible' });
    expect(parsed.scenario.submission).toEqual({
      allowedKinds: ['Pod', 'Service'],
      maxBytes: 65536,
      required: [],
    });
    expect(parsed.scenario.cluster).toEqual({ busyboxShortNameLookup: 'resolve', imagePullMs: 0 });
  });

  it.each([
    ['500ms', 500],
    ['90s', 90_000],
    ['2m', 120_000],
    ['1m30s', 90_000],
    ['1h', 3_600_000],
    ['45', 45_000],
    ['0s', 0],
    ['24h', 86_400_000],
  ])('duration %s is %i ms (as spec.duration, an action time and a check time)', (text, ms) => {
    const parsed = parseScenario(
      scenarioText({
        duration: text,
        spec: `  actions:\n    - {at: ${text}, delete: {kind: Pod, name: p}}`,
        checks: `    - {id: a, at: ${text}, pod: p, expect: {exists: false}}\n    - {id: b, within: [0s, ${text}], pod: p, expect: {exists: false}}`,
      }),
      's.yaml',
    );
    expect(parsed.ok ? [] : parsed.errors).toEqual([]);
    if (!parsed.ok) return;
    expect(parsed.scenario.durationMs).toBe(ms);
    expect(parsed.scenario.actions[0]!.at).toBe(ms);
    expect(parsed.scenario.checks[0]!.when).toEqual({ kind: 'at', at: ms });
    expect(parsed.scenario.checks[1]!.when).toEqual({ kind: 'within', from: 0, to: ms });
  });
});

describe('scenario file: errors carry their path and line', () => {
  const base = scenarioText({ checks: ONE_CHECK });
  it.each<[string, string, string, number]>([
    ['top level', withLine(base, 'kind: Scenario', 'colour: red'), 'colour', 3],
    ['metadata', withLine(base, '  title: Contract test', '  owner: me'), 'metadata.owner', 6],
    ['spec', withLine(base, '  instructions: Write the Pod.', '  deadline: 1h'), 'spec.deadline', 8],
    [
      'submission',
      withLine(base, '  duration: 120s', '  submission:\n    allowed: [Pod]'),
      'spec.submission.allowed',
      10,
    ],
    [
      'required entry',
      withLine(
        base,
        '  duration: 120s',
        '  submission:\n    required:\n      - {kind: Pod, name: p, uid: x}',
      ),
      'spec.submission.required[0].uid',
      11,
    ],
    ['cluster', withLine(base, '  duration: 120s', '  cluster:\n    nodes: 3'), 'spec.cluster.nodes', 10],
    [
      'image',
      withLine(base, '  duration: 120s', '  images:\n    x.example/a:1:\n      entrypoint: [sh]'),
      'spec.images.x.example/a:1.entrypoint',
      11,
    ],
    [
      'image listener',
      withLine(
        base,
        '  duration: 120s',
        '  images:\n    x.example/a:1:\n      listens:\n        - {port: 80, udp: true}',
      ),
      'spec.images.x.example/a:1.listens[0].udp',
      12,
    ],
    [
      'action',
      withLine(
        base,
        '  duration: 120s',
        '  actions:\n    - at: 1s\n      when: now\n      delete: {kind: Pod, name: p}',
      ),
      'spec.actions[0].when',
      11,
    ],
    [
      'action exec',
      withLine(
        base,
        '  duration: 120s',
        '  actions:\n    - at: 1s\n      exec: {pod: p, command: [ls], tty: true}',
      ),
      'spec.actions[0].exec.tty',
      11,
    ],
    [
      'action delete',
      withLine(
        base,
        '  duration: 120s',
        '  actions:\n    - at: 1s\n      delete: {kind: Pod, name: p, wait: true}',
      ),
      'spec.actions[0].delete.wait',
      11,
    ],
    [
      'check',
      scenarioText({
        checks: '    - id: a\n      at: 1s\n      pod: p\n      weight: 2\n      expect: {exists: true}',
      }),
      'spec.checks[0].weight',
      13,
    ],
    [
      'expect',
      scenarioText({
        checks: '    - id: a\n      at: 1s\n      pod: p\n      expect:\n        phaze: Running',
      }),
      'spec.checks[0].expect.phaze',
      14,
    ],
    [
      'container expectation',
      scenarioText({
        checks:
          '    - id: a\n      at: 1s\n      pod: p\n      expect:\n        containers:\n          c: {state: running, colour: red}',
      }),
      'spec.checks[0].expect.containers.c.colour',
      15,
    ],
    [
      'event',
      scenarioText({
        checks:
          '    - id: a\n      within: [0s, 1s]\n      event:\n        pod: p\n        reason: Killing\n        text: x',
      }),
      'spec.checks[0].event.text',
      15,
    ],
    [
      'exec check',
      scenarioText({
        checks:
          '    - id: a\n      at: 1s\n      exec:\n        pod: p\n        command: [ls]\n        exit: 0',
      }),
      'spec.checks[0].exec.exit',
      15,
    ],
    [
      'service check',
      scenarioText({
        checks:
          '    - id: a\n      at: 1s\n      service:\n        name: s\n        readyEndpoints: 0\n        port: 80',
      }),
      'spec.checks[0].service.port',
      15,
    ],
    [
      'manifest check',
      scenarioText({
        checks:
          '    - id: a\n      manifest:\n        kind: Pod\n        name: p\n        path: metadata.name\n        equal: p',
      }),
      'spec.checks[0].manifest.equal',
      15,
    ],
  ])('unknown key in %s: "unknown field" at %s, line %i', (_where, text, path, line) => {
    const errors = errorsOf(text);
    expect(errors).toContainEqual(expect.objectContaining({ path, line }));
    const e = errors.find((x) => x.path === path)!;
    expect(e.message).toBe(`unknown field "${path.split('.').pop()}"`);
  });

  it.each<[string, string, string, RegExp]>([
    ['duration over 24h', scenarioText({ duration: '25h', checks: ONE_CHECK }), 'spec.duration', /24h/],
    ['bare seconds over 24h', scenarioText({ duration: '86401', checks: ONE_CHECK }), 'spec.duration', /24h/],
    ['1441m', scenarioText({ duration: '1441m', checks: ONE_CHECK }), 'spec.duration', /24h/],
    [
      'malformed duration',
      scenarioText({ duration: '90 seconds', checks: ONE_CHECK }),
      'spec.duration',
      /duration/,
    ],
    [
      'duplicate check ids',
      scenarioText({ checks: `${ONE_CHECK}\n    - {id: a, at: 2s, pod: p, expect: {exists: true}}` }),
      'spec.checks[1].id',
      /duplicate/,
    ],
    [
      'two subjects',
      scenarioText({
        checks:
          '    - {id: a, at: 1s, pod: p, expect: {exists: true}, service: {name: s, readyEndpoints: 0}}',
      }),
      'spec.checks[0]',
      /exactly one subject/,
    ],
    [
      'two temporal forms',
      scenarioText({ checks: '    - {id: a, at: 1s, within: [0s, 2s], pod: p, expect: {exists: true}}' }),
      'spec.checks[0]',
      /exactly one of at, within, throughout/,
    ],
    [
      'within and throughout',
      scenarioText({
        checks: '    - {id: a, within: [0s, 1s], throughout: [0s, 2s], pod: p, expect: {exists: true}}',
      }),
      'spec.checks[0]',
      /exactly one of at, within, throughout/,
    ],
    ['no subject', scenarioText({ checks: '    - {id: a, at: 1s}' }), 'spec.checks[0]', /subject/],
    [
      'check id with capitals',
      scenarioText({ checks: '    - {id: Bad_Id, at: 1s, pod: p, expect: {exists: true}}' }),
      'spec.checks[0].id',
      /./,
    ],
    [
      'no checks',
      scenarioText({ checks: '    []' }).replace('  checks:\n    []', '  checks: []'),
      'spec.checks',
      /./,
    ],
    [
      'negative points',
      scenarioText({ checks: '    - {id: a, points: -1, at: 1s, pod: p, expect: {exists: true}}' }),
      'spec.checks[0].points',
      /./,
    ],
    [
      'unknown visibility',
      scenarioText({ checks: '    - {id: a, visibility: secret, at: 1s, pod: p, expect: {exists: true}}' }),
      'spec.checks[0].visibility',
      /./,
    ],
    [
      'maxBytes over the hard cap',
      scenarioText({ spec: '  submission: {maxBytes: 262145}', checks: ONE_CHECK }),
      'spec.submission.maxBytes',
      /./,
    ],
    [
      'unknown busyboxShortNameLookup',
      scenarioText({ spec: '  cluster: {busyboxShortNameLookup: sometimes}', checks: ONE_CHECK }),
      'spec.cluster.busyboxShortNameLookup',
      /./,
    ],
    [
      'metadata.name not an RFC 1123 label',
      scenarioText({ name: 'Liveness_Exec', checks: ONE_CHECK }),
      'metadata.name',
      /./,
    ],
    [
      'check after the end of the run',
      scenarioText({ duration: '60s', checks: '    - {id: a, at: 61s, pod: p, expect: {exists: true}}' }),
      'spec.checks[0].at',
      /after the end/,
    ],
    [
      'wrong apiVersion',
      scenarioText({ checks: ONE_CHECK }).replace('podlab/v1', 'podlab/v2'),
      'apiVersion',
      /./,
    ],
  ])('%s is an error at %s with a line', (_what, text, path, message) => {
    const errors = errorsOf(text);
    const e = errors.find((x) => x.path === path);
    expect(e, JSON.stringify(errors)).toBeDefined();
    expect(e!.message).toMatch(message);
    expect(e!.line).toBeGreaterThan(0);
  });

  it('a missing required key names its path', () => {
    const text = scenarioText({ checks: ONE_CHECK }).replace('  instructions: Write the Pod.\n', '');
    expect(errorsOf(text)).toContainEqual(expect.objectContaining({ path: 'spec.instructions' }));
  });

  it('an invalid setup manifest is reported with kubectl words at its line in the scenario file', () => {
    const text = scenarioText({
      spec: '  setup:\n    - |\n      apiVersion: v1\n      kind: Pod\n      metadata: {name: x}\n      spec:\n        containers:\n          - name: c\n            image: busybox\n            bogus: 1',
      checks: ONE_CHECK,
    });
    const errors = errorsOf(text);
    expect(errors[0]!.message).toContain('strict decoding error: unknown field "spec.containers[0].bogus"');
    expect(errors[0]!.line).toBe(text.split('\n').findIndex((l) => l.includes('bogus: 1')) + 1);
  });
});

describe('scenario file: podlab grade and podlab scenario check exit 2 with path and line', () => {
  let dir: string;
  let runs: Record<string, CliRun>;
  const bad = withLine(scenarioText({ checks: ONE_CHECK }), '  title: Contract test', '  owner: me');
  const long = scenarioText({ duration: '25h', checks: ONE_CHECK });
  beforeAll(async () => {
    dir = writeFiles(tempDir(), {
      'bad/scenario.yaml': bad,
      'bad/solution.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n',
      'long/scenario.yaml': long,
      'sub.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: busybox}]\n',
    });
    const [grade, check, gradeLong] = await Promise.all([
      podlab(['grade', join(dir, 'bad/scenario.yaml'), join(dir, 'sub.yaml'), '--json']),
      podlab(['scenario', 'check', join(dir, 'bad')]),
      podlab(['grade', join(dir, 'long'), join(dir, 'sub.yaml')]),
    ]);
    runs = { grade: grade!, check: check!, gradeLong: gradeLong! };
  });

  it('podlab grade: exit 2, the file, the line and the path of the unknown key', () => {
    expect(runs.grade!.code).toBe(2);
    expect(runs.grade!.stdout).toBe('');
    expect(runs.grade!.stderr).toContain(`scenario.yaml:6:`);
    expect(runs.grade!.stderr).toContain('unknown field "owner"');
    expect(runs.grade!.stderr).toContain('metadata.owner');
  });

  it('podlab scenario check: exit 2 with the same place', () => {
    expect(runs.check!.code).toBe(2);
    expect(`${runs.check!.stdout}${runs.check!.stderr}`).toContain('scenario.yaml:6:');
    expect(`${runs.check!.stdout}${runs.check!.stderr}`).toContain('metadata.owner');
  });

  it('a duration over 24h: exit 2 at spec.duration', () => {
    expect(runs.gradeLong!.code).toBe(2);
    expect(runs.gradeLong!.stderr).toMatch(/scenario\.yaml:8:\d+: .*24h.*spec\.duration/);
  });
});
