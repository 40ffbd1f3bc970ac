/**
 * Operating errors of the API as values with a code: mapped once to an HTTP status in the app.
 * Student errors (invalid manifests) are never AppErrors: they are `rejected` results.
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
}
