/** What a console page gets, and what it returns. */
import type { ConsoleApi } from './api';

export interface PageContext {
  readonly api: ConsoleApi;
  /** Decoded path segments after the page name, e.g. ['orders', 'partitions', '0']. */
  readonly params: readonly string[];
  /** The hash's query string, e.g. `offset` and `encoding` of the partition browser. */
  readonly query: URLSearchParams;
  /** Runs `fn` every `ms` until the page is left. */
  every(ms: number, fn: () => Promise<void> | void): void;
  /** Navigates (changes the hash). */
  go(hash: string): void;
}

export type Page = (ctx: PageContext) => Promise<HTMLElement>;
