/**
 * The single DynamoDB table of podlab: key names, index names and the CreateTable input.
 * The names live in schema.ts, from which infra/ builds the same table in CDK.
 */
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodb } from '../aws-sdk.ts';
import { GLOBAL_SECONDARY_INDEXES, KEY_ATTRIBUTES, PROJECTED_ATTRIBUTES, TABLE } from './schema.ts';

const { CreateTableCommand, DescribeTableCommand, ResourceNotFoundException } = dynamodb;

export { PROJECTED_ATTRIBUTES, TABLE } from './schema.ts';

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
    AttributeDefinitions: KEY_ATTRIBUTES.map((n) => ({ AttributeName: n, AttributeType: 'S' as const })),
    KeySchema: [
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: GLOBAL_SECONDARY_INDEXES.map(gsi),
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
