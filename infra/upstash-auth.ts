/**
 * HTTP Basic auth of the Upstash-compatible routes (docs/upstash.md): a Secrets Manager secret
 * holding the credentials (`{"username": "streambed", "password": <generated>}`: what users put in
 * UPSTASH_KAFKA_REST_USERNAME / _PASSWORD), and a Lambda authorizer (functions/upstash-authorizer.ts)
 * that checks the Authorization header against it. API Gateway caches a decision per Authorization
 * header for UPSTASH_AUTH_CACHE_TTL, so most requests cost no authorizer call. The /v1 routes keep
 * IAM auth; only the `upstash` role's routes use this authorizer (infra/api.ts).
 */
import { Validations } from 'aws-cdk-lib';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { UPSTASH_AUTH_CACHE_TTL } from './defaults';
import { StreambedFunction } from './streambed-function';

/** The variable that tells the authorizer which secret to read. */
export const UPSTASH_SECRET_ENV = 'STREAMBED_UPSTASH_SECRET_ARN';

export class StreambedUpstashAuth extends Construct {
  /** The credentials: `{"username", "password"}` (or `{"users": {name: password}}` for several). */
  public readonly secret: Secret;
  public readonly function: StreambedFunction;
  public readonly authorizer: HttpLambdaAuthorizer;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.secret = new Secret(this, 'Credentials', {
      description: 'Streambed Upstash-compatible API: HTTP Basic credentials (UPSTASH_KAFKA_REST_USERNAME / UPSTASH_KAFKA_REST_PASSWORD)',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: 'streambed' }),
        generateStringKey: 'password',
        excludePunctuation: true,
        passwordLength: 32,
      },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'the password is handed to client applications (UPSTASH_KAFKA_REST_PASSWORD) by their owners: an automatic rotation would lock them out; rotate by updating the secret and the clients together (docs/upstash.md)',
    });
    this.function = new StreambedFunction(this, 'Function', {
      role: 'upstash-authorizer',
      environment: { [UPSTASH_SECRET_ENV]: this.secret.secretArn },
    });
    this.secret.grantRead(this.function);
    this.authorizer = new HttpLambdaAuthorizer('UpstashBasicAuth', this.function, {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: UPSTASH_AUTH_CACHE_TTL,
    });
  }
}
