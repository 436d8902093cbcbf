/**
 * Settling one batch the way Lambda's event source mapping does (docs/triggers.md):
 * - success: the batch is done (commit past its last record);
 * - `reportBatchItemFailures` and a response naming failed items: the records before the lowest
 *   named offset are done, the rest is a failed batch;
 * - function error (a throw, or an invalid batch response): with `bisectBatchOnFunctionError` a
 *   batch of more than one record is split in halves, delivered in order (a split is not a retry);
 *   otherwise the batch is retried (exponential backoff) until `maximumRetryAttempts` retries
 *   have failed or its oldest record is older than `maximumRecordAgeSeconds`, and then given up:
 *   each record goes to `onFailureTopic` (when set) and the position moves past it.
 *
 * Pure logic over three callbacks, so unit tests drive it with fakes and the dispatcher with
 * storage. The batch is settled strictly in offset order: nothing after a record is committed
 * before that record is delivered or given up.
 */
import type { DecodedRecord } from '../protocol';
import { readBatchResponse } from './event';
import type { TriggerSettings } from './settings';

export interface BatchDeliveryDeps {
  readonly settings: TriggerSettings;
  /** Invokes the function with these records (one partition, offset order); throws on a function error. */
  invoke(records: readonly DecodedRecord[]): Promise<unknown>;
  /** Records everything below `nextOffset` as processed; throws when the dispatcher was fenced. */
  commit(nextOffset: number): Promise<void>;
  /** Gives up on these records (dead-letters them when a failure topic is set); the caller then commits past them. */
  giveUp(records: readonly DecodedRecord[], error: string, attempts: number): Promise<void>;
  /** Waits between retries; also the place to stop a dispatcher that must stop (throw). */
  sleep(ms: number): Promise<void>;
  readonly now?: () => number;
}

export interface DeliveryReport {
  readonly invocations: number;
  readonly failedInvocations: number;
  readonly givenUp: number;
}

interface Pending {
  records: readonly DecodedRecord[];
  /** Failed attempts of this exact batch since it could no longer be split (or was not split). */
  failures: number;
}

export const RETRY_BACKOFF = { firstMs: 100, maxMs: 5_000 } as const;

export async function deliverBatch(batch: readonly DecodedRecord[], deps: BatchDeliveryDeps): Promise<DeliveryReport> {
  const { settings } = deps;
  const now = deps.now ?? Date.now;
  const queue: Pending[] = [{ records: batch, failures: 0 }];
  let invocations = 0;
  let failedInvocations = 0;
  let givenUp = 0;

  while (queue.length > 0) {
    const item = queue[0];
    const offsets = item.records.map((r) => r.offset);
    let error: string;
    let failedFrom = 0; // index of the first record that still needs delivering
    invocations++;
    try {
      const response = await deps.invoke(item.records);
      const outcome = settings.reportBatchItemFailures ? readBatchResponse(response, offsets) : ({ kind: 'all' } as const);
      if (outcome.kind === 'all') {
        await deps.commit(offsets[offsets.length - 1] + 1);
        queue.shift();
        continue;
      }
      if (outcome.kind === 'invalid') {
        error = `invalid batch response: ${outcome.why}`;
      } else {
        failedFrom = offsets.indexOf(outcome.from);
        error = `batch item failure reported at offset ${outcome.from}`;
      }
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}` : `function error: ${String(err)}`;
    }
    failedInvocations++;

    if (failedFrom > 0) {
      // The records before the lowest reported failure were processed.
      await deps.commit(offsets[failedFrom]);
      item.records = item.records.slice(failedFrom);
      item.failures = 0;
    }
    if (settings.bisectBatchOnFunctionError && item.records.length > 1) {
      const half = Math.ceil(item.records.length / 2);
      queue.splice(0, 1, { records: item.records.slice(0, half), failures: 0 }, { records: item.records.slice(half), failures: 0 });
      continue;
    }
    item.failures++;
    const retriesLeft = settings.maximumRetryAttempts < 0 || item.failures <= settings.maximumRetryAttempts;
    const oldest = Math.min(...item.records.map((r) => r.timestamp));
    const tooOld = settings.maximumRecordAgeSeconds >= 0 && now() - oldest > settings.maximumRecordAgeSeconds * 1000;
    if (retriesLeft && !tooOld) {
      await deps.sleep(Math.min(RETRY_BACKOFF.maxMs, RETRY_BACKOFF.firstMs * 2 ** Math.min(item.failures - 1, 16)));
      continue;
    }
    await deps.giveUp(item.records, error, item.failures);
    givenUp += item.records.length;
    await deps.commit(item.records[item.records.length - 1].offset + 1);
    queue.shift();
  }
  return { invocations, failedInvocations, givenUp };
}
