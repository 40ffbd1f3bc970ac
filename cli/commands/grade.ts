/**
 * `podlab grade SCENARIO SUBMISSION [--json] [--instructor] [--format text|json|gradescope]`:
 * grades a submission locally and prints a readable report, the result JSON (student view by
 * default), or Gradescope's results.json (docs/gradescope.md).
 */
import { readFileSync } from 'node:fs';
import { nodeSha256 } from '../../functions/node-sha256.ts';
import {
  gradeSubmission,
  type Scenario,
  type StudentGradeResult,
  studentView,
  toGradescope,
} from '../../graders/index.ts';
import { renderError } from '../../src/manifest/index.ts';
import { optionString, parseArgs, UsageError } from '../args.ts';
import {
  displayPath,
  formatScenarioErrors,
  loadScenarioFile,
  resolveScenarioPath,
} from './scenario-files.ts';

function indent(text: string, by = '    '): string {
  return text
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

/** The readable report of a result. */
export function renderReport(
  result: StudentGradeResult,
  scenario: Scenario,
  submissionText: string,
  submissionFile: string,
): string {
  const out: string[] = [];
  out.push(`${scenario.title} (${scenario.name}): ${submissionFile}`);
  out.push(
    result.status === 'rejected'
      ? `Score: 0/${result.max_score} (rejected: kubectl would not apply this file)`
      : `Score: ${result.score}/${result.max_score}${result.extra_data?.hidden_checks.in_total === false ? ' (visible checks only)' : ''}`,
  );
  out.push('');
  for (const t of result.tests) {
    // A student view's one entry for its concealed checks has no id, and no score or status
    // when the scenario hides it (graders/view.ts studentView).
    const mark = t.status === undefined ? '•' : t.status === 'passed' ? '✓' : '✗';
    const vis = t.visibility === 'visible' ? '' : ` [${t.visibility}]`;
    const points = t.score === undefined ? 'score not shown' : `${t.score}/${t.max_score}`;
    out.push(`${mark} ${t.name ?? ('id' in t ? t.id : '')}${vis}  ${points}`);
    if (!('id' in t)) {
      if (t.score === undefined) out.push(indent(t.output));
      continue;
    }
    // A rejected result repeats the same reason in every check: the errors below say it once.
    if (result.status === 'rejected') continue;
    if (t.output) out.push(indent(t.output));
    if (t.status === 'failed' && t.hint) out.push(indent(`hint: ${t.hint.trim()}`));
  }
  if (result.errors.length > 0) {
    out.push('', 'Errors:');
    for (const e of result.errors) {
      let text: string;
      try {
        text = renderError(e, submissionText);
      } catch {
        text =
          e.line !== undefined ? `${submissionFile}:${e.line}:${e.column ?? 1}: ${e.message}` : e.message;
      }
      out.push(indent(text, '  '));
    }
  }
  if (result.warnings.length > 0) {
    out.push('', 'Warnings (they do not change the score):');
    for (const w of result.warnings)
      out.push(`  ! ${w.line !== undefined ? `line ${w.line}: ` : ''}${w.message}`);
  }
  if (result.transcript) {
    out.push('', 'kubectl get pods -w:', result.transcript.replace(/\n$/, ''));
  }
  return `${out.join('\n')}\n`;
}

/** Runs `podlab grade`. */
export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { boolean: ['json', 'instructor'], valued: ['format'] });
  const usage =
    'usage: podlab grade SCENARIO SUBMISSION [--json] [--instructor] [--format text|json|gradescope]';
  if (args.positionals.length !== 2) throw new UsageError(usage);
  const format = optionString(args, 'format', args.options.json ? 'json' : 'text');
  if (format !== 'text' && format !== 'json' && format !== 'gradescope')
    throw new UsageError(`--format must be text, json or gradescope\n${usage}`);
  const [scenarioArg, submissionPath] = args.positionals as [string, string];
  const scenarioPath = resolveScenarioPath(scenarioArg);
  const parsed = loadScenarioFile(scenarioPath);
  if (!parsed.ok) {
    process.stderr.write(
      `podlab grade: invalid scenario\n${formatScenarioErrors(displayPath(scenarioPath), parsed.errors)}\n`,
    );
    return 2;
  }
  let submission: string;
  try {
    submission = readFileSync(submissionPath, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${submissionPath}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const file = displayPath(submissionPath);
  const started = performance.now();
  const full = gradeSubmission(parsed.scenario, parsed.version, submission, { file, sha256: nodeSha256 });
  if (format === 'gradescope') {
    // Gradescope hides hidden tests from students itself: it gets every check.
    const executionSeconds = (performance.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify(toGradescope(full, { executionSeconds }), null, 2)}\n`);
    return 0;
  }
  const due = parsed.scenario.policy.dueDate;
  const afterDueDate = due !== undefined && Date.now() > Date.parse(due);
  const result: StudentGradeResult = args.options.instructor
    ? full
    : studentView(full, parsed.scenario, { afterDueDate });
  if (format === 'json') process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(renderReport(result, parsed.scenario, submission, file));
  return 0;
}
