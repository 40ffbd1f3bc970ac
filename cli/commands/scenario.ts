/**
 * `podlab scenario check [PATH…]`: validates scenario folders, grades each reference solution
 * (must score full marks) and each mistake (must score below full marks, or exactly what its
 * first-line `# podlab-expect: rejected|score=N` comment states). Exit 0 if all hold, 1 if any
 * does not, 2 if a scenario file is invalid.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { nodeSha256 } from '../../functions/node-sha256.ts';
import { type GradeResult, gradeSubmission } from '../../graders/index.ts';
import { parseArgs, UsageError } from '../args.ts';
import {
  BUILTIN_SCENARIOS,
  builtinNames,
  displayPath,
  formatScenarioErrors,
  loadScenarioFile,
} from './scenario-files.ts';

/** What a mistake file says about its own outcome. */
export type Expectation = { kind: 'below-full' } | { kind: 'rejected' } | { kind: 'score'; score: number };

/** Reads `# podlab-expect: rejected` / `# podlab-expect: score=3` from the first line. */
export function readExpectation(text: string): Expectation | { kind: 'invalid'; line: string } {
  const first = text.split('\n', 1)[0]!.trim();
  const m = /^#\s*podlab-expect:\s*(.*)$/.exec(first);
  if (!m) return { kind: 'below-full' };
  const v = m[1]!.trim();
  if (v === 'rejected') return { kind: 'rejected' };
  const s = /^score\s*=\s*(\d+(?:\.\d+)?)$/.exec(v);
  if (s) return { kind: 'score', score: Number(s[1]) };
  return { kind: 'invalid', line: first };
}

function describe(r: GradeResult): string {
  return r.status === 'rejected'
    ? `rejected (${r.errors[0]?.message.split('\n')[0] ?? ''})`
    : `${r.score}/${r.max_score}`;
}

function failedDetails(r: GradeResult): string {
  return r.tests
    .filter((t) => t.status === 'failed')
    .map((t) => `      ✗ ${t.id}: ${t.output}`)
    .join('\n');
}

interface Outcome {
  ok: boolean;
  invalid: boolean;
}

function checkFolder(folder: string, out: string[]): Outcome {
  const scenarioPath = join(folder, 'scenario.yaml');
  const shown = displayPath(scenarioPath);
  if (!existsSync(scenarioPath)) {
    out.push(`✗ ${shown}: missing`);
    return { ok: false, invalid: true };
  }
  const parsed = loadScenarioFile(scenarioPath);
  if (!parsed.ok) {
    out.push(`✗ ${shown}: invalid scenario`);
    out.push(formatScenarioErrors(shown, parsed.errors).replace(/^/gm, '    '));
    return { ok: false, invalid: true };
  }
  const { scenario, version } = parsed;
  out.push(
    `✓ ${shown}: ${scenario.checks.length} checks, ${scenario.checks.reduce((s, c) => s + c.points, 0)} points`,
  );
  for (const w of parsed.warnings) out.push(`    ! warning${w.path ? ` (${w.path})` : ''}: ${w.message}`);
  let ok = true;
  const grade = (path: string): { text: string; result: GradeResult } => {
    const text = readFileSync(path, 'utf8');
    return {
      text,
      result: gradeSubmission(scenario, version, text, { file: displayPath(path), sha256: nodeSha256 }),
    };
  };

  const solution = join(folder, 'solution.yaml');
  if (!existsSync(solution)) {
    out.push(`✗ ${displayPath(solution)}: missing (a reference solution is required)`);
    ok = false;
  } else {
    const { result } = grade(solution);
    const full = result.status === 'graded' && result.score === result.max_score;
    out.push(
      `${full ? '✓' : '✗'} ${displayPath(solution)}: ${describe(result)}${full ? '' : ' (expected full marks)'}`,
    );
    if (!full) {
      ok = false;
      const details =
        result.status === 'rejected'
          ? result.errors.map((e) => `      ${e.message}`).join('\n')
          : failedDetails(result);
      if (details) out.push(details);
    }
  }

  const mistakesDir = join(folder, 'mistakes');
  const mistakes = existsSync(mistakesDir)
    ? readdirSync(mistakesDir)
        .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
        .sort()
    : [];
  for (const f of mistakes) {
    const path = join(mistakesDir, f);
    const { text, result } = grade(path);
    const expect = readExpectation(text);
    let good: boolean;
    let wanted: string;
    switch (expect.kind) {
      case 'invalid':
        good = false;
        wanted = `a valid podlab-expect comment (got "${expect.line}")`;
        break;
      case 'rejected':
        good = result.status === 'rejected';
        wanted = 'rejected';
        break;
      case 'score':
        good = result.status === 'graded' && result.score === expect.score;
        wanted = `score ${expect.score}`;
        break;
      default:
        good = result.status === 'rejected' || result.score < result.max_score;
        wanted = 'below full marks';
    }
    out.push(
      `${good ? '✓' : '✗'} ${displayPath(path)}: ${describe(result)}${good ? '' : ` (expected ${wanted})`}`,
    );
    if (!good) {
      ok = false;
      if (result.status === 'graded') {
        const passed = result.tests
          .map((t) => `      ${t.status === 'passed' ? '✓' : '✗'} ${t.id}: ${t.output}`)
          .join('\n');
        out.push(passed);
      }
    }
  }
  return { ok, invalid: false };
}

function folderOf(arg: string): string {
  if (!existsSync(arg)) throw new UsageError(`${arg}: no such file or folder`);
  return statSync(arg).isDirectory() ? arg : dirname(arg);
}

/**
 * The folders checked when no path is given: every folder under `scenarios/` of the working
 * directory when it has one (an instructor's own course repository), else the built-in labs.
 */
function defaultFolders(): string[] {
  const local = resolve('scenarios');
  if (local !== BUILTIN_SCENARIOS && existsSync(local) && statSync(local).isDirectory()) {
    return readdirSync(local)
      .filter((n) => statSync(join(local, n)).isDirectory())
      .sort()
      .map((n) => join(local, n));
  }
  return builtinNames().map((n) => join(BUILTIN_SCENARIOS, n));
}

/** Runs `podlab scenario check [PATH…]`. */
export async function run(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'check') throw new UsageError('usage: podlab scenario check [PATH…]');
  const args = parseArgs(rest, {});
  const folders = args.positionals.length > 0 ? args.positionals.map(folderOf) : defaultFolders();
  if (folders.length === 0) throw new UsageError('no scenario folders to check');
  let failed = 0;
  let invalid = 0;
  for (const folder of folders) {
    const out: string[] = [];
    const r = checkFolder(folder, out);
    process.stdout.write(`${out.join('\n')}\n`);
    if (r.invalid) invalid++;
    else if (!r.ok) failed++;
  }
  const total = folders.length;
  process.stdout.write(
    `\n${total - failed - invalid} of ${total} scenario folder${total === 1 ? '' : 's'} hold${invalid ? `, ${invalid} invalid` : ''}${failed ? `, ${failed} failing` : ''}\n`,
  );
  return invalid > 0 ? 2 : failed > 0 ? 1 : 0;
}
