/**
 * The HTTP API: one API Gateway route per ROUTES entry (lib/api/routes.ts), each integrated with
 * its role's function (payload format 2.0) and authorized by IAM (SigV4). No CORS: callers sign
 * their requests, and browsers would need credentials to do so anyway.
 */
import { HttpApi, HttpMethod, HttpStage, type ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ROUTES, type FunctionRole } from '../lib/api/routes';
import { API_THROTTLE } from './defaults';

export interface StreambedApiProps {
  /** The function that serves each role's routes. */
  readonly functions: Readonly<Record<FunctionRole, IFunction>>;
  /** Stage-wide throttling. @default API_THROTTLE */
  readonly throttle?: ThrottleSettings;
}

export class StreambedApi extends Construct {
  public readonly api: HttpApi;
  /** The `$default` stage, auto-deployed, throttled. */
  public readonly stage: HttpStage;
  /** Base URL of the API (ends with `/`). */
  public readonly url: string;

  constructor(scope: Construct, id: string, props: StreambedApiProps) {
    super(scope, id);

    this.api = new HttpApi(this, 'Http', {
      description: 'Streambed: Kafka-style topics over HTTPS',
      defaultAuthorizer: new HttpIamAuthorizer(),
      // The default stage of HttpApi takes no throttling, so the stage is declared below.
      createDefaultStage: false,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: props.throttle ?? API_THROTTLE,
    });

    const integrations = new Map<FunctionRole, HttpLambdaIntegration>();
    for (const route of ROUTES) {
      let integration = integrations.get(route.role);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.role}-integration`, props.functions[route.role]);
        integrations.set(route.role, integration);
      }
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }

    this.url = this.stage.url;
  }
}
