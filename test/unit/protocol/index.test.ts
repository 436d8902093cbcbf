import { describe, expect, it } from 'vitest';
import * as protocol from '../../../lib/protocol';

describe('lib/protocol public API', () => {
  it('exports the agreed functions, constants and error class', () => {
    for (const name of ['encodeBatch', 'decodeBatches', 'scanBatches', 'rebaseBatches', 'encodeSegment', 'murmur2', 'toPositive', 'defaultPartition']) {
      expect(typeof (protocol as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(protocol.COMPRESSION_TYPES).toEqual(['none', 'gzip', 'snappy', 'lz4', 'zstd']);
    expect(Object.isFrozen(protocol.COMPRESSION_TYPES)).toBe(true);
    const err = new protocol.CorruptBatchError('bad', { position: 12 });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('CorruptBatchError');
    expect(err.message).toBe('bad (batch at byte 12)');
  });
});
