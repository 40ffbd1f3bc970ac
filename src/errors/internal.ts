/**
 * Internal failures: a bug in podlab (a broken invariant, an exception nobody expected in the
 * loader, the simulator or the graders), never a mistake in the student's input. Student errors
 * are values (a `rejected` result with kubectl's words); an internal failure is this exception,
 * which the API answers with HTTP 500 and a request id, the CLI with exit code 1, and which
 * stores no result and counts no attempt (docs/api.md, "Internal failures").
 */

/** The part of podlab that failed. */
export type InternalStage = 'loader' | 'simulator' | 'grader';

/** What is known of the input that made podlab fail (to find the case again in the logs). */
export interface InternalInput {
  /** `sha256:` digest of the scenario version and the submission text. */
  inputDigest?: string;
  scenario?: string;
  scenarioVersion?: string;
}

/** What a student reads when podlab itself failed on their submission. */
const GRADING_FAILED =
  'podlab failed while grading this submission: this is a bug in podlab, not a mistake in your manifest. Nothing was stored and no attempt was used; submit again, or report the request id if it happens again';

/** A bug in podlab, with the failure it wraps (`cause`) and the input's digest once known. */
export class InternalError extends Error {
  override name = 'InternalError';
  /** HTTP status and code of the API's answer (docs/api.md, "Internal failures"). */
  readonly status = 500;
  readonly code = 'internal';
  readonly stage: InternalStage;
  inputDigest?: string;
  scenario?: string;
  scenarioVersion?: string;

  constructor(stage: InternalStage, message: string, options: { cause?: unknown } & InternalInput = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.stage = stage;
    if (options.inputDigest !== undefined) this.inputDigest = options.inputDigest;
    if (options.scenario !== undefined) this.scenario = options.scenario;
    if (options.scenarioVersion !== undefined) this.scenarioVersion = options.scenarioVersion;
  }

  /** What the client reads (the API appends the request id); nothing internal in it. */
  get clientMessage(): string {
    return this.inputDigest ? GRADING_FAILED : 'internal error';
  }

  /** The failure's own name (`TypeError`, …): the cause's when it wraps one. */
  get causeName(): string {
    const c = this.cause;
    return c instanceof Error ? c.name : c === undefined ? this.name : typeof c;
  }

  /** The stack of the cause (where the bug is), else this error's own. */
  get detail(): string {
    const c = this.cause;
    if (c instanceof Error) return c.stack ?? `${c.name}: ${c.message}`;
    if (c !== undefined) return String(c);
    return this.stack ?? this.message;
  }
}

/**
 * `err` as an InternalError of `stage`: an InternalError as it is, anything else wrapped (its
 * message kept, the original as `cause`).
 */
export function internalError(stage: InternalStage, err: unknown): InternalError {
  if (err instanceof InternalError) return err;
  const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new InternalError(stage, `internal error in the ${stage}: ${message}`, { cause: err });
}

/** Throws an InternalError of `stage` when an invariant of podlab does not hold. */
export function invariant(condition: unknown, stage: InternalStage, message: string): asserts condition {
  if (!condition) throw new InternalError(stage, `broken invariant in the ${stage}: ${message}`);
}
