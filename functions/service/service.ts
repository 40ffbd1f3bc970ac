/**
 * The use cases of the HTTP API, independent of HTTP: scenarios (publish, read, versions),
 * submissions (grade, store exactly once, read back), regrade, stats. Routes parse requests,
 * call one of these, and map the outcome; business rules live here.
 *
 * Submitting is crash-safe without transactions: grade first (deterministic, no writes), then
 * reserve an attempt number (idempotent per submission id), then ONE conditional put of the
 * record. With an Idempotency-Key the submission id is derived from (course, user, key), so
 * the record itself is the key's claim: a retry or a concurrent duplicate finds it.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isConcealed, studentTotals } from '../../graders/view.ts';
import { clampPage, MAX_STORE_PAGE, REGRADE_PAGE_SIZE } from '../storage/paging.ts';
import {
  type CheckSummary,
  ConflictError,
  type Page,
  type Repository,
  type ScenarioHeadRecord,
  type StoredResult,
  type SubmissionRecord,
  type SubmissionSummary,
} from '../storage/types.ts';
import { AppError } from './errors.ts';
import type { GradeResult, Grader, Scenario, StudentGradeResult } from './grader.ts';
import type { Principal } from './tokens.ts';

/** The hard cap of a submitted manifest in bytes (scenario-format.md: maxBytes hard cap). */
export const MAX_MANIFEST_BYTES = 262_144;
/** The cap of a scenario file in bytes. */
export const MAX_SCENARIO_BYTES = 262_144;
/** Attempts per student and scenario when a scenario sets no (or a larger) maxAttempts. */
export const HARD_MAX_ATTEMPTS = 1000;
/** Default and largest page sizes of list endpoints (functions/storage/paging.ts). */
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../storage/paging.ts';

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

/** A regrade started on the queue: the version every submission is regraded against. */
export interface RegradeQueued {
  scenario: string;
  version: string;
  queued: true;
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

const NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
const SUBMISSION_ID_PATTERN = /^s_[a-z0-9]{10,64}$/;

function sha256(...parts: string[]): string {
  const h = createHash('sha256');
  parts.forEach((p, i) => {
    if (i > 0) h.update('\0');
    h.update(p, 'utf8');
  });
  return h.digest('hex');
}

/** A time-ordered random submission id. */
export function randomSubmissionId(now: Date): string {
  return `s_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(10).toString('hex')}`;
}

function summarize(result: GradeResult, gradedAt: string): StoredResult {
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

function row(s: SubmissionSummary): SubmissionRow {
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

function histogram(scores: number[]): { score: number; count: number }[] {
  const m = new Map<number, number>();
  for (const s of scores) m.set(s, (m.get(s) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => a[0] - b[0]).map(([score, count]) => ({ score, count }));
}

/** The service: every use case of the API. */
export function createService(deps: ServiceDeps) {
  const { repo, grader, clock } = deps;
  const newId = deps.newId ?? (() => randomSubmissionId(clock()));
  const parsed = new Map<string, Promise<Scenario>>();

  async function emit(fn: () => Promise<void> | undefined): Promise<void> {
    try {
      await fn();
    } catch (err) {
      deps.events?.onError?.(err);
    }
  }

  /**
   * Confirms a stored submission's reservation. Best effort: the record is stored, and a
   * reservation left pending is checked against its record before it is ever reclaimed.
   */
  async function confirmAttempt(p: Principal, name: string, id: string, attempt: number): Promise<void> {
    try {
      await repo.confirmAttempt(p.course, name, p.user, id, attempt);
    } catch (err) {
      deps.events?.onError?.(err);
    }
  }

  function requireInstructor(p: Principal, message = 'this needs an instructor token'): void {
    if (p.role !== 'instructor') throw new AppError('forbidden', message);
  }

  function checkName(name: string): void {
    if (!NAME_PATTERN.test(name)) throw new AppError('not_found', `no scenario "${name.slice(0, 80)}"`);
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
    checkName(name);
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

  async function regradeOne(
    rec: SubmissionRecord,
    latest: { version: string; scenario: Scenario },
  ): Promise<'regraded' | 'unchanged'> {
    if (rec.current.scenarioVersion === latest.version) return 'unchanged';
    const result = summarize(
      await grader.grade(latest.scenario, latest.version, rec.manifest),
      clock().toISOString(),
    );
    await repo.putRegradeResult(rec.id, result);
    await emit(() => deps.events?.regraded?.(rec, result));
    return 'regraded';
  }

  const service = {
    /** GET /v1/scenarios: the course's scenarios (students: published only). */
    async listScenarios(p: Principal, page: { limit?: number; cursor?: string }) {
      const r = await repo.listScenarioHeads(p.course, { limit: clampPage(page.limit), cursor: page.cursor });
      const items = r.items
        .filter((h) => p.role === 'instructor' || h.published)
        .map((h) => ({
          name: h.name,
          title: h.title,
          version: h.version,
          published: h.published,
          updated_at: h.updatedAt,
        }));
      return { items, cursor: r.cursor };
    },

    /** GET /v1/scenarios/{name}: the public scenario for students; everything for instructors. */
    async getScenario(p: Principal, name: string) {
      const head = await visibleHead(p, name);
      const scenario = await loadVersion(p.course, name, head.version);
      const base = {
        name: head.name,
        title: head.title,
        version: head.version,
        published: head.published,
        updated_at: head.updatedAt,
        policy: {
          max_attempts: scenario.policy.maxAttempts ?? null,
          score_policy: scenario.policy.scorePolicy,
          due_date: scenario.policy.dueDate ?? null,
          hidden_score: scenario.policy.hiddenScore ?? 'show',
        },
      };
      if (p.role === 'student') {
        const used = await repo.attemptsUsed(p.course, name, p.user);
        return { ...base, attempts_used: used, scenario: grader.publicScenario(scenario) };
      }
      const v = await repo.getScenarioVersion(p.course, name, head.version);
      return { ...base, scenario: scenario.source, yaml: v?.yaml ?? '' };
    },

    /** PUT /v1/scenarios/{name}: validates and stores a version; makes it current. */
    async putScenario(p: Principal, name: string, yaml: string) {
      requireInstructor(p);
      if (!NAME_PATTERN.test(name)) {
        throw new AppError(
          'bad_request',
          'a scenario name is a lowercase RFC 1123 label of at most 63 characters',
        );
      }
      const r = await grader.parse(yaml, `${name}/scenario.yaml`);
      if (!r.ok)
        throw new AppError('invalid_scenario', `invalid scenario: ${r.errors[0]?.message ?? ''}`, r.errors);
      if (r.scenario.name !== name) {
        throw new AppError(
          'invalid_scenario',
          `metadata.name "${r.scenario.name}" does not match the URL's "${name}"`,
          [{ message: `must be "${name}" (the name in the URL)`, path: 'metadata.name' }],
        );
      }
      const now = clock().toISOString();
      const published = r.scenario.policy.published ?? true;
      const created = await repo.putScenarioVersion({
        course: p.course,
        name,
        version: r.version,
        title: r.scenario.title,
        published,
        yaml,
        createdAt: now,
        createdBy: p.user,
      });
      const head = await repo.getScenarioHead(p.course, name);
      const changed = !head || head.version !== r.version;
      if (changed) {
        await repo.putScenarioHead({
          course: p.course,
          name,
          version: r.version,
          title: r.scenario.title,
          published,
          updatedAt: now,
          updatedBy: p.user,
        });
      }
      // Admission (issue 20): what would not fit a run's budgets, for the author; never a refusal.
      const warnings = r.warnings ?? [];
      return { created, changed, name, version: r.version, title: r.scenario.title, published, warnings };
    },

    /** GET /v1/scenarios/{name}/versions (instructor). */
    async listVersions(p: Principal, name: string, page: { limit?: number; cursor?: string }) {
      requireInstructor(p);
      const head = await visibleHead(p, name);
      const r = await repo.listScenarioVersions(p.course, name, {
        limit: clampPage(page.limit),
        cursor: page.cursor,
      });
      return {
        items: r.items.map((v) => ({
          version: v.version,
          title: v.title,
          published: v.published,
          created_at: v.createdAt,
          created_by: v.createdBy,
          current: v.version === head.version,
        })),
        cursor: r.cursor,
      };
    },

    /**
     * POST /v1/scenarios/{name}/submissions: grade, count, store once. Returns the student
     * view and whether this answer replays a stored one (same Idempotency-Key and body).
     */
    async submit(p: Principal, name: string, manifest: string, idempotencyKey: string | undefined) {
      if (p.role !== 'student')
        throw new AppError('forbidden', 'only students submit (use `podlab grade` to try a scenario)');
      if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey)) {
        throw new AppError('bad_request', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
      }
      const head = await visibleHead(p, name);
      const fingerprint = sha256(name, manifest);
      // Keys are scoped to the user and the scenario: the same key on another lab is another submission.
      const id = idempotencyKey
        ? `s_k${sha256(p.course, p.user, name, idempotencyKey).slice(0, 40)}`
        : newId();

      const replay = async (existing: SubmissionRecord) => {
        if (
          existing.fingerprint !== fingerprint ||
          existing.student !== p.user ||
          existing.course !== p.course
        ) {
          throw new AppError(
            'conflict',
            'this Idempotency-Key was already used with a different request body',
          );
        }
        return { status: existing.httpStatus, replayed: true, view: await submissionView(p, existing) };
      };

      // No read before the write: a retry grades again (deterministic, same bytes), gets the
      // same attempt number (reservations are idempotent per id) and finds the stored record
      // when its conditional put loses. New submissions, the common case, save a read.
      const scenario = await loadVersion(p.course, name, head.version);
      const result = await grader.grade(scenario, head.version, manifest);
      const now = clock().toISOString();
      let attempt: number | null = null;
      if (result.status === 'graded') {
        const max = maxAttemptsOf(scenario);
        const r = await repo.reserveAttempt(p.course, name, p.user, id, max);
        if (!r.ok) {
          throw new AppError('attempt_limit', `attempt limit reached: ${r.used} of ${r.max} attempts used`, {
            used: r.used,
            max: r.max,
          });
        }
        attempt = r.attempt;
      }
      const stored = summarize(result, now);
      const rec: SubmissionRecord = {
        id,
        course: p.course,
        scenario: name,
        student: p.user,
        attempt,
        manifest,
        fingerprint,
        createdAt: now,
        httpStatus: 201,
        original: stored,
        current: stored,
      };
      if (idempotencyKey) rec.idempotencyKey = idempotencyKey;
      try {
        await repo.createSubmission(rec);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // A concurrent request with the same key stored first.
        const existing = await repo.getSubmission(id);
        if (!existing) throw err;
        // The stored record does not carry our reservation (it was rejected, so it reserved
        // nothing): give the number back, or this 409 would use up an attempt.
        if (attempt !== null && existing.attempt !== attempt) {
          await repo.releaseAttempt(p.course, name, p.user, id, attempt);
        } else if (attempt !== null) {
          await confirmAttempt(p, name, id, attempt);
        }
        return replay(existing);
      }
      if (attempt !== null) await confirmAttempt(p, name, id, attempt);
      await emit(() => deps.events?.submitted?.(rec));
      return { status: 201, replayed: false, view: await submissionView(p, rec) };
    },

    /** GET /v1/submissions/{id}: the owner (student view) or an instructor of the course (full, with history). */
    async getSubmission(p: Principal, id: string): Promise<SubmissionView> {
      const rec = await readableSubmission(p, id);
      const view: SubmissionView = { ...(await submissionView(p, rec)), manifest: rec.manifest };
      if (p.role === 'instructor') {
        view.history = (await repo.listResults(id)).map((r) => ({
          scenario_version: r.scenarioVersion,
          status: r.status,
          score: r.score,
          max_score: r.maxScore,
          graded_at: r.gradedAt,
        }));
      }
      return view;
    },

    /** GET /v1/submissions/{id}/timeline.svg: the picture of the current result (same access as the submission). */
    async timeline(p: Principal, id: string): Promise<string> {
      const rec = await readableSubmission(p, id);
      const scenario = await loadVersion(rec.course, rec.scenario, rec.current.scenarioVersion);
      const shown = scenario.checks
        .filter((c) => p.role === 'instructor' || !isConcealed(c.visibility, afterDue(scenario)))
        .map((c) => c.id);
      const r = await grader.timeline(scenario, rec.current.result as GradeResult, rec.manifest, shown);
      if (!r.ok) throw new AppError('not_found', `no timeline: ${r.reason}`);
      return r.svg;
    },

    /** GET /v1/scenarios/{name}/submissions (instructor), paged. */
    async listSubmissions(
      p: Principal,
      name: string,
      page: { limit?: number; cursor?: string },
    ): Promise<Page<SubmissionRow>> {
      requireInstructor(p);
      await visibleHead(p, name);
      const r = await repo.listSubmissions(p.course, name, {
        limit: clampPage(page.limit),
        cursor: page.cursor,
      });
      return { items: r.items.map(row), cursor: r.cursor };
    },

    /** GET /v1/me/submissions?scenario=NAME: a student's own attempts, paged. */
    async listMySubmissions(p: Principal, name: string, page: { limit?: number; cursor?: string }) {
      const head = await visibleHead(p, name);
      const scenario = await loadVersion(p.course, name, head.version);
      const [r, used] = await Promise.all([
        repo.listStudentSubmissions(p.course, name, p.user, {
          limit: clampPage(page.limit),
          cursor: page.cursor,
        }),
        repo.attemptsUsed(p.course, name, p.user),
      ]);
      return {
        scenario: name,
        attempts_used: used,
        max_attempts: scenario.policy.maxAttempts ?? null,
        items: await Promise.all(r.items.map((s) => studentRow(p, s))),
        cursor: r.cursor,
      };
    },

    /**
     * POST /v1/scenarios/{name}/regrade (instructor). With a regrade queue (AWS), the first page's
     * message starts a chain of workers that walks every submission; without one (podlab serve),
     * or for a later page, one page is regraded here.
     */
    async regrade(
      p: Principal,
      name: string,
      page: { limit?: number; cursor?: string },
    ): Promise<RegradeReport | RegradeQueued> {
      if (!deps.regradeQueue || page.cursor !== undefined) return service.regradePage(p, name, page);
      requireInstructor(p, 'only instructors regrade');
      const scenario = await service.getScenario(p, name);
      await deps.regradeQueue({
        course: p.course,
        scenario: name,
        ...(page.limit ? { limit: page.limit } : {}),
      });
      return { scenario: name, version: scenario.version, queued: true };
    },

    /** One page of submissions regraded against the current version (instructor). */
    async regradePage(
      p: Principal,
      name: string,
      page: { limit?: number; cursor?: string },
    ): Promise<RegradeReport> {
      requireInstructor(p);
      const head = await visibleHead(p, name);
      const scenario = await loadVersion(p.course, name, head.version);
      const r = await repo.listSubmissions(p.course, name, {
        limit: clampPage(page.limit ?? REGRADE_PAGE_SIZE),
        cursor: page.cursor,
      });
      const report: RegradeReport = {
        scenario: name,
        version: head.version,
        processed: 0,
        regraded: 0,
        unchanged: 0,
        failed: [],
      };
      for (const s of r.items) {
        report.processed++;
        if (s.scenarioVersion === head.version) {
          report.unchanged++;
          continue;
        }
        try {
          const rec = await repo.getSubmission(s.id);
          if (!rec) throw new Error('vanished');
          report[await regradeOne(rec, { version: head.version, scenario })]++;
        } catch (err) {
          report.failed.push({ id: s.id, error: err instanceof Error ? err.message : String(err) });
        }
      }
      if (r.cursor) report.cursor = r.cursor;
      else await emit(() => deps.events?.regradeCompleted?.(p.course, name, report));
      return report;
    },

    /** Regrades one submission against its scenario's current version (the SQS worker's unit of work). */
    async regradeSubmission(id: string): Promise<'regraded' | 'unchanged' | 'missing'> {
      const rec = await repo.getSubmission(id);
      if (!rec) return 'missing';
      const head = await repo.getScenarioHead(rec.course, rec.scenario);
      if (!head) return 'missing';
      const scenario = await loadVersion(rec.course, rec.scenario, head.version);
      return regradeOne(rec, { version: head.version, scenario });
    },

    /** GET /v1/scenarios/{name}/stats (instructor): from stored summaries, paged queries only. */
    async stats(p: Principal, name: string): Promise<ScenarioStats> {
      requireInstructor(p);
      const head = await visibleHead(p, name);
      const scenario = await loadVersion(p.course, name, head.version);
      const all: SubmissionSummary[] = [];
      let cursor: string | undefined;
      do {
        const r = await repo.listSubmissions(p.course, name, { limit: MAX_STORE_PAGE, cursor });
        all.push(...r.items);
        cursor = r.cursor;
      } while (cursor);
      const graded = all.filter((s) => s.status === 'graded');
      const perStudent = new Map<string, SubmissionSummary[]>();
      for (const s of graded) perStudent.set(s.student, [...(perStudent.get(s.student) ?? []), s]);
      const policy = scenario.policy.scorePolicy;
      const finals = [...perStudent.values()].map((subs) =>
        policy === 'latest' ? subs[subs.length - 1]!.score : Math.max(...subs.map((s) => s.score)),
      );
      const checkIds = new Map<string, string>();
      for (const c of scenario.checks) checkIds.set(c.id, c.title ?? c.id);
      const counts = new Map<string, { passed: number; failed: number }>();
      for (const s of graded) {
        for (const c of s.checks) {
          if (!checkIds.has(c.id)) checkIds.set(c.id, c.id);
          const e = counts.get(c.id) ?? { passed: 0, failed: 0 };
          e[c.status]++;
          counts.set(c.id, e);
        }
      }
      return {
        scenario: name,
        version: head.version,
        submissions: all.length,
        attempts: graded.length,
        rejected: all.length - graded.length,
        students: new Set(all.map((s) => s.student)).size,
        pass_rate: graded.length ? graded.filter((s) => s.score === s.maxScore).length / graded.length : null,
        score_histogram: histogram(graded.map((s) => s.score)),
        final_score_histogram: histogram(finals),
        score_policy: policy,
        checks: [...checkIds.entries()].map(([id, title]) => {
          const e = counts.get(id) ?? { passed: 0, failed: 0 };
          const n = e.passed + e.failed;
          return { id, name: title, passed: e.passed, failed: e.failed, pass_rate: n ? e.passed / n : null };
        }),
      };
    },
  };
  return service;
}

/** The service's type. */
export type Service = ReturnType<typeof createService>;
