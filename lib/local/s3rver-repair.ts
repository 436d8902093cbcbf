/**
 * Crash repair of the embedded S3 store. s3rver writes an object as three files one after the
 * other — the bytes, `<name>._S3rver_object.md5`, then `<name>._S3rver_metadata.json` — and answers
 * the PUT only after the last one. A process killed in between (kill -9 of the local stack while a
 * PUT is in flight) leaves a metadata file that is empty or cut short, and from then on s3rver
 * answers every listing and HeadBucket of that bucket with 500, so the local stack cannot start
 * again. Such an object was never acknowledged: removing its files restores the store as every
 * client saw it. Runs before s3rver opens the directory (the data-dir lock is held).
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

const METADATA = '._S3rver_metadata.json';

/** Removes objects whose metadata file does not parse; returns their paths (without the suffix). */
export async function repairS3rverStore(dir: string): Promise<string[]> {
  const removed: string[] = [];
  const walk = async (current: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(current, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
        continue;
      }
      if (!entry.name.endsWith(METADATA)) continue;
      try {
        JSON.parse(await readFile(full, 'utf8'));
      } catch {
        const base = full.slice(0, -METADATA.length);
        await Promise.all([full, `${base}._S3rver_object`, `${base}._S3rver_object.md5`].map((f) => rm(f, { force: true })));
        removed.push(base);
      }
    }
  };
  await walk(dir);
  return removed;
}
