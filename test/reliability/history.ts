/**
 * The history of a reliability run, Jepsen-style: every client operation is logged as an `invoke`
 * followed by exactly one completion — `ok` (it happened), `fail` (it definitely did not: a 4xx) or
 * `info` (indeterminate: a 5xx, a timeout, a reset, a dropped response). The nemesis logs what it
 * did, and the end of a run logs an audit of the storage. One JSON object per line; each process
 * writes its own file, and the checker reads them all (test/reliability/checker.ts).
 */
import { closeSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A produce attempt: one request to one partition; `values` are unique across the whole run. */
export interface SendInvoke {
  readonly type: 'invoke';
  readonly f: 'send';
  readonly op: string;
  readonly process: string;
  readonly time: number;
  readonly partition: number;
  readonly values: readonly string[];
  /** Idempotent producer: id, epoch and first sequence of this request. */
  readonly producer?: { readonly id: string; readonly epoch: number; readonly sequence: number };
  /** Attempt number of the same values (1 = first). */
  readonly attempt?: number;
  readonly target?: string;
}

export interface Completion {
  readonly type: 'ok' | 'fail' | 'info';
  readonly op: string;
  readonly process: string;
  readonly time: number;
  readonly status?: number;
  readonly code?: string;
  readonly error?: string;
}

export interface SendCompletion extends Completion {
  readonly f: 'send';
  /** ok: the offset of each value, in order. */
  readonly offsets?: readonly number[];
}

/** One fetch call. */
export interface ReadInvoke {
  readonly type: 'invoke';
  readonly f: 'read';
  readonly op: string;
  readonly process: string;
  readonly time: number;
  readonly partition: number;
  readonly offset: number;
}

export interface ReadCompletion extends Completion {
  readonly f: 'read';
  /** ok: [offset, value] of every record returned, in response order. */
  readonly records?: ReadonlyArray<readonly [number, string | null]>;
  readonly highWatermark?: number;
  readonly logStartOffset?: number;
  readonly nextOffset?: number;
  /** Part of the final read, after the faults stopped. */
  readonly final?: boolean;
}

/** A consumer-group call: join, heartbeat, offset commit (one partition per call), leave. */
export interface GroupInvoke {
  readonly type: 'invoke';
  readonly f: 'join' | 'heartbeat' | 'commit' | 'leave';
  readonly op: string;
  readonly process: string;
  readonly time: number;
  readonly group: string;
  readonly memberId?: string;
  readonly generation?: number;
  readonly partition?: number;
  readonly offset?: number;
  /** A commit sent on purpose with a generation older than the one this member knows. */
  readonly stale?: boolean;
}

export interface GroupCompletion extends Completion {
  readonly f: 'join' | 'heartbeat' | 'commit' | 'leave';
  /** join/heartbeat ok: the member, the group's generation and this member's partitions in it. */
  readonly memberId?: string;
  readonly generation?: number;
  readonly assignment?: readonly number[];
  readonly rebalance?: boolean;
}

/** Something the nemesis did (kill, restart, pause, resume, fault setting…). */
export interface NemesisEvent {
  readonly type: 'info';
  readonly f: 'nemesis';
  readonly process: 'nemesis';
  readonly time: number;
  readonly what: string;
  readonly detail?: unknown;
}

/** A leader epoch bump, with the log end offset at that instant (one atomic UpdateItem). */
export interface BumpEvent {
  readonly type: 'info';
  readonly f: 'bump-epoch';
  readonly process: 'nemesis';
  readonly time: number;
  readonly partition: number;
  readonly epoch: number;
  readonly logEndOffset: number;
}

export interface SegmentEntry {
  readonly baseOffset: number;
  readonly count: number;
  readonly key: string;
  readonly leaderEpoch: number;
}

/** The storage at the end of a run. */
export type AuditEvent =
  | { readonly type: 'audit'; readonly f: 'objects'; readonly time: number; readonly keys: readonly string[] }
  | { readonly type: 'audit'; readonly f: 'index'; readonly time: number; readonly partition: number; readonly entries: readonly SegmentEntry[] }
  | {
      readonly type: 'audit';
      readonly f: 'leader';
      readonly time: number;
      readonly partition: number;
      readonly logStartOffset: number;
      readonly logEndOffset: number;
      readonly leaderEpoch: number;
      readonly lastCommit?: SegmentEntry;
    }
  | { readonly type: 'audit'; readonly f: 'gc'; readonly time: number; readonly ran: boolean; readonly detail?: string }
  /** A group's committed offsets at the end, [partition, offset or null]. */
  | { readonly type: 'audit'; readonly f: 'group-offsets'; readonly time: number; readonly group: string; readonly offsets: ReadonlyArray<readonly [number, number | null]> };

export type HistoryEvent =
  | SendInvoke
  | SendCompletion
  | ReadInvoke
  | ReadCompletion
  | GroupInvoke
  | GroupCompletion
  | NemesisEvent
  | BumpEvent
  | AuditEvent;

/** Wall-clock ms with sub-ms precision, from the monotonic clock (unaffected by a patched Date.now). */
export function now(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000) / 1000;
}

/** Appends events to a JSON-lines file, synchronously: a line is on disk before the next operation. */
export class HistoryWriter {
  private readonly fd: number;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'a');
  }

  write(event: HistoryEvent): void {
    writeSync(this.fd, `${JSON.stringify(event)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** Every event of every `*.jsonl` file in `dir` (a torn last line, from a killed writer, is skipped). */
export function readHistory(dir: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        events.push(JSON.parse(line) as HistoryEvent);
      } catch {
        // only the last line of a file written by a killed process can be torn
      }
    }
  }
  return events;
}
