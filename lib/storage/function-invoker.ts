/**
 * Invoking a trigger's target function on AWS (synchronously, RequestResponse): the one place the
 * dispatcher talks to Lambda. A function error (`FunctionError` set: an unhandled exception or a
 * timeout of the target) is thrown as an Error carrying the target's error message, so the
 * dispatcher treats it like a thrown exception of a local handler; a failure of the Invoke call
 * itself (throttling, permissions) is thrown as UNAVAILABLE and counts as a function error too,
 * as Lambda's event source mapping counts it.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { unavailable } from '../errors';

export class TargetFunctionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetFunctionError';
  }
}

let client: LambdaClient | undefined;

/** Calls `functionName` with `event` and returns its parsed response (undefined when empty). */
export async function invokeFunction(functionName: string, event: unknown): Promise<unknown> {
  client ??= new LambdaClient({});
  let out;
  try {
    out = await client.send(new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(event)) }));
  } catch (err) {
    throw unavailable(`Lambda Invoke ${functionName}`, err);
  }
  const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
  if (out.FunctionError) {
    let message = text;
    try {
      const body = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      message = `${body.errorType ?? out.FunctionError}: ${body.errorMessage ?? text}`;
    } catch {
      // not JSON: keep the raw payload as the message
    }
    throw new TargetFunctionError(message);
  }
  if (text === '' || text === 'null') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
