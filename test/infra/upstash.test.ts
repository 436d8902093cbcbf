/**
 * HTTP Basic auth of the Upstash-compatible routes on AWS (infra/upstash-auth.ts): a generated
 * credentials secret, a Lambda authorizer that may read that secret and nothing else, and the
 * authorizer on exactly the `upstash` role's routes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { ROUTES, routeKey } from '../../lib/api/routes';
import { synthStreambed } from './synth';
import { functionId, functionProps, statementsOf, text } from './template-queries';

let template: Template;
let secretId: string;
let authorizerId: string;
beforeAll(() => {
  template = synthStreambed().template;
  secretId = Object.keys(template.findResources('AWS::SecretsManager::Secret'))[0];
  authorizerId = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'))[0];
});

describe('credentials secret', () => {
  it('is generated: user "streambed" and a 32-character password', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { SecretStringTemplate: JSON.stringify({ username: 'streambed' }), GenerateStringKey: 'password', PasswordLength: 32 },
    });
  });

  it('is named in the stack outputs', () => {
    const outputs = Object.values(template.findOutputs('*')).map((o: any) => o.Value);
    expect(outputs).toContainEqual({ Ref: secretId });
  });
});

describe('authorizer function', () => {
  it('is told the secret and nothing else', () => {
    const variables: Record<string, unknown> = functionProps(template, 'upstash-authorizer').Environment.Variables;
    expect(variables).toEqual({ STREAMBED_UPSTASH_SECRET_ARN: { Ref: secretId }, NODE_OPTIONS: '--enable-source-maps' });
  });

  it('may read the secret, and no data', () => {
    const statements = statementsOf(template, 'upstash-authorizer');
    const secretReads = statements.filter((s) => s.actions.includes('secretsmanager:GetSecretValue'));
    expect(secretReads.flatMap((s) => s.resources)).toEqual([secretId]);
    expect(statements.flatMap((s) => s.actions).filter((a) => /^(s3|dynamodb):/.test(a))).toEqual([]);
  });

  it('no other function may read the secret', () => {
    for (const role of ['produce', 'fetch', 'admin', 'health', 'groups', 'upstash'] as const) {
      expect(statementsOf(template, role).flatMap((s) => s.actions).filter((a) => a.startsWith('secretsmanager:')), role).toEqual([]);
    }
  });
});

describe('API authorizer', () => {
  it('is a REQUEST authorizer with simple responses on the Authorization header, cached 5 minutes', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      IdentitySource: ['$request.header.Authorization'],
      AuthorizerResultTtlInSeconds: 300,
      AuthorizerPayloadFormatVersion: '2.0',
    });
    const uri = text(template.findResources('AWS::ApiGatewayV2::Authorizer')[authorizerId].Properties.AuthorizerUri);
    expect(uri).toContain(functionId(template, 'upstash-authorizer'));
  });

  it('API Gateway may invoke the authorizer function', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: { 'Fn::GetAtt': [functionId(template, 'upstash-authorizer'), 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
    });
  });

  it.each(ROUTES.map((r) => [routeKey(r), r.role] as const))('route %s: the authorizer exactly when it is an Upstash route', (key, role) => {
    const routes = template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: key } });
    const props = Object.values(routes)[0].Properties;
    if (role === 'upstash') expect(props).toMatchObject({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: authorizerId } });
    else {
      expect(props.AuthorizationType).toBe('AWS_IAM');
      expect(props.AuthorizerId).toBeUndefined();
    }
  });
});
