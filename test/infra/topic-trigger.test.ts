/**
 * The TopicTrigger construct: a dispatch function configured with the trigger's settings, woken
 * by the leader-record table's stream and a sweep schedule, allowed to invoke its target function
 * and nothing else, with ROLE_ACCESS.dispatch on the data.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { TopicTrigger } from '../../infra/topic-trigger';
import { DISPATCH_ENV } from '../../lib/triggers/lambda-dispatch';
import { TABLES } from '../../lib/storage/schema';
import { streambedApp } from './synth';
import { allowedOn, functionId, functionProps, refId, statementsOf, type Statement } from './template-queries';

let template: Template;
let statements: Statement[];
let targetId: string;
let dispatcherId: string;

beforeAll(() => {
  const { stack } = streambedApp();
  const target = new LambdaFunction(stack, 'BillingTarget', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({})') });
  new TopicTrigger(stack, 'OrdersToBilling', {
    storage: stack.storage,
    apiUrl: 'https://api.example.com',
    fn: target,
    name: 'billing',
    topic: 'orders',
    batchSize: 50,
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: 3,
    onFailureTopic: 'orders-dlq',
  });
  template = Template.fromStack(stack);
  targetId = stack.getLogicalId(target.node.defaultChild as never);
  dispatcherId = functionId(template, 'dispatch');
  statements = statementsOf(template, 'dispatch');
});

describe('configuration', () => {
  it('passes the validated settings, with defaults filled in, the target and the API URL as environment', () => {
    const env = functionProps(template, 'dispatch').Environment.Variables;
    expect(JSON.parse(env[DISPATCH_ENV.settings])).toEqual({
      name: 'billing',
      topic: 'orders',
      batchSize: 50,
      maximumBatchingWindowMs: 500,
      startingPosition: 'LATEST',
      maximumRetryAttempts: 3,
      maximumRecordAgeSeconds: -1,
      bisectBatchOnFunctionError: true,
      reportBatchItemFailures: false,
      onFailureTopic: 'orders-dlq',
    });
    expect(refId(env[DISPATCH_ENV.target])).toBe(targetId);
    expect(env[DISPATCH_ENV.apiUrl]).toBe('https://api.example.com');
    expect(env[TABLES.groups.env]).toBeDefined();
  });

  it('refuses bad settings at synth time', () => {
    const { stack } = streambedApp();
    const fn = new LambdaFunction(stack, 'T', { runtime: Runtime.NODEJS_22_X, handler: 'index.handler', code: Code.fromInline('exports.handler = async () => ({})') });
    expect(() => new TopicTrigger(stack, 'Bad', { storage: stack.storage, fn, name: 'bad', topic: 'orders', batchSize: 20_000 })).toThrow(/batchSize/);
    expect(() => new TopicTrigger(stack, 'Bad2', { storage: stack.storage, fn, name: 'bad2', topic: 'orders', startingPosition: 'AT_TIMESTAMP' })).toThrow(/startingPositionTimestamp/);
  });
});

describe('wake-ups', () => {
  it('enables a KEYS_ONLY stream on the leader-record table and maps it to the dispatcher', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');
    const partitionsId = Object.keys(tables).find((k) => tables[k].Properties.KeySchema[0].AttributeName === TABLES.partitions.partitionKey.name)!;
    expect(tables[partitionsId].Properties.StreamSpecification).toEqual({ StreamViewType: 'KEYS_ONLY' });
    const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')) as any[];
    const mine = mappings.filter((m) => refId(m.Properties.FunctionName) === dispatcherId);
    expect(mine).toHaveLength(1);
    expect(mine[0].Properties).toMatchObject({ StartingPosition: 'LATEST', MaximumRetryAttempts: 0 });
    expect(mine[0].Properties.EventSourceArn).toEqual({ 'Fn::GetAtt': [partitionsId, 'StreamArn'] });
  });

  it('sweeps every minute, without retries', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: Match.arrayWith([Match.objectLike({ Arn: { 'Fn::GetAtt': [dispatcherId, 'Arn'] }, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 0 }) })]),
    });
  });
});

describe('permissions', () => {
  it('may invoke the target function and no other', () => {
    const invokable = allowedOn(statements, 'lambda:InvokeFunction');
    expect(invokable.length).toBeGreaterThan(0);
    for (const r of invokable) expect(r.startsWith(`${targetId}.Arn`)).toBe(true);
  });

  it('reads and writes the groups table (lease and position) and reads the leader-record stream', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');
    const groupsId = Object.keys(tables).find((k) => tables[k].Properties.KeySchema[0].AttributeName === TABLES.groups.partitionKey.name)!;
    expect(allowedOn(statements, 'dynamodb:UpdateItem')).toContain(`${groupsId}.Arn`);
    expect(allowedOn(statements, 'dynamodb:GetRecords').some((r) => r.includes('StreamArn'))).toBe(true);
    expect(allowedOn(statements, 's3:DeleteObject')).toEqual([]);
  });
});
