/**
 * Real storage for lib-level integration tests: the embedded S3 and DynamoDB emulators started in
 * this process on free ports (or LocalStack when AWS_ENDPOINT_URL is set), reached over HTTP
 * through the same SDK clients production uses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureResources } from '../../lib/local/bootstrap';
import { startEmulators } from '../../lib/local/emulators';
import { createStorage, type Storage } from '../../lib/storage';
import { createClients, storageConfigFromEnv, type StorageClients } from '../../lib/storage/clients';

export interface EmulatedStorage {
  storage: Storage;
  clients: StorageClients;
  stop(): Promise<void>;
}

export async function emulatedStorage(): Promise<EmulatedStorage> {
  if (process.env.AWS_ENDPOINT_URL) {
    const clients = createClients(storageConfigFromEnv(process.env));
    await ensureResources(clients);
    return { storage: createStorage(clients), clients, stop: async () => {} };
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'streambed-lib-'));
  const emulators = await startEmulators({ dataDir, s3Port: 0, dynamoPort: 0 });
  const clients = createClients(
    storageConfigFromEnv({ STREAMBED_S3_ENDPOINT: emulators.s3Endpoint, STREAMBED_DYNAMODB_ENDPOINT: emulators.dynamoEndpoint }),
  );
  await ensureResources(clients);
  return {
    storage: createStorage(clients),
    clients,
    stop: async () => {
      clients.s3.destroy();
      clients.dynamo.destroy();
      await emulators.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
