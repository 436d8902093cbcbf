/** Helpers for the SDK's integration tests: a Streambed client whose HTTP calls are counted, and can be cut. */
import { Streambed, type FetchFn, type StreambedOptions } from '../../../lib/client';

export interface CountingClient {
  readonly streambed: Streambed;
  /** Calls made so far, as "METHOD /path" (query left out). */
  readonly calls: string[];
  count(method: string, pathPattern: RegExp): number;
  /**
   * From now on every request fails as if the network were gone (the process "crashed" from the
   * server's point of view: no heartbeats, no commits, no leave).
   */
  cut(): void;
}

export function countingClient(url: string, options: Omit<StreambedOptions, 'url' | 'fetch'> = {}): CountingClient {
  const calls: string[] = [];
  let dead = false;
  const fetchFn: FetchFn = async (input, init) => {
    const u = new URL(String(input instanceof Request ? input.url : input));
    calls.push(`${init?.method ?? 'GET'} ${u.pathname}`);
    if (dead) throw new TypeError('fetch failed (connection cut by the test)');
    return fetch(input, init);
  };
  return {
    streambed: new Streambed({ url, fetch: fetchFn, ...options }),
    calls,
    count: (method, pattern) => calls.filter((c) => c.startsWith(`${method} `) && pattern.test(c.slice(method.length + 1))).length,
    cut: () => {
      dead = true;
    },
  };
}

export const PRODUCE_PATH = /^\/v1\/topics\/[^/]+\/records$/;
