/** Records for the lease tests. */
import type { RecordInput } from '../../../lib/protocol';

export function sampleRecords(n: number): RecordInput[] {
  return Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`r${i}`), headers: [], timestamp: Date.now() }));
}
