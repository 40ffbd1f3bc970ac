import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'bin', 'podlab.mjs');

function podlab(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('podlab grade', () => {
  const solution = join(root, 'scenarios', 'liveness-exec', 'solution.yaml');

  it('grades a built-in lab by name from any directory and prints a readable report', () => {
    const r = podlab(['grade', 'liveness-exec', solution], tmpdir());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Liveness probe \(exec\) \(liveness-exec\): /);
    expect(r.stdout).toContain('Score: 10/10');
    expect(r.stdout).toContain('✓ The kubelet kills the container after three failures  2/2');
    expect(r.stdout).toMatch(/✓ 2 hidden checks {2}2\/2/);
    expect(r.stdout).not.toMatch(/hidden-\d|Restarted a second time/);
    expect(r.stdout).toMatch(/TIME\s+NAME\s+READY\s+STATUS\s+RESTARTS/);
  });

  it('--json prints the student view; --instructor the full one', () => {
    const student = JSON.parse(podlab(['grade', 'scenarios/liveness-exec', solution, '--json']).stdout);
    expect(student.scenario).toBe('liveness-exec');
    expect(student.status).toBe('graded');
    expect(student.tests.find((t: { id: string }) => t.id === 'hidden-2')).toBeUndefined();
    expect(student.tests.at(-1)).toMatchObject({ name: '2 hidden checks', score: 2, max_score: 2 });
    expect(student.tests.at(-1)).not.toHaveProperty('id');
    const full = JSON.parse(
      podlab(['grade', 'scenarios/liveness-exec/scenario.yaml', solution, '--json', '--instructor']).stdout,
    );
    expect(full.tests.find((t: { id: string }) => t.id === 'hidden-2')).toMatchObject({
      name: 'Restarted a second time at once after the second kill',
      status: 'passed',
    });
    expect(full.tests.find((t: { id: string }) => t.id === 'hidden-2').output).toMatch(
      /^observed READY 1\/1, RESTARTS 2 at 140s$/,
    );
    expect(full.score).toBe(student.score);
  });

  it("a rejected submission exits 0 and shows kubectl's error with an excerpt", () => {
    const r = podlab([
      'grade',
      'liveness-exec',
      join(root, 'scenarios', 'liveness-exec', 'mistakes', 'course-original.yaml'),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(rejected: kubectl would not apply this file)');
    expect(r.stdout).toContain('unknown field "spec.containers[0].livenessProbe.exec.initialDelaySeconds"');
    expect(r.stdout).toContain('^');
  });

  it('bad usage exits 2', () => {
    expect(podlab(['grade', 'liveness-exec']).code).toBe(2);
    expect(podlab(['grade', 'no-such-lab', solution]).code).toBe(2);
    expect(podlab(['grade', 'liveness-exec', '/no/such/file.yaml']).code).toBe(2);
    expect(podlab(['grade', 'liveness-exec', solution, '--bogus']).code).toBe(2);
  });

  it('an invalid scenario file exits 2 with its path and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podlab-'));
    const text = readFileSync(join(root, 'scenarios', 'liveness-exec', 'scenario.yaml'), 'utf8').replace(
      '  duration: 150s',
      '  duration: 150s\n  durashun: 1s',
    );
    writeFileSync(join(dir, 'scenario.yaml'), text);
    const r = podlab(['grade', join(dir, 'scenario.yaml'), solution]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scenario\.yaml:\d+:3: unknown field "durashun" \(at spec\.durashun\)/);
  });
});

describe('podlab scenario check', () => {
  it('passes on a built-in lab folder', () => {
    const r = podlab(['scenario', 'check', 'scenarios/pod-phases']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✓ scenarios/pod-phases/solution.yaml: 8/8');
    expect(r.stdout).toContain('✓ scenarios/pod-phases/mistakes/on-failure.yaml: 3/8');
  });

  it('exits 1 when a mistake does not score what it states', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podlab-'));
    cpSync(join(root, 'scenarios', 'pod-phases'), dir, { recursive: true });
    const f = join(dir, 'mistakes', 'on-failure.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('score=3', 'score=4'));
    const r = podlab(['scenario', 'check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✗ .*on-failure\.yaml: 3\/8 \(expected score 4\)/);
  });

  it('exits 1 when the solution is not full marks, 2 when the scenario is invalid', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podlab-'));
    cpSync(join(root, 'scenarios', 'pod-phases'), dir, { recursive: true });
    cpSync(join(dir, 'mistakes', 'on-failure.yaml'), join(dir, 'solution.yaml'));
    expect(podlab(['scenario', 'check', dir]).code).toBe(1);
    writeFileSync(join(dir, 'scenario.yaml'), 'apiVersion: podlab/v1\nkind: Scenario\n');
    const r = podlab(['scenario', 'check', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('invalid scenario');
  });
});
