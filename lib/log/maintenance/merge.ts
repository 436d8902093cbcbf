/**
 * Merging adjacent segment objects into one, without decoding a record: each object is a plain
 * concatenation of RecordBatch v2 batches with base offsets relative to its own start, so the
 * merged object is the objects' bytes one after another, each batch's baseOffset field (outside the
 * CRC) moved by the object's distance from the merged object's start (rebaseBatches). Every batch
 * header is checked (framing, magic, CRC32C, contiguous relative offsets, record counts that match
 * the index) before anything is written. Pure: no I/O.
 */
import { rebaseBatches, scanBatches } from '../../protocol';
import type { SegmentRef } from '../../storage';

export interface MergePart {
  readonly ref: SegmentRef;
  /** The whole object. */
  readonly bytes: Buffer;
}

export interface MergedSegment {
  /** The index entry of the merged object, without its key (known only once it is stored). */
  readonly ref: Omit<SegmentRef, 'key'>;
  readonly bytes: Buffer;
  /** Batches in the merged object. */
  readonly batchCount: number;
}

/**
 * Merges `parts` (adjacent, in offset order) into one object. The entry's `batches` keeps a
 * `[relativeOffset, bytePosition]` pair for the first batch and then for the first batch at least
 * `indexIntervalBytes` after the previous kept one (at most ~2000 pairs, so the entry stays far
 * below DynamoDB's 400 KB item limit): a read GETs from the nearest kept position before its
 * offset, as Kafka's sparse offset index does.
 */
export function mergeSegments(parts: readonly MergePart[], indexIntervalBytes: number): MergedSegment {
  if (parts.length < 2) throw new Error(`a merge needs at least two segments, got ${parts.length}`);
  const base = parts[0].ref.baseOffset;
  const total = parts.reduce((n, p) => n + p.bytes.length, 0);
  const interval = Math.max(indexIntervalBytes, Math.ceil(total / 2000));
  const chunks: Buffer[] = [];
  const batches: Array<[number, number]> = [];
  let position = 0;
  let lastKept = -Infinity;
  let batchCount = 0;
  let expectedBase = base;
  for (const { ref, bytes } of parts) {
    const where = `segment ${ref.key} (offsets ${ref.baseOffset}..${ref.baseOffset + ref.count - 1})`;
    if (ref.baseOffset !== expectedBase) throw new Error(`${where} does not follow the previous segment, which ends at ${expectedBase}`);
    if (bytes.length !== ref.bytes) throw new Error(`${where} has ${bytes.length} bytes, its index entry says ${ref.bytes}`);
    const headers = scanBatches(bytes);
    let records = 0;
    for (const h of headers) {
      if (h.baseOffset !== records || h.lastOffsetDelta !== h.recordCount - 1) {
        throw new Error(`${where}: the batch at byte ${h.position} has relative base offset ${h.baseOffset} and ${h.recordCount} records; expected base ${records} and contiguous offsets`);
      }
      const relative = ref.baseOffset - base + h.baseOffset;
      const at = position + h.position;
      if (at - lastKept >= interval) {
        batches.push([relative, at]);
        lastKept = at;
      }
      records += h.recordCount;
    }
    if (records !== ref.count) throw new Error(`${where} holds ${records} records, its index entry says ${ref.count}`);
    chunks.push(rebaseBatches(bytes, ref.baseOffset - base));
    position += bytes.length;
    batchCount += headers.length;
    expectedBase += ref.count;
  }
  const refs = parts.map((p) => p.ref);
  return {
    ref: {
      baseOffset: base,
      count: expectedBase - base,
      bytes: position,
      minTimestamp: refs.reduce((m, r) => Math.min(m, r.minTimestamp), Infinity),
      maxTimestamp: refs.reduce((m, r) => Math.max(m, r.maxTimestamp), -Infinity),
      batches: batches.length > 1 ? batches : undefined,
      leaderEpoch: refs.reduce((m, r) => Math.max(m, r.leaderEpoch), 0),
      // The commit time of its newest records: what compactionMinAgeMs looks at for the entry before it.
      committedAt: refs.reduce((m, r) => Math.max(m, r.committedAt), 0),
    },
    bytes: Buffer.concat(chunks, position),
    batchCount,
  };
}
