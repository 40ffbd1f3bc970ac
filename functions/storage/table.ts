/**
 * The single DynamoDB table of podlab: key names, index names and the CreateTable input.
 * docs/storage.md lists the access patterns this serves. infra/ builds the same table in CDK
 * from these names (they are the contract between the adapter and the deployed table).
 */
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodb } from '../aws-sdk.ts';

const { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } = dynamodb;

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

/** The CreateTable input (on-demand billing). */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  const gsi = (g: { name: string; partitionKey: string; sortKey: string }) => ({
    IndexName: g.name,
    KeySchema: [
      { AttributeName: g.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: g.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...PROJECTED_ATTRIBUTES] },
  });
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [TABLE.partitionKey, TABLE.sortKey, 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map(
      (n) => ({
        AttributeName: n,
        AttributeType: 'S' as const,
      }),
    ),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [gsi(TABLE.gsi1), gsi(TABLE.gsi2)],
  };
}

/** Creates the table if it does not exist and waits until it is ACTIVE (local servers only). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException) && (err as Error).name !== 'ResourceNotFoundException')
      throw err;
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
    } catch (e) {
      if ((e as Error).name !== 'ResourceInUseException') throw e;
    }
  }
  for (let i = 0; i < 200; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (d.Table?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
    if (d.Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}
