/**
 * Passback's view of grades, read from the submissions repository; `scorePolicyOf` reads a
 * stored scenario's score policy (score-policy.ts in the LMS workers, the Grader in the API).
 */

import { LMS_PAGE_SIZE } from '../storage/paging.ts';
import type { Repository } from '../storage/types.ts';
import type { ScorePolicyOf } from './score-policy.ts';
import type { GradeSource } from './service.ts';

/** A GradeSource over the repository: a student's current results and the scenario's policy. */
export function repositoryGrades(repo: Repository, scorePolicyOf: ScorePolicyOf): GradeSource {
  return {
    async results(course, scenario, student) {
      const out: Awaited<ReturnType<GradeSource['results']>> = [];
      let cursor: string | undefined;
      // A student's attempts are few (bounded by maxAttempts); pages keep each call small.
      for (let page = 0; page < 50; page++) {
        const p = await repo.listStudentSubmissions(course, scenario, student, {
          limit: LMS_PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        });
        for (const s of p.items)
          out.push({
            submissionId: s.id,
            score: s.score,
            maxScore: s.maxScore,
            createdAt: s.createdAt,
            status: s.status,
          });
        cursor = p.cursor;
        if (!cursor) break;
      }
      return out;
    },
    async scenario(course, name) {
      const head = await repo.getScenarioHead(course, name);
      if (!head) return undefined;
      const version = await repo.getScenarioVersion(course, name, head.version);
      return { title: head.title, scorePolicy: version ? await scorePolicyOf(version.yaml) : 'best' };
    },
  };
}
