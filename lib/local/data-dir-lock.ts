/**
 * One local stack per data directory. dynalite's LevelDB store refuses a second opener, and it
 * reports that by throwing from inside a request callback, which kills the process with "Database
 * is closed"; s3rver would let two writers interleave. So the stack claims the directory first
 * with a lock file naming its pid. A lock left by a dead process (kill -9, power cut) is taken over.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const LOCK_FILE = 'streambed.lock';

export class DataDirInUseError extends Error {
  readonly dataDir: string;
  readonly pid: number;

  constructor(dataDir: string, pid: number) {
    super(`data directory ${dataDir} is in use by another local stack (pid ${pid})`);
    this.name = 'DataDirInUseError';
    this.dataDir = dataDir;
    this.pid = pid;
  }
}

/** Claims `dataDir` (which must exist); resolves with a function that releases it. */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, LOCK_FILE);
  const mine = JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, mine, { flag: 'wx' });
      return async () => {
        const current = await readFile(file, 'utf8').catch(() => undefined);
        if (current === mine) await rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = await lockHolder(file);
    if (holder !== undefined && isAlive(holder)) throw new DataDirInUseError(dataDir, holder);
    // Stale: its owner died without cleaning up. Remove it and claim again (a concurrent
    // claimant that wins the retry makes us see a live holder on the next round).
    await rm(file, { force: true });
  }
  throw new Error(`cannot claim ${file}; remove it if no local stack is running`);
}

async function lockHolder(file: string): Promise<number | undefined> {
  for (let read = 0; read < 2; read++) {
    try {
      const pid = (JSON.parse(await readFile(file, 'utf8')) as { pid?: unknown }).pid;
      if (typeof pid === 'number' && Number.isInteger(pid) && pid > 0) return pid;
    } catch {
      // Being written right now, or garbage: look once more, then call it stale.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
