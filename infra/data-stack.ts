/**
 * The stateful stack: podlab's DynamoDB table. It lives apart from the functions so that a
 * change to code, queues or alarms can never replace or delete data, and it is retained when
 * the stack is deleted (deleting it is a deliberate act, see docs/deploy.md).
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { GLOBAL_SECONDARY_INDEXES, PROJECTED_ATTRIBUTES, TABLE } from '../functions/storage/schema.ts';

/**
 * Key schema of the single podlab table, from the names functions/storage/schema.ts lists for
 * the storage adapter too (docs/storage.md); test/infra/data-stack.test.ts checks the
 * synthesized table against tableDefinition().
 */
export const TABLE_SCHEMA = {
  partitionKey: TABLE.partitionKey,
  sortKey: TABLE.sortKey,
  /** Items expire when this attribute (Unix seconds) is in the past. */
  ttlAttribute: TABLE.ttlAttribute,
  globalSecondaryIndexes: GLOBAL_SECONDARY_INDEXES.map((g) => ({
    indexName: g.name,
    partitionKey: g.partitionKey,
    sortKey: g.sortKey,
  })),
  /** Non-key attributes projected into every GSI: summaries only, never manifests or results. */
  projectedAttributes: PROJECTED_ATTRIBUTES,
} as const;

/** Props of {@link PodlabDataStack}. */
export interface PodlabDataStackProps extends StackProps {
  readonly stage: string;
}

/** DynamoDB table: on-demand, point-in-time recovery, deletion protection, retained, TTL;
 * encrypted at rest with the AWS-owned key (DynamoDB's default, no KMS charges). */
export class PodlabDataStack extends Stack {
  /** The podlab table (single-table design). */
  readonly table: Table;

  constructor(scope: Construct, id: string, props: PodlabDataStackProps) {
    super(scope, id, props);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const gsi of TABLE_SCHEMA.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: gsi.indexName,
        partitionKey: { name: gsi.partitionKey, type: AttributeType.STRING },
        sortKey: { name: gsi.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: [...TABLE_SCHEMA.projectedAttributes],
      });
    }
    new CfnOutput(this, 'TableName', {
      value: this.table.tableName,
      description: 'podlab DynamoDB table (pass to `podlab token create --table`)',
    });
  }
}
