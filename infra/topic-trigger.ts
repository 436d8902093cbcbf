/**
 * `TopicTrigger`: delivers a Streambed topic to a Lambda function in the event shape of AWS's
 * self-managed Kafka event source mapping (docs/triggers.md). It adds one dispatch function
 * (functions/dispatch.ts) with
 * - the trigger settings (validated at synth time) and the target in its environment,
 * - the data access of ROLE_ACCESS.dispatch, and `lambda:InvokeFunction` on the target only,
 * - two wake-ups: the leader-record table's DynamoDB stream (KEYS_ONLY; every commit of any topic
 *   reaches it, the dispatcher keeps those of its topic) and an EventBridge sweep every minute,
 *   the safety net for anything the stream path missed (a held lease, a failed pass).
 *
 * @example
 * new TopicTrigger(stack, 'OrdersToBilling', {
 *   storage: streambed.storage, apiUrl: streambed.api.url, fn: billingFunction,
 *   name: 'billing', topic: 'orders', batchSize: 50, bisectBatchOnFunctionError: true,
 *   maximumRetryAttempts: 3, onFailureTopic: 'orders-dlq',
 * });
 */
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { StartingPosition, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { DISPATCH_ENV } from '../lib/triggers/lambda-dispatch';
import { parseTriggerSettings, type TriggerSettingsInput } from '../lib/triggers/settings';
import { grantRoleAccess, roleEnvironment } from './access';
import { TRIGGER_SWEEP_RATE } from './defaults';
import { StreambedFunction } from './streambed-function';
import type { StreambedStorage } from './storage';

export type TopicTriggerProps = TriggerSettingsInput & {
  /** The function that receives the batches. */
  readonly fn: IFunction;
  readonly storage: StreambedStorage;
  /** The API URL, sent as the event's `bootstrapServers`. @default '' */
  readonly apiUrl?: string;
  /** The safety-net sweep. @default Schedule.rate(TRIGGER_SWEEP_RATE), every minute */
  readonly sweep?: Schedule;
};

export class TopicTrigger extends Construct {
  /** The dispatch function of this trigger. */
  public readonly dispatcher: StreambedFunction;
  /** The scheduled sweep. */
  public readonly sweepRule: Rule;

  constructor(scope: Construct, id: string, props: TopicTriggerProps) {
    super(scope, id);
    const { fn, storage, apiUrl, sweep, ...input } = props;
    // Fail `cdk synth`, not the first delivery, on bad settings.
    const settings = parseTriggerSettings(input, `TopicTrigger ${id}`);

    this.dispatcher = new StreambedFunction(this, 'Dispatcher', {
      role: 'dispatch',
      environment: {
        ...roleEnvironment(storage, 'dispatch'),
        [DISPATCH_ENV.settings]: JSON.stringify(settings),
        [DISPATCH_ENV.target]: fn.functionArn,
        [DISPATCH_ENV.apiUrl]: apiUrl ?? '',
      },
    });
    grantRoleAccess(storage, 'dispatch', this.dispatcher);
    fn.grantInvoke(this.dispatcher);

    this.dispatcher.addEventSource(
      new DynamoEventSource(storage.tables.partitions, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 100,
        // The dispatcher never throws; a retry would only repeat a wake-up.
        retryAttempts: 0,
      }),
    );
    this.sweepRule = new Rule(this, 'Sweep', {
      description: `Streambed trigger ${settings.name}: sweep every partition of ${settings.topic}`,
      schedule: sweep ?? Schedule.rate(TRIGGER_SWEEP_RATE),
      targets: [new LambdaFunction(this.dispatcher, { retryAttempts: 0, maxEventAge: Duration.minutes(1) })],
    });
  }
}
