/** GET /v1/topics/{topic}/partitions/{partition}/records and …/offsets */
import { StreambedError } from '../../errors';
import { checkOffsetInRange, leaderState, listOffset, readRecords, recordSize, requireTopic, waitForData, type OffsetSpec } from '../../log';
import { requestMetrics } from '../../observability';
import type { Storage } from '../../storage';
import { encodeField } from '../encoding';
import type { ApiRequest, ApiResponse } from '../http';
import { pathPartition, pathTopic, queryEncoding, queryInteger } from '../validation';

export const FETCH_LIMITS = {
  defaultMaxRecords: 500,
  maxRecords: 10_000,
  defaultMaxBytes: 1024 * 1024,
  /** Keeps a JSON response (base64 inflates by 4/3) under Lambda's 6 MB response limit. */
  maxBytes: 3 * 1024 * 1024,
  maxWaitMs: 20_000,
  /** Time kept back from a Lambda's remaining time when long-polling. */
  waitMarginMs: 3_000,
} as const;

export async function fetchOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const partition = pathPartition(request);
  const offset = queryInteger(request, 'offset', { min: 0, code: 'INVALID_OFFSET' });
  const maxRecords = queryInteger(request, 'maxRecords', { fallback: FETCH_LIMITS.defaultMaxRecords, min: 1, max: FETCH_LIMITS.maxRecords });
  const maxBytes = queryInteger(request, 'maxBytes', { fallback: FETCH_LIMITS.defaultMaxBytes, min: 1, max: FETCH_LIMITS.maxBytes });
  let waitMs = queryInteger(request, 'waitMs', { fallback: 0, min: 0, max: FETCH_LIMITS.maxWaitMs });
  const encoding = queryEncoding(request);
  const topic = await requireTopic(storage, pathTopic(request), partition);

  if (request.remainingTimeMs) waitMs = Math.max(0, Math.min(waitMs, request.remainingTimeMs() - FETCH_LIMITS.waitMarginMs));
  let leader = await leaderState(storage, topic, partition);
  checkOffsetInRange(topic, partition, leader, offset);
  if (offset === leader.logEndOffset && waitMs > 0) leader = await waitForData(storage, topic, partition, offset, waitMs);

  const result = await readRecords(storage, topic, partition, leader, offset, { maxRecords, maxBytes });
  const metrics = requestMetrics();
  metrics.add('RecordsOut', result.records.length);
  metrics.add('BytesOut', result.records.reduce((n, r) => n + recordSize(r), 0));
  return {
    status: 200,
    body: {
      records: result.records.map((r) => ({
        offset: r.offset,
        timestamp: r.timestamp,
        key: encodeField(r.key, encoding),
        value: encodeField(r.value, encoding),
        headers: r.headers.map((h) => ({ key: h.key, value: encodeField(h.value, encoding) })),
      })),
      nextOffset: result.nextOffset,
      highWatermark: result.highWatermark,
      logStartOffset: result.logStartOffset,
    },
  };
}

export async function listOffsetsOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const partition = pathPartition(request);
  const raw = request.query.at ?? '';
  let at: OffsetSpec;
  if (raw === 'earliest' || raw === 'latest') at = raw;
  else if (/^\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) at = { timestamp: Number(raw) };
  else throw new StreambedError('INVALID_REQUEST', `query parameter "at" must be earliest, latest or a timestamp in epoch ms, got "${raw.slice(0, 50)}"`);
  const topic = await requireTopic(storage, pathTopic(request), partition);
  return { status: 200, body: { offset: await listOffset(storage, topic, partition, at) } };
}
