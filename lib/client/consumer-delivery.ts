/**
 * Hands one fetched batch of one partition to the user's handler: `eachMessage` one message at a
 * time, resolving each as it returns, or `eachBatch` with kafkajs's payload. Stops after the
 * message in progress when the partition is being revoked, seeked, paused, or the consumer stops.
 * A handler error propagates (the reader reports it, backs off and re-reads from the first
 * message not resolved).
 */
import type { FetchedBatch, PartitionReader } from './partition-reader';
import type { Batch, EachBatchHandler, EachMessageHandler, TopicPartitionOffset } from './types';

export interface DeliveryContext {
  readonly config: {
    readonly eachMessage?: EachMessageHandler;
    readonly eachBatch?: EachBatchHandler;
    readonly eachBatchAutoResolve: boolean;
  };
  readonly slots: Slots;
  isRunning(): boolean;
  isPaused(topic: string, partition: number): boolean;
  /** Pauses the partition; returns the function that resumes it. */
  pause(topic: string, partition: number): () => void;
  /** `n` more messages were resolved (auto-commit threshold). */
  resolved(n: number): void;
  commitIfNecessary(offsets?: TopicPartitionOffset[]): Promise<void>;
}

const heartbeat = async (): Promise<void> => {};

export async function deliverBatch(ctx: DeliveryContext, reader: PartitionReader, fetched: FetchedBatch): Promise<void> {
  await ctx.slots.acquire();
  try {
    const epoch = reader.epochNow();
    const { topic, partition } = reader;
    const halted = (): boolean => !ctx.isRunning() || reader.isStale(epoch) || ctx.isPaused(topic, partition);
    if (halted()) return;

    const { eachMessage, eachBatch } = ctx.config;
    if (eachMessage) {
      for (const message of fetched.messages) {
        if (message.offset < reader.resolved) continue; // already processed (a re-fetch after a partial batch)
        await eachMessage({ topic, partition, message, heartbeat, pause: () => ctx.pause(topic, partition) });
        if (reader.epochNow() !== epoch) return; // seeked inside the handler: do not resolve over the seek
        reader.resolveOffset(message.offset);
        ctx.resolved(1);
        if (halted()) return;
      }
      return;
    }
    if (!eachBatch) return;
    const messages = fetched.messages.filter((m) => m.offset >= reader.resolved);
    if (messages.length === 0) return;
    const batch = makeBatch(topic, partition, fetched.highWatermark, messages);
    await eachBatch({
      batch,
      resolveOffset: (offset) => {
        if (reader.epochNow() !== epoch) return;
        const before = reader.resolved;
        reader.resolveOffset(Number(offset));
        ctx.resolved(Math.max(0, reader.resolved - before));
      },
      heartbeat,
      commitOffsetsIfNecessary: (offsets) => ctx.commitIfNecessary(offsets),
      isRunning: () => ctx.isRunning() && !reader.isStopping(),
      isStale: () => reader.isStale(epoch),
      pause: () => ctx.pause(topic, partition),
    });
    if (ctx.config.eachBatchAutoResolve && reader.epochNow() === epoch) {
      const before = reader.resolved;
      reader.resolveOffset(batch.lastOffset());
      ctx.resolved(Math.max(0, reader.resolved - before));
    }
  } finally {
    ctx.slots.release();
  }
}

function makeBatch(topic: string, partition: number, highWatermark: number, messages: Batch['messages']): Batch {
  const lastOffset = (): number => (messages.length > 0 ? messages[messages.length - 1].offset : highWatermark - 1);
  return {
    topic,
    partition,
    highWatermark,
    messages,
    isEmpty: () => messages.length === 0,
    firstOffset: () => messages[0]?.offset ?? null,
    lastOffset,
    offsetLag: () => Math.max(0, highWatermark - 1 - lastOffset()),
  };
}

/** A counting semaphore: at most `size` partitions' handlers run at once (partitionsConsumedConcurrently). */
export class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(size: number) {
    this.free = size;
  }

  async acquire(): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}
