/** Settling a batch like Lambda's event source mapping: bisection, retries, record age, partial responses. */
import { describe, expect, it } from 'vitest';
import { deliverBatch, parseTriggerSettings, type TriggerSettingsInput } from '../../../lib/triggers';
import type { DecodedRecord } from '../../../lib/protocol';

const NOW = 1_700_000_000_000;

function records(n: number, from = 0, timestamp = NOW): DecodedRecord[] {
  return Array.from({ length: n }, (_, i) => ({ offset: from + i, key: null, value: Buffer.from(`v${from + i}`), headers: [], timestamp }));
}

function harness(settings: Partial<TriggerSettingsInput>, respond: (offsets: number[]) => unknown) {
  const calls: number[][] = [];
  const commits: number[] = [];
  const givenUp: Array<{ offsets: number[]; attempts: number; error: string }> = [];
  const deps = {
    settings: parseTriggerSettings({ name: 't', topic: 'x', ...settings }),
    invoke: async (batch: readonly DecodedRecord[]) => {
      const offsets = batch.map((r) => r.offset);
      calls.push(offsets);
      return respond(offsets);
    },
    commit: async (next: number) => {
      commits.push(next);
    },
    giveUp: async (batch: readonly DecodedRecord[], error: string, attempts: number) => {
      givenUp.push({ offsets: batch.map((r) => r.offset), attempts, error });
    },
    sleep: async () => {},
    now: () => NOW,
  };
  return { deps, calls, commits, givenUp };
}

const poisonAt = (bad: number) => (offsets: number[]) => {
  if (offsets.includes(bad)) throw new Error(`bad record ${bad}`);
  return {};
};

describe('deliverBatch', () => {
  it('commits past a batch that succeeded', async () => {
    const h = harness({}, () => ({}));
    await deliverBatch(records(3), h.deps);
    expect(h.calls).toEqual([[0, 1, 2]]);
    expect(h.commits).toEqual([3]);
  });

  it('bisects down to the bad record, delivering the halves in order; splits are not retries', async () => {
    const h = harness({ bisectBatchOnFunctionError: true, maximumRetryAttempts: 2 }, poisonAt(5));
    const report = await deliverBatch(records(8), h.deps);
    expect(h.calls).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3], [4, 5, 6, 7], [4, 5], [4], [5], [5], [5], [6, 7]]);
    expect(h.givenUp).toEqual([{ offsets: [5], attempts: 3, error: 'Error: bad record 5' }]);
    expect(h.commits).toEqual([4, 5, 6, 8]);
    expect(report).toEqual({ invocations: 9, failedInvocations: 6, givenUp: 1 });
  });

  it('without bisection retries the whole batch maximumRetryAttempts times, then gives it up', async () => {
    const h = harness({ maximumRetryAttempts: 1 }, poisonAt(1));
    await deliverBatch(records(3), h.deps);
    expect(h.calls).toEqual([[0, 1, 2], [0, 1, 2]]);
    expect(h.givenUp.map((g) => g.offsets)).toEqual([[0, 1, 2]]);
    expect(h.commits).toEqual([3]);
  });

  it('gives up on a failing batch whose oldest record is older than maximumRecordAgeSeconds, even with infinite retries', async () => {
    const h = harness({ maximumRecordAgeSeconds: 60 }, poisonAt(0));
    await deliverBatch(records(2, 0, NOW - 61_000), h.deps);
    expect(h.calls).toHaveLength(1);
    expect(h.givenUp.map((g) => g.offsets)).toEqual([[0, 1]]);
  });

  it('resumes at the lowest offset of a partial batch response', async () => {
    let first = true;
    const h = harness({ reportBatchItemFailures: true }, () => {
      if (!first) return { batchItemFailures: [] };
      first = false;
      return { batchItemFailures: [{ itemIdentifier: '6' }, { itemIdentifier: '4' }] };
    });
    await deliverBatch(records(8), h.deps);
    expect(h.calls).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], [4, 5, 6, 7]]);
    expect(h.commits).toEqual([4, 8]);
  });

  it('treats a response naming an item outside the batch as a failure of the whole batch', async () => {
    let n = 0;
    const h = harness({ reportBatchItemFailures: true, maximumRetryAttempts: 0 }, () => (n++ === 0 ? { batchItemFailures: [{ itemIdentifier: '99' }] } : {}));
    await deliverBatch(records(2), h.deps);
    expect(h.calls).toHaveLength(1);
    expect(h.givenUp[0].error).toContain('invalid batch response');
  });

  it('ignores batchItemFailures unless reportBatchItemFailures is on', async () => {
    const h = harness({}, () => ({ batchItemFailures: [{ itemIdentifier: '0' }] }));
    await deliverBatch(records(2), h.deps);
    expect(h.commits).toEqual([2]);
  });
});
