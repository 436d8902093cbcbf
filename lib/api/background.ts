/**
 * Work that outlives the response that started it (produce with `acks: "none"`). Tracked so a
 * graceful shutdown can wait for it instead of dropping accepted records.
 */
const pending = new Set<Promise<unknown>>();

export function runInBackground(work: () => Promise<unknown>, onError: (err: unknown) => void): void {
  const p = work().catch(onError);
  pending.add(p);
  void p.finally(() => pending.delete(p));
}

/** Resolves once every background task started so far has settled. */
export async function drainBackground(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}

export function backgroundCount(): number {
  return pending.size;
}
