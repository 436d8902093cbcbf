/**
 * Small readers over a synthesized template for the infra tests. They find resources by what they
 * are (a function's Description, a route's RouteKey) and follow references from there, so no test
 * names a logical ID.
 */
import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import type { StreambedRole } from '../../infra/roles';

type Json = any; // template JSON, read-only

export interface Statement {
  readonly effect: string;
  readonly actions: string[];
  /** Resources as text: `{ Fn::GetAtt: [X, 'Arn'] }` → `X.Arn`, joins concatenated. */
  readonly resources: string[];
}

/** The logical id of a role's function, found by its Description. */
export function functionId(template: Template, role: StreambedRole): string {
  const found = Object.keys(
    template.findResources('AWS::Lambda::Function', { Properties: { Description: `Streambed ${role} function` } }),
  );
  if (found.length !== 1) throw new Error(`expected one ${role} function, found ${found.length}`);
  return found[0];
}

/** The function's properties, as synthesized. */
export function functionProps(template: Template, role: StreambedRole): Json {
  const id = functionId(template, role);
  return template.findResources('AWS::Lambda::Function')[id].Properties;
}

/** Every IAM statement attached (by an AWS::IAM::Policy) to the execution role of `role`'s function. */
export function statementsOf(template: Template, role: StreambedRole): Statement[] {
  const roleRef = functionProps(template, role).Role;
  const roleId: string = roleRef['Fn::GetAtt'][0];
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) },
  });
  return Object.values(policies).flatMap((p: Json) =>
    (p.Properties.PolicyDocument.Statement as Json[]).map((s) => ({
      effect: s.Effect,
      actions: [s.Action].flat(),
      resources: [s.Resource].flat().map(text),
    })),
  );
}

/** Resources (as text) on which `statements` allow `action`; wildcards in actions are honoured. */
export function allowedOn(statements: Statement[], action: string): string[] {
  return statements
    .filter((s) => s.effect === 'Allow' && s.actions.some((a) => globMatches(a, action)))
    .flatMap((s) => s.resources)
    .sort();
}

/** The logical id behind a Ref/GetAtt-valued property of a resource. */
export function refId(value: Json): string {
  if (value?.Ref) return value.Ref;
  if (value?.['Fn::GetAtt']) return value['Fn::GetAtt'][0];
  throw new Error(`not a reference: ${JSON.stringify(value)}`);
}

/** The id of the function a route (`"GET /v1/health"`) invokes, following Route → Integration → Function. */
export function routeTarget(template: Template, key: string): { functionId: string; integration: Json } {
  const target = new Capture();
  template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, Target: target });
  const parts: Json[] = target.asObject()['Fn::Join'][1];
  const integrationId = refId(parts.find((p) => typeof p === 'object'));
  const integration = template.findResources('AWS::ApiGatewayV2::Integration')[integrationId].Properties;
  return { functionId: refId(integration.IntegrationUri), integration };
}

/** `{ Ref: X }` → `X`, `{ Fn::GetAtt: [X, 'Arn'] }` → `X.Arn`, `{ Fn::Join: ['', parts] }` → the parts joined. */
export function text(value: Json): string {
  if (typeof value === 'string') return value;
  if (value?.Ref) return value.Ref;
  if (value?.['Fn::GetAtt']) return value['Fn::GetAtt'].join('.');
  if (value?.['Fn::Join']) return (value['Fn::Join'][1] as Json[]).map(text).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}

function globMatches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 'i');
  return regex.test(action);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
