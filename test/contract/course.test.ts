/**
 * The course's lab material (shared/course) as students use it, graded through the public
 * API: the original manifests are rejected with kubectl's words at the right line, each lab's
 * reference solution scores full marks, and the simulated timings follow
 * kubernetes-semantics.md (liveness kill + 30 s grace, immediate first restart, back-off
 * 10, 20, 40 … 300 s) and the transcript example of scenario-format.md section 2.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type GradeResult, gradeSubmission, parseScenario, studentView } from '../../graders/index.ts';
import { COURSE, grade, ROOT, scenarioText, transcriptRows } from './helpers.ts';

function lab(name: string) {
  const parsed = parseScenario(readFileSync(join(ROOT, 'scenarios', name, 'scenario.yaml'), 'utf8'), name);
  if (!parsed.ok) throw new Error(`${name}: ${JSON.stringify(parsed.errors)}`);
  return parsed;
}

function gradeLab(name: string, text: string, file: string): GradeResult {
  const { scenario, version } = lab(name);
  return gradeSubmission(scenario, version, text, { file });
}

function courseFile(file: string): string {
  return readFileSync(join(COURSE, file), 'utf8');
}

function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`no line with ${needle}`);
}

const strict = (file: string, fields: string[]) =>
  fields.map(
    (f) =>
      `Error from server (BadRequest): error when creating "${file}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "${f}"`,
  );
const forbidden = (pod: string) =>
  `The Pod "${pod}" is invalid: spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers`;

describe('the course manifests as handed out', () => {
  it.each<[string, string, string[], string[]]>([
    [
      'liveness-exec',
      'livenessprobepod.yml',
      strict('livenessprobepod.yml', [
        'spec.containers[0].livenessProbe.exec.initialDelaySeconds',
        'spec.containers[0].livenessProbe.exec.periodSeconds',
      ]),
      ['initialDelaySeconds', 'periodSeconds'],
    ],
    [
      'liveness-httpget',
      'livenessprobenginxpod.yml',
      strict('livenessprobenginxpod.yml', [
        'spec.containers[0].livenessProbe.httpGet.initialDelaySeconds',
        'spec.containers[0].livenessProbe.httpGet.periodSeconds',
        'spec.containers[0].livenessProbe.httpGet.timeoutSeconds',
      ]),
      ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds'],
    ],
    ['liveness-tcp', 'livenessprobenginxpod2.yml', [forbidden('livenessprobenginx-pod2')], ['restartPolicy']],
    ['readiness-httpget', 'readinessprobepod.yml', [forbidden('readinessprobe-pod')], ['restartPolicy']],
    [
      'poststart-hook',
      'lifecyclepod.yml',
      strict('lifecyclepod.yml', ['spec.containers[0].lifecycle.postStart.command']),
      ["command: ['sh'"],
    ],
  ])('%s: %s is rejected with kubectl words at its lines', (name, file, messages, at) => {
    const text = courseFile(file);
    const r = gradeLab(name, text, file);
    expect(r.status).toBe('rejected');
    expect(r.score).toBe(0);
    expect(r.errors.map((e) => e.message)).toEqual(messages);
    expect(r.errors.map((e) => e.line)).toEqual(at.map((needle) => lineOf(text, needle)));
    for (const e of r.errors) {
      const line = text.split('\n')[e.line! - 1]!;
      expect(e.column).toBe(line.length - line.trimStart().length + 1);
    }
    expect(r.tests.every((t) => t.status === 'failed' && t.score === 0)).toBe(true);
  });

  it('init-containers: initcpod.yml applies as written and, with the Services of the course, scores full marks', () => {
    const r = gradeLab('init-containers', courseFile('initcpod.yml'), 'initcpod.yml');
    expect(r.tests.filter((t) => t.status === 'failed').map((t) => `${t.id}: ${t.output}`)).toEqual([]);
    const rows = transcriptRows(r.transcript).map((c) => c.slice(2, 4).join(' '));
    expect(rows).toEqual([
      '0/1 Pending',
      '0/1 Init:0/2',
      '0/1 Init:1/2',
      '0/1 PodInitializing',
      '1/1 Running',
    ]);
  });
});

describe('every lab', () => {
  const names = readdirSync(join(ROOT, 'scenarios')).sort();
  it.each(names)('%s: the reference solution scores full marks, deterministically', (name) => {
    const file = join(ROOT, 'scenarios', name, 'solution.yaml');
    const text = readFileSync(file, 'utf8');
    const r = gradeLab(name, text, 'solution.yaml');
    expect(r.tests.filter((t) => t.status === 'failed').map((t) => `${t.id}: ${t.output}`)).toEqual([]);
    expect(r.score).toBe(r.max_score);
    expect(JSON.stringify(gradeLab(name, text, 'solution.yaml'))).toBe(JSON.stringify(r));
  });
});

describe('timings against kubernetes-semantics.md', () => {
  const at = (r: GradeResult, reason: string, after = -1) =>
    r.events
      .filter((e) => e.reason === reason && Number.parseFloat(e.at) > after)
      .map((e) => Number.parseFloat(e.at));

  it('liveness exec (busybox): 3 failures 3 s apart, the kill takes the 30 s grace, the first restart is immediate', () => {
    const r = gradeLab(
      'liveness-exec',
      readFileSync(join(ROOT, 'scenarios/liveness-exec/solution.yaml'), 'utf8'),
      's',
    );
    const unhealthy = at(r, 'Unhealthy');
    const kill = at(r, 'Killing')[0]!;
    // The file is removed 30 s after the start: the first failing probe is at 30 s or 33 s.
    expect([30, 33]).toContain(unhealthy[0]);
    expect(unhealthy.slice(0, 3)).toEqual([kill - 6, kill - 3, kill]);
    expect(at(r, 'Started', 0)[0]).toBe(kill + 30);
    const rows = transcriptRows(r.transcript);
    expect(rows[0]).toEqual(['0s', 'livenessprobe-pod', '0/1', 'Pending', '0']);
    expect(rows).toContainEqual(['0s', 'livenessprobe-pod', '1/1', 'Running', '0']);
    expect(rows).toContainEqual([`${kill + 30}s`, 'livenessprobe-pod', '1/1', 'Running', '1 (0s ago)']);
  });

  // scenario-format.md section 2 shows this very Pod: a Warning event "at": "39s" and the row
  // "69s … 1/1 Running 1 (0s ago)". On a cluster the probe worker's ticks are phased from the
  // Pod's admission, before the container (and its `sleep 30`) starts, so the probe at 30 s
  // still finds /tmp/livenesspod: failures at 33, 36, 39 s, kill at 39 s, restart at 69 s.
  it('liveness exec: killed at 39 s and restarted at 69 s as in the example of section 2', () => {
    const r = gradeLab(
      'liveness-exec',
      readFileSync(join(ROOT, 'scenarios/liveness-exec/solution.yaml'), 'utf8'),
      's',
    );
    expect(at(r, 'Killing')[0]).toBe(39);
    expect(r.transcript).toMatch(/\n69s +livenessprobe-pod +1\/1 +Running +1 \(0s ago\)\n/);
  });

  // Section 2's example has no row between "1/1 Running 0" and "1/1 Running 1 (0s ago)": the
  // kubelet kills and restarts in one SyncPod, so a watch never sees the killed container.
  it('liveness exec: no intermediate Error row at the instant of the restart', () => {
    const r = gradeLab(
      'liveness-exec',
      readFileSync(join(ROOT, 'scenarios/liveness-exec/solution.yaml'), 'utf8'),
      's',
    );
    expect(transcriptRows(r.transcript).filter((c) => c[3] === 'Error')).toEqual([]);
  });

  it('liveness httpGet (nginx): nginx handles SIGTERM, so the restart is in the second of the kill; RESTARTS 0 -> 1 -> 2', () => {
    const r = gradeLab(
      'liveness-httpget',
      readFileSync(join(ROOT, 'scenarios/liveness-httpget/solution.yaml'), 'utf8'),
      's',
    );
    const kills = at(r, 'Killing');
    expect(kills.length).toBe(2);
    expect(at(r, 'Started', 0)).toEqual(kills);
    const restarts = transcriptRows(r.transcript).map((c) => c[4]);
    expect(restarts).toContain('1 (0s ago)');
    expect(restarts).toContain('2 (0s ago)');
  });

  it('crash loop: restarts after 0, 10, 20, 40, 80, 160, 300, 300 s; STATUS CrashLoopBackOff between', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers:
    - {name: c, image: busybox:1.32.0, command: [sh, -c, "exit 1"]}
`;
    const r = grade(
      scenarioText({
        duration: '1000s',
        checks:
          '    - {id: backoff, at: 5s, pod: crash, expect: {status: CrashLoopBackOff, phase: Running, restarts: 1}}',
      }),
      pod,
    );
    expect(r.tests[0]!.status).toBe('passed');
    const starts = at(r, 'Started');
    expect(starts.slice(1).map((s, i) => s - starts[i]!)).toEqual([0, 10, 20, 40, 80, 160, 300, 300]);
    const back = r.events.find((e) => e.reason === 'BackOff')!;
    expect(back.message).toMatch(/^Back-off restarting failed container c in pod crash_default\(.+\)$/);
  });

  it('readiness httpGet: Running 0/1 with "Readiness probe failed" until the page exists, then 1/1', () => {
    const r = gradeLab(
      'readiness-httpget',
      readFileSync(join(ROOT, 'scenarios/readiness-httpget/solution.yaml'), 'utf8'),
      's',
    );
    const rows = transcriptRows(r.transcript).map((c) => c.slice(2).join(' '));
    expect(rows).toContain('0/1 Running 0');
    expect(rows[rows.length - 1]).toBe('1/1 Running 0');
    expect(r.events.find((e) => e.reason === 'Unhealthy')!.message).toBe(
      'Readiness probe failed: HTTP probe failed with statuscode: 404',
    );
  });
});

describe('what a student sees', () => {
  it('warnings: the course init containers pass here but use short names busybox 1.32 does not resolve reliably', () => {
    const text = courseFile('initcpod.yml');
    const r = gradeLab('init-containers', text, 'initcpod.yml');
    expect(r.warnings.map((w) => [w.field, w.line])).toEqual([
      ['spec.initContainers[0].command', lineOf(text, 'until nslookup myservice')],
      ['spec.initContainers[1].command', lineOf(text, 'until nslookup mydb')],
    ]);
    expect(r.warnings[0]!.message).toContain('nslookup myservice');
    expect(r.score).toBe(r.max_score);
  });

  it('a failed hidden check leaves only its points in the student view: no entry, no hint (issue 14)', () => {
    const { scenario, version } = lab('liveness-exec');
    const text = readFileSync(join(ROOT, 'scenarios/liveness-exec/mistakes/short-grace-period.yaml'), 'utf8');
    const full = gradeSubmission(scenario, version, text, { file: 'short-grace-period.yaml' });
    const view = studentView(full, scenario);
    const hidden = full.tests.filter((t) => t.visibility === 'hidden');
    expect(hidden.some((t) => t.status === 'failed' && t.hint)).toBe(true);
    const json = JSON.stringify(view);
    for (const t of hidden) {
      expect(json.includes(`"${t.id}"`), t.id).toBe(false);
      if (t.hint) expect(json.includes(JSON.stringify(t.hint).slice(1, -1)), t.id).toBe(false);
    }
    expect(view.tests.filter((t) => !('id' in t))).toEqual([
      {
        name: `${hidden.length} hidden check${hidden.length === 1 ? '' : 's'}`,
        score: hidden.reduce((s, t) => s + t.score, 0),
        max_score: hidden.reduce((s, t) => s + t.max_score, 0),
        status: 'failed',
        visibility: 'visible',
        output: expect.stringMatching(/hidden check/),
      },
    ]);
    for (const t of view.tests.filter((x) => x.status === 'passed')) expect(t).not.toHaveProperty('hint');
  });
});
