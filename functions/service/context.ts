/**
 * What every use case of the service shares: its dependencies, the access rules (who may see
 * which scenario or submission), the cache of parsed scenario versions and the student view of
 * stored results. The use cases themselves are in scenarios.ts, submissions.ts and results.ts.
 */
import { randomBytes } from 'node:crypto';
import { studentTotals } from '../../graders/view.ts';
import type {
  Repository,
  ScenarioHeadRecord,
  StoredResult,
  SubmissionRecord,
  SubmissionSummary,
} from '../storage/types.ts';
import { AppError } from './errors.ts';
import type { GradeResult, Grader, Scenario, StudentGradeResult } from './grader.ts';
import type { Principal } from './tokens.ts';
import { type RegradeReport, row, type SubmissionRow, type SubmissionView } from './views.ts';

/** Attempts per student and scenario when a scenario sets no (or a larger) maxAttempts. */
export const HARD_MAX_ATTEMPTS = 1000;

/** Dependencies of the service. */
export interface ServiceDeps {
  repo: Repository;
  grader: Grader;
  /** The wall clock (injected for tests). */
  clock: () => Date;
  /** New random submission ids (injected for tests). */
  newId?: () => string;
  /** Hooks called after a submission is stored (not on replays) and after a regrade stored a result. */
  events?: ServiceEvents;
  /** Starts a queued regrade of a whole scenario (AWS: the regrade queue); absent locally. */
  regradeQueue?: (first: { course: string; scenario: string; limit?: number }) => Promise<void>;
}

/** Hooks for other parts (LMS passback, webhooks). A hook's failure never undoes or fails the stored write. */
export interface ServiceEvents {
  submitted?(record: SubmissionRecord): Promise<void>;
  regraded?(record: SubmissionRecord, result: StoredResult): Promise<void>;
  /** The last page of a regrade of a scenario was processed. */
  regradeCompleted?(course: string, scenario: string, report: RegradeReport): Promise<void>;
  /** Receives a hook's error (default: ignored). */
  onError?(err: unknown): void;
}

/** A scenario name: a lowercase RFC 1123 label. */
export const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SUBMISSION_ID_PATTERN = /^s_[a-z0-9]{10,64}$/;

/** A time-ordered random submission id. */
export function randomSubmissionId(now: Date): string {
  return `s_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(10).toString('hex')}`;
}

/** The shared part of the service, built once per service. */
export function createContext(deps: ServiceDeps) {
  const { repo, grader, clock } = deps;
  const parsed = new Map<string, Promise<Scenario>>();

  /** Runs a hook; its failure goes to `events.onError`, never to the caller. */
  async function emit(fn: () => Promise<void> | undefined): Promise<void> {
    try {
      await fn();
    } catch (err) {
      deps.events?.onError?.(err);
    }
  }

  function requireInstructor(p: Principal, message = 'this needs an instructor token'): void {
    if (p.role !== 'instructor') throw new AppError('forbidden', message);
  }

  /** The parsed scenario of a stored version (versions are immutable: cached by digest). */
  function loadVersion(course: string, name: string, version: string): Promise<Scenario> {
    const cacheKey = `${course}\0${name}\0${version}`;
    const hit = parsed.get(cacheKey);
    if (hit) return hit;
    // Single flight: concurrent requests share one read and one parse.
    const p = (async () => {
      const v = await repo.getScenarioVersion(course, name, version);
      if (!v) throw new AppError('not_found', `no version ${version} of scenario "${name}"`);
      const r = await grader.parse(v.yaml, `${name}/scenario.yaml`);
      if (!r.ok)
        throw new Error(
          `stored scenario ${course}/${name}@${version} no longer parses: ${r.errors[0]?.message}`,
        );
      return r.scenario;
    })();
    if (parsed.size >= 200) parsed.delete(parsed.keys().next().value as string);
    parsed.set(cacheKey, p);
    p.catch(() => parsed.delete(cacheKey));
    return p;
  }

  /** The current head of a scenario the caller may see (students: published only). */
  async function visibleHead(p: Principal, name: string): Promise<ScenarioHeadRecord> {
    if (!NAME_PATTERN.test(name)) throw new AppError('not_found', `no scenario "${name.slice(0, 80)}"`);
    const head = await repo.getScenarioHead(p.course, name);
    if (!head || (p.role === 'student' && !head.published)) {
      throw new AppError('not_found', `no scenario "${name}" in course ${p.course}`);
    }
    return head;
  }

  function afterDue(s: Scenario): boolean {
    const due = s.policy.dueDate;
    return due !== undefined && clock().getTime() > Date.parse(due);
  }

  async function viewResult(
    p: Principal,
    rec: SubmissionRecord,
    r: StoredResult,
  ): Promise<StudentGradeResult> {
    const full = r.result as GradeResult;
    if (p.role === 'instructor') return full;
    const scenario = await loadVersion(rec.course, rec.scenario, r.scenarioVersion);
    return grader.studentView(full, scenario, { afterDueDate: afterDue(scenario) });
  }

  async function submissionView(p: Principal, rec: SubmissionRecord): Promise<SubmissionView> {
    return {
      ...(await viewResult(p, rec, rec.current)),
      id: rec.id,
      attempt: rec.attempt,
      student: rec.student,
      course: rec.course,
      submitted_at: rec.createdAt,
    };
  }

  /**
   * A listing row as its reader may see it: a student's totals leave out the concealed checks
   * when the row's scenario version hides their score (the same totals as the student view);
   * otherwise the stored totals.
   */
  async function studentRow(p: Principal, s: SubmissionSummary): Promise<SubmissionRow> {
    const base = row(s);
    if (p.role === 'instructor') return base;
    const scenario = await loadVersion(s.course, s.scenario, s.scenarioVersion);
    if (scenario.policy.hiddenScore !== 'hide') return base;
    const checks = s.checks.map((c) => ({ id: c.id, score: c.score, max_score: c.maxScore }));
    return { ...base, ...studentTotals(checks, scenario, { afterDueDate: afterDue(scenario) }) };
  }

  function maxAttemptsOf(s: Scenario): number {
    const m = s.policy.maxAttempts;
    return m === undefined ? HARD_MAX_ATTEMPTS : Math.min(m, HARD_MAX_ATTEMPTS);
  }

  /**
   * A submission `p` may read: its student, or an instructor of its course. Anyone else gets
   * the same 404 as for an unknown id, so ids cannot be probed for existence.
   */
  async function readableSubmission(p: Principal, id: string): Promise<SubmissionRecord> {
    const unknown = new AppError('not_found', 'no such submission');
    if (!SUBMISSION_ID_PATTERN.test(id)) throw unknown;
    const rec = await repo.getSubmission(id);
    const allowed =
      rec !== undefined &&
      rec.course === p.course &&
      (p.role === 'instructor' || (p.role === 'student' && rec.student === p.user));
    if (!allowed) throw unknown;
    return rec;
  }

  return {
    deps,
    repo,
    grader,
    clock,
    newId: deps.newId ?? (() => randomSubmissionId(clock())),
    emit,
    requireInstructor,
    loadVersion,
    visibleHead,
    afterDue,
    submissionView,
    studentRow,
    maxAttemptsOf,
    readableSubmission,
  };
}

/** The shared part of a service, as the use-case modules receive it. */
export type ServiceContext = ReturnType<typeof createContext>;
