/**
 * Upstash's Consume API: `POST /consume/{group}/{instance}` (body `{topic}` or `{topics}`,
 * `timeout`) and `GET|POST /consume/{group}/{instance}/{topic}` (`?timeout=`). Messages of the
 * partitions the group assigns to this instance, from where it left off.
 *
 * One call, in Kafka consumer order:
 * 1. heartbeat or join (instance.ts); positions of partitions taken away by a rebalance are
 *    dropped (committed first with auto-commit, as Kafka's consumer does on revocation);
 * 2. auto-commit: when enabled and its interval has passed, the positions so far are committed,
 *    that is what earlier calls returned (Kafka commits in poll() before fetching);
 * 3. partitions without a position start at the group's committed offset, else at
 *    Kafka-Auto-Offset-Reset (earliest / latest; none → 400);
 * 4. read (waiting up to `timeout` when nothing is there), advance the positions, write the
 *    instance item back (conditional on its version).
 */
import { StreambedError } from '../../errors';
import { fetchOffsets } from '../../groups';
import { describePartitions } from '../../log';
import type { Storage, TopicItem } from '../../storage';
import type { ApiRequest, ApiResponse } from '../http';
import { parseWith } from '../validation';
import { autoCommit, commitsOf, openSession, saveSession, type Session } from './instance';
import { readPartitions, UPSTASH_READ_LIMITS, type ReadPosition } from './read';
import { consumeRequestSchema, optionalJsonBody, tpKey } from './shapes';

export async function upstashConsumeOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const body = parseWith(consumeRequestSchema, optionalJsonBody(request) ?? {});
  const topics = [...(body.topics ?? [])];
  if (body.topic !== undefined) topics.push(body.topic);
  if (request.pathParameters.topic !== undefined) topics.push(request.pathParameters.topic);
  if (topics.length === 0) throw new StreambedError('INVALID_REQUEST', 'name the topics to consume: {"topic": …} or {"topics": [...]} (or /consume/{group}/{instance}/{topic})');
  let timeoutMs = body.timeout ?? UPSTASH_READ_LIMITS.defaultTimeoutMs;
  if (request.query.timeout !== undefined) {
    timeoutMs = Number(request.query.timeout);
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs < 0) throw new StreambedError('INVALID_REQUEST', 'timeout must be a non-negative integer (ms)');
  }
  const { group, instance } = request.pathParameters;
  const session = await openSession(storage, group, instance, topics, request.headers);
  try {
    return await consumeIn(storage, session, timeoutMs, request);
  } catch (err) {
    // The membership stands (it was joined or refreshed): keep the instance item in step with it,
    // so delete-consumer and the next call find it. Its positions only moved for what was returned.
    await saveSession(storage, session).catch(() => undefined);
    throw err;
  }
}

async function consumeIn(storage: Storage, session: Session, timeoutMs: number, request: ApiRequest): Promise<ApiResponse> {
  const { state, group } = session;

  // 1 and 2: revoked partitions, periodic auto-commit.
  const assigned = new Set(session.assignment.map((tp) => tpKey(tp.topic, tp.partition)));
  const toCommit: Record<string, number> = {};
  for (const [key, offset] of Object.entries(state.positions)) {
    if (assigned.has(key)) continue;
    if (state.autoCommit) toCommit[key] = offset;
    delete state.positions[key];
  }
  const now = Date.now();
  if (state.autoCommit && now - state.lastCommitAt >= state.autoCommitIntervalMs) {
    Object.assign(toCommit, state.positions);
    state.lastCommitAt = now;
  }
  await autoCommit(storage, group, state.memberId, state.generation, commitsOf(toCommit));

  // 3 and 4.
  const topicItems = await assignedTopics(storage, session);
  await startPositions(storage, session, topicItems);
  const positions: ReadPosition[] = session.assignment
    .filter((tp) => topicItems.has(tp.topic))
    .map((tp) => ({ topic: topicItems.get(tp.topic)!, partition: tp.partition, offset: state.positions[tpKey(tp.topic, tp.partition)] }));
  const reads = await readPartitions(storage, positions, { timeoutMs, remainingTimeMs: request.remainingTimeMs, belowStart: 'clamp' });
  for (const r of reads) state.positions[tpKey(r.position.topic.name, r.position.partition)] = r.nextOffset;
  await saveSession(storage, session);
  return { status: 200, body: reads.flatMap((r) => r.messages) };
}

async function assignedTopics(storage: Storage, session: Session): Promise<Map<string, TopicItem>> {
  const out = new Map<string, TopicItem>();
  for (const name of new Set(session.assignment.map((tp) => tp.topic))) {
    const topic = await storage.topics.get(name);
    // Deleted since the assignment was made: the next heartbeat rebalances it away.
    if (topic && session.assignment.every((tp) => tp.topic !== name || tp.partition < topic.partitions)) out.set(name, topic);
  }
  return out;
}

/** Positions for assigned partitions that have none: the committed offset, else the reset policy. */
async function startPositions(storage: Storage, session: Session, topics: ReadonlyMap<string, TopicItem>): Promise<void> {
  const { state, group } = session;
  const missing = session.assignment.filter((tp) => topics.has(tp.topic) && state.positions[tpKey(tp.topic, tp.partition)] === undefined);
  for (const name of new Set(missing.map((tp) => tp.topic))) {
    const [ranges, committed] = await Promise.all([describePartitions(storage, topics.get(name)!), fetchOffsets(storage, group, name)]);
    for (const tp of missing.filter((m) => m.topic === name)) {
      const range = ranges[tp.partition];
      const c = committed.find((row) => row.partition === tp.partition)?.offset ?? null;
      let start: number;
      if (c !== null && c >= range.logStartOffset && c <= range.highWatermark) start = c;
      else if (state.autoOffsetReset === 'earliest') start = range.logStartOffset;
      else if (state.autoOffsetReset === 'latest') start = range.highWatermark;
      else {
        throw new StreambedError(
          'INVALID_REQUEST',
          `group "${group}" has no committed offset in range for ${name}/${tp.partition} and Kafka-Auto-Offset-Reset is none; commit an offset or use earliest/latest`,
        );
      }
      state.positions[tpKey(name, tp.partition)] = start;
    }
  }
}
