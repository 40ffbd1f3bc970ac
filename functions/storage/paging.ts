/**
 * Every page size of podlab's paged reads, in one place: the API's `limit` query parameter and
 * its OpenAPI document, the service's clamp, the DynamoDB queries and the LMS lists.
 */

/** Page size of a list endpoint when the request names no `limit`. */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest page a list endpoint returns (the OpenAPI `maximum`); a larger `limit` is clamped to it. */
export const MAX_PAGE_SIZE = 500;
/** Largest `limit` the query string accepts (above: 400); up to it, a limit over MAX_PAGE_SIZE is clamped. */
export const MAX_LIMIT_PARAM = 1000;
/** Largest page one storage query reads; the service's internal scans (stats) read pages this big. */
export const MAX_STORE_PAGE = 1000;
/** Submissions regraded per step: a regrade request without `limit`, each queued worker message. */
export const REGRADE_PAGE_SIZE = 100;
/** Page of the LMS's own reads (a student's attempts, a course's records), and its largest delivery-log page. */
export const LMS_PAGE_SIZE = 100;

/** `limit` as a page size in 1..`max`, `fallback` when absent or not a finite number. */
export function clampPage(
  limit: number | undefined,
  max = MAX_PAGE_SIZE,
  fallback = DEFAULT_PAGE_SIZE,
): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(1, Math.min(max, Math.floor(limit)));
}
