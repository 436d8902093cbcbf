/** POST/GET/DELETE /v1/topics… */
import { z } from 'zod';
import { createTopic, deleteTopic, describePartitions, requireTopic } from '../../log';
import type { Storage } from '../../storage';
import type { ApiRequest, ApiResponse } from '../http';
import { jsonBody, parseWith, pathTopic } from '../validation';

const createSchema = z.object({
  name: z.string({ error: 'name is required and must be a string' }),
  partitions: z.number({ error: 'partitions must be a number' }).optional(),
  config: z.record(z.string(), z.unknown(), { error: 'config must be an object of key → value' }).optional(),
});

export async function createTopicOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const raw = jsonBody(request);
  const body = parseWith(createSchema, raw);
  // zod rebuilds a record without a "__proto__" key (silently): the config's keys are checked as
  // sent, so that one too is refused as unknown (test/integration/bad-input.test.ts).
  const sent = (raw as { config?: unknown }).config;
  const config = typeof sent === 'object' && sent !== null && !Array.isArray(sent) ? (sent as Record<string, unknown>) : body.config;
  const topic = await createTopic(storage, { name: body.name, partitions: body.partitions ?? 1, config });
  return { status: 201, body: { name: topic.name, partitions: topic.partitions, config: topic.config } };
}

export async function listTopicsOp(storage: Storage): Promise<ApiResponse> {
  const topics = await storage.topics.list();
  return { status: 200, body: { topics: topics.map((t) => ({ name: t.name, partitions: t.partitions })) } };
}

export async function describeTopicOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  const topic = await requireTopic(storage, pathTopic(request));
  const partitions = await describePartitions(storage, topic);
  return { status: 200, body: { name: topic.name, config: topic.config, partitions } };
}

export async function deleteTopicOp(storage: Storage, request: ApiRequest): Promise<ApiResponse> {
  await deleteTopic(storage, pathTopic(request));
  return { status: 204 };
}
