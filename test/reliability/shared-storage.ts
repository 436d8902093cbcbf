/**
 * Storage shared by several local-stack processes, the way many Lambda instances share one bucket
 * and one set of tables: the embedded emulators run in THIS process (the harness, which no
 * nemesis touches), behind one HTTP endpoint that routes DynamoDB calls (they carry
 * `x-amz-target`) to dynalite and everything else to s3rver. Each stack is started with
 * AWS_ENDPOINT_URL pointing here, so any of them can be killed or paused while the data lives on.
 */
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { ensureResources } from '../../lib/local/bootstrap';
import { S3RVER_CREDENTIALS, startEmulators, type Emulators } from '../../lib/local/emulators';
import { closeServer, listen } from '../../lib/local/listen';
import { createClients, storageConfigFromEnv, type StorageConfig } from '../../lib/storage/clients';

export interface SharedStorage {
  /** The one endpoint for S3 and DynamoDB. */
  readonly endpoint: string;
  readonly emulators: Emulators;
  /** Settings for clients in this process (direct to the emulators). */
  readonly config: StorageConfig;
  /** Environment for a local stack that should use this storage. */
  stackEnv(): Record<string, string>;
  stop(): Promise<void>;
}

export async function startSharedStorage(dataDir: string): Promise<SharedStorage> {
  const emulators = await startEmulators({ dataDir, s3Port: 0, dynamoPort: 0 });
  const config = storageConfigFromEnv({ STREAMBED_S3_ENDPOINT: emulators.s3Endpoint, STREAMBED_DYNAMODB_ENDPOINT: emulators.dynamoEndpoint });
  const clients = createClients(config);
  try {
    await ensureResources(clients);
  } finally {
    clients.s3.destroy();
    clients.dynamo.destroy();
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const s3 = new URL(emulators.s3Endpoint);
  const dynamo = new URL(emulators.dynamoEndpoint);

  const route = (req: IncomingMessage, res: ServerResponse): void => {
    const target = req.headers['x-amz-target'] ? dynamo : s3;
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('error', () => res.destroy());
      },
    );
    // A caller that dies mid-request (kill -9) leaves the upstream request to finish or fail on
    // its own, as a real storage service would.
    upstream.on('error', () => res.destroy());
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  };
  const server = createServer(route);
  server.keepAliveTimeout = 30_000;
  const port = await listen(server, 0, 's3');
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    emulators,
    config,
    stackEnv: () => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
    }),
    async stop() {
      server.closeAllConnections();
      await closeServer(server);
      agent.destroy();
      await emulators.stop();
    },
  };
}
