/**
 * The SDK's public data shapes, modelled on kafkajs's (`Message`, `RecordMetadata`,
 * `KafkaMessage`, `EachMessagePayload`, `EachBatchPayload`) so that kafkajs code reads the same.
 * Differences, all deliberate: offsets and timestamps are numbers (the HTTP API's JSON integers,
 * exact up to 2^53) where kafkajs has strings, and bytes are `Uint8Array` (a Buffer on Node).
 */
import type { BytesLike } from './bytes';

export type { BytesLike } from './bytes';

/** Header values as kafkajs takes them: one value, or several for a repeated header. */
export type MessageHeaders = Record<string, BytesLike | BytesLike[] | null | undefined>;

/** A record to produce. Only `value` is required (it may be null: a tombstone). */
export interface Message {
  key?: BytesLike | null;
  value: BytesLike | null;
  headers?: MessageHeaders;
  /** Explicit partition; without it Kafka's default partitioner decides (murmur2 of the key). */
  partition?: number;
  /** Create time in epoch ms (kafkajs passes a string; both are accepted). Default: the server's clock. */
  timestamp?: number | string;
}

export interface ProducerRecord {
  topic: string;
  messages: Message[];
}

/** Where one produced message landed; one entry per message, in the order sent. */
export interface RecordMetadata {
  topicName: string;
  partition: number;
  /** kafkajs's field: always 0 here (a failed send rejects instead). */
  errorCode: 0;
  /** The message's offset; undefined with `acks: 'none'` (the server answers before appending). */
  offset?: number;
  /** The record's timestamp as stored (epoch ms); undefined with `acks: 'none'`. */
  timestamp?: number;
}

/** Consumed header values: bytes, an array of bytes for a repeated header, or null. */
export type ConsumedHeaders = Record<string, Uint8Array | Uint8Array[] | null>;

/** A consumed record. `key`/`value` are Buffers on Node (`value.toString()` is UTF-8 text). */
export interface KafkaMessage {
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: ConsumedHeaders;
  offset: number;
  timestamp: number;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  /** For commits: the next offset to read (as with kafkajs: `Number(message.offset) + 1`). */
  offset: number | string;
  metadata?: string | null;
}

export interface TopicPartitions {
  topic: string;
  /** Omitted: every partition of the topic. */
  partitions?: number[];
}

export interface Batch {
  readonly topic: string;
  readonly partition: number;
  readonly highWatermark: number;
  readonly messages: KafkaMessage[];
  isEmpty(): boolean;
  firstOffset(): number | null;
  lastOffset(): number;
  /** highWatermark − 1 − lastOffset: messages still behind this batch. */
  offsetLag(): number;
}

export interface EachMessagePayload {
  topic: string;
  partition: number;
  message: KafkaMessage;
  /** Heartbeats run in the background; kept for kafkajs compatibility (resolves at once). */
  heartbeat(): Promise<void>;
  /** Pauses this topic-partition after this message; returns a function that resumes it. */
  pause(): () => void;
}

export interface EachBatchPayload {
  batch: Batch;
  /** Marks `offset` (and everything before it) as processed. */
  resolveOffset(offset: number | string): void;
  heartbeat(): Promise<void>;
  /** Commits resolved offsets if the auto-commit interval has passed (or always when autoCommit is off and called). */
  commitOffsetsIfNecessary(offsets?: TopicPartitionOffset[]): Promise<void>;
  /** False once stop() was called. */
  isRunning(): boolean;
  /** True once this partition was revoked by a rebalance or seeked: stop working on the batch. */
  isStale(): boolean;
  pause(): () => void;
}

export type EachMessageHandler = (payload: EachMessagePayload) => Promise<void>;
export type EachBatchHandler = (payload: EachBatchPayload) => Promise<void>;
