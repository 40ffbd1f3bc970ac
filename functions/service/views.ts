/**
 * What the use cases return (submission views, listing rows, regrade reports, stats) and the
 * pure conversions from stored records to them. No I/O.
 */
import type { CheckSummary, StoredResult, SubmissionSummary } from '../storage/types.ts';
import type { GradeResult, StudentGradeResult } from './grader.ts';

/** A submission as the API returns it: the (student or instructor) result plus who and when. */
export type SubmissionView = StudentGradeResult & {
  id: string;
  attempt: number | null;
  student: string;
  course: string;
  submitted_at: string;
  manifest?: string;
  history?: {
    scenario_version: string;
    status: string;
    score: number;
    max_score: number;
    graded_at: string;
  }[];
};

/** One row of a submission listing. */
export interface SubmissionRow {
  id: string;
  student: string;
  attempt: number | null;
  status: 'graded' | 'rejected';
  score: number;
  max_score: number;
  scenario_version: string;
  submitted_at: string;
}

/** The result of one regrade call (one page of submissions). */
export interface RegradeReport {
  scenario: string;
  version: string;
  processed: number;
  regraded: number;
  unchanged: number;
  failed: { id: string; error: string }[];
  cursor?: string;
}

/** A regrade started on the queue: the version every submission is regraded against. */
export interface RegradeQueued {
  scenario: string;
  version: string;
  queued: true;
}

/** Aggregates of a scenario's stored results. */
export interface ScenarioStats {
  scenario: string;
  version: string;
  submissions: number;
  attempts: number;
  rejected: number;
  students: number;
  /** Share of graded attempts with full marks (null without graded attempts). */
  pass_rate: number | null;
  score_histogram: { score: number; count: number }[];
  final_score_histogram: { score: number; count: number }[];
  score_policy: 'best' | 'latest';
  checks: { id: string; name: string; passed: number; failed: number; pass_rate: number | null }[];
}

/** A grade result as stored: its summary (per-check outcomes) beside the full document. */
export function summarize(result: GradeResult, gradedAt: string): StoredResult {
  const checks: CheckSummary[] = result.tests.map((t) => ({
    id: t.id,
    status: t.status,
    score: t.score,
    maxScore: t.max_score,
  }));
  return {
    scenarioVersion: result.scenario_version,
    status: result.status,
    score: result.score,
    maxScore: result.max_score,
    checks,
    gradedAt,
    result,
  };
}

/** A stored submission summary as a listing row. */
export function row(s: SubmissionSummary): SubmissionRow {
  return {
    id: s.id,
    student: s.student,
    attempt: s.attempt,
    status: s.status,
    score: s.score,
    max_score: s.maxScore,
    scenario_version: s.scenarioVersion,
    submitted_at: s.createdAt,
  };
}

/** Counts per distinct score, ascending by score. */
export function histogram(scores: number[]): { score: number; count: number }[] {
  const m = new Map<number, number>();
  for (const s of scores) m.set(s, (m.get(s) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([score, count]) => ({ score, count }));
}
