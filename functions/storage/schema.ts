/**
 * The names of podlab's single DynamoDB table: key attributes, global secondary indexes, the
 * TTL attribute and what the indexes project (docs/storage.md lists the access patterns). The
 * one list shared by the storage adapter (functions/storage, functions/lms) and the CDK stack
 * (infra/data-stack.ts); a leaf module without imports, so infra/ can import it without
 * pulling in the AWS SDK.
 */

/** Attribute and index names of the table. */
export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Overloaded index: submissions of a scenario by time; versions of a scenario by time. */
  gsi1: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** A student's own submissions of a scenario by time. */
  gsi2: { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  /** Epoch-seconds TTL attribute for items that expire (tokens with an expiry, seen webhook ids). */
  ttlAttribute: 'ttl',
} as const;

/** The global secondary indexes, in table order. */
export const GLOBAL_SECONDARY_INDEXES = [TABLE.gsi1, TABLE.gsi2] as const;

/** Every key attribute of the table and its indexes (all strings). */
export const KEY_ATTRIBUTES = [
  TABLE.partitionKey,
  TABLE.sortKey,
  ...GLOBAL_SECONDARY_INDEXES.flatMap((g) => [g.partitionKey, g.sortKey]),
] as const;

/** Non-key attributes projected into the GSIs: summaries only, never manifests or result documents. */
export const PROJECTED_ATTRIBUTES = [
  'id',
  'course',
  'scenario',
  'student',
  'attempt',
  'createdAt',
  'sumVersion',
  'sumStatus',
  'sumScore',
  'sumMax',
  'sumChecks',
  'name',
  'version',
  'title',
  'published',
  'createdBy',
] as const;
