import { beforeAll, describe, expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_ROLES, type FunctionRole } from '../../lib/api/routes';
import { TABLES, type TableRole } from '../../lib/storage/schema';
import { synthStreambed } from './synth';
import { allowedOn, statementsOf, type Statement } from './template-queries';

let template: Template;
let bucket: string;
let segments: string;
const tableArn: Partial<Record<TableRole, string>> = {};

beforeAll(() => {
  template = synthStreambed().template;
  bucket = `${Object.keys(template.findResources('AWS::S3::Bucket'))[0]}.Arn`;
  segments = `${bucket}/segments/*`;
  const tables = template.findResources('AWS::DynamoDB::Table');
  for (const role of Object.keys(TABLES) as TableRole[]) {
    const id = Object.keys(tables).find((k) => tables[k].Properties.KeySchema[0].AttributeName === TABLES[role].partitionKey.name);
    tableArn[role] = `${id}.Arn`;
  }
});

const statements = (role: FunctionRole): Statement[] => statementsOf(template, role);
/** Object ARNs on which `role` may do an object-level action (the bucket ARN itself means nothing to them). */
const objects = (role: FunctionRole, action: string): string[] =>
  allowedOn(statements(role), action).filter((r) => r !== bucket);

describe('segment objects', () => {
  it('produce may put segments, and only under segments/', () => {
    expect(objects('produce', 's3:PutObject')).toEqual([segments]);
  });

  it('produce may neither delete nor read segments', () => {
    expect(objects('produce', 's3:DeleteObject')).toEqual([]);
    expect(objects('produce', 's3:GetObject')).toEqual([]);
  });

  it('fetch may read segments but not write or delete them', () => {
    expect(objects('fetch', 's3:GetObject')).toEqual([segments]);
    expect(objects('fetch', 's3:PutObject')).toEqual([]);
    expect(objects('fetch', 's3:DeleteObject')).toEqual([]);
  });

  it('fetch may list the bucket, so a missing segment answers 404 rather than 403', () => {
    expect(allowedOn(statements('fetch'), 's3:ListBucket')).toContain(bucket);
  });

  it('admin may read, list and delete segments but not write them', () => {
    expect(objects('admin', 's3:DeleteObject')).toEqual([segments]);
    expect(objects('admin', 's3:GetObject')).toEqual([segments]);
    expect(allowedOn(statements('admin'), 's3:ListBucket')).toContain(bucket);
    expect(objects('admin', 's3:PutObject')).toEqual([]);
  });

  it('no role may change bucket configuration or policy', () => {
    for (const role of FUNCTION_ROLES) {
      for (const action of ['s3:PutBucketPolicy', 's3:DeleteBucket', 's3:PutLifecycleConfiguration', 's3:PutObjectAcl']) {
        expect(allowedOn(statements(role), action), `${role} ${action}`).toEqual([]);
      }
    }
  });
});

type Level = 'none' | 'read' | 'readWrite';
const TABLE_ACCESS: Record<FunctionRole, Record<TableRole, Level>> = {
  produce: { topics: 'read', partitions: 'readWrite', index: 'readWrite', groups: 'none' },
  fetch: { topics: 'read', partitions: 'read', index: 'readWrite', groups: 'none' },
  admin: { topics: 'readWrite', partitions: 'readWrite', index: 'readWrite', groups: 'none' },
  health: { topics: 'none', partitions: 'none', index: 'none', groups: 'none' },
  groups: { topics: 'read', partitions: 'read', index: 'none', groups: 'readWrite' },
  upstash: { topics: 'read', partitions: 'readWrite', index: 'readWrite', groups: 'readWrite' },
};

describe.each(FUNCTION_ROLES)('%s tables', (role) => {
  it.each(Object.keys(TABLES) as TableRole[])(`%s`, (table) => {
    const level = TABLE_ACCESS[role][table];
    const s = statements(role);
    const can = (action: string) => allowedOn(s, action).includes(tableArn[table]!);
    expect(can('dynamodb:GetItem'), 'GetItem').toBe(level !== 'none');
    expect(can('dynamodb:Query'), 'Query').toBe(level !== 'none');
    expect(can('dynamodb:PutItem'), 'PutItem').toBe(level === 'readWrite');
    expect(can('dynamodb:UpdateItem'), 'UpdateItem').toBe(level === 'readWrite');
    expect(can('dynamodb:DeleteTable'), 'DeleteTable').toBe(false);
  });
});

it('health has no S3 or DynamoDB statement at all', () => {
  const dataActions = statementsOf(template, 'health').flatMap((s) => s.actions).filter((a) => /^(s3|dynamodb):/.test(a));
  expect(dataActions).toEqual([]);
});

it('no data statement is granted on every resource', () => {
  for (const role of FUNCTION_ROLES) {
    for (const s of statements(role)) {
      if (s.actions.some((a) => /^(s3|dynamodb):/.test(a))) expect(s.resources, role).not.toContain('*');
    }
  }
});

describe('groups', () => {
  it('only the groups and upstash functions may write the groups table', () => {
    for (const role of FUNCTION_ROLES) {
      for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
        expect(allowedOn(statements(role), action).includes(tableArn.groups!), `${role} ${action}`).toBe(role === 'groups' || role === 'upstash');
      }
    }
  });

  it('the groups function has no S3 statement and cannot write topics, leader records or the index', () => {
    const s = statements('groups');
    expect(s.flatMap((x) => x.actions).filter((a) => a.startsWith('s3:'))).toEqual([]);
    for (const table of ['topics', 'partitions', 'index'] as const) {
      expect(allowedOn(s, 'dynamodb:PutItem').includes(tableArn[table]!), table).toBe(false);
      expect(allowedOn(s, 'dynamodb:UpdateItem').includes(tableArn[table]!), table).toBe(false);
    }
  });
});
