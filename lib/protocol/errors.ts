/**
 * Raised when bytes that should hold Kafka RecordBatch v2 batches do not: a CRC32C mismatch, a
 * truncated buffer, a magic byte other than 2, a length field that points past the end, records
 * that do not parse, or a compressed section that does not decompress.
 *
 * It is a protocol-level error with no HTTP meaning of its own: the caller decides what it means
 * (bad client input → INVALID_REQUEST; a stored segment that no longer verifies → an operator
 * problem). `position` is the byte position of the offending batch in the decoded buffer.
 */
export class CorruptBatchError extends Error {
  readonly position: number | undefined;

  constructor(message: string, options: { position?: number; cause?: unknown } = {}) {
    super(
      options.position === undefined ? message : `${message} (batch at byte ${options.position})`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'CorruptBatchError';
    this.position = options.position;
  }
}
