/**
 * Partition counts the producer needs to partition on the client: fetched with
 * GET /v1/topics/{topic} once per topic and kept for `maxAgeMs` (kafkajs's `metadataMaxAge`),
 * or until a produce call says the topic or partition is unknown.
 */
import { retry, type RetryOptions } from './retry';
import { seg, type Transport } from './transport';

interface DescribeTopicBody {
  name: string;
  partitions: { partition: number }[];
}

interface Entry {
  readonly count: Promise<number>;
  readonly at: number;
}

export class TopicMetadata {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly transport: Transport,
    private readonly retryOptions: RetryOptions,
    private readonly maxAgeMs = 300_000,
  ) {}

  /** The partition count of `topic`; rejects with UNKNOWN_TOPIC_OR_PARTITION when it does not exist. */
  partitionCount(topic: string): Promise<number> {
    const now = Date.now();
    const cached = this.entries.get(topic);
    if (cached && now - cached.at < this.maxAgeMs) return cached.count;
    const count = retry(() => this.transport.request<DescribeTopicBody>('GET', `/v1/topics/${seg(topic)}`), this.retryOptions).then((r) => r.body.partitions.length);
    const entry = { count, at: now };
    this.entries.set(topic, entry);
    count.catch(() => {
      if (this.entries.get(topic) === entry) this.entries.delete(topic);
    });
    return count;
  }

  invalidate(topic: string): void {
    this.entries.delete(topic);
  }
}
