/**
 * A bug in podlab is never the student's mistake (issue 14, section 4): a failure of the loader,
 * the simulator or the graders is an InternalError carrying the input's digest, never a
 * `rejected` result; mistakes in the input and exhausted budgets stay results.
 */
import { describe, expect, it } from 'vitest';
import { internalFaultText } from '../../cli/main.ts';
import {
  gradeSubmission,
  InternalError,
  inputDigest,
  parseScenario,
  type Scenario,
} from '../../graders/index.ts';
import { loadManifests } from '../../src/manifest/index.ts';
import { brokenSpawn, INJECTED_FAULT } from './broken-image.ts';

const SCENARIO = `apiVersion: podlab/v1
kind: Scenario
metadata: {name: sleeper, title: A sleeping Pod}
spec:
  instructions: Run a busybox Pod named sleeper.
  submission:
    allowedKinds: [Pod]
    required: [{kind: Pod, name: sleeper}]
  duration: 5s
  checks:
    - {id: running, at: 2s, pod: sleeper, expect: {phase: Running}}
`;

const pod = (command: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: sleeper}
spec:
  containers:
    - {name: c, image: busybox:1.32.0, command: [sh, -c, "${command}"]${extra}}
`;

function scenario(): { scenario: Scenario; version: string } {
  const r = parseScenario(SCENARIO, 'sleeper/scenario.yaml');
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return { scenario: r.scenario, version: r.version };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('gradeSubmission: an internal failure is thrown, never a result', () => {
  it('a failure inside the simulator is an InternalError with the input digest, the scenario and the cause', () => {
    const { scenario: s, version } = scenario();
    const submission = pod('sleep 3600');
    const err = thrown(() => gradeSubmission(s, version, submission, { resolveImage: brokenSpawn() }));
    expect(err).toBeInstanceOf(InternalError);
    const e = err as InternalError;
    expect(e.stage).toBe('simulator');
    expect(e.inputDigest).toBe(inputDigest(version, submission));
    expect(e.inputDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(e.scenario).toBe('sleeper');
    expect(e.scenarioVersion).toBe(version);
    expect(e.causeName).toBe('TypeError');
    expect(e.detail).toContain(INJECTED_FAULT);
    expect(e.message).not.toMatch(/rejected|invalid/);
  });

  it('the digest covers the scenario version and the submission text', () => {
    expect(inputDigest('sha256:a', 'x')).not.toBe(inputDigest('sha256:b', 'x'));
    expect(inputDigest('sha256:a', 'x')).not.toBe(inputDigest('sha256:a', 'y'));
    expect(inputDigest('sha256:a', 'x')).toBe(inputDigest('sha256:a', 'x'));
  });

  it('the same submission grades normally once the fault is gone', () => {
    const { scenario: s, version } = scenario();
    let armed = true;
    const resolveImage = brokenSpawn(() => armed);
    expect(() => gradeSubmission(s, version, pod('sleep 3600'), { resolveImage })).toThrow(InternalError);
    armed = false;
    const r = gradeSubmission(s, version, pod('sleep 3600'), { resolveImage });
    expect(r.status).toBe('graded');
    expect(r.score).toBe(r.max_score);
  });

  it('the CLI reports it as a bug in podlab, with the digest and the stack', () => {
    const { scenario: s, version } = scenario();
    const submission = pod('sleep 3600');
    const text = internalFaultText(
      thrown(() => gradeSubmission(s, version, submission, { resolveImage: brokenSpawn() })),
    );
    expect(text).toContain('a bug in podlab, not a problem with your files');
    expect(text).toContain(`input digest: ${inputDigest(version, submission)}`);
    expect(text).toContain(INJECTED_FAULT);
  });
});

describe("gradeSubmission: the student's mistakes and exhausted budgets stay results", () => {
  const rows: { name: string; submission: string; status: 'rejected' | 'graded'; text: RegExp }[] = [
    {
      name: 'YAML syntax',
      submission: 'apiVersion: v1\nkind: Pod\n  metadata: x\n',
      status: 'rejected',
      text: /error converting YAML to JSON/,
    },
    {
      name: 'unknown field',
      submission: pod('sleep 1', ', colour: red'),
      status: 'rejected',
      text: /unknown field "spec.containers\[0\].colour"/,
    },
    {
      name: 'invalid object',
      submission: pod('sleep 1').replace('name: c,', 'name: C_,'),
      status: 'rejected',
      text: /is invalid/,
    },
    { name: 'the log budget', submission: pod('yes'), status: 'graded', text: /logBytes budget exhausted/ },
  ];
  for (const row of rows) {
    it(`${row.name}: a ${row.status} result, not an exception`, () => {
      const { scenario: s, version } = scenario();
      const r = gradeSubmission(s, version, row.submission);
      expect(r.status).toBe(row.status);
      const words = [r.output, ...r.errors.map((e) => e.message), ...r.warnings.map((w) => w.message)].join(
        '\n',
      );
      expect(words).toMatch(row.text);
      expect(words).not.toMatch(/internal error/);
    });
  }
});

describe('loadManifests: a bug is rethrown, bad input is a rejected document', () => {
  it('a failure of the loader (a caller passing no text) is an InternalError of the loader', () => {
    const err = thrown(() => loadManifests(undefined as unknown as string, { file: 'pod.yaml' }));
    expect(err).toBeInstanceOf(InternalError);
    expect((err as InternalError).stage).toBe('loader');
    expect((err as InternalError).causeName).toBe('TypeError');
  });

  const bad: { name: string; text: string }[] = [
    { name: 'YAML syntax', text: 'a: [\n' },
    { name: 'no kind', text: 'apiVersion: v1\n' },
    { name: 'deep nesting', text: `${'['.repeat(5000)}${']'.repeat(5000)}\n` },
    { name: 'a type error', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: 3}\n' },
  ];
  for (const row of bad) {
    it(`${row.name}: rejected, with kubectl's words and no internal error`, () => {
      const r = loadManifests(row.text, { file: 'pod.yaml' });
      expect(r.rejected.length).toBeGreaterThan(0);
      for (const e of r.errors) expect(e.message).not.toMatch(/internal error/);
    });
  }
});
