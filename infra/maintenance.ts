/**
 * The maintenance job (lib/log/maintenance, docs/maintenance.md): retention, segment compaction,
 * deferred deletions and orphan garbage collection, run by one function on an EventBridge
 * schedule. The function serves no route; its access is ROLE_ACCESS.maintain. Runs that overlap
 * (a slow run, a duplicate delivery) are harmless: the second finds the lease taken and stops.
 */
import { Duration } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import { MAINTENANCE_ENV } from '../lib/log/maintenance/config';
import { grantRoleAccess, roleEnvironment } from './access';
import { MAINTENANCE_RATE } from './defaults';
import { StreambedFunction } from './streambed-function';
import type { StreambedStorage } from './storage';

/** Settings of the job, passed as its environment (defaults: lib/log/maintenance/config.ts). */
export type MaintenanceSettings = Partial<Record<keyof typeof MAINTENANCE_ENV, number>>;

export interface StreambedMaintenanceProps {
  readonly storage: StreambedStorage;
  /** @default Schedule.rate(MAINTENANCE_RATE), every 5 minutes */
  readonly schedule?: Schedule;
  /** E.g. `{ orphanGraceMs: 2 * 3600_000 }`. @default the library's defaults */
  readonly settings?: MaintenanceSettings;
}

export class StreambedMaintenance extends Construct {
  public readonly function: StreambedFunction;
  /** The EventBridge rule that invokes it. */
  public readonly rule: Rule;

  constructor(scope: Construct, id: string, props: StreambedMaintenanceProps) {
    super(scope, id);
    const settings: Record<string, string> = {};
    for (const [name, value] of Object.entries(props.settings ?? {})) {
      settings[MAINTENANCE_ENV[name as keyof typeof MAINTENANCE_ENV]] = String(value);
    }
    this.function = new StreambedFunction(this, 'Function', {
      role: 'maintain',
      environment: { ...roleEnvironment(props.storage, 'maintain'), ...settings },
    });
    grantRoleAccess(props.storage, 'maintain', this.function);

    this.rule = new Rule(this, 'Schedule', {
      description: 'Streambed maintenance: retention, compaction, garbage collection',
      schedule: props.schedule ?? Schedule.rate(MAINTENANCE_RATE),
      targets: [
        new LambdaFunction(this.function, {
          // The next scheduled run is the retry; a late run would only find the lease taken.
          retryAttempts: 0,
          maxEventAge: Duration.minutes(1),
        }),
      ],
    });
  }
}
