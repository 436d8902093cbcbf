/**
 * The embedded storage emulators of the local stack, in this process: s3rver for S3 and dynalite
 * for DynamoDB, both on 127.0.0.1 and both keeping their data under one directory, so a restart
 * (even after kill -9) finds every object and item again. Their known gaps and traps are in
 * docs/decisions/0003-local-stack.md.
 */
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import dynalite from 'dynalite';
import S3rver from 's3rver';
import { lockDataDir } from './data-dir-lock';
import { repairS3rverStore } from './s3rver-repair';
import { LOCAL_HOST, closeServer, listen } from './listen';

export interface EmulatorOptions {
  /** Root of the persisted data: `<dataDir>/s3` and `<dataDir>/dynamodb`. */
  readonly dataDir: string;
  /** 0 picks a free port. */
  readonly s3Port: number;
  /** 0 picks a free port. */
  readonly dynamoPort: number;
}

export interface Emulators {
  /** `http://127.0.0.1:<real port>` */
  readonly s3Endpoint: string;
  readonly dynamoEndpoint: string;
  readonly s3Port: number;
  readonly dynamoPort: number;
  /** Closes both servers (and dynalite's LevelDB store). Safe to call twice. */
  stop(): Promise<void>;
}

/** The access key pair s3rver accepts (its only account). */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

/** How long stop() lets open client connections finish before cutting them. */
const CLOSE_GRACE_MS = 2_000;

export async function startEmulators(options: EmulatorOptions): Promise<Emulators> {
  const s3Dir = path.join(options.dataDir, 's3');
  const dynamoDir = path.join(options.dataDir, 'dynamodb');
  await mkdir(s3Dir, { recursive: true });
  await mkdir(dynamoDir, { recursive: true });

  const unlock = await lockDataDir(options.dataDir);

  // A PUT cut short by a kill -9 would otherwise make s3rver fail every listing of the bucket.
  let repaired: string[];
  try {
    repaired = await repairS3rverStore(s3Dir);
  } catch (err) {
    await unlock();
    throw err;
  }
  for (const object of repaired) {
    process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'removed an object left half-written by a crash (never acknowledged)', object })}\n`);
  }
  // s3rver's own run() leaves a listen error (EADDRINUSE) unhandled, so it gets a server of ours.
  const s3 = createServer(new S3rver({ directory: s3Dir, silent: true }).callback());
  let s3Port: number;
  try {
    s3Port = await listen(s3, options.s3Port, 's3');
  } catch (err) {
    await unlock();
    throw err;
  }
  // dynalite opens its LevelDB store at once; only closing the listening server closes it again.
  const dynamo = dynalite({ path: dynamoDir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  let dynamoPort: number;
  try {
    dynamoPort = await listen(dynamo, options.dynamoPort, 'dynamodb');
  } catch (err) {
    await stopServer(s3);
    await unlock();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    s3Endpoint: `http://${LOCAL_HOST}:${s3Port}`,
    dynamoEndpoint: `http://${LOCAL_HOST}:${dynamoPort}`,
    s3Port,
    dynamoPort,
    stop() {
      stopping ??= Promise.all([stopServer(s3), stopServer(dynamo)]).then(unlock);
      return stopping;
    },
  };
}

/** close(), and after a grace period cut the connections that keep it from finishing. */
async function stopServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = closeServer(server);
  const timer = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
