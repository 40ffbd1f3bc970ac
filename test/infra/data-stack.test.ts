import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { tableDefinition } from '../../functions/storage/table.ts';
import { TABLE_SCHEMA } from '../../infra/data-stack.ts';
import { type Synthesized, synth } from './synth.ts';

let s: Synthesized;
beforeAll(() => {
  s = synth();
});

describe('GIVEN the data stack of stage dev', () => {
  it('WHEN synthesized THEN it is named podlab-dev-data and holds exactly one table', () => {
    expect(s.stacks.data.stackName).toBe('podlab-dev-data');
    s.data.resourceCountIs('AWS::DynamoDB::Table', 1);
  });

  it('THEN the table is keyed by pk (hash) and sk (range), both strings', () => {
    s.data.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
    });
  });

  it('THEN it bills on demand, has point-in-time recovery and deletion protection', () => {
    s.data.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      ProvisionedThroughput: Match.absent(),
    });
  });

  it('THEN items expire through the ttl attribute', () => {
    s.data.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
    });
  });

  it('THEN its keys, attribute definitions and indexes are exactly those the storage adapter creates locally', () => {
    const local = tableDefinition('podlab');
    const table = Object.values(s.data.findResources('AWS::DynamoDB::Table'))[0] as {
      Properties: Record<string, unknown>;
    };
    expect(table.Properties.KeySchema).toEqual(local.KeySchema);
    const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }) =>
      String(a.AttributeName).localeCompare(String(b.AttributeName));
    expect([...(table.Properties.AttributeDefinitions as { AttributeName: string }[])].sort(byName)).toEqual(
      [...(local.AttributeDefinitions ?? [])].sort(byName),
    );
    expect(table.Properties.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
  });

  it('THEN every GSI projects only the summary attributes', () => {
    for (const gsi of TABLE_SCHEMA.globalSecondaryIndexes) {
      s.data.hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: Match.arrayWith([
          {
            IndexName: gsi.indexName,
            KeySchema: [
              { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
              { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
            ],
            Projection: {
              ProjectionType: 'INCLUDE',
              NonKeyAttributes: [...TABLE_SCHEMA.projectedAttributes],
            },
          },
        ]),
      });
    }
  });

  it('THEN the table is retained on stack deletion and on replacement', () => {
    s.data.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('THEN the logical id of the table is pinned (changing it would replace the table and orphan the data)', () => {
    const tables = s.data.findResources('AWS::DynamoDB::Table');
    expect(Object.keys(tables)).toEqual(['TableCD117FA1']);
  });

  it('THEN the table name is an output', () => {
    s.data.hasOutput('TableName', { Value: { Ref: 'TableCD117FA1' } });
  });
});

describe('GIVEN the API stack that uses the table', () => {
  it('WHEN synthesized THEN it reads the table name from the data stack, so it deploys after it', () => {
    expect(s.stacks.api.dependencies).toContain(s.stacks.data);
    const fns = s.api.findResources('AWS::Lambda::Function');
    for (const [id, fn] of Object.entries(fns)) {
      // The grader touches no table.
      if (id.startsWith('Grader')) continue;
      const table = (fn as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties
        .Environment.Variables.PODLAB_TABLE;
      expect(JSON.stringify(table), id).toContain('podlab-dev-data');
    }
  });

  it('WHEN another stage is synthesized THEN its stacks carry that stage in their names', () => {
    const other = synth({ stage: 'prod' });
    expect(other.stacks.data.stackName).toBe('podlab-prod-data');
    expect(other.stacks.api.stackName).toBe('podlab-prod-api');
    expect(other.stacks.data.terminationProtection).toBe(true);
    expect(s.stacks.data.terminationProtection).toBe(false);
  });
});
