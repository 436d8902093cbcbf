/**
 * The dashboard and alarms of infra/observability.ts, read from the template: each alarm by what
 * it watches (namespace, metric, dimensions pointing at the right resource), its threshold and
 * comparison; the dashboard by the metrics its widgets query.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Template } from 'aws-cdk-lib/assertions';
import { FUNCTION_ROLES } from '../../lib/api/routes';
import { METRICS, METRICS_NAMESPACE } from '../../lib/observability/metrics';
import { TABLES, type TableRole } from '../../lib/storage/schema';
import { ALARM_THRESHOLDS, API_ACCESS_LOG_FIELDS } from '../../infra/defaults';
import { API_THROTTLED_METRIC } from '../../infra/observability';
import { synthStreambed } from './synth';
import { functionId, refId, text } from './template-queries';

let template: Template;
let alarms: any[];
let apiId: string;
beforeAll(() => {
  template = synthStreambed().template;
  alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((a: any) => a.Properties);
  apiId = Object.keys(template.findResources('AWS::ApiGatewayV2::Api'))[0];
});

interface Watched {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  stat: string;
  period: number;
}

/** What a single-metric alarm watches, whether written as top-level fields or as one MetricStat. */
function watched(alarm: any): Watched | undefined {
  const toDims = (list: any[] | undefined) =>
    Object.fromEntries((list ?? []).map((d: any) => [d.Name, typeof d.Value === 'string' ? d.Value : refId(d.Value)]));
  if (alarm.MetricName) {
    return { namespace: alarm.Namespace, name: alarm.MetricName, dimensions: toDims(alarm.Dimensions), stat: alarm.Statistic, period: alarm.Period };
  }
  const stats = (alarm.Metrics ?? []).filter((m: any) => m.MetricStat);
  if (stats.length !== 1 || (alarm.Metrics ?? []).some((m: any) => m.Expression)) return undefined;
  const { Metric, Stat, Period } = stats[0].MetricStat;
  return { namespace: Metric.Namespace, name: Metric.MetricName, dimensions: toDims(Metric.Dimensions), stat: Stat, period: Period };
}

const findAlarm = (namespace: string, name: string, dimensions?: Record<string, string>): any =>
  alarms.find((a) => {
    const w = watched(a);
    return w?.namespace === namespace && w.name === name && (!dimensions || JSON.stringify(w.dimensions) === JSON.stringify(dimensions));
  });

function tableId(role: TableRole): string {
  const tables = template.findResources('AWS::DynamoDB::Table');
  return Object.keys(tables).find((k) => tables[k].Properties.KeySchema[0].AttributeName === TABLES[role].partitionKey.name)!;
}

describe('alarms', () => {
  it.each(FUNCTION_ROLES)('%s function: any invocation error in 5 minutes', (role) => {
    const alarm = findAlarm('AWS/Lambda', 'Errors', { FunctionName: functionId(template, role) });
    expect(watched(alarm)).toMatchObject({ stat: 'Sum', period: 300 });
    expect(alarm).toMatchObject({
      Threshold: ALARM_THRESHOLDS.functionErrorsPer5Min,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('API 5xx responses', () => {
    const alarm = findAlarm('AWS/ApiGateway', '5xx', { ApiId: apiId });
    expect(watched(alarm)).toMatchObject({ stat: 'Sum', period: 300 });
    expect(alarm).toMatchObject({ Threshold: ALARM_THRESHOLDS.api5xxPer5Min, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('API Gateway throttling: 429s counted from the access log', () => {
    const alarm = findAlarm(METRICS_NAMESPACE, API_THROTTLED_METRIC, {});
    expect(watched(alarm)).toMatchObject({ stat: 'Sum', period: 300 });
    expect(alarm).toMatchObject({ Threshold: ALARM_THRESHOLDS.apiThrottlesPer5Min, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    const filters = Object.values(template.findResources('AWS::Logs::MetricFilter')).map((f: any) => f.Properties);
    const filter = filters.find((f) => f.MetricTransformations[0].MetricName === API_THROTTLED_METRIC);
    expect(filter.FilterPattern).toBe('{ $.status = 429 }');
    expect(filter.MetricTransformations[0]).toMatchObject({ MetricNamespace: METRICS_NAMESPACE, MetricValue: '1', DefaultValue: 0 });
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as any;
    expect(refId(filter.LogGroupName)).toBe(text(stage.Properties.AccessLogSettings.DestinationArn).replace(/\.Arn$/, ''));
  });

  it.each(Object.keys(TABLES) as TableRole[])('%s table: DynamoDB read + write throttle events', (role) => {
    const id = tableId(role);
    const alarm = alarms.find((a) => JSON.stringify(a.Metrics ?? []).includes(`"${id}"`));
    expect(alarm).toMatchObject({ Threshold: ALARM_THRESHOLDS.dynamoThrottlesPer5Min, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1 });
    const stats = alarm.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat);
    expect(stats.map((s: any) => s.Metric.MetricName).sort()).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    for (const s of stats) {
      expect(s.Metric.Namespace).toBe('AWS/DynamoDB');
      expect(refId(s.Metric.Dimensions[0].Value)).toBe(id);
      expect(s).toMatchObject({ Stat: 'Sum', Period: 300 });
    }
    expect(alarm.Metrics.find((m: any) => m.Expression).ReturnData).not.toBe(false);
  });

  it('consumer lag above the threshold for 15 minutes', () => {
    const alarm = findAlarm(METRICS_NAMESPACE, 'ConsumerLag');
    const w = watched(alarm)!;
    expect(w).toMatchObject({ dimensions: { Role: 'groups' }, stat: 'Maximum', period: 300 });
    expect(Object.keys(w.dimensions).sort()).toEqual([...METRICS.ConsumerLag.dimensions].sort());
    expect(alarm).toMatchObject({ EvaluationPeriods: 3, Threshold: ALARM_THRESHOLDS.consumerLagRecords, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });
});

describe('dashboard', () => {
  let widgets: any[];
  beforeAll(() => {
    const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
    expect(dashboards).toHaveLength(1);
    widgets = JSON.parse(text((dashboards[0] as any).Properties.DashboardBody)).widgets;
  });

  const metricsOf = (title: string): unknown[][] => {
    const w = widgets.find((x) => x.properties.title === title);
    expect(w, title).toBeDefined();
    return w.properties.metrics;
  };
  /** The metric rows (namespace, name, dimension pairs…, options) of a widget as strings. */
  const rows = (title: string) => metricsOf(title).map((m) => JSON.stringify(m));
  /** A row as { namespace, name, dimensions, stat }: `[ns, name, k1, v1, …, {options}]`. */
  const parsed = (title: string) =>
    metricsOf(title).map((row) => {
      const opts = (typeof row[row.length - 1] === 'object' ? row[row.length - 1] : {}) as { stat?: string };
      const plain = row.filter((x) => typeof x === 'string') as string[];
      const dimensions: Record<string, string> = {};
      for (let i = 2; i + 1 < plain.length; i += 2) dimensions[plain[i]] = plain[i + 1];
      return { namespace: plain[0], name: plain[1], dimensions, stat: opts.stat };
    });

  it('charts produce and fetch requests and p50/p99 latency with the catalogue dimensions', () => {
    const requests = parsed('Produce / fetch requests');
    for (const op of ['produce', 'fetch']) {
      expect(requests).toContainEqual({ namespace: METRICS_NAMESPACE, name: 'Requests', dimensions: { Role: op, Operation: op }, stat: 'Sum' });
    }
    const latency = parsed('Latency p50 / p99 (ms)');
    for (const stat of ['p50', 'p99']) {
      for (const op of ['produce', 'fetch']) {
        expect(latency).toContainEqual({ namespace: METRICS_NAMESPACE, name: 'Latency', dimensions: { Role: op, Operation: op }, stat });
      }
    }
  });

  it('charts records and bytes in and out', () => {
    const all = rows('Records in / out').join('\n');
    for (const name of ['RecordsIn', 'RecordsOut', 'BytesIn', 'BytesOut']) expect(all).toContain(`"${name}"`);
  });

  it('charts errors by code with a SEARCH over the Errors dimension set', () => {
    const [row] = metricsOf('Errors by code');
    const expression = (row as any[]).find((x) => typeof x === 'object' && x.expression).expression as string;
    expect(expression).toContain(`{${METRICS_NAMESPACE},Role,Operation,Code} MetricName="Errors"`);
  });

  it('charts commit conflicts, API Gateway 4xx/5xx/throttles, and consumer lag', () => {
    expect(rows('Commit conflicts (lost commit races)').join()).toContain('"CommitConflicts"');
    const api = rows('API Gateway').join('\n');
    for (const m of ['"Count"', '"4xx"', '"5xx"', `"${API_THROTTLED_METRIC}"`]) expect(api).toContain(m);
    expect(api).toContain(`"ApiId","${apiId}"`);
    expect(parsed('Consumer lag (records, max)')).toContainEqual({ namespace: METRICS_NAMESPACE, name: 'ConsumerLag', dimensions: { Role: 'groups' }, stat: 'Maximum' });
  });

  it.each(['Lambda errors', 'Lambda throttles', 'Lambda duration p99 (ms)', 'Lambda concurrency (max)'])('%s: one line per function', (title) => {
    const all = rows(title).join('\n');
    for (const role of FUNCTION_ROLES) expect(all, role).toContain(`"FunctionName","${functionId(template, role)}"`);
  });

  it('charts DynamoDB throttling of every table', () => {
    const all = rows('DynamoDB throttled requests').join('\n');
    for (const role of Object.keys(TABLES) as TableRole[]) expect(all, role).toContain(`"TableName","${tableId(role)}"`);
  });
});

describe('API access log', () => {
  it('is JSON with a numeric status and nothing a client sends as a secret or as data', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as any;
    const format: string = stage.Properties.AccessLogSettings.Format;
    const parsed = JSON.parse(format.replace('$context.status', '429'));
    expect(parsed.status).toBe(429);
    expect(Object.keys(parsed).sort()).toEqual(Object.keys(API_ACCESS_LOG_FIELDS).sort());
    expect(format).not.toMatch(/header|authorization|querystring|body/i);
  });

  it('writes to a log group with a retention, kept when the stack goes', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as any;
    const id = text(stage.Properties.AccessLogSettings.DestinationArn).replace(/\.Arn$/, '');
    const group = template.findResources('AWS::Logs::LogGroup')[id] as any;
    expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    expect(group.DeletionPolicy).toBe('Retain');
  });
});
