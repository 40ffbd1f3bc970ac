/**
 * The submission use cases: submit (grade, count, store exactly once), read one back (and its
 * timeline picture), list a scenario's submissions and a student's own.
 *
 * Submitting is crash-safe without transactions: grade first (deterministic, no writes), then
 * reserve an attempt number (idempotent per submission id), then ONE conditional put of the
 * record. With an Idempotency-Key the submission id is derived from (course, user, key), so
 * the record itself is the key's claim: a retry or a concurrent duplicate finds it.
 */
import { createHash } from 'node:crypto';
import { isConcealed } from '../../graders/view.ts';
import { clampPage } from '../storage/paging.ts';
import { ConflictError, type Page, type SubmissionRecord } from '../storage/types.ts';
import type { ServiceContext } from './context.ts';
import { AppError } from './errors.ts';
import type { GradeResult } from './grader.ts';
import type { Principal } from './tokens.ts';
import { row, type SubmissionRow, type SubmissionView, summarize } from './views.ts';

const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

function sha256(...parts: string[]): string {
  const h = createHash('sha256');
  parts.forEach((p, i) => {
    if (i > 0) h.update('\0');
    h.update(p, 'utf8');
  });
  return h.digest('hex');
}

/** The submission use cases over the shared context. */
export function submissionUseCases(ctx: ServiceContext) {
  const { deps, repo, grader, clock, newId, emit } = ctx;
  const { requireInstructor, visibleHead, loadVersion, afterDue, submissionView, readableSubmission } = ctx;

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

  return {
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
        const max = ctx.maxAttemptsOf(scenario);
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
        items: await Promise.all(r.items.map((s) => ctx.studentRow(p, s))),
        cursor: r.cursor,
      };
    },
  };
}
