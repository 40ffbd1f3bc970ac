/**
 * The storage contract of the service: domain records and the repository interface that the
 * use cases call. One adapter (DynamoDB, `dynamo.ts`) implements it; the contract suite in
 * test/storage runs against real DynamoDB-protocol servers.
 */

/** A user's role. */
export type Role = 'student' | 'instructor';

/** A bearer token's stored identity (the token itself is never stored, only its SHA-256). */
export interface TokenRecord {
  tokenHash: string;
  role: Role;
  user: string;
  course: string;
  createdAt: string;
  label?: string;
  /** After this instant (ISO 8601) the token is refused; the store also forgets it (TTL). */
  expiresAt?: string;
}

/** One stored version of a scenario (immutable, keyed by its content digest). */
export interface ScenarioVersionRecord {
  course: string;
  name: string;
  version: string;
  title: string;
  published: boolean;
  yaml: string;
  createdAt: string;
  createdBy: string;
}

/** A scenario version without its text, as version listings return it. */
export type ScenarioVersionSummary = Omit<ScenarioVersionRecord, 'yaml'>;

/** The pointer to the current version of a scenario in a course. */
export interface ScenarioHeadRecord {
  course: string;
  name: string;
  version: string;
  title: string;
  published: boolean;
  updatedAt: string;
  updatedBy: string;
}

/** Per-check outcome kept beside a result so that stats need no result decoding. */
export interface CheckSummary {
  id: string;
  status: 'passed' | 'failed';
  score: number;
  maxScore: number;
}

/** A grade result as stored: the full (instructor) result document plus its summary. */
export interface StoredResult {
  scenarioVersion: string;
  status: 'graded' | 'rejected';
  score: number;
  maxScore: number;
  checks: CheckSummary[];
  gradedAt: string;
  /** The full result document (JSON-serialisable). */
  result: unknown;
}

/** A submission: exact bytes, who, when, which attempt, and its current result. */
export interface SubmissionRecord {
  id: string;
  course: string;
  scenario: string;
  student: string;
  /** Attempt number (1-based) when the submission counted; null for a rejected one. */
  attempt: number | null;
  /** The submitted manifest text, exactly as received (UTF-8). */
  manifest: string;
  /** sha256 of scenario name + manifest: what an Idempotency-Key is bound to. */
  fingerprint: string;
  idempotencyKey?: string;
  createdAt: string;
  /** HTTP status the creation was answered with (replays answer the same). */
  httpStatus: number;
  /** The result of the first grading (against the version current at submission time). */
  original: StoredResult;
  /** The latest result (same as original until a regrade stores a newer one). */
  current: StoredResult;
}

/** What list and stats queries return per submission: no manifest and no result document. */
export interface SubmissionSummary {
  id: string;
  course: string;
  scenario: string;
  student: string;
  attempt: number | null;
  createdAt: string;
  scenarioVersion: string;
  status: 'graded' | 'rejected';
  score: number;
  maxScore: number;
  checks: CheckSummary[];
}

/** One page of a query, with an opaque cursor for the next page (absent on the last). */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** Paging arguments: `limit` is clamped by the adapter, `cursor` comes from a previous page. */
export interface PageRequest {
  limit?: number;
  cursor?: string;
}

/** The outcome of reserving an attempt. */
export type AttemptReservation =
  | { ok: true; attempt: number; used: number }
  | { ok: false; used: number; max: number };

/** The repository the use cases depend on. Every method is a bounded number of single-item calls or paged queries. */
export interface Repository {
  putToken(token: TokenRecord): Promise<void>;
  getToken(tokenHash: string): Promise<TokenRecord | undefined>;

  /** Stores a version if new (false when this digest was already stored). */
  putScenarioVersion(v: ScenarioVersionRecord): Promise<boolean>;
  getScenarioVersion(
    course: string,
    name: string,
    version: string,
  ): Promise<ScenarioVersionRecord | undefined>;
  listScenarioVersions(
    course: string,
    name: string,
    page: PageRequest,
  ): Promise<Page<ScenarioVersionSummary>>;
  putScenarioHead(head: ScenarioHeadRecord): Promise<void>;
  getScenarioHead(course: string, name: string): Promise<ScenarioHeadRecord | undefined>;
  listScenarioHeads(course: string, page: PageRequest): Promise<Page<ScenarioHeadRecord>>;

  /**
   * Reserves an attempt number for submission `id` of (course, scenario, student): exact and
   * idempotent per id (a retry of the same id gets the same number), refused at `max`. A
   * reservation stays pending until confirmed; one pending for longer than the grace period
   * (60 s) whose submission was never stored (a crash in between) is reclaimed by the next
   * reservation, at the limit or not, and no longer counts as used.
   */
  reserveAttempt(
    course: string,
    scenario: string,
    student: string,
    id: string,
    max: number | undefined,
  ): Promise<AttemptReservation>;
  /**
   * Gives back the reservation of `id` if it still holds number `attempt` (the submission it
   * was made for can never carry it: another record with that id was stored first).
   */
  releaseAttempt(
    course: string,
    scenario: string,
    student: string,
    id: string,
    attempt: number,
  ): Promise<void>;
  /** Marks the reservation of `id` as stored with its submission (it can no longer be reclaimed). */
  confirmAttempt(
    course: string,
    scenario: string,
    student: string,
    id: string,
    attempt: number,
  ): Promise<void>;
  /** Attempts used so far by (course, scenario, student). */
  attemptsUsed(course: string, scenario: string, student: string): Promise<number>;

  /** Creates a submission; throws ConflictError if the id exists (the caller reads it back). */
  createSubmission(s: SubmissionRecord): Promise<void>;
  getSubmission(id: string): Promise<SubmissionRecord | undefined>;
  listSubmissions(course: string, scenario: string, page: PageRequest): Promise<Page<SubmissionSummary>>;
  listStudentSubmissions(
    course: string,
    scenario: string,
    student: string,
    page: PageRequest,
  ): Promise<Page<SubmissionSummary>>;
  /** Stores a regrade result beside the earlier ones and makes it current. */
  putRegradeResult(id: string, result: StoredResult): Promise<void>;
  /** Every result stored for a submission: the original first, then regrades by time. */
  listResults(id: string): Promise<StoredResult[]>;
}

/** A conditional write lost (the item exists or changed): the caller decides what it means. */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

/** The store is throttling or unavailable: retry later (HTTP 503). */
export class RetryableError extends Error {
  override name = 'RetryableError';
  readonly status = 503;
  readonly code = 'unavailable';
  /** The store's own words stay in the log. */
  readonly clientMessage = 'the store is busy; retry shortly';
  readonly headers = { 'Retry-After': '1' };
}

/** Any other storage failure (HTTP 500, details only in logs). */
export class StorageError extends Error {
  override name = 'StorageError';
}

/** A paging cursor that this query did not produce (HTTP 400). */
export class BadCursorError extends Error {
  override name = 'BadCursorError';
  readonly status = 400;
  readonly code = 'bad_request';
  get clientMessage(): string {
    return this.message;
  }
}
