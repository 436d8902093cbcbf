/**
 * The whole local stack in one call: storage (the embedded emulators, or an external endpoint
 * such as LocalStack), its bucket and tables, and the HTTP server in front of the Lambda handlers.
 *
 * The handlers configure themselves from process.env (lib/storage/clients.ts), exactly as on
 * Lambda, so this module writes the storage settings into process.env before the first handler
 * is imported. One stack per process: the handlers' clients are created once and then reused.
 */
import { drainBackground } from '../api/background';
import { createClients, storageConfigFromEnv, storageEnv, type StorageConfig } from '../storage/clients';
import { ensureResources } from './bootstrap';
import { S3RVER_CREDENTIALS, startEmulators, type Emulators } from './emulators';
import { LOCAL_HOST } from './listen';
import { createLocalServer } from './server';
import { installTelemetry } from '../observability/registry';
import { MemoryTelemetry } from '../observability/memory-telemetry';
import { createStorage } from '../storage';
import { maintenanceIntervalFromEnv, startMaintenanceTimer } from './maintenance-timer';
import type { LocalTrigger } from './trigger-config';
import { startTriggerHost, triggerLeaseMsFromEnv } from './trigger-host';

export interface LocalStackOptions {
  /** HTTP port; 0 picks a free one (default 8080). */
  readonly port?: number;
  /** Where the emulators keep their data (default ./.streambed). Unused with `endpoint`. */
  readonly dataDir?: string;
  /** Embedded S3 port (default 4568; 0 = free port). */
  readonly s3Port?: number;
  /** Embedded DynamoDB port (default 4567; 0 = free port). */
  readonly dynamoPort?: number;
  /** One endpoint for S3 and DynamoDB (AWS_ENDPOINT_URL, e.g. LocalStack): no emulators are started. */
  readonly endpoint?: string;
  /** Log one JSON line per request on stderr (default: STREAMBED_LOG_REQUESTS=1). */
  readonly logRequests?: boolean;
  /** Maintenance (retention, compaction, GC) every this many ms; 0 = off (default: STREAMBED_MAINTENANCE_INTERVAL_MS or 30 s). */
  readonly maintenanceIntervalMs?: number;
  /** Triggers to run in this process (from STREAMBED_CONFIG: lib/local/trigger-config.ts). */
  readonly triggers?: readonly LocalTrigger[];
  /** Lease of each trigger partition (default: STREAMBED_TRIGGER_LEASE_MS or 30 s). */
  readonly triggerLeaseMs?: number;
  /** How long stop() waits for in-flight requests and background appends (default 10 s). */
  readonly shutdownGraceMs?: number;
}

export interface LocalStack {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  /** The settings the handlers run with (also in process.env). */
  readonly config: StorageConfig;
  /** Set when the embedded emulators run (no `endpoint`). */
  readonly dataDir?: string;
  /** Stop accepting, finish in-flight requests and background work (bounded), close storage. */
  stop(): Promise<void>;
}

export const LOCAL_DEFAULTS = { port: 8080, dataDir: './.streambed', s3Port: 4568, dynamoPort: 4567 } as const;

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const graceMs = options.shutdownGraceMs ?? 10_000;
  const dataDir = options.endpoint ? undefined : (options.dataDir ?? LOCAL_DEFAULTS.dataDir);
  let emulators: Emulators | undefined;
  if (dataDir !== undefined) {
    emulators = await startEmulators({
      dataDir,
      s3Port: options.s3Port ?? LOCAL_DEFAULTS.s3Port,
      dynamoPort: options.dynamoPort ?? LOCAL_DEFAULTS.dynamoPort,
    });
  }

  try {
    const config = configure(options.endpoint, emulators);
    const bootstrapClients = createClients(config);
    try {
      await ensureResources(bootstrapClients);
    } finally {
      bootstrapClients.s3.destroy();
      bootstrapClients.dynamo.destroy();
    }

    // Metrics aggregate in memory (GET /v1/metrics) instead of EMF lines: installed before the
    // first handler runs, so the Lambda adapter finds it and does not install Powertools.
    const telemetry = new MemoryTelemetry();
    installTelemetry(telemetry);
    const http = createLocalServer({ logRequests: options.logRequests, telemetry });
    const port = await http.listen(options.port ?? LOCAL_DEFAULTS.port);
    // The deployed schedule's stand-in (lib/local/maintenance-timer.ts), on clients of its own.
    const maintenanceClients = createClients(config);
    const maintenance = startMaintenanceTimer(createStorage(maintenanceClients), options.maintenanceIntervalMs ?? maintenanceIntervalFromEnv());
    // Event-source triggers (lib/triggers), in-process, on clients of their own.
    const url = `http://${LOCAL_HOST}:${port}`;
    const triggerClients = options.triggers?.length ? createClients(config) : undefined;
    const triggers = triggerClients
      ? startTriggerHost(createStorage(triggerClients), options.triggers ?? [], url, options.triggerLeaseMs ?? triggerLeaseMsFromEnv())
      : undefined;
    let stopping: Promise<void> | undefined;
    return {
      url: `http://${LOCAL_HOST}:${port}`,
      port,
      s3Endpoint: config.s3Endpoint ?? '',
      dynamoEndpoint: config.dynamoEndpoint ?? '',
      config,
      dataDir,
      stop() {
        stopping ??= (async () => {
          const deadline = Date.now() + graceMs;
          // Triggers first: a handler may still call the API while its batch finishes.
          await Promise.race([triggers?.stop(), sleep(deadline - Date.now())]);
          await http.close(Math.max(0, deadline - Date.now()));
          await Promise.race([drainBackground(), sleep(deadline - Date.now())]);
          await Promise.race([maintenance.stop(), sleep(deadline - Date.now())]);
          maintenanceClients.s3.destroy();
          maintenanceClients.dynamo.destroy();
          triggerClients?.s3.destroy();
          triggerClients?.dynamo.destroy();
          await emulators?.stop();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await emulators?.stop();
    throw err;
  }
}

/**
 * Puts the storage settings into process.env, where the handlers read them, and returns them.
 * With the emulators the process's AWS credentials become S3RVER/S3RVER: s3rver accepts no other
 * key, and a local stack must never sign requests with a developer's real credentials. With an
 * external endpoint, credentials already in the environment are kept; otherwise test/test
 * (LocalStack's convention). STREAMBED_RUNTIME=local tells the handlers they are not on Lambda.
 */
function configure(endpoint: string | undefined, emulators: Emulators | undefined): StorageConfig {
  const env = process.env;
  // The handlers' runtime switch: this process keeps running after a response, so work accepted
  // for later (acks=none) completes in the background instead of delaying the reply.
  env.STREAMBED_RUNTIME = 'local';
  if (emulators) {
    env.STREAMBED_S3_ENDPOINT = emulators.s3Endpoint;
    env.STREAMBED_DYNAMODB_ENDPOINT = emulators.dynamoEndpoint;
    env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
    env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
    delete env.AWS_SESSION_TOKEN;
  } else if (endpoint) {
    env.AWS_ENDPOINT_URL = endpoint;
    env.STREAMBED_S3_ENDPOINT = endpoint;
    env.STREAMBED_DYNAMODB_ENDPOINT = endpoint;
    if (!env.AWS_ACCESS_KEY_ID) {
      env.STREAMBED_LOCAL_ACCESS_KEY ??= 'test';
      env.STREAMBED_LOCAL_SECRET_KEY ??= 'test';
    }
  }
  const config = storageConfigFromEnv(env);
  Object.assign(env, storageEnv(config));
  return config;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)).unref());
}
