/**
 * The Streambed stack: storage, one function per role with its least-privilege access, and the
 * HTTP API in front of them. It only composes constructs; their settings live in the constructs
 * and in defaults.ts.
 */
import { Aspects, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { FUNCTION_ROLES, type FunctionRole } from '../lib/api/routes';
import { TABLES, type TableRole } from '../lib/storage/schema';
import { grantRoleAccess, roleEnvironment } from './access';
import { StreambedApi } from './api';
import { StreambedMaintenance } from './maintenance';
import { StreambedFunction } from './streambed-function';
import { StreambedObservability } from './observability';
import { AcknowledgeReviewedFindings } from './nag-acknowledgments';
import { pascal } from './names';
import { StreambedStorage } from './storage';
import { StreambedUpstashAuth } from './upstash-auth';

export interface StreambedStackProps extends StackProps {
  /** DynamoDB deletion protection. @default TABLE_DELETION_PROTECTION */
  readonly deletionProtection?: boolean;
}

export class StreambedStack extends Stack {
  public readonly storage: StreambedStorage;
  public readonly functions: Readonly<Record<FunctionRole, StreambedFunction>>;
  public readonly api: StreambedApi;
  /** Dashboard and alarms (docs/observability.md). */
  public readonly observability: StreambedObservability;
  /** HTTP Basic auth of the Upstash-compatible routes: the credentials secret and its authorizer. */
  public readonly upstashAuth: StreambedUpstashAuth;
  /** The scheduled maintenance job (retention, compaction, GC). */
  public readonly maintenance: StreambedMaintenance;

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

    this.upstashAuth = new StreambedUpstashAuth(this, 'UpstashAuth');
    this.api = new StreambedApi(this, 'Api', { functions, upstashAuthorizer: this.upstashAuth.authorizer });
    this.maintenance = new StreambedMaintenance(this, 'Maintenance', { storage: this.storage });
    this.observability = new StreambedObservability(this, 'Observability', {
      functions: { ...functions, maintain: this.maintenance.function, 'upstash-authorizer': this.upstashAuth.function },
      api: this.api,
      storage: this.storage,
    });
    // cdk-nag findings reviewed and accepted, with reasons (infra/nag-acknowledgments.ts).
    Aspects.of(this).add(new AcknowledgeReviewedFindings(this.storage));

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the HTTP API (SigV4, service execute-api)' });
    new CfnOutput(this, 'UpstashCredentialsSecret', {
      value: this.upstashAuth.secret.secretArn,
      description: 'Secret with the HTTP Basic credentials of the Upstash-compatible routes (UPSTASH_KAFKA_REST_URL = ApiUrl)',
    });
    new CfnOutput(this, 'BucketName', { value: this.storage.bucket.bucketName, description: 'Segment objects' });
    for (const role of Object.keys(TABLES) as TableRole[]) {
      new CfnOutput(this, `${pascal(role)}TableName`, {
        value: this.storage.tables[role].tableName,
        description: `${TABLES[role].env}: ${TABLES[role].description}`,
      });
    }
  }
}
