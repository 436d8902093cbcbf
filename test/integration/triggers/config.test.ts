/** A bad STREAMBED_CONFIG fails start-up with a message that says what to fix. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnLocalStack } from '../../helpers/local-stack-process';
import { writeConfig } from './helpers';

describe.skipIf(Boolean(process.env.AWS_ENDPOINT_URL))('STREAMBED_CONFIG validation', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  async function startWith(write: (dir: string) => Promise<string>): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'streambed-trigger-config-'));
    dirs.push(dir);
    const config = await write(dir);
    const err = await spawnLocalStack({ dataDir: join(dir, 'data'), env: { STREAMBED_CONFIG: config } }).then(
      async (s) => {
        await s.stop();
        return undefined;
      },
      (e: Error) => e,
    );
    expect(err, 'the stack started with a bad config').toBeInstanceOf(Error);
    return err!.message;
  }

  it('names the trigger and the field of a bad setting', async () => {
    const message = await startWith((dir) => writeConfig(dir, [{ name: 'x', topic: 't', handler: '#record', batchSize: 0 }]));
    expect(message).toMatch(/STREAMBED_CONFIG .*triggers\[0\]: batchSize/);
  }, 60_000);

  it('names a handler export that does not exist', async () => {
    const message = await startWith((dir) => writeConfig(dir, [{ name: 'x', topic: 't', handler: '#nope' }]));
    expect(message).toMatch(/has no exported function "nope"/);
  }, 60_000);

  it('refuses a file that is not JSON', async () => {
    const message = await startWith(async (dir) => {
      const file = join(dir, 'bad.json');
      await writeFile(file, '{"triggers": [');
      return file;
    });
    expect(message).toMatch(/cannot be read as JSON/);
  }, 60_000);
});
