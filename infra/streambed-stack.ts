/**
 * The Streambed stack: storage, one function per role with its least-privilege access, and the
 * HTTP API in front of them. It only composes constructs; their settings live in the constructs
 * and in defaults.ts.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FUNCTION_ROLES, type FunctionRole } from '../lib/api/routes';
import { TABLES, type TableRole } from '../lib/storage/schema';
import { grantRoleAccess, roleEnvironment } from './access';
import { StreambedApi } from './api';
import { StreambedFunction } from './streambed-function';
import { pascal } from './names';
import { StreambedStorage } from './storage';

export interface StreambedStackProps extends StackProps {
  /** DynamoDB deletion protection. @default TABLE_DELETION_PROTECTION */
  readonly deletionProtection?: boolean;
}

export class StreambedStack extends Stack {
  public readonly storage: StreambedStorage;
  public readonly functions: Readonly<Record<FunctionRole, StreambedFunction>>;
  public readonly api: StreambedApi;

  constructor(scope: Construct, id: string, props: StreambedStackProps = {}) {
    super(scope, id, props);

    this.storage = new StreambedStorage(this, 'Storage', { deletionProtection: props.deletionProtection });

    const functions = {} as Record<FunctionRole, StreambedFunction>;
    for (const role of FUNCTION_ROLES) {
      const fn = new StreambedFunction(this, `${pascal(role)}Function`, {
        role,
        environment: roleEnvironment(this.storage, role),
      });
      grantRoleAccess(this.storage, role, fn);
      functions[role] = fn;
    }
    this.functions = functions;

    this.api = new StreambedApi(this, 'Api', { functions });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API (SigV4, service execute-api)' });
    new CfnOutput(this, 'BucketName', { value: this.storage.bucket.bucketName, description: 'Segment objects' });
    for (const role of Object.keys(TABLES) as TableRole[]) {
      new CfnOutput(this, `${pascal(role)}TableName`, {
        value: this.storage.tables[role].tableName,
        description: `${TABLES[role].env}: ${TABLES[role].description}`,
      });
    }
  }
}
