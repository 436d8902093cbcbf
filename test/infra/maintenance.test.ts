/**
 * The maintenance construct: a function that serves no route, invoked by an EventBridge schedule,
 * with exactly the access retention, compaction and GC need (ROLE_ACCESS.maintain).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template as Templates, type Template } from 'aws-cdk-lib/assertions';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { StreambedMaintenance } from '../../infra/maintenance';
import { StreambedStorage } from '../../infra/storage';
import { MAINTENANCE_ENV } from '../../lib/log/maintenance/config';
import { BUCKET_ENV, TABLES, type TableRole } from '../../lib/storage/schema';
import { synthStreambed } from './synth';
import { allowedOn, functionId, functionProps, refId, statementsOf, type Statement } from './template-queries';

let template: Template;
let fnId: string;
let statements: Statement[];
let bucket: string;
const tableArn: Partial<Record<TableRole, string>> = {};

beforeAll(() => {
  template = synthStreambed().template;
  fnId = functionId(template, 'maintain');
  statements = statementsOf(template, 'maintain');
  bucket = `${Object.keys(template.findResources('AWS::S3::Bucket'))[0]}.Arn`;
  const tables = template.findResources('AWS::DynamoDB::Table');
  for (const role of Object.keys(TABLES) as TableRole[]) {
    const id = Object.keys(tables).find((k) => tables[k].Properties.KeySchema[0].AttributeName === TABLES[role].partitionKey.name);
    tableArn[role] = `${id}.Arn`;
  }
});

describe('schedule', () => {
  it('invokes the maintain function every 5 minutes, without retries', () => {
    const rules = template.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: 'rate(5 minutes)' } });
    const targeting = Object.values(rules).filter((r: any) =>
      r.Properties.Targets.some((t: any) => refId(t.Arn) === fnId),
    ) as any[];
    expect(targeting).toHaveLength(1);
    expect(targeting[0].Properties.State).toBe('ENABLED');
    const target = targeting[0].Properties.Targets.find((t: any) => refId(t.Arn) === fnId);
    expect(target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: 0 });
  });

  it('lets EventBridge, and only that rule, invoke the function', () => {
    const ruleId = Object.keys(template.findResources('AWS::Events::Rule', { Properties: { ScheduleExpression: 'rate(5 minutes)' } }))[0];
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fnId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [ruleId, 'Arn'] },
    });
  });

  it('is not behind any API route', () => {
    const integrations = template.findResources('AWS::ApiGatewayV2::Integration');
    for (const integration of Object.values(integrations) as any[]) {
      expect(refId(integration.Properties.IntegrationUri)).not.toBe(fnId);
    }
  });
});

describe('function', () => {
  it('runs nodejs22.x on arm64 with a 5-minute timeout and the names of the bucket and three tables', () => {
    const props = functionProps(template, 'maintain');
    expect(props).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Timeout: 300, Handler: 'index.handler' });
    const names = Object.keys(props.Environment.Variables).filter((k) => k !== 'NODE_OPTIONS');
    expect(names.sort()).toEqual([BUCKET_ENV, TABLES.topics.env, TABLES.partitions.env, TABLES.index.env].sort());
  });
});

describe('grants', () => {
  const segments = () => `${bucket}/segments/*`;
  const on = (action: string) => allowedOn(statements, action).filter((r) => r !== bucket);

  it('may list the bucket and read, write and delete segment objects, under segments/ only', () => {
    expect(allowedOn(statements, 's3:ListBucket')).toContain(bucket);
    expect(on('s3:GetObject')).toEqual([segments()]);
    expect(on('s3:PutObject')).toEqual([segments()]);
    expect(on('s3:DeleteObject')).toEqual([segments()]);
  });

  it('may change leader records and the index, only read topics, and not touch groups', () => {
    const can = (action: string, table: TableRole) => allowedOn(statements, action).includes(tableArn[table]!);
    for (const table of ['partitions', 'index'] as const) {
      for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
        expect(can(action, table), `${action} on ${table}`).toBe(true);
      }
    }
    expect(can('dynamodb:Scan', 'topics')).toBe(true);
    expect(can('dynamodb:PutItem', 'topics')).toBe(false);
    expect(can('dynamodb:DeleteItem', 'topics')).toBe(false);
    expect(can('dynamodb:GetItem', 'groups')).toBe(false);
  });

  it('may not change bucket configuration, and has no statement on every resource', () => {
    for (const action of ['s3:PutBucketPolicy', 's3:DeleteBucket', 's3:PutLifecycleConfiguration']) {
      expect(allowedOn(statements, action), action).toEqual([]);
    }
    for (const s of statements) expect(s.resources).not.toContain('*');
  });
});

it('keeps its log group with a retention', () => {
  const logGroupId = refId(functionProps(template, 'maintain').LoggingConfig.LogGroup);
  expect(template.findResources('AWS::Logs::LogGroup')[logGroupId].Properties.RetentionInDays).toBeGreaterThan(0);
  template.hasResourceProperties('AWS::Lambda::Function', Match.objectLike({ Description: 'Streambed maintain function' }));
});

it('passes settings to the job as its environment, and takes another schedule', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Custom');
  const storage = new StreambedStorage(stack, 'Storage');
  new StreambedMaintenance(stack, 'Maintenance', {
    storage,
    schedule: Schedule.rate(Duration.minutes(2)),
    settings: { orphanGraceMs: 7_200_000, compactionTargetBytes: 16 * 1024 * 1024 },
  });
  const custom = Templates.fromStack(stack);
  custom.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(2 minutes)' });
  custom.hasResourceProperties('AWS::Lambda::Function', {
    Description: 'Streambed maintain function',
    Environment: {
      Variables: Match.objectLike({
        [MAINTENANCE_ENV.orphanGraceMs]: '7200000',
        [MAINTENANCE_ENV.compactionTargetBytes]: String(16 * 1024 * 1024),
      }),
    },
  });
});
