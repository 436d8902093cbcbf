/**
 * The data plane's storage: one S3 bucket for the write-once segment objects and one DynamoDB
 * table per entry of TABLES (lib/storage/schema.ts), so the deployed layout is the local one.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TABLES, type KeyType, type TableRole } from '../lib/storage/schema';
import { ABORT_MULTIPART_AFTER_DAYS, TABLE_DELETION_PROTECTION } from './defaults';
import { pascal } from './names';

export interface StreambedStorageProps {
  /** DynamoDB deletion protection on every table. @default TABLE_DELETION_PROTECTION (true) */
  readonly deletionProtection?: boolean;
}

export class StreambedStorage extends Construct {
  /** Segment objects, under `segments/{topicId}/{partition}/`. */
  public readonly bucket: Bucket;
  /** One table per TABLES role. */
  public readonly tables: Readonly<Record<TableRole, Table>>;

  constructor(scope: Construct, id: string, props: StreambedStorageProps = {}) {
    super(scope, id);

    this.bucket = new Bucket(this, 'Segments', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Segment objects are write-once: a version history would only hold deletes.
      versioned: false,
      // A lifecycle expiration can only match a prefix or tags, and a segment's life depends on
      // its topic's retention and on whether it ever committed. Orphans (objects whose commit
      // lost, DESIGN.md invariant 6) and expired segments are deleted by the maintenance job.
      lifecycleRules: [
        { id: 'abort-incomplete-multipart', abortIncompleteMultipartUploadAfter: Duration.days(ABORT_MULTIPART_AFTER_DAYS) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const deletionProtection = props.deletionProtection ?? TABLE_DELETION_PROTECTION;
    const tables = {} as Record<TableRole, Table>;
    for (const role of Object.keys(TABLES) as TableRole[]) {
      const spec = TABLES[role];
      const sortKey = 'sortKey' in spec ? spec.sortKey : undefined;
      tables[role] = new Table(this, pascal(role), {
        partitionKey: { name: spec.partitionKey.name, type: attributeType(spec.partitionKey.type) },
        sortKey: sortKey && { name: sortKey.name, type: attributeType(sortKey.type) },
        billingMode: BillingMode.PAY_PER_REQUEST,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        encryption: TableEncryption.AWS_MANAGED,
        deletionProtection,
        removalPolicy: RemovalPolicy.RETAIN,
        // Leader-record changes wake trigger dispatchers (infra/topic-trigger.ts, docs/triggers.md).
        stream: role === 'partitions' ? StreamViewType.KEYS_ONLY : undefined,
      });
    }
    this.tables = tables;
  }
}

function attributeType(type: KeyType): AttributeType {
  return type === 'S' ? AttributeType.STRING : AttributeType.NUMBER;
}
