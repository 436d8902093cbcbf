/**
 * Upstash's Metadata API: `GET /topics` (`{"<topic>": <partitions>}`), `GET /consumers` (every
 * group's live members and their partitions, by instance id), `POST /offsets/{earliest|latest|
 * <timestamp ms>}` (per `{topic, partition}`: the log start, the end, or the first offset whose
 * timestamp is at or after the time).
 */
import { StreambedError } from '../../errors';
import { aclAllowsAny, aclFromEnv, type ResourceKind } from '../acl';
import { assignmentOfMember, liveMemberIds } from './members';
import { listOffset, requirePartition, requireTopic, type OffsetSpec } from '../../log';
import type { Storage, TopicItem } from '../../storage';
import type { ApiRequest, ApiResponse } from '../http';
import { oneOrMany, optionalJsonBody, topicPartitionSchema } from './shapes';

export async function upstashTopicsOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const see = visibleTo(request, 'topic');
  const topics = (await storage.topics.list()).filter((t) => see(t.name));
  return { status: 200, body: Object.fromEntries(topics.map((t) => [t.name, t.partitions])) };
}

interface InstanceAssignments {
  name: string;
  topics: { topic: string; partitions: number[] }[];
}

export async function upstashConsumersOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const out: { name: string; instances: InstanceAssignments[] }[] = [];
  const now = Date.now();
  const see = visibleTo(request, 'group');
  for (const group of (await storage.groups.directory()).filter(see)) {
    const read = await storage.groups.read(group);
    const instances: InstanceAssignments[] = [];
    for (const memberId of liveMemberIds(read, now)) {
      const byTopic = new Map<string, number[]>();
      for (const tp of assignmentOfMember(read, memberId)) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
      instances.push({
        // Upstash instances (and /v1 static members) by their instance id; other members by member id.
        name: read.meta?.members[memberId]?.instanceId ?? memberId,
        topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
      });
    }
    if (instances.length > 0) out.push({ name: group, instances: instances.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) });
  }
  return { status: 200, body: out };
}

export async function upstashOffsetsOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const raw = request.pathParameters.timestamp ?? '';
  let at: OffsetSpec;
  if (raw === 'earliest' || raw === 'latest') at = raw;
  else if (/^\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) at = { timestamp: Number(raw) };
  else throw new StreambedError('INVALID_REQUEST', `/offsets/{timestamp}: use earliest, latest or a timestamp in epoch ms, got "${raw.slice(0, 50)}"`);
  const wanted = oneOrMany(topicPartitionSchema, optionalJsonBody(request) ?? []);
  const topics = new Map<string, TopicItem>();
  const out: { topic: string; partition: number; offset: number }[] = [];
  for (const tp of wanted) {
    let topic = topics.get(tp.topic);
    if (!topic) topics.set(tp.topic, (topic = await requireTopic(storage, tp.topic)));
    requirePartition(topic, tp.partition);
    out.push({ topic: tp.topic, partition: tp.partition, offset: await listOffset(storage, topic, tp.partition, at) });
  }
  return { status: 200, body: out };
}

/**
 * With STREAMBED_ACL, a listing shows only the topics / groups the caller has some right on (as
 * the /v1 listings do; these bodies are not the /v1 lists, so they filter themselves).
 */
function visibleTo(request: ApiRequest, kind: ResourceKind): (name: string) => boolean {
  const acl = aclFromEnv();
  if (!acl) return () => true;
  const principal = request.principal;
  return (name) => principal !== undefined && aclAllowsAny(acl, principal, kind, name);
}
