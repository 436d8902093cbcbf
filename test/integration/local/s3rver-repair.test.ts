/**
 * The embedded S3 after a crash in the middle of a PUT (found by the reliability harness: a
 * kill -9 left an empty `_S3rver_metadata.json`, and s3rver then answered every listing and
 * HeadBucket with 500, so the local stack could not start again).
 */
import { readdir, rm, truncate } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureResources } from '../../../lib/local/bootstrap';
import { startEmulators } from '../../../lib/local/emulators';
import { createClients, storageConfigFromEnv, type StorageClients } from '../../../lib/storage/clients';
import { createStorage } from '../../../lib/storage';

const dirs: string[] = [];
const clients: StorageClients[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) {
    c.s3.destroy();
    c.dynamo.destroy();
  }
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function open(dataDir: string) {
  const emulators = await startEmulators({ dataDir, s3Port: 0, dynamoPort: 0 });
  const c = createClients(storageConfigFromEnv({ STREAMBED_S3_ENDPOINT: emulators.s3Endpoint, STREAMBED_DYNAMODB_ENDPOINT: emulators.dynamoEndpoint }));
  clients.push(c);
  return { emulators, clients: c, storage: createStorage(c) };
}

async function findFiles(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(suffix)).map((e) => join(e.parentPath ?? e.path, e.name));
}

describe('embedded S3 after a crash mid-PUT', () => {
  it('drops the half-written object at the next start and serves everything else', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'streambed-s3rver-repair-'));
    dirs.push(dataDir);
    const first = await open(dataDir);
    await ensureResources(first.clients);
    const kept = await first.storage.segments.putSegment('t', 0, Buffer.from('acknowledged'));
    const torn = await first.storage.segments.putSegment('t', 0, Buffer.from('cut short'));
    await first.emulators.stop();

    // What a kill -9 between s3rver's writes leaves: the metadata file of `torn` is empty.
    const name = torn.split('/').pop()!;
    const [metadata] = (await findFiles(join(dataDir, 's3'), '._S3rver_metadata.json')).filter((f) => f.includes(name));
    await truncate(metadata, 0);

    const second = await open(dataDir);
    try {
      await ensureResources(second.clients);
      const listed = await second.clients.s3.send(new ListObjectsV2Command({ Bucket: second.clients.config.bucket, Prefix: 'segments/t/' }));
      expect((listed.Contents ?? []).map((o) => o.Key)).toEqual([kept]);
      expect((await second.storage.segments.getSegment(kept)).toString()).toBe('acknowledged');
    } finally {
      await second.emulators.stop();
    }
  });
});
