/**
 * Operating errors of the API as values with a code: mapped once to an HTTP status in the app.
 * Student errors (invalid manifests) are never AppErrors: they are `rejected` results.
 * Every error the API answers (AppError, the storage errors, InternalError) carries its own
 * HTTP status, code and client message (`HttpError`), so the app's error handler is one branch.
 */

/** The error codes of the API and their HTTP status. */
export const ERROR_STATUS = {
  bad_request: 400,
  invalid_encoding: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_scenario: 422,
  unsafe_url: 422,
  attempt_limit: 429,
  internal: 500,
  unavailable: 503,
} as const;

/** An API error code. */
export type ErrorCode = keyof typeof ERROR_STATUS;

/** An error answered as `{error: {code, message, details?}}` with the code's status. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** The HTTP status of this error. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** The message the client reads. */
  get clientMessage(): string {
    return this.message;
  }
}

/** What an error carries to be answered over HTTP as `{error: {code, message, details?}}`. */
export interface HttpError {
  readonly status: number;
  readonly code: string;
  /** What the client reads; the error's own message may hold more and goes to the log. */
  readonly clientMessage: string;
  readonly details?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Whether `err` carries its HTTP answer (any class that implements HttpError). */
export function isHttpError(err: unknown): err is Error & HttpError {
  if (!(err instanceof Error)) return false;
  const e = err as Partial<HttpError>;
  return typeof e.status === 'number' && typeof e.code === 'string' && typeof e.clientMessage === 'string';
}
