/** The CDK app (cdk.json `app`): one Streambed stack. */
import { App, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DELETION_PROTECTION_CONTEXT } from './defaults';
import { StreambedStack } from './streambed-stack';

const app = new App();
const deletionProtection = app.node.tryGetContext(DELETION_PROTECTION_CONTEXT) as boolean | string | undefined;

new StreambedStack(app, 'Streambed', {
  description: 'Streambed: Kafka-style event streaming on Lambda, API Gateway, S3 and DynamoDB',
  // `-c streambed:deletionProtection=false` arrives as a string.
  deletionProtection: deletionProtection === undefined ? undefined : String(deletionProtection) !== 'false',
});
Tags.of(app).add('project', 'streambed');
// cdk-nag's AwsSolutions pack: `cdk synth` fails on any finding that was neither fixed nor
// acknowledged with a reason (infra/nag-acknowledgments.ts, docs/security.md).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

app.synth();
