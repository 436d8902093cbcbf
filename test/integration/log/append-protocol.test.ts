/**
 * The append protocol's invariants (DESIGN.md 2, 3, 4, 6) exercised against the emulators:
 * fencing of a paused writer, roll-forward of a commit whose index entry is missing, and a crash
 * between S3 write and commit.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FencedError } from '../../../lib/errors';
import { appendRecords, createTopic, leaderState, readRecords, setFailpoint, InjectedFault } from '../../../lib/log';
import type { Storage, TopicItem } from '../../../lib/storage';
import { segmentPrefix } from '../../../lib/storage/schema';
import { uniqueTopic } from '../../helpers/http';
import { emulatedStorage, type EmulatedStorage } from '../../helpers/emulated-storage';
import { textRecords as recs } from '../../helpers/records';

let env: EmulatedStorage;
let storage: Storage;
beforeAll(async () => {
  env = await emulatedStorage();
  storage = env.storage;
});
afterAll(async () => env?.stop());
afterEach(() => {
  setFailpoint('append.after-commit', undefined);
  setFailpoint('append.after-segment-put', undefined);
});


async function readAll(topic: TopicItem): Promise<string[]> {
  const leader = await leaderState(storage, topic, 0);
  const out: string[] = [];
  let offset = leader.logStartOffset;
  while (offset < leader.logEndOffset) {
    const res = await readRecords(storage, topic, 0, leader, offset, { maxRecords: 1000, maxBytes: 1 << 20 });
    res.records.forEach((r, i) => expect(r.offset).toBe(offset + i));
    out.push(...res.records.map((r) => r.value!.toString()));
    offset = res.nextOffset;
  }
  return out;
}

async function objectCount(topic: TopicItem): Promise<number> {
  const out = await env.clients.s3.send(new ListObjectsV2Command({ Bucket: env.clients.config.bucket, Prefix: segmentPrefix(topic.topicId, 0) }));
  return out.KeyCount ?? 0;
}

describe('append protocol', () => {
  it('fences a paused writer: after the leader epoch moves it can make nothing visible', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('fence'), partitions: 1 });
    await appendRecords(storage, topic, 0, recs('before'));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let reachedPut!: () => void;
    const atPut = new Promise<void>((r) => (reachedPut = r));
    // The real S3 store, with a pause after its PUT: the writer has read epoch 0 and written its object.
    const paused: Storage = {
      ...storage,
      segments: {
        ...storage.segments,
        putSegment: async (...args) => {
          const key = await storage.segments.putSegment(...args);
          reachedPut();
          await gate;
          return key;
        },
        getSegment: (...args) => storage.segments.getSegment(...args),
        deletePrefix: (...args) => storage.segments.deletePrefix(...args),
      },
    };
    const zombie = appendRecords(paused, topic, 0, recs('zombie'));
    await atPut;
    expect(await storage.leaders.bumpEpoch(topic.topicId, 0)).toBe(1);
    await appendRecords(storage, topic, 0, recs('after'));
    release();
    await expect(zombie).rejects.toBeInstanceOf(FencedError);
    expect(await readAll(topic)).toEqual(['before', 'after']);
    const leader = await leaderState(storage, topic, 0);
    expect(leader).toMatchObject({ logEndOffset: 2, leaderEpoch: 1 });
  });

  it('rolls forward a commit whose index entry was never written, on read', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('rf-read'), partitions: 1 });
    await appendRecords(storage, topic, 0, recs('a', 'b'));
    setFailpoint('append.after-commit', 'throw');
    await expect(appendRecords(storage, topic, 0, recs('c', 'd'))).rejects.toBeInstanceOf(InjectedFault);
    setFailpoint('append.after-commit', undefined);
    expect(await storage.index.get(topic.topicId, 0, 2)).toBeUndefined();
    // Committed: the high watermark covers it, and a reader must see it, not a gap.
    expect((await leaderState(storage, topic, 0)).logEndOffset).toBe(4);
    expect(await readAll(topic)).toEqual(['a', 'b', 'c', 'd']);
    expect(await storage.index.get(topic.topicId, 0, 2)).toMatchObject({ baseOffset: 2, count: 2 });
  });

  it('rolls forward before replacing the last commit, so two crashed index writes in a row lose nothing', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('rf-write'), partitions: 1 });
    setFailpoint('append.after-commit', 'throw');
    await expect(appendRecords(storage, topic, 0, recs('x'))).rejects.toBeInstanceOf(InjectedFault);
    await expect(appendRecords(storage, topic, 0, recs('y'))).rejects.toBeInstanceOf(InjectedFault);
    setFailpoint('append.after-commit', undefined);
    // No read in between: the second writer materialized the first commit before replacing it.
    expect(await storage.index.get(topic.topicId, 0, 0)).toMatchObject({ baseOffset: 0, count: 1 });
    expect(await storage.index.get(topic.topicId, 0, 1)).toBeUndefined();
    await appendRecords(storage, topic, 0, recs('z'));
    expect(await readAll(topic)).toEqual(['x', 'y', 'z']);
  });

  it('a crash between the S3 write and the commit leaves the log untouched (the object is an orphan)', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('orphan'), partitions: 1 });
    await appendRecords(storage, topic, 0, recs('kept'));
    setFailpoint('append.after-segment-put', 'throw');
    await expect(appendRecords(storage, topic, 0, recs('lost-before-ack'))).rejects.toBeInstanceOf(InjectedFault);
    setFailpoint('append.after-segment-put', undefined);
    expect((await leaderState(storage, topic, 0)).logEndOffset).toBe(1);
    expect(await objectCount(topic)).toBe(2);
    await appendRecords(storage, topic, 0, recs('next'));
    expect(await readAll(topic)).toEqual(['kept', 'next']);
  });

  it('concurrent appends through the library also get contiguous offsets', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('lib-race'), partitions: 1 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, w) => appendRecords(storage, topic, 0, recs(`w${w}a`, `w${w}b`, `w${w}c`))));
    const bases = results.map((r) => r.baseOffset).sort((a, b) => a - b);
    expect(bases).toEqual([0, 3, 6, 9, 12, 15, 18, 21]);
    const all = await readAll(topic);
    for (const r of results) {
      const w = all[r.baseOffset].slice(0, -1);
      expect(all.slice(r.baseOffset, r.baseOffset + 3)).toEqual([`${w}a`, `${w}b`, `${w}c`]);
    }
  });

  it('serves offsets inside a multi-batch segment with a ranged read', async () => {
    const topic = await createTopic(storage, { name: uniqueTopic('ranged'), partitions: 1 });
    const big = Array.from({ length: 5 }, (_, i) => ({ key: null, value: Buffer.alloc(400_000, 97 + i), headers: [], timestamp: 5 }));
    await appendRecords(storage, topic, 0, big);
    const leader = await leaderState(storage, topic, 0);
    expect(leader.lastCommit?.batches?.length).toBeGreaterThan(1);
    let ranges = 0;
    const counting: Storage = {
      ...storage,
      segments: {
        putSegment: (...a) => storage.segments.putSegment(...a),
        deletePrefix: (...a) => storage.segments.deletePrefix(...a),
        listSegments: (...a) => storage.segments.listSegments(...a),
        listTopicIds: () => storage.segments.listTopicIds(),
        deleteKeys: (...a) => storage.segments.deleteKeys(...a),
        getSegment: (key, range) => {
          if (range) ranges += 1;
          return storage.segments.getSegment(key, range);
        },
      },
    };
    const res = await readRecords(counting, topic, 0, leader, 3, { maxRecords: 1, maxBytes: 1 });
    expect(res.records.map((r) => [r.offset, r.value![0]])).toEqual([[3, 100]]);
    expect(ranges).toBe(1);
  });
});
