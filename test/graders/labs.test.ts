import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  digest,
  gradeSubmission,
  parseScenario,
  publicScenario,
  replaySubmission,
  type Scenario,
  studentView,
} from '../../graders/index.ts';

const root = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const labs = readdirSync(root)
  .filter((n) => existsSync(join(root, n, 'scenario.yaml')))
  .sort();

function load(name: string): { scenario: Scenario; version: string } {
  const r = parseScenario(readFileSync(join(root, name, 'scenario.yaml'), 'utf8'), `${name}/scenario.yaml`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r;
}

function submissions(name: string): { file: string; text: string }[] {
  const dir = join(root, name, 'mistakes');
  const mistakes = existsSync(dir) ? readdirSync(dir).sort() : [];
  return [
    { file: 'solution.yaml', text: readFileSync(join(root, name, 'solution.yaml'), 'utf8') },
    ...mistakes.map((f) => ({ file: `mistakes/${f}`, text: readFileSync(join(dir, f), 'utf8') })),
  ];
}

describe('the built-in labs', () => {
  it('are at least ten, each with a solution, three mistakes and a hidden check', () => {
    expect(labs.length).toBeGreaterThanOrEqual(10);
    for (const name of labs) {
      const { scenario } = load(name);
      expect(submissions(name).length, name).toBeGreaterThanOrEqual(4);
      expect(
        scenario.checks.some((c) => c.visibility === 'hidden'),
        name,
      ).toBe(true);
      expect(
        scenario.checks.every((c) => c.visibility !== 'visible' || c.title),
        name,
      ).toBe(true);
    }
  });

  for (const name of labs) {
    describe(name, () => {
      const { scenario, version } = load(name);
      const graded = submissions(name).map((s) => ({
        ...s,
        result: gradeSubmission(scenario, version, s.text, { file: s.file }),
      }));

      it('the solution scores full marks', () => {
        const r = graded[0]!.result;
        expect(r.status).toBe('graded');
        expect(r.tests.filter((t) => t.status === 'failed').map((t) => `${t.id}: ${t.output}`)).toEqual([]);
        expect(r.score).toBe(r.max_score);
      });

      it('every mistake scores below full marks', () => {
        for (const g of graded.slice(1)) expect(g.result.score, g.file).toBeLessThan(g.result.max_score);
      });

      it('grading is deterministic: the same input gives byte-identical JSON', () => {
        for (const g of graded.slice(0, 2)) {
          const again = gradeSubmission(scenario, version, g.text, { file: g.file });
          expect(JSON.stringify(again)).toBe(JSON.stringify(g.result));
        }
      });

      it('no student view holds an entry, name, output or hint of a hidden check (issue 14)', () => {
        const hidden = scenario.checks.filter((c) => c.visibility !== 'visible');
        for (const g of graded) {
          const view = studentView(g.result, scenario);
          const visible = view.tests.filter((t) => 'id' in t);
          const visibleTexts = new Set(visible.flatMap((t) => [t.output, t.hint]));
          const json = JSON.stringify(view);
          for (const c of hidden) {
            const full = g.result.tests.find((t) => t.id === c.id)!;
            expect(
              visible.some((t) => t.id === c.id),
              `${g.file} ${c.id}`,
            ).toBe(false);
            if (c.title)
              expect(json.includes(JSON.stringify(c.title).slice(1, -1)), `${g.file} ${c.id} title`).toBe(
                false,
              );
            for (const text of [full.output, c.hint]) {
              if (!text || visibleTexts.has(text)) continue;
              expect(json.includes(JSON.stringify(text).slice(1, -1)), `${g.file} ${c.id} text`).toBe(false);
            }
          }
          const summary = view.tests.filter((t) => !('id' in t));
          expect(summary).toHaveLength(1);
          const fullHidden = g.result.tests.filter((t) => t.visibility !== 'visible');
          expect(summary[0]).toMatchObject({
            name: `${hidden.length} hidden check${hidden.length === 1 ? '' : 's'}`,
            visibility: 'visible',
            score: fullHidden.reduce((s, t) => s + t.score, 0),
            max_score: fullHidden.reduce((s, t) => s + t.max_score, 0),
          });
          expect(view.score).toBe(g.result.score);
          expect(view.max_score).toBe(g.result.max_score);
        }
      });

      it('the public scenario holds no hidden check', () => {
        const json = JSON.stringify(publicScenario(scenario));
        for (const c of scenario.checks.filter((x) => x.visibility !== 'visible')) {
          expect(json.includes(`"${c.id}"`), c.id).toBe(false);
          if (c.title) expect(json.includes(c.title), c.id).toBe(false);
        }
      });

      it('a rejected submission has score 0, every check failed, and kubectl errors', () => {
        for (const g of graded.filter((x) => x.result.status === 'rejected')) {
          expect(g.result.score).toBe(0);
          expect(
            g.result.tests.every(
              (t) => t.status === 'failed' && t.output?.startsWith('not graded: the submission was rejected'),
            ),
          ).toBe(true);
          expect(g.result.errors.length).toBeGreaterThan(0);
          expect(g.result.transcript).toBe('');
        }
      });
    });
  }
});

describe('rejections', () => {
  const { scenario, version } = load('liveness-exec');
  it("the course manifest is rejected with kubectl's strict-decoding text, line and column", () => {
    const text = readFileSync(join(root, 'liveness-exec', 'mistakes', 'course-original.yaml'), 'utf8');
    const r = gradeSubmission(scenario, version, text, { file: 'livenessprobepod.yml' });
    expect(r.status).toBe('rejected');
    const prefix =
      'Error from server (BadRequest): error when creating "livenessprobepod.yml": Pod in version "v1" cannot be handled as a Pod: strict decoding error: ';
    expect(r.errors.map((e) => [e.message, e.line, e.column])).toEqual([
      [`${prefix}unknown field "spec.containers[0].livenessProbe.exec.initialDelaySeconds"`, 18, 11],
      [`${prefix}unknown field "spec.containers[0].livenessProbe.exec.periodSeconds"`, 19, 11],
    ]);
    expect(r.output).toBe(
      `Your submission was rejected; kubectl would print:\n${prefix}unknown field "spec.containers[0].livenessProbe.exec.initialDelaySeconds", unknown field "spec.containers[0].livenessProbe.exec.periodSeconds"`,
    );
  });
  it('a kind outside allowedKinds is rejected with its line', () => {
    const r = gradeSubmission(
      scenario,
      version,
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports: [{port: 80}]\n',
      { file: 'x.yaml' },
    );
    expect(r.status).toBe('rejected');
    expect(r.errors.map((e) => e.message)).toContain(
      'error: kind Service is not allowed in this lab (allowed: Pod)',
    );
    expect(r.errors.find((e) => e.message.startsWith('error: kind'))!.line).toBe(1);
  });
  it('a missing required object is a rejection', () => {
    const r = gradeSubmission(
      scenario,
      version,
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: other\nspec:\n  containers: [{name: c, image: busybox:1.32.0}]\n',
    );
    expect(r.status).toBe('rejected');
    expect(r.errors[0]!.message).toBe(
      'error: the submission must contain a Pod named "livenessprobe-pod" (found Pod "other")',
    );
  });
  it('an oversized submission is a rejection', () => {
    const r = gradeSubmission(scenario, version, `# ${'x'.repeat(70_000)}\n`);
    expect(r.status).toBe('rejected');
    expect(r.errors[0]!.message).toMatch(/this lab accepts at most 65536 bytes/);
  });
  it('an empty submission is a rejection', () => {
    expect(gradeSubmission(scenario, version, '').status).toBe('rejected');
  });
});

describe('warnings', () => {
  it('short-name nslookup in busybox 1.32, with the line', () => {
    const { scenario, version } = load('init-containers');
    const r = gradeSubmission(
      scenario,
      version,
      readFileSync(join(root, 'init-containers', 'solution.yaml'), 'utf8'),
    );
    const w = r.warnings.filter((x) => x.message.startsWith('`nslookup'));
    expect(w.map((x) => x.message.slice(0, 40))).toEqual([
      '`nslookup myservice` uses a short name: ',
      '`nslookup mydb` uses a short name: busyb',
    ]);
    expect(w[0]!.line).toBe(17);
  });
  it('an exec probe on a binary the image lacks, and an untagged image', () => {
    const { scenario, version } = load('readiness-service');
    const mistake = readFileSync(
      join(root, 'readiness-service', 'mistakes', 'probe-binary-missing.yaml'),
      'utf8',
    );
    // nginx:latest ships curl (docker-nginx 87f9340); alpine-slim does not.
    const slim = gradeSubmission(
      scenario,
      version,
      mistake.replace('nginx:1.17.10-alpine', 'nginx:alpine-slim'),
    );
    expect(
      slim.warnings.some((w) => /runs "curl", which nginx:alpine-slim does not have/.test(w.message)),
    ).toBe(true);
    const r = gradeSubmission(scenario, version, mistake.replace('nginx:1.17.10-alpine', 'nginx'));
    expect(r.warnings.some((w) => /runs "curl"/.test(w.message))).toBe(false);
    expect(r.warnings.some((w) => /image "nginx" has no tag/.test(w.message) && w.line === 11)).toBe(true);
  });
  it('fields accepted but not simulated; none for the plain solution', () => {
    const { scenario, version } = load('liveness-tcp');
    const solution = readFileSync(join(root, 'liveness-tcp', 'solution.yaml'), 'utf8');
    expect(gradeSubmission(scenario, version, solution).warnings).toEqual([]);
    const withResources = solution.replace(
      '      imagePullPolicy: IfNotPresent\n',
      '      imagePullPolicy: IfNotPresent\n      resources:\n        limits: {cpu: 100m}\n',
    );
    const r = gradeSubmission(scenario, version, withResources);
    expect(r.warnings).toEqual([
      {
        message: 'resources of container livenessprobenginx-pod2 is accepted but not simulated',
        field: 'spec.containers[0].resources',
        line: 13,
      },
    ]);
  });
  it('an emptyDir mount is simulated (no warning); a read-only one is writable here, with a warning', () => {
    const { scenario, version } = load('liveness-tcp');
    const solution = readFileSync(join(root, 'liveness-tcp', 'solution.yaml'), 'utf8');
    const mounted = (readOnly: string) =>
      `${solution.replace(
        '      imagePullPolicy: IfNotPresent\n',
        `      imagePullPolicy: IfNotPresent\n      volumeMounts:\n        - {name: data, mountPath: /data${readOnly}}\n`,
      )}  volumes:\n    - {name: data, emptyDir: {}}\n`;
    expect(gradeSubmission(scenario, version, mounted('')).warnings).toEqual([]);
    expect(gradeSubmission(scenario, version, mounted(', readOnly: true')).warnings).toEqual([
      {
        message:
          'readOnly of volume mount data in container livenessprobenginx-pod2 is accepted but not simulated: the mount is writable here',
        field: 'spec.containers[0].volumeMounts[0].readOnly',
        line: 14,
      },
    ]);
  });
});

describe('result size', () => {
  it('a long run lists its first events and transcript rows only, with a warning', () => {
    const text = `apiVersion: podlab/v1
kind: Scenario
metadata: {name: long-run, title: Long run}
spec:
  instructions: Run a Pod that is never ready.
  duration: 1h
  checks:
    - {id: never-ready, title: Never ready, throughout: [0s, 1h], pod: p, expect: {ready: "0/1"}}
`;
    const parsed = parseScenario(text, 'long.yaml');
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      image: busybox:1.32.0
      command: [sh, -c, 'sleep 3600']
      readinessProbe:
        exec: {command: [test, -e, /tmp/never]}
        periodSeconds: 1
`;
    const r = gradeSubmission(parsed.scenario, parsed.version, pod);
    expect(r.score).toBe(1);
    expect(r.events.length).toBe(500);
    expect(
      r.warnings.some((w) =>
        /^the run is long: the result lists the first 1000 transcript rows and 500 events \(0 rows and \d+ events left out\)/.test(
          w.message,
        ),
      ),
    ).toBe(true);
  });
});

describe('the simulator digest', () => {
  // The digest reuses the trace meter's JSON of each entry: it must stay the SHA-256 of the
  // trace's JSON text, so an entry changed after it was appended would show here.
  it("is sha256 of JSON.stringify(trace) for every lab's solution and mistakes", () => {
    for (const name of labs) {
      const { scenario, version } = load(name);
      for (const { file, text } of submissions(name)) {
        const result = gradeSubmission(scenario, version, text, { file });
        if (result.status !== 'graded') continue;
        const replayed = replaySubmission(scenario, text, { file });
        expect(result.simulator.digest, `${name}/${file}`).toBe(digest(JSON.stringify(replayed?.trace)));
      }
    }
  });
});
