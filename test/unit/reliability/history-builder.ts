/** Hand-made histories for the checker's tests: one call per operation, times in order of calls. */
import type { AuditEvent, HistoryEvent, SegmentEntry } from '../../reliability/history';

export class History {
  readonly events: HistoryEvent[] = [];
  private clock = 1_000;
  private ops = 0;

  /** A produce attempt and its outcome (`offsets` for ok). */
  send(
    process: string,
    partition: number,
    values: string[],
    outcome: 'ok' | 'fail' | 'info' | 'pending',
    options: { offsets?: number[]; code?: string; producer?: { id: string; epoch: number; sequence: number } } = {},
  ): this {
    const op = `${process}:${this.ops++}`;
    this.events.push({ type: 'invoke', f: 'send', op, process, time: this.tick(), partition, values, producer: options.producer });
    if (outcome === 'pending') return this;
    const status = outcome === 'ok' ? 200 : outcome === 'fail' ? 409 : 503;
    this.events.push({ type: outcome, f: 'send', op, process, time: this.tick(), status, offsets: options.offsets, code: options.code });
    return this;
  }

  /** A fetch from `offset` that returned `records` ([offset, value]). */
  read(
    process: string,
    partition: number,
    offset: number,
    records: Array<[number, string]>,
    options: { hwm?: number; start?: number; next?: number; final?: boolean } = {},
  ): this {
    const op = `${process}:${this.ops++}`;
    this.events.push({ type: 'invoke', f: 'read', op, process, time: this.tick(), partition, offset });
    const last = records.length > 0 ? records[records.length - 1][0] + 1 : offset;
    this.events.push({
      type: 'ok',
      f: 'read',
      op,
      process,
      time: this.tick(),
      records,
      highWatermark: options.hwm ?? last,
      logStartOffset: options.start ?? 0,
      nextOffset: options.next ?? last,
      final: options.final,
    });
    return this;
  }

  /** The final read of one partition in one fetch. */
  final(partition: number, records: Array<[number, string]>, options: { start?: number } = {}): this {
    return this.read('final', partition, options.start ?? 0, records, { final: true, start: options.start });
  }

  /** A join or heartbeat that told `member` the group's generation and its partitions. */
  told(process: string, f: 'join' | 'heartbeat', member: string, generation: number, assignment: number[], group = 'g'): this {
    const op = `${process}:${this.ops++}`;
    this.events.push({ type: 'invoke', f, op, process, time: this.tick(), group, memberId: f === 'join' ? undefined : member });
    this.events.push({ type: 'ok', f, op, process, time: this.tick(), memberId: member, generation, assignment });
    return this;
  }

  /** An offset commit of one partition and its outcome. */
  commit(process: string, member: string, generation: number, partition: number, offset: number, outcome: 'ok' | 'fail' | 'info', options: { stale?: boolean; group?: string } = {}): this {
    const op = `${process}:${this.ops++}`;
    this.events.push({ type: 'invoke', f: 'commit', op, process, time: this.tick(), group: options.group ?? 'g', memberId: member, generation, partition, offset, stale: options.stale });
    this.events.push({ type: outcome, f: 'commit', op, process, time: this.tick(), status: outcome === 'ok' ? 200 : outcome === 'fail' ? 409 : 503 });
    return this;
  }

  bump(partition: number, epoch: number, logEndOffset: number): this {
    this.events.push({ type: 'info', f: 'bump-epoch', process: 'nemesis', time: this.tick(), partition, epoch, logEndOffset });
    return this;
  }

  audit(event: DistributiveOmit<AuditEvent, 'type' | 'time'>): this {
    this.events.push({ type: 'audit', time: this.tick(), ...event } as AuditEvent);
    return this;
  }

  /** Lets `ms` pass before the next event. */
  wait(ms: number): this {
    this.clock += ms;
    return this;
  }

  private tick(): number {
    this.clock += 10;
    return this.clock;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export const seg = (baseOffset: number, count: number, key: string, leaderEpoch = 0): SegmentEntry => ({ baseOffset, count, key, leaderEpoch });
