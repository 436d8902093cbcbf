import { beforeAll, describe, expect, it } from 'vitest';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { ROUTES, routeKey } from '../../lib/api/routes';
import { TABLES } from '../../lib/storage/schema';
import { synthStreambed } from './synth';
import { functionId, routeTarget, text } from './template-queries';

let template: Template;
beforeAll(() => {
  template = synthStreambed().template;
});

describe.each(ROUTES.map((r) => [routeKey(r), r] as const))('route %s', (key, route) => {
  // The Upstash-compatible routes take HTTP Basic through a Lambda authorizer (test/infra/upstash.test.ts).
  const auth = route.role === 'upstash' ? 'the Upstash Lambda authorizer (CUSTOM)' : 'IAM (SigV4) authorization';
  it(`exists and requires ${auth}`, () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: key, AuthorizationType: route.role === 'upstash' ? 'CUSTOM' : 'AWS_IAM' });
  });

  it(`invokes the ${route.role} function with payload format 2.0`, () => {
    const { functionId: target, integration } = routeTarget(template, key);
    expect(target).toBe(functionId(template, route.role));
    expect(integration).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
  });

  it('may invoke that function, from this route only', () => {
    const permissions = template.findResources('AWS::Lambda::Permission', {
      Properties: { FunctionName: { 'Fn::GetAtt': [functionId(template, route.role), 'Arn'] }, Principal: 'apigateway.amazonaws.com' },
    });
    const sources = Object.values(permissions).map((p: any) => text(p.Properties.SourceArn));
    expect(sources.some((s) => s.endsWith(`/*/*${route.path}`))).toBe(true);
  });
});

it('has no route outside ROUTES (no $default catch-all, no preflight route)', () => {
  const keys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r: any) => r.Properties.RouteKey);
  expect(keys.sort()).toEqual(ROUTES.map(routeKey).sort());
});

it('is an HTTP API without CORS', () => {
  template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP', CorsConfiguration: Match.absent() });
});

it('throttles the auto-deployed $default stage', () => {
  template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
    StageName: '$default',
    AutoDeploy: true,
    DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
  });
});

describe('outputs', () => {
  it('give the API URL', () => {
    const apiId = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0];
    const outputs = Object.values(template.findOutputs('*')).map((o: any) => text(o.Value));
    expect(outputs).toContain(`https://${apiId}.execute-api.AWS::Region.AWS::URLSuffix/`);
  });

  it('give the bucket and every table name', () => {
    const refs = Object.values(template.findOutputs('*')).flatMap((o: any) => (o.Value.Ref ? [o.Value.Ref] : []));
    const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
    const tables = template.findResources('AWS::DynamoDB::Table');
    expect(refs).toContain(bucketId);
    for (const spec of Object.values(TABLES)) {
      const id = Object.keys(tables).find((k) => tables[k].Properties.KeySchema[0].AttributeName === spec.partitionKey.name);
      expect(refs, spec.env).toContain(id);
    }
  });
});
