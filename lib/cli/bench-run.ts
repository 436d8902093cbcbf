/**
 * The bench's two phases, like kafka-producer-perf-test and kafka-consumer-perf-test:
 * produce `records` records of `recordSize` bytes through the SDK producer (one send() per record,
 * batched by the producer; at most `maxPending` unacknowledged; paced to `throughput` records/s
 * when set), latency = send() to acknowledgement; then read the same offset range back with
 * groupless fetches, all partitions in parallel, latency = one fetch call.
 */
import type { Streambed } from '../client';
import { LatencySamples, type LatencySummary } from './latency-stats';
import { Progress } from './progress';

export interface PhaseResult {
  records: number;
  bytes: number;
  seconds: number;
  recordsPerSec: number;
  mbPerSec: number;
  latency: LatencySummary;
}

export interface ProducePhase {
  topic: string;
  records: number;
  recordSize: number;
  /** Records per second; undefined = as fast as possible. */
  throughput?: number;
  batchBytes: number;
  lingerMs: number;
  acks: 'all' | 'none';
  progress: { tty: boolean; intervalMs: number };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runProducePhase(streambed: Streambed, p: ProducePhase): Promise<PhaseResult> {
  const producer = streambed.producer({ lingerMs: p.lingerMs, batchBytes: p.batchBytes, acks: p.acks });
  const payloads = Array.from({ length: 16 }, () => randomText(p.recordSize));
  const samples = new LatencySamples();
  const progress = new Progress({ label: 'produce', total: p.records, ...p.progress });
  const maxPending = Math.max(100, Math.floor((64 * 1024 * 1024) / Math.max(p.recordSize, 1)));
  let pending = 0;
  let wake: (() => void) | undefined;
  let failure: unknown;
  const started = performance.now();
  try {
    for (let i = 0; i < p.records && failure === undefined; i++) {
      if (p.throughput !== undefined) {
        const due = started + (i * 1000) / p.throughput;
        const ahead = due - performance.now();
        if (ahead > 2) await sleep(ahead);
      }
      while (pending >= maxPending && failure === undefined) await new Promise<void>((r) => (wake = r));
      const sentAt = performance.now();
      pending++;
      producer.send({ topic: p.topic, messages: [{ value: payloads[i % payloads.length] }] }).then(
        () => {
          samples.add(performance.now() - sentAt);
          progress.add(1, p.recordSize);
        },
        (err: unknown) => {
          failure ??= err;
        },
      ).finally(() => {
        pending--;
        wake?.();
        wake = undefined;
      });
    }
    await producer.flush().catch(() => {}); // a failure is reported through its send()
    while (pending > 0) await new Promise<void>((r) => (wake = r));
  } finally {
    progress.stop();
    await producer.disconnect().catch(() => {});
  }
  if (failure !== undefined) throw failure;
  return result(samples, samples.summary().count, p.recordSize, performance.now() - started);
}

export interface ConsumePhase {
  topic: string;
  /** Offset range per partition: [from, to). */
  ranges: Map<number, { from: number; to: number }>;
  maxBytes: number;
  progress: { tty: boolean; intervalMs: number };
}

export async function runConsumePhase(streambed: Streambed, c: ConsumePhase): Promise<PhaseResult> {
  const admin = streambed.admin();
  const total = [...c.ranges.values()].reduce((s, r) => s + r.to - r.from, 0);
  const samples = new LatencySamples();
  const progress = new Progress({ label: 'consume', total, ...c.progress });
  let records = 0;
  let bytes = 0;
  const started = performance.now();
  try {
    await Promise.all(
      [...c.ranges.entries()].map(async ([partition, { from, to }]) => {
        let offset = from;
        while (offset < to) {
          const at = performance.now();
          const res = await admin.fetchRecords(c.topic, partition, { offset, maxRecords: Math.min(10_000, to - offset), maxBytes: c.maxBytes });
          samples.add(performance.now() - at);
          let n = 0;
          let b = 0;
          for (const m of res.messages) {
            if (m.offset >= to) break;
            n++;
            b += (m.value?.length ?? 0) + (m.key?.length ?? 0);
          }
          records += n;
          bytes += b;
          progress.add(n, b);
          if (res.messages.length === 0) break; // the range is no longer there (retention): stop rather than spin
          offset = Math.max(res.nextOffset, offset + 1);
        }
      }),
    );
  } finally {
    progress.stop();
  }
  const r = result(samples, records, 0, performance.now() - started);
  r.bytes = bytes;
  r.mbPerSec = round(bytes / r.seconds / 1e6);
  return r;
}

function result(samples: LatencySamples, records: number, recordSize: number, elapsedMs: number): PhaseResult {
  const seconds = Math.max(elapsedMs / 1000, 1e-6);
  const bytes = records * recordSize;
  return { records, bytes, seconds: round(seconds), recordsPerSec: round(records / seconds), mbPerSec: round(bytes / seconds / 1e6), latency: samples.summary() };
}

const round = (v: number): number => Math.round(v * 100) / 100;

function randomText(size: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  for (let i = 0; i < size; i++) s += alphabet[Math.floor(Math.random() * alphabet.length)];
  return s;
}
