/**
 * Helpers of the contract tests: they drive podlab as an outsider does, through the CLI
 * (`node bin/podlab.mjs …`, spawned from the repository root or elsewhere) and through the
 * public graders API, against the three contracts of scenario-format.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GradeResult, gradeSubmission, parseScenario, type Scenario } from '../../graders/index.ts';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The course's lab manifests (an exact copy of shared/course kept in the repository). */
export const COURSE = resolve(ROOT, 'test/fixtures/course');

/** The outcome of one CLI run. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `podlab ARGS…` as a child process (`node bin/podlab.mjs`), from `cwd` (default: the root). */
export function podlab(args: string[], cwd = ROOT): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/podlab.mjs'), ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

/** A fresh temporary folder. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'podlab-contract-'));
}

/** Writes files (relative path -> text) under `dir` and returns `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}

/** Parses a scenario text, failing the test with its errors when it is invalid. */
export function scenarioOf(text: string): { scenario: Scenario; version: string } {
  const parsed = parseScenario(text, 'scenario.yaml');
  if (!parsed.ok) throw new Error(`invalid scenario: ${JSON.stringify(parsed.errors, null, 2)}`);
  return { scenario: parsed.scenario, version: parsed.version };
}

/** Grades `submission` against a scenario text through the public API (instructor view). */
export function grade(scenarioText: string, submission: string): GradeResult {
  const { scenario, version } = scenarioOf(scenarioText);
  return gradeSubmission(scenario, version, submission, { file: 'submission.yaml' });
}

/** A scenario document with the given checks (YAML list items, indented by 4) and extra spec keys. */
export function scenarioText(opts: {
  name?: string;
  duration?: string;
  spec?: string;
  checks: string;
}): string {
  return [
    'apiVersion: podlab/v1',
    'kind: Scenario',
    'metadata:',
    `  name: ${opts.name ?? 'contract'}`,
    '  title: Contract test',
    'spec:',
    '  instructions: Write the Pod.',
    `  duration: ${opts.duration ?? '120s'}`,
    opts.spec ? opts.spec.replace(/\n$/, '') : '',
    '  checks:',
    opts.checks.replace(/\n$/, ''),
    '',
  ]
    .filter((l, i, all) => l !== '' || i === all.length - 1)
    .join('\n');
}

/** Splits a transcript into rows of whitespace-separated cells (header dropped). */
export function transcriptRows(transcript: string): string[][] {
  return transcript
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s{2,}/));
}

/** One test result by id, failing clearly when absent. */
export function testById(result: GradeResult, id: string): GradeResult['tests'][number] {
  const t = result.tests.find((x) => x.id === id);
  if (!t) throw new Error(`no test ${id} in ${result.tests.map((x) => x.id).join(', ')}`);
  return t;
}
