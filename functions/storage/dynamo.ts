/**
 * The DynamoDB adapter of the Repository: single-item conditional writes only (no
 * transactions, which dynalite lacks), queries on the table and two GSIs, never a Scan.
 * Every SDK error is mapped once to a domain error (ConflictError, RetryableError,
 * StorageError). The table layout and its justification are in docs/storage.md.
 *
 * Composed by use case: the table helpers (dynamo-table.ts), item codecs (dynamo-items.ts),
 * tokens and scenarios (dynamo-scenarios.ts), attempts (dynamo-attempts.ts), submissions and
 * results (dynamo-submissions.ts).
 */
import { attemptStore } from './dynamo-attempts.ts';
import { scenarioStore } from './dynamo-scenarios.ts';
import { submissionStore } from './dynamo-submissions.ts';
import { type CallCounter, createTable, type DynamoRepositoryOptions } from './dynamo-table.ts';
import type { Repository } from './types.ts';

/** The adapter's options, call counter and error mapping (dynamo-table.ts). */
export { type CallCounter, type DynamoRepositoryOptions, mapStorageError } from './dynamo-table.ts';

/** Creates the DynamoDB-backed repository. */
export function createDynamoRepository(
  options: DynamoRepositoryOptions,
): Repository & { counter: CallCounter } {
  const table = createTable(options);
  return {
    counter: table.counter,
    ...scenarioStore(table),
    ...attemptStore(table),
    ...submissionStore(table),
  };
}
