/**
 * The HTTP API: one API Gateway route per ROUTES entry (lib/api/routes.ts), each integrated with
 * its role's function (payload format 2.0) and authorized by IAM (SigV4). No CORS: callers sign
 * their requests, and browsers would need credentials to do so anyway. Every request is written
 * to an access log (JSON, one line per request; no headers, no query strings, no bodies).
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, type IHttpRouteAuthorizer, type ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES, type FunctionRole } from '../lib/api/routes';
import { API_ACCESS_LOG_FIELDS, API_THROTTLE, LOG_RETENTION } from './defaults';
import { grantInvoke, groupAccessPaths, topicAccessPaths, type GroupAccess, type TopicAccess } from './topic-access';

export interface StreambedApiProps {
  /** The function that serves each role's routes. */
  readonly functions: Readonly<Record<FunctionRole, IFunction>>;
  /** Stage-wide throttling. @default API_THROTTLE */
  readonly throttle?: ThrottleSettings;
  /**
   * The authorizer of the `upstash` role's routes (HTTP Basic, infra/upstash-auth.ts); every other
   * route keeps IAM auth.
   */
  readonly upstashAuthorizer: IHttpRouteAuthorizer;
}

export class StreambedApi extends Construct {
  public readonly api: HttpApi;
  /** The `$default` stage, auto-deployed, throttled. */
  public readonly stage: HttpStage;
  /** Base URL of the API (ends with `/`). */
  public readonly url: string;
  /** The stage's access log: one JSON line per request (API_ACCESS_LOG_FIELDS). */
  public readonly accessLogs: LogGroup;

  constructor(scope: Construct, id: string, props: StreambedApiProps) {
    super(scope, id);

    this.api = new HttpApi(this, 'Http', {
      description: 'Streambed: Kafka-style topics over HTTPS',
      defaultAuthorizer: new HttpIamAuthorizer(),
      // The default stage of HttpApi takes no throttling, so the stage is declared below.
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: LOG_RETENTION,
      // An audit trail (who called which route, with what result): kept when the stack goes.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      autoDeploy: true,
      throttle: props.throttle ?? API_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(API_ACCESS_LOG_FIELDS).replace(/"\$context\.status"/, '$context.status')),
      },
    });

    const integrations = new Map<FunctionRole, HttpLambdaIntegration>();
    for (const route of ROUTES) {
      let integration = integrations.get(route.role);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${route.role}-integration`, props.functions[route.role]);
        integrations.set(route.role, integration);
      }
      const authorizer = route.role === 'upstash' ? props.upstashAuthorizer : undefined;
      this.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration, authorizer });
    }

    this.url = this.stage.url;
  }

  /**
   * Lets `grantee` call the routes that produce to, fetch from or administer `access.topics`
   * (infra/topic-access.ts says exactly which).
   *
   * @example
   * api.grantTopicAccess(ingestFunction, { topics: ['orders', 'clicks-*'], actions: ['produce'] });
   */
  public grantTopicAccess(grantee: IGrantable, access: TopicAccess): Grant {
    return grantInvoke(this.api, this.stage.stageName, grantee, topicAccessPaths(access));
  }

  /** Lets `grantee` join, heartbeat, leave, commit and read offsets as `access.groups`. */
  public grantGroupAccess(grantee: IGrantable, access: GroupAccess): Grant {
    return grantInvoke(this.api, this.stage.stageName, grantee, groupAccessPaths(access));
  }
}
