/**
 * The idempotent producer (API.md "Idempotent produce"; Kafka's KIP-98 producer state, kept per
 * partition in the leader record). A batch carries (producer id, epoch, first sequence); the
 * partition remembers, per producer, its epoch, the next expected sequence and its last few
 * batches. Pure logic: the decision here is applied by the same conditional write as the commit.
 */
import { StreambedError } from '../errors';
import type { LeaderRecord, ProducerState, ProducerUpdate } from '../storage';

export interface ProducerRequest {
  readonly id: string;
  readonly epoch: number;
  /** Sequence of the first record of this batch on this partition. */
  readonly sequence: number;
}

/** Batches remembered per producer and partition for answering retries (Kafka keeps 5). */
export const RECENT_BATCHES = 5;
/** A producer not seen for this long is forgotten (Kafka's producer.id.expiration.ms default). */
export const PRODUCER_EXPIRATION_MS = 24 * 60 * 60 * 1000;
/** At most this many producer ids are remembered per partition; the least recently seen go first. */
export const MAX_PRODUCERS = 500;

export type ProducerVerdict =
  | { readonly kind: 'append'; readonly update: (baseOffset: number) => ProducerUpdate }
  | { readonly kind: 'duplicate'; readonly baseOffset: number };

/**
 * Decides what a batch of `count` records from `req` means for the partition in `leader`:
 * append it (and how the producer's state changes), answer it as a duplicate of a committed batch,
 * or refuse it. The epoch is checked before the sequence.
 */
export function checkProducer(leader: LeaderRecord, req: ProducerRequest, count: number, now: number): ProducerVerdict {
  const where = `partition ${leader.partition}`;
  const state = leader.producers?.[req.id];
  if (state && req.epoch < state.epoch) {
    throw new StreambedError(
      'PRODUCER_FENCED',
      `producer "${req.id}" epoch ${req.epoch} is older than epoch ${state.epoch} already seen on ${where}; a newer instance of this producer has taken over`,
    );
  }
  const sameEpoch = state !== undefined && state.epoch === req.epoch;
  const expected = sameEpoch ? state.nextSequence : 0;
  if (sameEpoch && req.sequence < expected) {
    const original = state.recent.find((b) => b.sequence === req.sequence);
    if (original && original.count === count) return { kind: 'duplicate', baseOffset: original.baseOffset };
    throw new StreambedError(
      'OUT_OF_ORDER_SEQUENCE',
      original
        ? `producer "${req.id}" sequence ${req.sequence} on ${where} was committed with ${original.count} records, not ${count}`
        : `producer "${req.id}" sequence ${req.sequence} on ${where} is older than the last ${RECENT_BATCHES} batches remembered; next expected is ${expected}`,
    );
  }
  if (req.sequence !== expected) {
    throw new StreambedError(
      'OUT_OF_ORDER_SEQUENCE',
      `producer "${req.id}" epoch ${req.epoch} sent sequence ${req.sequence} on ${where}, expected ${expected}` +
        (sameEpoch ? '' : ' (a new producer or a new epoch starts at 0)'),
    );
  }
  return {
    kind: 'append',
    update: (baseOffset) => ({
      id: req.id,
      state: {
        epoch: req.epoch,
        nextSequence: req.sequence + count,
        recent: [...(sameEpoch ? state.recent : []), { sequence: req.sequence, count, baseOffset }].slice(-RECENT_BATCHES),
        lastSeen: now,
      },
      expire: expiredProducers(leader.producers ?? {}, req.id, now),
    }),
  };
}

/** Producer ids to forget: expired ones, and the least recently seen beyond MAX_PRODUCERS. */
export function expiredProducers(producers: Readonly<Record<string, ProducerState>>, keep: string, now: number): string[] {
  const others = Object.entries(producers).filter(([id]) => id !== keep);
  const expired = others.filter(([, s]) => now - s.lastSeen > PRODUCER_EXPIRATION_MS).map(([id]) => id);
  const live = others.filter(([, s]) => now - s.lastSeen <= PRODUCER_EXPIRATION_MS).sort((a, b) => a[1].lastSeen - b[1].lastSeen);
  const overflow = Math.max(0, live.length + 1 - MAX_PRODUCERS);
  // Bounded per commit so one update expression stays small; the rest go on later commits.
  return [...expired, ...live.slice(0, overflow).map(([id]) => id)].slice(0, 25);
}
