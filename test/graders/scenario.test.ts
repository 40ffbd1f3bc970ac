import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../graders/index.ts';

const minimal = `apiVersion: podlab/v1
kind: Scenario
metadata:
  name: demo
  title: Demo
spec:
  instructions: Write a Pod.
  duration: 60s
  checks:
    - id: runs
      at: 10s
      pod: p
      expect: {phase: Running}
`;

function errorsOf(text: string) {
  const r = parseScenario(text, 'scenario.yaml');
  if (r.ok) throw new Error('expected errors');
  return r.errors;
}

describe('parseScenario', () => {
  it('accepts a minimal scenario and fills the defaults', () => {
    const r = parseScenario(minimal, 'scenario.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.submission).toEqual({
      allowedKinds: ['Pod', 'Service'],
      maxBytes: 65536,
      required: [],
    });
    expect(r.scenario.checks[0]).toEqual({
      id: 'runs',
      points: 1,
      visibility: 'visible',
      when: { kind: 'at', at: 10_000 },
      subject: { kind: 'pod', pod: 'p', namespace: 'default', expect: { phase: 'Running' } },
    });
    expect(r.scenario.durationMs).toBe(60_000);
    expect(r.scenario.cluster).toEqual({ busyboxShortNameLookup: 'resolve', imagePullMs: 0 });
    expect(r.scenario.policy).toEqual({ scorePolicy: 'best' });
    expect(r.version).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('the version ignores comments and layout but not content', () => {
    const a = parseScenario(minimal, 'a.yaml');
    const b = parseScenario(
      `# a comment\n${minimal.replace('expect: {phase: Running}', 'expect:\n        phase: Running')}`,
      'b.yaml',
    );
    const c = parseScenario(minimal.replace('10s', '11s'), 'c.yaml');
    if (!a.ok || !b.ok || !c.ok) throw new Error('should parse');
    expect(b.version).toBe(a.version);
    expect(c.version).not.toBe(a.version);
  });

  const table: {
    name: string;
    text: string;
    error: { message: string | RegExp; path: string; line?: number; column?: number };
  }[] = [
    {
      name: 'unknown top-level spec key, with its line',
      text: minimal.replace('  duration: 60s', '  duration: 60s\n  durations: 1s'),
      error: { message: 'unknown field "durations"', path: 'spec.durations', line: 9, column: 3 },
    },
    {
      name: 'unknown key inside expect',
      text: minimal.replace('{phase: Running}', '{phaze: Running}'),
      error: { message: 'unknown field "phaze"', path: 'spec.checks[0].expect.phaze', line: 13, column: 16 },
    },
    {
      name: 'bad duration',
      text: minimal.replace('at: 10s', 'at: 10 seconds'),
      error: { message: /invalid duration "10 seconds"/, path: 'spec.checks[0].at', line: 11, column: 11 },
    },
    {
      name: 'duration over 24 h',
      text: minimal.replace('duration: 60s', 'duration: 25h'),
      error: { message: 'duration 25h is longer than 24h', path: 'spec.duration', line: 8 },
    },
    {
      name: 'missing required field',
      text: minimal.replace('  title: Demo\n', ''),
      error: { message: 'required field is missing', path: 'metadata.title', line: 4 },
    },
    {
      name: 'two subjects',
      text: minimal.replace(
        '      expect: {phase: Running}',
        '      expect: {phase: Running}\n      service: {name: s, readyEndpoints: 1}',
      ),
      error: {
        message: 'a check has exactly one subject, found pod and service',
        path: 'spec.checks[0]',
        line: 10,
      },
    },
    {
      name: 'two temporal forms',
      text: minimal.replace('      at: 10s', '      at: 10s\n      within: [1s, 2s]'),
      error: {
        message: 'give exactly one of at, within, throughout (found at, within)',
        path: 'spec.checks[0]',
      },
    },
    {
      name: 'no temporal form',
      text: minimal.replace('      at: 10s\n', ''),
      error: { message: 'a pod check needs exactly one of at, within, throughout', path: 'spec.checks[0]' },
    },
    {
      name: 'window ending before it starts',
      text: minimal.replace('at: 10s', 'within: [20s, 10s]'),
      error: { message: 'the window ends before it starts', path: 'spec.checks[0].within' },
    },
    {
      name: 'temporal form on a manifest check',
      text: minimal.replace(
        '      pod: p\n      expect: {phase: Running}',
        '      manifest: {kind: Pod, name: p, path: spec.restartPolicy, equals: Never}',
      ),
      error: {
        message: 'a manifest check is static: remove at/within/throughout',
        path: 'spec.checks[0].at',
      },
    },
    {
      name: 'bad manifest path',
      text: minimal.replace(
        '      at: 10s\n      pod: p\n      expect: {phase: Running}',
        '      manifest: {kind: Pod, name: p, path: "spec.containers[0", exists: true}',
      ),
      error: {
        message: 'invalid path "spec.containers[0": missing "]"',
        path: 'spec.checks[0].manifest.path',
      },
    },
    {
      name: 'bad check id',
      text: minimal.replace('id: runs', 'id: Runs_1'),
      error: {
        message: 'check ids use lowercase letters, digits and "-"',
        path: 'spec.checks[0].id',
        line: 10,
      },
    },
    {
      name: 'check after the end of the run',
      text: minimal.replace('at: 10s', 'at: 61s'),
      error: {
        message: 'check time 61s is after the end of the run (60s)',
        path: 'spec.checks[0].at',
        line: 11,
      },
    },
    {
      name: 'duplicate check ids',
      text: `${minimal}    - id: runs\n      at: 20s\n      pod: p\n      expect: {phase: Running}\n`,
      error: {
        message: 'duplicate check id "runs" (also spec.checks[0])',
        path: 'spec.checks[1].id',
        line: 14,
      },
    },
    {
      name: 'bad metadata name',
      text: minimal.replace('name: demo', 'name: Demo_Lab'),
      error: { message: /lowercase RFC 1123 label/, path: 'metadata.name', line: 4 },
    },
    {
      name: 'YAML syntax error',
      text: minimal.replace('expect: {phase: Running}', 'expect: {phase: Running'),
      error: { message: /^YAML: /, path: '' },
    },
    {
      name: 'invalid regex',
      text: minimal.replace(
        '      pod: p\n      expect: {phase: Running}',
        '      event: {pod: p, reason: Killing, messageRegex: "("}',
      ),
      error: { message: /invalid regular expression/, path: 'spec.checks[0].event.messageRegex' },
    },
    {
      name: 'invalid action manifest (kubectl text, placed in the scenario file)',
      text: minimal.replace(
        '  duration: 60s',
        '  actions:\n    - at: 5s\n      apply: |\n        apiVersion: v1\n        kind: Service\n        metadata:\n          name: s\n        spec:\n          portz: []\n  duration: 60s',
      ),
      error: {
        message: /strict decoding error: unknown field "spec.portz"/,
        path: 'spec.actions[0].apply',
        line: 16,
      },
    },
    {
      name: 'unknown policy key',
      text: minimal.replace('  duration: 60s', '  duration: 60s\n  policy: {maxAttempt: 3}'),
      error: { message: 'unknown field "maxAttempt"', path: 'spec.policy.maxAttempt', line: 9 },
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const errors = errorsOf(row.text);
      const hit = errors.find((e) =>
        typeof row.error.message === 'string'
          ? e.message === row.error.message
          : row.error.message.test(e.message),
      );
      expect(hit, JSON.stringify(errors)).toBeDefined();
      expect(hit!.path.startsWith(row.error.path)).toBe(true);
      if (row.error.line !== undefined) expect(hit!.line).toBe(row.error.line);
      if (row.error.column !== undefined) expect(hit!.column).toBe(row.error.column);
    });
  }

  it('never throws on arbitrary text', () => {
    for (const text of [
      '',
      '[]',
      '42',
      'a: [',
      '---\n---\n',
      '\u0000',
      'apiVersion: podlab/v1\nkind: Scenario\nspec: 3',
      '&a [*a, *a]',
    ]) {
      expect(parseScenario(text, 'x.yaml').ok).toBe(false);
    }
  });

  it('accepts the example of scenario-format.md section 1, every key of it', () => {
    const text = readFileSync(new URL('./spec-example.scenario.yaml', import.meta.url), 'utf8');
    const r = parseScenario(text, 'spec-example.scenario.yaml');
    expect(r.ok, JSON.stringify(r.ok ? '' : r.errors)).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.checks.map((c) => c.subject.kind)).toEqual([
      'pod',
      'event',
      'exec',
      'service',
      'manifest',
    ]);
    expect(r.scenario.actions.map((a) => [a.kind, a.at])).toEqual([
      ['apply', 60_000],
      ['exec', 40_000],
      ['delete', 90_000],
    ]);
    expect(r.scenario.images['registry.example/app:1.0']!.listens).toEqual([
      { port: 8080, http: { '/healthz': 200, '/': 200 } },
    ]);
  });

  it('parses every built-in lab', () => {
    for (const name of [
      'init-containers',
      'readiness-httpget',
      'liveness-exec',
      'liveness-httpget',
      'liveness-tcp',
      'poststart-hook',
      'restart-backoff',
      'pod-phases',
      'termination-grace',
      'readiness-service',
    ]) {
      const text = readFileSync(new URL(`../../scenarios/${name}/scenario.yaml`, import.meta.url), 'utf8');
      const r = parseScenario(text, `${name}/scenario.yaml`);
      expect(r.ok, JSON.stringify(r.ok ? '' : r.errors)).toBe(true);
    }
  });
});
