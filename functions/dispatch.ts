/**
 * The dispatch Lambda of one trigger (infra/topic-trigger.ts): woken by DynamoDB Streams on the
 * leader records and by a scheduled sweep, it delivers the trigger topic's new records to the
 * target function (lib/triggers). Configuration comes from its environment.
 */
import type { Context } from 'aws-lambda';
import { sharedStorage } from '../lib/storage';
import { invokeFunction } from '../lib/storage/function-invoker';
import { dispatch, dispatchConfigFromEnv } from '../lib/triggers/lambda-dispatch';

/** Time kept back from the function's timeout for the batch in flight when the budget runs out. */
const RESERVE_MS = 60_000;
const config = dispatchConfigFromEnv();

export async function handler(event: unknown, context?: Partial<Context>): Promise<unknown> {
  const remaining = context?.getRemainingTimeInMillis?.() ?? 5 * 60_000;
  return dispatch(
    sharedStorage(),
    config,
    (e) => invokeFunction(config.target, e),
    event,
    Math.max(1_000, remaining - RESERVE_MS),
    (line) => console.log(JSON.stringify(line)),
  );
}
