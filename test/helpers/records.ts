/** Records for lib-level tests: one per value, no key, no headers, timestamp 1. */
import type { RecordInput } from '../../lib/protocol';

export function textRecords(...values: string[]): RecordInput[] {
  return values.map((v) => ({ key: null, value: Buffer.from(v), headers: [], timestamp: 1 }));
}
