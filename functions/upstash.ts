/** The upstash Lambda: API Gateway HTTP API (payload 2.0) → lib/api, for the Upstash Kafka REST routes. */
import { lambdaHandler } from '../lib/api/lambda-adapter';

export const handler = lambdaHandler('upstash');
