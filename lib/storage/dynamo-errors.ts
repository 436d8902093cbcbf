/** Translation of DynamoDB SDK failures at the storage boundary. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { unavailable } from '../errors';

export function isConditionFailed(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** Runs a DynamoDB call; any failure other than the ones the caller handles becomes UNAVAILABLE. */
export async function dynamoCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (isConditionFailed(err)) throw err;
    throw unavailable(`DynamoDB ${what}`, err);
  }
}

/**
 * Runs a conditional DynamoDB write: true when it was applied, false when its condition failed;
 * any other failure becomes UNAVAILABLE.
 */
export async function conditionalCall(what: string, call: () => Promise<unknown>): Promise<boolean> {
  try {
    await dynamoCall(what, call);
    return true;
  } catch (err) {
    if (isConditionFailed(err)) return false;
    throw err;
  }
}
