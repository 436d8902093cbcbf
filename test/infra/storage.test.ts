import { beforeAll, describe, expect, it } from 'vitest';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { TABLES, type TableRole } from '../../lib/storage/schema';
import { synthStreambed } from './synth';
import { refId, text } from './template-queries';

let template: Template;
beforeAll(() => {
  template = synthStreambed().template;
});

describe('segment bucket', () => {
  it('blocks every kind of public access and disables ACLs', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
  });

  it('encrypts with S3-managed keys and keeps no versions (objects are write-once)', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: Match.absent(),
    });
  });

  it('aborts incomplete multipart uploads after one day and expires nothing by itself', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled', ExpirationInDays: Match.absent() })],
      },
    });
  });

  it('is retained when the stack goes away', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  });

  it('refuses plain HTTP and TLS below 1.2 on the bucket and its objects', () => {
    const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')).filter(
      (p: any) => refId(p.Properties.Bucket) === bucketId,
    );
    const statements: any[] = policies.flatMap((p: any) => p.Properties.PolicyDocument.Statement);
    const deny = (condition: object) =>
      statements.find((s) => s.Effect === 'Deny' && s.Action === 's3:*' && JSON.stringify(s.Condition) === JSON.stringify(condition));
    for (const condition of [{ Bool: { 'aws:SecureTransport': 'false' } }, { NumericLessThan: { 's3:TlsVersion': 1.2 } }]) {
      const statement = deny(condition);
      expect(statement, JSON.stringify(condition)).toBeDefined();
      expect(statement.Principal).toEqual({ AWS: '*' });
      expect([statement.Resource].flat().map(text).sort()).toEqual([`${bucketId}.Arn`, `${bucketId}.Arn/*`]);
    }
  });
});

describe('tables', () => {
  const roles = Object.keys(TABLES) as TableRole[];

  it.each(roles)('%s: key schema and attribute types come from TABLES', (role) => {
    const spec = TABLES[role];
    const sortKey = 'sortKey' in spec ? spec.sortKey : undefined;
    const keySchema: Array<{ AttributeName: string; KeyType: string }> = [{ AttributeName: spec.partitionKey.name, KeyType: 'HASH' }];
    const attributes: Array<{ AttributeName: string; AttributeType: string }> = [{ AttributeName: spec.partitionKey.name, AttributeType: spec.partitionKey.type }];
    if (sortKey) {
      keySchema.push({ AttributeName: sortKey.name, KeyType: 'RANGE' });
      attributes.push({ AttributeName: sortKey.name, AttributeType: sortKey.type });
    }
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: keySchema,
      AttributeDefinitions: Match.arrayEquals(attributes),
    });
  });

  it.each(roles)('%s: on-demand, point-in-time recovery, AWS-managed encryption, protected and retained', (role) => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        KeySchema: Match.arrayWith([{ AttributeName: TABLES[role].partitionKey.name, KeyType: 'HASH' }]),
        BillingMode: 'PAY_PER_REQUEST',
        ProvisionedThroughput: Match.absent(),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
        TableName: Match.absent(),
      }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('one table per TABLES entry, no more', () => {
    const hashKeys = Object.values(template.findResources('AWS::DynamoDB::Table'))
      .map((t: any) => t.Properties.KeySchema[0].AttributeName)
      .sort();
    expect(hashKeys).toEqual(roles.map((r) => TABLES[r].partitionKey.name).sort());
  });

  it('deletion protection can be turned off', () => {
    const { template: unprotected } = synthStreambed({ stackProps: { deletionProtection: false } });
    const flags = Object.values(unprotected.findResources('AWS::DynamoDB::Table')).map((t: any) => t.Properties.DeletionProtectionEnabled);
    expect(flags).toEqual(roles.map(() => false));
  });
});
