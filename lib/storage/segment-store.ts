/**
 * Segment objects in S3: write-once, immutable, one per committed (or abandoned) append.
 * Keys are unique per write (time-ordered prefix + random suffix), so a PUT never overwrites.
 */
import { randomUUID } from 'node:crypto';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsCommand,
  PutObjectCommand,
  type S3Client,
  type _Object,
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
  /** Every object under a prefix, in key order, with its size and S3 LastModified (maintenance). */
  listSegments(prefix: string): Promise<SegmentObject[]>;
  /** The topic ids that have objects under `segments/` (maintenance: leftovers of deleted topics). */
  listTopicIds(): Promise<string[]>;
  /** Deletes the given keys (missing keys count as deleted); returns how many were asked for. */
  deleteKeys(keys: readonly string[]): Promise<number>;
}

/** One object of a listing. */
export interface SegmentObject {
  readonly key: string;
  readonly size: number;
  /** S3 LastModified, epoch ms (whole seconds on some S3 implementations). */
  readonly lastModified: number;
}

/** Objects per ListObjects / DeleteObjects request (the S3 maximum). */
const PAGE = 1000;

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
    // Paged by key (see list()), never by continuation token.
    for (;;) {
      const keys = (await this.list(prefix, startAfter, PAGE)).map((o) => o.Key).filter((k): k is string => Boolean(k));
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

  async listSegments(prefix: string): Promise<SegmentObject[]> {
    const out: SegmentObject[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.list(prefix, startAfter, PAGE);
      for (const o of page) {
        if (o.Key) out.push({ key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified?.getTime() ?? 0 });
      }
      if (page.length < PAGE) return out;
      startAfter = page[page.length - 1].Key;
    }
  }

  async listTopicIds(): Promise<string[]> {
    // One single-key listing per topic id: after finding `segments/{id}/…`, skip past every key of
    // that id with StartAfter `segments/{id}0` ('0' sorts right after '/'). A Delimiter listing
    // would be one request, but s3rver returns no common prefixes more than one level deep.
    const ids: string[] = [];
    let startAfter: string | undefined;
    for (;;) {
      const [first] = await this.list('segments/', startAfter, 1);
      const id = first?.Key?.split('/')[1];
      if (!id) return ids;
      ids.push(id);
      startAfter = `segments/${id}0`;
    }
  }

  async deleteKeys(keys: readonly string[]): Promise<number> {
    for (let i = 0; i < keys.length; i += PAGE) {
      const chunk = keys.slice(i, i + PAGE);
      try {
        const out = await this.s3.send(
          new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }),
        );
        if (out.Errors && out.Errors.length > 0) {
          const e = out.Errors[0];
          throw new Error(`${out.Errors.length} of ${chunk.length} keys not deleted, e.g. ${e.Key}: ${e.Code} ${e.Message}`);
        }
      } catch (err) {
        throw unavailable('S3 DeleteObjects of segments', err);
      }
    }
    return keys.length;
  }

  /**
   * One page of keys after `startAfter`. ListObjects (v1) with Marker, not v2: s3rver answers 500 to
   * every TRUNCATED v2 listing (its NextContinuationToken uses DES, which OpenSSL 3 refuses), so a
   * v2 listing works there only while the prefix holds fewer keys than MaxKeys. S3 serves both.
   */
  private async list(prefix: string, startAfter: string | undefined, maxKeys: number): Promise<_Object[]> {
    try {
      const page = await this.s3.send(new ListObjectsCommand({ Bucket: this.bucket, Prefix: prefix, Marker: startAfter, MaxKeys: maxKeys }));
      return page.Contents ?? [];
    } catch (err) {
      throw unavailable(`S3 ListObjects ${prefix}`, err);
    }
  }
}
