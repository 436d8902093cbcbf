/**
 * Operating Streambed: a CloudWatch dashboard and alarms over the product's own metrics (EMF,
 * lib/observability/metrics.ts), API Gateway's, Lambda's and DynamoDB's.
 *
 * Dashboard rows: produce/fetch traffic (requests, p50/p99 latency, records and bytes in/out),
 * errors by code and commit conflicts, API Gateway (requests, 4xx/5xx, throttled), Lambda per
 * function (errors, throttles, p99 duration, concurrency), DynamoDB throttling per table, and
 * consumer lag.
 *
 * Alarms (thresholds: ALARM_THRESHOLDS in defaults.ts, overridable): function errors (one per
 * function), API 5xx, API Gateway throttling (429s counted from the access log), DynamoDB
 * throttled requests (one per table) and consumer lag.
 */
import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
  type IAlarmAction,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterPattern, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionRole } from '../lib/api/routes';
import { METRICS, METRICS_NAMESPACE, type MetricName } from '../lib/observability/metrics';
import type { TableRole } from '../lib/storage/schema';
import type { StreambedApi } from './api';
import { ALARM_THRESHOLDS } from './defaults';
import { pascal } from './names';
import type { StreambedRole } from './roles';
import type { StreambedStorage } from './storage';

export type AlarmThresholds = { -readonly [K in keyof typeof ALARM_THRESHOLDS]: number };

export interface StreambedObservabilityProps {
  /** Functions to chart and alarm on, by name (the API's roles, and e.g. `maintain`). */
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly api: StreambedApi;
  readonly storage: StreambedStorage;
  /** @default ALARM_THRESHOLDS */
  readonly thresholds?: Partial<AlarmThresholds>;
  /** Where alarms go (e.g. an SNS topic action). @default none: alarms are visible in the console only */
  readonly alarmActions?: readonly IAlarmAction[];
}

/** Name of the metric the access log's 429 lines are counted into. */
export const API_THROTTLED_METRIC = 'ApiThrottled';

/** The function that emits ConsumerLag (lib/observability/lag.ts). */
const GROUPS_ROLE: FunctionRole = 'groups';
/** The trigger dispatcher's role, which is to emit DispatcherLag (recordLag, lib/observability/lag.ts). */
const DISPATCH_ROLE: StreambedRole = 'dispatch';

const PERIOD = Duration.minutes(1);
const ALARM_PERIOD = Duration.minutes(5);
const WIDTH = 8;

export class StreambedObservability extends Construct {
  public readonly dashboard: Dashboard;
  public readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: StreambedObservabilityProps) {
    super(scope, id);
    const thresholds: AlarmThresholds = { ...ALARM_THRESHOLDS, ...props.thresholds };
    const functions = Object.entries(props.functions);
    const tables = Object.entries(props.storage.tables) as Array<[TableRole, Table]>;
    const httpApi = props.api.api;

    const throttled = new MetricFilter(this, 'ApiThrottledFilter', {
      logGroup: props.api.accessLogs,
      filterPattern: FilterPattern.numberValue('$.status', '=', 429),
      metricNamespace: METRICS_NAMESPACE,
      metricName: API_THROTTLED_METRIC,
      metricValue: '1',
      defaultValue: 0,
    }).metric({ statistic: 'Sum', period: PERIOD, label: 'throttled (429)' });

    const op = (name: MetricName, role: FunctionRole, operation: string, statistic: string, label: string): Metric =>
      product(name, { Role: role, Operation: operation }, statistic, label);
    const dynamoThrottles = (role: TableRole, table: Table, period: Duration): IMetric =>
      new MathExpression({
        // Ids are unique per table: several of these share one graph.
        expression: `read_${role} + write_${role}`,
        usingMetrics: {
          [`read_${role}`]: table.metric('ReadThrottleEvents', { statistic: 'Sum', period }),
          [`write_${role}`]: table.metric('WriteThrottleEvents', { statistic: 'Sum', period }),
        },
        label: `${role} throttled`,
        period,
      });

    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: '# Streambed\nProduct metrics: namespace `Streambed` (EMF from every function; dimensions Role, Operation, Code). See docs/observability.md.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Produce / fetch requests', [op('Requests', 'produce', 'produce', 'Sum', 'produce'), op('Requests', 'fetch', 'fetch', 'Sum', 'fetch')]),
      graph('Latency p50 / p99 (ms)', [
        op('Latency', 'produce', 'produce', 'p50', 'produce p50'),
        op('Latency', 'produce', 'produce', 'p99', 'produce p99'),
        op('Latency', 'fetch', 'fetch', 'p50', 'fetch p50'),
        op('Latency', 'fetch', 'fetch', 'p99', 'fetch p99'),
      ]),
      graph(
        'Records in / out',
        [op('RecordsIn', 'produce', 'produce', 'Sum', 'records in'), op('RecordsOut', 'fetch', 'fetch', 'Sum', 'records out')],
        [op('BytesIn', 'produce', 'produce', 'Sum', 'bytes in'), op('BytesOut', 'fetch', 'fetch', 'Sum', 'bytes out')],
      ),
    );
    this.dashboard.addWidgets(
      graph('Errors by code', [
        new MathExpression({
          expression: `SEARCH('{${METRICS_NAMESPACE},${METRICS.Errors.dimensions.join(',')}} MetricName="Errors"', 'Sum', ${PERIOD.toSeconds()})`,
          usingMetrics: {},
          label: 'errors',
          period: PERIOD,
        }),
      ]),
      graph('Commit conflicts (lost commit races)', [op('CommitConflicts', 'produce', 'produce', 'Sum', 'commit conflicts')]),
      graph('API Gateway', [
        httpApi.metricCount({ period: PERIOD, label: 'requests' }),
        httpApi.metricClientError({ period: PERIOD, label: '4xx' }),
        httpApi.metricServerError({ period: PERIOD, label: '5xx' }),
        throttled,
      ]),
    );
    this.dashboard.addWidgets(
      graph('Lambda errors', functions.map(([role, fn]) => fn.metricErrors({ period: PERIOD, label: role }))),
      graph('Lambda throttles', functions.map(([role, fn]) => fn.metricThrottles({ period: PERIOD, label: role }))),
      graph('Lambda duration p99 (ms)', functions.map(([role, fn]) => fn.metricDuration({ period: PERIOD, statistic: 'p99', label: role }))),
    );
    this.dashboard.addWidgets(
      graph(
        'Lambda concurrency (max)',
        functions.map(([role, fn]) => fn.metric('ConcurrentExecutions', { period: PERIOD, statistic: 'Maximum', label: role })),
      ),
      graph('DynamoDB throttled requests', tables.map(([role, table]) => dynamoThrottles(role, table, PERIOD))),
      graph('Consumer lag (records, max)', [
        product('ConsumerLag', { Role: GROUPS_ROLE }, 'Maximum', 'consumer lag'),
        product('DispatcherLag', { Role: DISPATCH_ROLE }, 'Maximum', 'trigger lag'),
      ]),
    );

    const alarms: Alarm[] = [];
    const alarm = (id: string, metric: IMetric, threshold: number, description: string, evaluationPeriods = 1): void => {
      const a = new Alarm(this, id, {
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      for (const action of props.alarmActions ?? []) a.addAlarmAction(action);
      alarms.push(a);
    };
    for (const [role, fn] of functions) {
      alarm(
        `${pascal(role)}FunctionErrors`,
        fn.metricErrors({ period: ALARM_PERIOD, statistic: 'Sum' }),
        thresholds.functionErrorsPer5Min,
        `Streambed ${role} function: invocation errors (unhandled exceptions, timeouts)`,
      );
    }
    alarm('Api5xx', httpApi.metricServerError({ period: ALARM_PERIOD, statistic: 'Sum' }), thresholds.api5xxPer5Min, 'Streambed API: 5xx responses');
    alarm(
      'ApiThrottled',
      throttled.with({ period: ALARM_PERIOD }),
      thresholds.apiThrottlesPer5Min,
      'Streambed API: requests refused by API Gateway throttling (429)',
    );
    for (const [role, table] of tables) {
      alarm(`${pascal(role)}TableThrottled`, dynamoThrottles(role, table, ALARM_PERIOD), thresholds.dynamoThrottlesPer5Min, `Streambed ${role} table: DynamoDB throttled requests`);
    }
    alarm(
      'ConsumerLag',
      product('ConsumerLag', { Role: GROUPS_ROLE }, 'Maximum', 'consumer lag').with({ period: ALARM_PERIOD }),
      thresholds.consumerLagRecords,
      'Streambed: a consumer group lags behind its topic by more records than the threshold for 15 minutes',
      3,
    );
    this.alarms = alarms;
  }
}

/** A metric of the product's namespace, with exactly its catalogue dimensions. */
function product(name: MetricName, dimensionsMap: Record<string, string>, statistic: string, label: string): Metric {
  const expected = [...METRICS[name].dimensions].sort().join(',');
  if (Object.keys(dimensionsMap).sort().join(',') !== expected) throw new Error(`${name} is published with dimensions ${expected}`);
  return new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap, statistic, period: PERIOD, label });
}

function graph(title: string, left: IMetric[], right: IMetric[] = []): GraphWidget {
  return new GraphWidget({ title, left, right, width: WIDTH, height: 6 });
}
