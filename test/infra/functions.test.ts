import { beforeAll, describe, expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_ROLES, type FunctionRole } from '../../lib/api/routes';
import { BUCKET_ENV, TABLES } from '../../lib/storage/schema';
import { synthStreambed } from './synth';
import { functionProps, refId } from './template-queries';

let template: Template;
beforeAll(() => {
  template = synthStreambed().template;
});

const TIMEOUT_SECONDS: Record<FunctionRole, number> = { produce: 30, fetch: 30, admin: 30, health: 5, groups: 30, upstash: 30 };

/** The resource names each role must be given, and no others (the brief's access table). */
const EXPECTED_ENV: Record<FunctionRole, string[]> = {
  produce: [BUCKET_ENV, TABLES.topics.env, TABLES.partitions.env, TABLES.index.env],
  fetch: [BUCKET_ENV, TABLES.topics.env, TABLES.partitions.env, TABLES.index.env],
  admin: [BUCKET_ENV, TABLES.topics.env, TABLES.partitions.env, TABLES.index.env],
  health: [],
  groups: [TABLES.groups.env, TABLES.topics.env, TABLES.partitions.env],
  upstash: [BUCKET_ENV, TABLES.topics.env, TABLES.partitions.env, TABLES.index.env, TABLES.groups.env],
};

describe.each(FUNCTION_ROLES)('%s function', (role) => {
  it('runs nodejs22.x on arm64 with 1024 MB and its timeout', () => {
    const props = functionProps(template, role);
    expect(props).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 1024,
      Timeout: TIMEOUT_SECONDS[role],
      Handler: 'index.handler',
    });
  });

  it('enables source maps and gets the names of exactly the resources it may use', () => {
    const variables: Record<string, unknown> = functionProps(template, role).Environment.Variables;
    expect(variables.NODE_OPTIONS).toBe('--enable-source-maps');
    const names = Object.keys(variables).filter((k) => k !== 'NODE_OPTIONS');
    expect(names.sort()).toEqual([...EXPECTED_ENV[role]].sort());
  });

  it('points each name variable at the resource it names', () => {
    const variables: Record<string, unknown> = functionProps(template, role).Environment.Variables;
    const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    if (variables[BUCKET_ENV]) expect(refId(variables[BUCKET_ENV])).toBe(bucketId);
    const tables = template.findResources('AWS::DynamoDB::Table');
    for (const spec of Object.values(TABLES)) {
      if (!variables[spec.env]) continue;
      const table = tables[refId(variables[spec.env])];
      expect(table.Properties.KeySchema[0].AttributeName, spec.env).toBe(spec.partitionKey.name);
    }
  });

  it('logs to its own log group with a retention', () => {
    const logGroupId = refId(functionProps(template, role).LoggingConfig.LogGroup);
    const logGroup = template.findResources('AWS::Logs::LogGroup')[logGroupId];
    expect(logGroup.Properties.RetentionInDays).toBeGreaterThan(0);
  });
});

it('only the groups and upstash functions are told about the groups table', () => {
  for (const role of FUNCTION_ROLES) {
    const variables = functionProps(template, role).Environment.Variables;
    if (role === 'groups' || role === 'upstash') expect(variables).toHaveProperty(TABLES.groups.env);
    else expect(variables, role).not.toHaveProperty(TABLES.groups.env);
  }
});
