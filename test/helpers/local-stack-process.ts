/**
 * The local stack as a child process, as a developer runs it (`npm start`), on free ports: for the
 * global test setup and for tests that restart or kill the stack (crash recovery, persistence).
 *
 * @example
 * const stack = await spawnLocalStack({ dataDir });
 * await fetch(`${stack.url}/v1/health`);
 * await stack.kill9();                          // a power cut
 * const again = await spawnLocalStack({ dataDir }); // same data
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface SpawnOptions {
  /** STREAMBED_DATA_DIR of the child. */
  readonly dataDir: string;
  /** Extra environment (wins over the defaults, e.g. STREAMBED_FAILPOINTS or AWS_ENDPOINT_URL). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** How long to wait for the ready line (default 30 s). */
  readonly startTimeoutMs?: number;
  /** Copy the child's output to this process's stderr as it comes (default false). */
  readonly echo?: boolean;
}

export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface LocalStackProcess {
  /** `http://127.0.0.1:<port>`, from the ready line. */
  readonly url: string;
  readonly pid: number;
  /** SIGTERM (graceful shutdown), then wait for the exit; SIGKILL if it takes over 20 s. */
  stop(): Promise<ExitStatus>;
  /** SIGKILL, then wait for the exit: no shutdown code runs. */
  kill9(): Promise<ExitStatus>;
  /** Resolves when the process has exited, whatever made it exit. */
  waitExit(): Promise<ExitStatus>;
  /** Everything the child wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** The embedded emulators' endpoints, from the banner (rejects when it runs against AWS_ENDPOINT_URL). */
  endpoints(): Promise<{ s3: string; dynamodb: string }>;
}

export const READY_LINE = /^Streambed listening on (http:\/\/\S+)$/;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STOP_TIMEOUT_MS = 20_000;

/** Children still running; killed if the test process exits without stopping them. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export function spawnLocalStack(options: SpawnOptions): Promise<LocalStackProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/local/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      STREAMBED_S3_PORT: '0',
      STREAMBED_DYNAMODB_PORT: '0',
      STREAMBED_DATA_DIR: options.dataDir,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  let stdout = '';
  const collect = (s: string): void => {
    output += s;
    if (options.echo) process.stderr.write(s);
  };
  child.stdout.setEncoding('utf8').on('data', (s: string) => {
    stdout += s;
    collect(s);
  });
  child.stderr.setEncoding('utf8').on('data', collect);

  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  const signalAndWait = async (signal: NodeJS.Signals): Promise<ExitStatus> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  };

  return new Promise<LocalStackProcess>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    let stdoutSoFar = '';
    const fail = (why: string): void => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`local stack (pid ${child.pid}) ${why}; its output:\n${output}`));
    };
    const onData = (s: string): void => {
      stdoutSoFar += s;
      const newline = stdoutSoFar.indexOf('\n');
      if (newline < 0) return;
      const first = stdoutSoFar.slice(0, newline).trimEnd();
      const m = READY_LINE.exec(first);
      if (!m) return fail(`printed "${first}" instead of the ready line`);
      cleanup();
      resolve({
        url: m[1],
        pid: child.pid ?? -1,
        stop: () => signalAndWait('SIGTERM'),
        kill9: () => signalAndWait('SIGKILL'),
        waitExit: () => exited,
        output: () => output,
        endpoints: () => bannerEndpoints(() => stdout),
      });
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => fail(`exited (code ${code}, signal ${signal}) before it was ready`);
    const onError = (err: Error): void => fail(`could not be started: ${err.message}`);
    const timer = setTimeout(() => fail(`was not ready within ${timeoutMs} ms`), timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('close', onExit);
      child.off('error', onError);
    }
    child.stdout.on('data', onData);
    child.once('close', onExit);
    child.once('error', onError);
  });
}

/** Waits (up to 5 s) for the banner lines that name the emulator endpoints. */
async function bannerEndpoints(stdout: () => string): Promise<{ s3: string; dynamodb: string }> {
  for (let waited = 0; ; waited += 50) {
    const s3 = /S3 \(s3rver\)\s+(http:\/\/\S+)/.exec(stdout())?.[1];
    const dynamodb = /DynamoDB \(dynalite\)\s+(http:\/\/\S+)/.exec(stdout())?.[1];
    if (s3 && dynamodb) return { s3, dynamodb };
    if (waited >= 5_000) throw new Error(`no emulator endpoints in the banner:\n${stdout()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
