/**
 * The function roles of the CDK app: one per HTTP role of the route table (lib/api/routes.ts), plus
 * the background roles, which serve no route and are invoked by a schedule.
 */
import type { FunctionRole } from '../lib/api/routes';

/**
 * Functions that serve no route: the maintenance job (invoked by a schedule, infra/maintenance.ts)
 * and the Upstash routes' Lambda authorizer (invoked by API Gateway, infra/upstash-auth.ts), and
 * trigger dispatchers (invoked by a DynamoDB stream and a schedule, infra/topic-trigger.ts).
 */
export const BACKGROUND_ROLES = ['maintain', 'upstash-authorizer', 'dispatch'] as const;
export type BackgroundRole = (typeof BACKGROUND_ROLES)[number];

/** Every function role of the app. */
export type StreambedRole = FunctionRole | BackgroundRole;

export function isBackgroundRole(role: StreambedRole): role is BackgroundRole {
  return (BACKGROUND_ROLES as readonly string[]).includes(role);
}
