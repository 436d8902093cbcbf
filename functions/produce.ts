/** The produce Lambda: API Gateway HTTP API (payload 2.0) → lib/api, for the routes of the produce role. */
import { lambdaHandler } from '../lib/api/lambda-adapter';

export const handler = lambdaHandler('produce');
