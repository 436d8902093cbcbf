/**
 * Fail points: named places in the append path where a test can make the process crash (SIGKILL
 * itself, as a power cut would) or throw, to prove that no acknowledged record is lost and no gap
 * is left. Off unless configured; a disabled fail point costs one Map lookup.
 *
 * Configure with STREAMBED_FAILPOINTS="name=action[@hit],..." where action is `crash`, `throw` or
 * `stop` (SIGSTOP itself, a paused writer: whoever sends SIGCONT lets it go on from there)
 * and `@hit` triggers only on the n-th time the point is reached (default: every time), e.g.
 * `STREAMBED_FAILPOINTS=append.after-commit=crash@3`.
 */

export const FAILPOINTS = ['append.after-segment-put', 'append.after-commit'] as const;
export type FailpointName = (typeof FAILPOINTS)[number];
export type FailpointAction = 'crash' | 'throw' | 'stop';

interface Armed {
  action: FailpointAction;
  hit?: number;
  seen: number;
}

const armed = new Map<string, Armed>();

export class InjectedFault extends Error {
  constructor(name: string) {
    super(`injected fault at fail point ${name}`);
    this.name = 'InjectedFault';
  }
}

export function setFailpoint(name: FailpointName, action: FailpointAction | undefined, hit?: number): void {
  if (action === undefined) armed.delete(name);
  else armed.set(name, { action, hit, seen: 0 });
}

export function parseFailpoints(spec: string | undefined): void {
  armed.clear();
  for (const part of (spec ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^([\w.-]+)=(crash|throw|stop)(?:@(\d+))?$/.exec(part);
    if (!m || !(FAILPOINTS as readonly string[]).includes(m[1])) {
      throw new Error(`bad STREAMBED_FAILPOINTS entry "${part}"; expected name=crash|throw|stop[@n] with name one of ${FAILPOINTS.join(', ')}`);
    }
    setFailpoint(m[1] as FailpointName, m[2] as FailpointAction, m[3] ? Number(m[3]) : undefined);
  }
}

parseFailpoints(process.env.STREAMBED_FAILPOINTS);

export function failpoint(name: FailpointName): void {
  const a = armed.get(name);
  if (!a) return;
  a.seen += 1;
  if (a.hit !== undefined && a.seen !== a.hit) return;
  if (a.action === 'crash') {
    process.stderr.write(`fail point ${name}: crashing (SIGKILL)\n`);
    process.kill(process.pid, 'SIGKILL');
  }
  if (a.action === 'stop') {
    process.stderr.write(`fail point ${name}: stopping (SIGSTOP)\n`);
    process.kill(process.pid, 'SIGSTOP');
    return;
  }
  throw new InjectedFault(name);
}
