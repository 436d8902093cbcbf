/**
 * cdk-nag (AwsSolutions pack) findings that were reviewed and accepted, each with its reason.
 * Everything else cdk-nag reports fails `cdk synth` and test/infra/nag.test.ts. Findings that
 * could be fixed were fixed instead: API access logging (APIG1: infra/api.ts) and the managed
 * AWSLambdaBasicExecutionRole (IAM4: each function's role may write its own log group only,
 * infra/streambed-function.ts).
 *
 * Applied by an aspect, so a function added later (triggers' dispatcher, …) is covered by the
 * same reviewed reasons and by nothing broader. Acknowledgments use CDK's own
 * `Validations.of(construct).acknowledge()`, which cdk-nag 3 honours: infra/ needs no cdk-nag import.
 */
import { Stack, Validations, type CfnElement, type IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { StreambedFunction } from './streambed-function';
import type { StreambedStorage } from './storage';

export interface ReviewedFinding {
  /** cdk-nag rule id, with its finding in brackets when the rule reports several per resource. */
  readonly id: string;
  readonly reason: string;
}

const GRANT_ACTIONS =
  'is an action group that CDK grant methods (bucket.grantRead/grantPut/grantDelete) use; every such statement is scoped to the segments/* objects of the one segment bucket (and the bucket itself for List), and test/infra/grants.test.ts pins which role gets which';

/** On every Streambed function. */
export const FUNCTION_FINDINGS: readonly ReviewedFinding[] = [
  {
    id: 'AwsSolutions-L1',
    reason:
      'nodejs22.x is the runtime the code is tested for (developers and CI run Node 20/22; ../shared/EMULATORS.md); move to the next LTS runtime once the test suite runs on it',
  },
];

/** On every Streambed function's execution role (its default policy). */
export const ROLE_FINDINGS: readonly ReviewedFinding[] = ['s3:Abort*', 's3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:DeleteObject*'].map((action) => ({
  id: `AwsSolutions-IAM5[Action::${action}]`,
  reason: `${action} ${GRANT_ACTIONS}`,
}));

/** The segment bucket's findings, and the object wildcard that roles hold on it. */
export function bucketFindings(storage: StreambedStorage): { bucket: ReviewedFinding[]; roles: ReviewedFinding[] } {
  const bucketId = Stack.of(storage).getLogicalId(storage.bucket.node.defaultChild as CfnElement);
  return {
    bucket: [
      {
        id: 'AwsSolutions-S1',
        reason:
          'server access logs would log every segment PUT/GET (one per produce per partition, one or more per fetch): the API access log already records every call with its IAM principal, functions are the only principals with data access, and CloudTrail S3 data events can be enabled where object-level audit is required',
      },
    ],
    roles: [
      {
        id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/segments/*]`,
        reason: 'segment objects have unique write-once keys under segments/{topicId}/{partition}/ created at produce time; no narrower resource exists',
      },
    ],
  };
}

export class AcknowledgeReviewedFindings implements IAspect {
  private readonly bucket: { bucket: ReviewedFinding[]; roles: ReviewedFinding[] };
  private bucketDone = false;

  constructor(private readonly storage: StreambedStorage) {
    this.bucket = bucketFindings(storage);
  }

  visit(node: IConstruct): void {
    if (!this.bucketDone) {
      Validations.of(this.storage.bucket).acknowledge(...this.bucket.bucket);
      this.bucketDone = true;
    }
    if (node instanceof StreambedFunction) {
      Validations.of(node).acknowledge(...FUNCTION_FINDINGS);
      if (node.role) Validations.of(node.role).acknowledge(...ROLE_FINDINGS, ...this.bucket.roles);
    }
  }
}
