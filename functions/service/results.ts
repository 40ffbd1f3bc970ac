/**
 * The result use cases of instructors: regrade a scenario (queued on AWS, page by page
 * locally), regrade one submission (the queue worker's unit), and the stats of a scenario.
 */
import { clampPage, MAX_STORE_PAGE, REGRADE_PAGE_SIZE } from '../storage/paging.ts';
import type { SubmissionRecord, SubmissionSummary } from '../storage/types.ts';
import type { ServiceContext } from './context.ts';
import type { Scenario } from './grader.ts';
import type { ScenarioUseCases } from './scenarios.ts';
import type { Principal } from './tokens.ts';
import { histogram, type RegradeQueued, type RegradeReport, type ScenarioStats, summarize } from './views.ts';

/** The regrade and stats use cases over the shared context (`scenarios` for the queued regrade's check). */
export function resultUseCases(ctx: ServiceContext, scenarios: Pick<ScenarioUseCases, 'getScenario'>) {
  const { deps, repo, grader, clock, emit, requireInstructor, visibleHead, loadVersion } = ctx;

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

  const useCases = {
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
      if (!deps.regradeQueue || page.cursor !== undefined) return useCases.regradePage(p, name, page);
      requireInstructor(p, 'only instructors regrade');
      const scenario = await scenarios.getScenario(p, name);
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
  return useCases;
}
