/** Conversions between the domain records and the table's items (docs/storage.md, "Keys"). */
import type { Item, Table } from './dynamo-table.ts';
import type {
  CheckSummary,
  ScenarioHeadRecord,
  ScenarioVersionSummary,
  StoredResult,
  SubmissionSummary,
} from './types.ts';

/** Per-check summaries as stored. */
export function checksToItem(checks: CheckSummary[]): Item[] {
  return checks.map((c) => ({ id: c.id, status: c.status, score: c.score, maxScore: c.maxScore }));
}

/** Inverse of checksToItem (anything else reads as no checks). */
export function checksFromItem(v: unknown): CheckSummary[] {
  if (!Array.isArray(v)) return [];
  return v.map((c: Item) => ({
    id: String(c.id),
    status: c.status === 'passed' ? 'passed' : 'failed',
    score: Number(c.score),
    maxScore: Number(c.maxScore),
  }));
}

/** A result as stored: its summary beside the packed result document. */
export async function resultToItem(table: Table, r: StoredResult): Promise<Item> {
  return {
    version: r.scenarioVersion,
    status: r.status,
    score: r.score,
    maxScore: r.maxScore,
    checks: checksToItem(r.checks),
    gradedAt: r.gradedAt,
    doc: await table.pack(JSON.stringify(r.result)),
  };
}

/** Inverse of resultToItem. */
export async function resultFromItem(table: Table, i: Item): Promise<StoredResult> {
  return {
    scenarioVersion: String(i.version),
    status: i.status === 'rejected' ? 'rejected' : 'graded',
    score: Number(i.score),
    maxScore: Number(i.maxScore),
    checks: checksFromItem(i.checks),
    gradedAt: String(i.gradedAt),
    result: JSON.parse(await table.unpack(i.doc)),
  };
}

/** A submission item (or its GSI projection) as a listing summary. */
export function summaryFromItem(i: Item): SubmissionSummary {
  return {
    id: String(i.id),
    course: String(i.course),
    scenario: String(i.scenario),
    student: String(i.student),
    attempt: typeof i.attempt === 'number' ? i.attempt : null,
    createdAt: String(i.createdAt),
    scenarioVersion: String(i.sumVersion),
    status: i.sumStatus === 'rejected' ? 'rejected' : 'graded',
    score: Number(i.sumScore),
    maxScore: Number(i.sumMax),
    checks: checksFromItem(i.sumChecks),
  };
}

/** A scenario head item as its record. */
export function headFromItem(i: Item): ScenarioHeadRecord {
  return {
    course: String(i.course),
    name: String(i.name),
    version: String(i.version),
    title: String(i.title),
    published: i.published !== false,
    updatedAt: String(i.updatedAt),
    updatedBy: String(i.updatedBy),
  };
}

/** A scenario version item (or its GSI projection) without its text. */
export function versionSummaryFromItem(i: Item): ScenarioVersionSummary {
  return {
    course: String(i.course),
    name: String(i.name),
    version: String(i.version),
    title: String(i.title),
    published: i.published !== false,
    createdAt: String(i.createdAt),
    createdBy: String(i.createdBy),
  };
}
