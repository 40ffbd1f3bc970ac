/**
 * Passback's view of grades, read from the submissions repository. It reads the scenario's
 * score policy straight from the stored YAML rather than through the graders, so the LMS
 * workers' bundles do not carry the simulator (the scenario was validated when it was stored).
 */
import { parse } from 'yaml';
import type { Repository } from '../storage/types.ts';
import type { GradeSource } from './service.ts';

/** `spec.policy.scorePolicy` of a stored (already validated) scenario: `best` unless it says `latest`. */
function scorePolicyOf(yaml: string): 'best' | 'latest' {
  try {
    const doc = parse(yaml, { maxAliasCount: 100 }) as {
      spec?: { policy?: { scorePolicy?: unknown } };
    } | null;
    return doc?.spec?.policy?.scorePolicy === 'latest' ? 'latest' : 'best';
  } catch {
    return 'best';
  }
}

/** A GradeSource over the repository: a student's current results and the scenario's policy. */
export function repositoryGrades(repo: Repository): GradeSource {
  return {
    async results(course, scenario, student) {
      const out: Awaited<ReturnType<GradeSource['results']>> = [];
      let cursor: string | undefined;
      // A student's attempts are few (bounded by maxAttempts); pages keep each call small.
      for (let page = 0; page < 50; page++) {
        const p = await repo.listStudentSubmissions(course, scenario, student, {
          limit: 100,
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
      return { title: head.title, scorePolicy: version ? scorePolicyOf(version.yaml) : 'best' };
    },
  };
}
