/** Helpers for the Upstash compatibility tests: the real @upstash/kafka client against the local stack. */
import { expect } from 'vitest';
import { Kafka, type Message } from '@upstash/kafka';
import { uniqueTopic, type Api } from '../helpers/http';

/** The client exactly as an Upstash user builds it; the local stack ignores the credentials unless auth is on. */
export function kafkaAt(url: string, username = 'default', password = 'secret'): Kafka {
  return new Kafka({ url, username, password });
}

export async function createTopic(http: Api, partitions: number, prefix = 'up'): Promise<string> {
  const name = uniqueTopic(prefix);
  const res = await http.post('/v1/topics', { name, partitions });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return name;
}

let counter = 0;
export function uniqueGroup(prefix = 'ug'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** Consumes until `expected` messages arrived or `maxCalls` calls in a row returned nothing new. */
export async function consumeAll(
  consume: () => Promise<Message[]>,
  expected: number,
  maxEmptyCalls = 5,
): Promise<Message[]> {
  const got: Message[] = [];
  let empty = 0;
  while (got.length < expected && empty < maxEmptyCalls) {
    const batch = await consume();
    if (batch.length === 0) empty += 1;
    else empty = 0;
    got.push(...batch);
  }
  return got;
}
