/**
 * Property-based fuzzing with fixed seeds (reproducible in CI): mutated course files, YAML token
 * soup and generated shell scripts through loadManifests, parseScenario, gradeSubmission and the
 * simulator. Property: an answer (never an exception), in bounded time, byte-identical twice.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradeSubmission, parseScenario } from '../../graders/index.ts';
import { loadManifests } from '../../src/manifest/index.ts';
import { defaultSimOptions, simulate } from '../../src/sim/index.ts';
import { labFile, ROOT, shellPod } from './corpus.ts';
import { PER_RUN_MS } from './isolate.ts';

const LABS = readdirSync(join(ROOT, 'scenarios')).sort();
const SOLUTIONS = LABS.map((lab) => labFile(lab, 'solution.yaml'));
const SCENARIO_FILES = LABS.map((lab) => labFile(lab, 'scenario.yaml'));

/** Runs `fn` twice; asserts no throw, the CPU safety net, and byte-identical JSON. */
function twice<T>(fn: () => T): T {
  const cpu0 = process.cpuUsage();
  const a = fn();
  const cpu = process.cpuUsage(cpu0);
  expect((cpu.user + cpu.system) / 1000, 'over the CPU safety net').toBeLessThan(PER_RUN_MS);
  const b = fn();
  expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  return a;
}

/** YAML and Kubernetes fragments, hostile scalars included, to splice into files. */
const FRAGMENTS = [
  '- ',
  ': ',
  '\n',
  '  ',
  '\t',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&a ',
  '*a',
  '<<: *a',
  '---\n',
  '...\n',
  '"',
  "'",
  '# c',
  '|\n',
  '>-\n',
  '!!str ',
  '!!binary ',
  '? ',
  '%YAML 1.1\n',
  'apiVersion: v1\n',
  'kind: Pod\n',
  'kind: Service\n',
  'metadata:\n  name: x\n',
  'spec:\n',
  'containers:\n',
  'initContainers:\n',
  'image: busybox:1.32.0',
  'image: nginx:1.17.10-alpine',
  'command: [sh, -c, "sleep 1"]',
  'livenessProbe: {exec: {command: [cat, /tmp/x]}, periodSeconds: 1}',
  'readinessProbe: {httpGet: {port: 80, path: /}}',
  'restartPolicy: Never',
  'terminationGracePeriodSeconds: 0',
  '0x1F',
  '0o777',
  '1e309',
  '-1e309',
  '9223372036854775808',
  '-0',
  '.nan',
  '.inf',
  'NaN',
  '~',
  'null',
  'yes',
  'on',
  '\u0000',
  '\ud800',
  '\ufeff',
  '💥',
  'ü',
  '\r\n',
];

const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 120 }).map((a) => a.join(''));

/** Random edits of a text: at a position, delete some characters and insert fragments or arbitrary text. */
function mutated(texts: string[]): fc.Arbitrary<string> {
  const edit = fc.record({
    at: fc.nat(),
    del: fc.nat({ max: 12 }),
    ins: fc.oneof(
      fc.constantFrom(...FRAGMENTS),
      fc.string({ maxLength: 8 }),
      fc.string({ unit: 'binary', maxLength: 4 }),
    ),
  });
  return fc
    .tuple(fc.constantFrom(...texts), fc.array(edit, { minLength: 1, maxLength: 6 }))
    .map(([text, edits]) => {
      let t = text;
      for (const e of edits) {
        const at = e.at % (t.length + 1);
        t = t.slice(0, at) + e.ins + t.slice(at + e.del);
      }
      return t;
    });
}

describe('loadManifests under fuzzing', () => {
  it('mutated lab solutions: objects or errors, never a throw, same output twice', () => {
    fc.assert(
      fc.property(mutated(SOLUTIONS), (text) => {
        const r = twice(() => loadManifests(text, { file: 'fuzz.yaml' }));
        expect(r.objects.length + r.errors.length).toBeGreaterThanOrEqual(0);
        for (const e of r.errors) expect(e.message).not.toMatch(/internal error/);
        if (r.errors.length === 0) expect(r.rejected).toEqual([]);
      }),
      { seed: 1033, numRuns: 200 },
    );
  });

  it('YAML token soup and arbitrary strings', () => {
    fc.assert(
      fc.property(
        fc.oneof(soup, fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 })),
        (text) => {
          const r = twice(() => loadManifests(text, { file: 'fuzz.yaml' }));
          for (const e of r.errors) expect(e.message).not.toMatch(/internal error/);
        },
      ),
      { seed: 1034, numRuns: 400 },
    );
  });
});

describe('parseScenario under fuzzing', () => {
  it('mutated lab scenarios and token soup: a scenario or errors with a path, same output twice', () => {
    fc.assert(
      fc.property(fc.oneof(mutated(SCENARIO_FILES), soup), (text) => {
        const r = twice(() => parseScenario(text, 'scenario.yaml'));
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) expect(typeof e.message).toBe('string');
        } else {
          expect(r.version).toMatch(/^sha256:[0-9a-f]{64}$/);
        }
      }),
      { seed: 1035, numRuns: 150 },
    );
  });
});

const PARSED = LABS.map((lab, i) => {
  const p = parseScenario(SCENARIO_FILES[i]!, 'scenario.yaml');
  if (!p.ok) throw new Error(`scenarios/${lab} does not parse: ${p.errors[0]?.message}`);
  return p;
});

describe('gradeSubmission under fuzzing', () => {
  it('mutated solutions on every lab: graded or rejected, score within bounds, same JSON twice', () => {
    fc.assert(
      fc.property(fc.nat({ max: LABS.length - 1 }), mutated(SOLUTIONS), (i, text) => {
        const p = PARSED[i]!;
        const r = twice(() => gradeSubmission(p.scenario, p.version, text, { file: 'fuzz.yaml' }));
        expect(['graded', 'rejected']).toContain(r.status);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(r.max_score);
        expect(r.tests.length).toBe(p.scenario.checks.length);
        if (r.status === 'rejected') expect(r.errors.length).toBeGreaterThan(0);
      }),
      { seed: 1036, numRuns: 100 },
    );
  });
});

/** Generated busybox shell scripts: commands, loops, functions, pipes, redirections, traps. */
const COMMANDS = [
  'echo x',
  'echo $i',
  ':',
  'true',
  'false',
  'sleep 1',
  'sleep 0',
  'sleep 30',
  'exit 3',
  'test -e /tmp/f',
  'touch /tmp/f',
  'rm -f /tmp/f',
  'cat /tmp/f',
  'i=$((i+1))',
  'echo $((i/0))',
  'nslookup x',
  'wget -q -O- http://localhost:80/',
  'kill $$',
  'kill -9 $$',
  'trap "" TERM',
  'trap "echo bye; exit 0" TERM',
  'ls /',
  'date',
  'yes | head -n 3',
  'cd /tmp',
  'printf "%s\\n" a b',
  'wc -l /tmp/f',
  'grep x /tmp/f',
  'read x',
  'wait',
  'sleep 2 &',
  'mkdir -p /tmp/d/e',
  'hostname',
  'env',
  'unknowncmd',
];
const script: fc.Arbitrary<string> = fc.letrec<{ stmt: string; body: string }>((tie) => ({
  stmt: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...COMMANDS),
    fc
      .tuple(fc.constantFrom('true', 'false', '[ $i -lt 5 ]', 'test -e /tmp/f'), tie('body'))
      .map(([c, b]) => `while ${c}; do ${b}; done`),
    tie('body').map((b) => `for x in a b c; do ${b}; done`),
    fc.tuple(tie('body'), tie('body')).map(([a, b]) => `if test -e /tmp/f; then ${a}; else ${b}; fi`),
    tie('body').map((b) => `(${b})`),
    tie('body').map((b) => `{ ${b}; }`),
    tie('body').map((b) => `f(){ ${b}; }; f`),
    fc
      .tuple(
        fc.constantFrom(...COMMANDS),
        fc.constantFrom(' | ', ' && ', ' || ', ' > /tmp/f; ', ' >> /tmp/f; ', ' & '),
        fc.constantFrom(...COMMANDS),
      )
      .map(([a, op, b]) => `${a}${op}${b}`),
    tie('body').map((b) => `case $i in 1) ${b};; *) ${b};; esac`),
  ),
  body: fc.array(tie('stmt'), { minLength: 1, maxLength: 4 }).map((a) => a.join('; ')),
})).body;

describe('simulator under fuzzing', () => {
  it('generated shell scripts in a busybox Pod: ends by horizon or budget, same trace twice', () => {
    fc.assert(
      fc.property(
        script,
        fc.constantFrom('Always', 'OnFailure', 'Never'),
        fc.integer({ min: 1_000, max: 120_000 }),
        (sh, restartPolicy, horizonMs) => {
          const loaded = loadManifests(shellPod(sh, 'fuzz', restartPolicy), { file: 'pod.yaml' });
          expect(loaded.errors.map((e) => e.message)).toEqual([]);
          const options = defaultSimOptions();
          options.budgets = {
            horizonMs,
            maxEvents: 50_000,
            maxShellSteps: 20_000,
            maxLogBytes: 16 * 1024,
            maxFsBytes: 64 * 1024,
          };
          const trace = twice(() =>
            simulate(
              loaded.objects.map((o) => o.object),
              [],
              options,
            ),
          );
          expect(trace.endAt).toBeLessThanOrEqual(horizonMs);
          if (trace.endReason.kind === 'horizon') expect(trace.endAt).toBe(horizonMs);
          const logBytes = trace.logs.reduce((n, l) => n + l.text.length, 0);
          expect(logBytes).toBeLessThanOrEqual(16 * 1024 * 4);
        },
      ),
      { seed: 1037, numRuns: 80 },
    );
  });
});
