/**
 * Upstash's Fetch API, `GET|POST /fetch`: messages from given offsets, without a consumer group.
 * Body `{topic, partition, offset}` and/or `topicPartitionOffsets: [{topic, partition, offset}]`,
 * `timeout` (ms, default 1000) to wait when there is nothing yet. An offset beyond the end gives no
 * messages; one below the log start (removed by retention) is 416.
 */
import { StreambedError } from '../../errors';
import { requirePartition, requireTopic } from '../../log';
import type { Storage, TopicItem } from '../../storage';
import type { ApiRequest, ApiResponse } from '../http';
import { parseWith } from '../validation';
import { readPartitions, UPSTASH_READ_LIMITS, type ReadPosition } from './read';
import { fetchRequestSchema, optionalJsonBody, type TopicPartitionOffset } from './shapes';

export async function upstashFetchOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const body = parseWith(fetchRequestSchema, optionalJsonBody(request) ?? {});
  const wanted: TopicPartitionOffset[] = [...(body.topicPartitionOffsets ?? [])];
  if (body.topic !== undefined || body.partition !== undefined || body.offset !== undefined) {
    if (body.topic === undefined || body.partition === undefined || body.offset === undefined) {
      throw new StreambedError('INVALID_REQUEST', 'topic, partition and offset go together: send all three, or use topicPartitionOffsets');
    }
    wanted.push({ topic: body.topic, partition: body.partition, offset: body.offset });
  }
  if (wanted.length === 0) throw new StreambedError('INVALID_REQUEST', 'name what to fetch: {topic, partition, offset} or topicPartitionOffsets');
  const topics = new Map<string, TopicItem>();
  const positions: ReadPosition[] = [];
  for (const w of wanted) {
    let topic = topics.get(w.topic);
    if (!topic) topics.set(w.topic, (topic = await requireTopic(storage, w.topic)));
    requirePartition(topic, w.partition);
    positions.push({ topic, partition: w.partition, offset: w.offset });
  }
  const reads = await readPartitions(storage, positions, {
    timeoutMs: body.timeout ?? UPSTASH_READ_LIMITS.defaultTimeoutMs,
    remainingTimeMs: request.remainingTimeMs,
    belowStart: 'error',
  });
  return { status: 200, body: reads.flatMap((r) => r.messages) };
}
