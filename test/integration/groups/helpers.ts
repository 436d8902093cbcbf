/** Small helpers for the consumer-group HTTP tests. */
import { expect } from 'vitest';
import { uniqueTopic, type Api } from '../../helpers/http';

export interface TP {
  topic: string;
  partition: number;
}

export interface Joined {
  memberId: string;
  generation: number;
  assignment: TP[];
}

let counter = 0;
/** A group name no other test uses. */
export function uniqueGroup(prefix = 'g'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

export async function createTopic(http: Api, partitions: number, prefix = 'gt'): Promise<string> {
  const name = uniqueTopic(prefix);
  const res = await http.post('/v1/topics', { name, partitions });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return name;
}

export async function join(http: Api, group: string, body: Record<string, unknown>): Promise<Joined> {
  const res = await http.post(`/v1/groups/${group}/members`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Joined;
}

export async function beat(http: Api, group: string, memberId: string, generation: number) {
  // Either `{generation, assignment, rebalance}` or an error body.
  return http.post(`/v1/groups/${group}/members/${memberId}/heartbeat`, { generation });
}

export const key = (tp: TP): string => `${tp.topic}/${tp.partition}`;

/** Every partition of `topics` owned exactly once across `assignments`, and nothing else. */
export function expectExactlyOneOwner(assignments: TP[][], topics: Record<string, number>): void {
  const all = assignments.flat().map(key).sort();
  const expected = Object.entries(topics).flatMap(([t, n]) => Array.from({ length: n }, (_, p) => `${t}/${p}`)).sort();
  expect(all).toEqual(expected);
}

export function expectBalanced(assignments: TP[][]): void {
  const counts = assignments.map((a) => a.length);
  expect(Math.max(...counts) - Math.min(...counts), `counts ${counts}`).toBeLessThanOrEqual(1);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value (not undefined), for up to `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, stepMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(stepMs);
  }
}
