/**
 * CRC32C (Castagnoli, polynomial 0x1EDC6F41, reflected), the checksum of a Kafka RecordBatch v2:
 * it covers the bytes from `attributes` to the end of the batch.
 *
 * The table-driven implementation is SheetJS's `crc-32` package (its `crc32c` entry point, pure
 * JavaScript, slicing-by-16); see docs/decisions/0001-segment-format.md for why.
 */
import CRC32C from 'crc-32/crc32c';

/** CRC32C of `data` as an unsigned 32-bit integer (e.g. crc32c("123456789") = 0xe3069283). */
export function crc32c(data: Uint8Array): number {
  return CRC32C.buf(data) >>> 0;
}
