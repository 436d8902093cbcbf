/**
 * Segment objects in S3: write-once, immutable, one per committed (or abandoned) append.
 * Keys are unique per write (time-ordered prefix + random suffix), so a PUT never overwrites.
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { unavailable } from '../errors';
import { segmentPrefix } from './schema';

export interface ByteRange {
  /** First byte, inclusive. */
  readonly start: number;
  /** Last byte, inclusive. */
  readonly end: number;
}

export interface SegmentStore {
  /** Stores bytes under a fresh unique key for the partition and returns the key. */
  putSegment(topicId: string, partition: number, bytes: Buffer): Promise<string>;
  getSegment(key: string, range?: ByteRange): Promise<Buffer>;
  /** Deletes every object under a prefix; returns how many were deleted. */
  deletePrefix(prefix: string): Promise<number>;
}

export class S3SegmentStore implements SegmentStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async putSegment(topicId: string, partition: number, bytes: Buffer): Promise<string> {
    // Time-ordered name (base36 ms, fixed width) so a prefix listing is roughly in write order.
    const key = `${segmentPrefix(topicId, partition)}${Date.now().toString(36).padStart(9, '0')}-${randomUUID()}.kafka`;
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: bytes,
          ContentLength: bytes.length,
          ContentType: 'application/vnd.apache.kafka.record-batch',
        }),
      );
    } catch (err) {
      throw unavailable('S3 PutObject of a segment', err);
    }
    return key;
  }

  async getSegment(key: string, range?: ByteRange): Promise<Buffer> {
    try {
      const out = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      if (!out.Body) throw new Error(`empty body for ${key}`);
      return Buffer.from(await out.Body.transformToByteArray());
    } catch (err) {
      throw unavailable(`S3 GetObject ${key}`, err);
    }
  }

  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    let startAfter: string | undefined;
    // Paged with StartAfter, not ContinuationToken (s3rver's tokens fail on OpenSSL 3).
    for (;;) {
      let keys: string[];
      try {
        const page = await this.s3.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, StartAfter: startAfter, MaxKeys: 1000 }),
        );
        keys = (page.Contents ?? []).map((o) => o.Key).filter((k): k is string => Boolean(k));
      } catch (err) {
        throw unavailable(`S3 ListObjectsV2 ${prefix}`, err);
      }
      if (keys.length === 0) return deleted;
      try {
        await this.s3.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
        );
      } catch (err) {
        throw unavailable(`S3 DeleteObjects under ${prefix}`, err);
      }
      deleted += keys.length;
      startAfter = keys[keys.length - 1];
    }
  }
}
