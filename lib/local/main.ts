/**
 * `npm start`: the local stack as a process. Settings come from the environment (API.md, "Local
 * stack"); the first line on stdout, once ready, is exactly
 * `Streambed listening on http://127.0.0.1:<port>` (tests and scripts parse it).
 */
import path from 'node:path';
import { DataDirInUseError } from './data-dir-lock';
import { PortInUseError } from './listen';
import { S3RVER_CREDENTIALS } from './emulators';
import { LOCAL_DEFAULTS, startLocalStack, type LocalStack } from './stack';
import { loadTriggerConfig, TriggerConfigError, type LocalTrigger } from './trigger-config';
import { triggerLeaseMsFromEnv } from './trigger-host';

const PORT_SETTING: Record<PortInUseError['service'], string> = {
  http: 'PORT',
  s3: 'STREAMBED_S3_PORT',
  dynamodb: 'STREAMBED_DYNAMODB_PORT',
};

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    fail(`${name}=${raw} is not a port number (0-65535; 0 picks a free port)`);
  }
  return port;
}

function fail(message: string): never {
  process.stderr.write(`streambed: ${message}\n`);
  process.exit(1);
}

function banner(stack: LocalStack, triggers: readonly LocalTrigger[]): string {
  const { config } = stack;
  const lines = [`Streambed listening on ${stack.url}`];
  if (stack.dataDir !== undefined) {
    lines.push(
      `  S3 (s3rver)         ${stack.s3Endpoint}  bucket ${config.bucket}  access key ${S3RVER_CREDENTIALS.accessKeyId} / secret ${S3RVER_CREDENTIALS.secretAccessKey}`,
      `  DynamoDB (dynalite) ${stack.dynamoEndpoint}  region ${config.region}`,
    );
  } else {
    lines.push(`  S3 + DynamoDB       ${stack.s3Endpoint} (AWS_ENDPOINT_URL)  bucket ${config.bucket}  region ${config.region}`);
  }
  lines.push(`  tables              ${Object.values(config.tables).join(', ')}`);
  lines.push(`  web console         ${stack.url}/console/`);
  lines.push(stack.dataDir !== undefined ? `  data dir            ${path.resolve(stack.dataDir)}` : '  data dir            (kept by the external endpoint)');
  for (const t of triggers) {
    lines.push(`  trigger             ${t.settings.name}: ${t.settings.topic} -> ${t.handlerRef} (group trigger.${t.settings.name})`);
  }
  lines.push('  stop with Ctrl-C (SIGINT) or SIGTERM');
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  // The AWS SDK warns on Node 20 that its releases after early January 2027 need Node 22. The lock
  // file pins a release that supports Node 20, so the notice would only bury the banner; set the
  // variable to "false" to see it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = process.env.AWS_ENDPOINT_URL || undefined;
  const options = {
    port: portFromEnv('PORT', LOCAL_DEFAULTS.port),
    dataDir: process.env.STREAMBED_DATA_DIR || LOCAL_DEFAULTS.dataDir,
    s3Port: portFromEnv('STREAMBED_S3_PORT', LOCAL_DEFAULTS.s3Port),
    dynamoPort: portFromEnv('STREAMBED_DYNAMODB_PORT', LOCAL_DEFAULTS.dynamoPort),
    endpoint,
  };

  let triggers: LocalTrigger[] = [];
  let triggerLeaseMs: number | undefined;
  if (process.env.STREAMBED_CONFIG) {
    try {
      triggerLeaseMs = triggerLeaseMsFromEnv();
      triggers = await loadTriggerConfig(process.env.STREAMBED_CONFIG);
    } catch (err) {
      fail(err instanceof TriggerConfigError || err instanceof Error ? err.message : String(err));
    }
  }

  let stack: LocalStack;
  try {
    stack = await startLocalStack({ ...options, triggers, triggerLeaseMs });
  } catch (err) {
    if (err instanceof PortInUseError) {
      fail(`${err.message}; stop whatever holds it or set ${PORT_SETTING[err.service]} to another port (0 picks a free one)`);
    }
    if (err instanceof DataDirInUseError) {
      fail(`${err.message}; stop it or set STREAMBED_DATA_DIR to another directory`);
    }
    // The message says what failed; the stack only with STREAMBED_DEBUG=1.
    const detail = err instanceof Error ? (process.env.STREAMBED_DEBUG === '1' ? (err.stack ?? err.message) : err.message) : String(err);
    fail(`could not start the local stack${endpoint ? ` against ${endpoint}` : ''}: ${detail}`);
  }

  // One write, so a reader of the pipe sees the whole banner together with the ready line.
  process.stdout.write(banner(stack, triggers));

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`streambed: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`streambed: ${signal}, finishing in-flight requests\n`);
    stack.stop().then(
      () => process.exit(0),
      (err: unknown) => fail(`shutdown failed: ${String(err)}`),
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

void main();
