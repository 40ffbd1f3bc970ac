/**
 * A grade result as Gradescope's autograder `results.json` (gradescope-autograders.readthedocs.io,
 * "Autograder Specifications"): only the fields that specification names, so the document can be
 * written to /autograder/results/results.json by a `run_autograder` script as it is.
 *
 * Gradescope itself enforces each test's `visibility` (hidden tests reach instructors only), so
 * the document is made from the full (instructor) result; podlab's own fields travel in
 * `extra_data`, which Gradescope stores and never shows.
 */
import type { GradeResult } from './types.ts';

/** The formats Gradescope renders `output` and `name` in. */
export type GradescopeFormat = 'text' | 'html' | 'simple_format' | 'md' | 'ansi';
/** Gradescope's visibility settings. */
export type GradescopeVisibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

/** One `tests[]` entry of Gradescope's results.json. */
export interface GradescopeTest {
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  name: string;
  name_format: GradescopeFormat;
  number: string;
  output: string;
  output_format: GradescopeFormat;
  tags: string[];
  visibility: GradescopeVisibility;
  extra_data: Record<string, unknown>;
}

/** Gradescope's results.json. */
export interface GradescopeResults {
  score: number;
  execution_time?: number;
  output: string;
  output_format: GradescopeFormat;
  test_output_format: GradescopeFormat;
  test_name_format: GradescopeFormat;
  visibility: GradescopeVisibility;
  stdout_visibility: GradescopeVisibility;
  extra_data: Record<string, unknown>;
  tests: GradescopeTest[];
}

/**
 * `result` (the full, instructor result) as Gradescope's results.json. `executionSeconds` is the
 * wall time the grading took, measured by the caller (the pure core has no clock); Gradescope
 * wants whole seconds.
 */
export function toGradescope(
  result: GradeResult,
  options: { executionSeconds?: number } = {},
): GradescopeResults {
  const summary = [result.output];
  if (result.errors.length > 0)
    summary.push(
      '',
      'kubectl would print:',
      ...result.errors.map((e) => (e.line !== undefined ? `line ${e.line}: ${e.message}` : e.message)),
    );
  if (result.warnings.length > 0)
    summary.push(
      '',
      'Warnings (they do not change the score):',
      ...result.warnings.map((w) => `! ${w.message}`),
    );
  if (result.transcript) summary.push('', 'kubectl get pods -w:', result.transcript.replace(/\n$/, ''));
  return {
    score: result.score,
    ...(options.executionSeconds !== undefined
      ? { execution_time: Math.max(0, Math.round(options.executionSeconds)) }
      : {}),
    output: summary.join('\n'),
    output_format: 'text',
    test_output_format: 'text',
    test_name_format: 'text',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    extra_data: {
      scenario: result.scenario,
      scenario_version: result.scenario_version,
      status: result.status,
      max_score: result.max_score,
      simulator: result.simulator,
    },
    tests: result.tests.map((t, i) => {
      const output = [t.output ?? '', t.status === 'failed' && t.hint ? `hint: ${t.hint.trim()}` : '']
        .filter((s) => s !== '')
        .join('\n\n');
      return {
        score: t.score,
        max_score: t.max_score,
        status: t.status,
        name: t.name ?? t.id,
        name_format: 'text',
        number: String(i + 1),
        output,
        output_format: 'text',
        tags: [t.id],
        visibility: t.visibility,
        extra_data: { id: t.id },
      };
    }),
  };
}
