/**
 * The scenario use cases: list a course's scenarios, read one (the public part for students),
 * publish a version (validated, made current) and list its versions.
 */
import { clampPage } from '../storage/paging.ts';
import { NAME_PATTERN, type ServiceContext } from './context.ts';
import { AppError } from './errors.ts';
import type { Principal } from './tokens.ts';

/** The scenario use cases over the shared context. */
export function scenarioUseCases(ctx: ServiceContext) {
  const { repo, grader, clock, requireInstructor, visibleHead, loadVersion } = ctx;
  return {
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
  };
}

/** The scenario use cases' type. */
export type ScenarioUseCases = ReturnType<typeof scenarioUseCases>;
