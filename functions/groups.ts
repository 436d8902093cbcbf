/** The groups Lambda: API Gateway HTTP API (payload 2.0) → lib/api, for the consumer-group routes. */
import { lambdaHandler } from '../lib/api/lambda-adapter';

export const handler = lambdaHandler('groups');
