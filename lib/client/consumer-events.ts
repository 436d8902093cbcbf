/**
 * The consumer's instrumentation events, named as kafkajs's (`consumer.on(consumer.events.GROUP_JOIN, …)`).
 * A tiny listener registry rather than node:events, so the SDK runs where Node's modules do not.
 */
import type { TopicPartition, TopicPartitionOffset } from './types';

export const CONSUMER_EVENTS = {
  GROUP_JOIN: 'consumer.group_join',
  REBALANCING: 'consumer.rebalancing',
  COMMIT_OFFSETS: 'consumer.commit_offsets',
  /** A failure the consumer survives (handler, fetch, heartbeat, commit): it retries after a backoff. */
  ERROR: 'consumer.error',
  STOP: 'consumer.stop',
} as const;

export interface ConsumerEventPayloads {
  'consumer.group_join': { groupId: string; memberId: string; generation: number; assignment: TopicPartition[] };
  'consumer.rebalancing': { groupId: string; memberId: string; generation: number; revoked: TopicPartition[]; assigned: TopicPartition[] };
  'consumer.commit_offsets': { groupId: string; memberId: string; generation: number; offsets: TopicPartitionOffset[] };
  'consumer.error': { groupId: string; error: unknown; source: 'handler' | 'fetch' | 'heartbeat' | 'commit' | 'rebalance'; topic?: string; partition?: number };
  'consumer.stop': { groupId: string };
}

export type ConsumerEvents = keyof ConsumerEventPayloads;

export interface ConsumerEvent<E extends ConsumerEvents> {
  type: E;
  timestamp: number;
  payload: ConsumerEventPayloads[E];
}

export class EventRegistry {
  private readonly listeners = new Map<ConsumerEvents, Set<(event: never) => void>>();

  /** Returns a function that removes the listener. */
  on<E extends ConsumerEvents>(type: E, listener: (event: ConsumerEvent<E>) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(listener as (event: never) => void);
    return () => {
      set.delete(listener as (event: never) => void);
    };
  }

  emit<E extends ConsumerEvents>(type: E, payload: ConsumerEventPayloads[E]): void {
    const event: ConsumerEvent<E> = { type, timestamp: Date.now(), payload };
    for (const listener of this.listeners.get(type) ?? []) {
      try {
        (listener as (event: ConsumerEvent<E>) => void)(event);
      } catch {
        // A throwing listener must not break the consumer.
      }
    }
  }
}
