/** The checks that need the end-of-run storage audit: zombie commits, orphans, deleted objects. */
import type { AuditEvent, BumpEvent, SegmentEntry } from './history';
import { Tally, type Figure, type ValueInfo } from './checker-types';

/**
 * Writes that became visible although their writer was fenced: (a) a segment committed under a
 * leader epoch older than a bump, at or after the log end offset of that bump; (b) a value of an
 * idempotent producer epoch at an offset after a value of a newer epoch of the same producer id.
 */
export function checkZombies(
  values: Map<string, ValueInfo>,
  atOffset: Map<number, Map<number, Set<string>>>,
  finalLog: Map<number, Map<number, string>>,
  bumps: readonly BumpEvent[],
  audits: readonly AuditEvent[],
): Figure {
  const tally = new Tally();
  const segments = new Map<number, Map<string, SegmentEntry>>();
  for (const a of audits) {
    const list = a.f === 'index' ? a.entries : a.f === 'leader' && a.lastCommit ? [a.lastCommit] : [];
    const partition = a.f === 'index' || a.f === 'leader' ? a.partition : -1;
    for (const s of list) {
      let m = segments.get(partition);
      if (!m) segments.set(partition, (m = new Map()));
      m.set(`${s.baseOffset}:${s.key}`, s);
    }
  }
  for (const bump of bumps) {
    for (const s of segments.get(bump.partition)?.values() ?? []) {
      if (s.leaderEpoch < bump.epoch && s.baseOffset >= bump.logEndOffset) {
        const inside: string[] = [];
        for (let o = s.baseOffset; o < s.baseOffset + s.count; o++) {
          const v = finalLog.get(bump.partition)?.get(o);
          if (v !== undefined) inside.push(v);
        }
        tally.add({
          value: inside[0],
          partition: bump.partition,
          offset: s.baseOffset,
          detail: `segment ${s.key} committed under leader epoch ${s.leaderEpoch} at offset ${s.baseOffset}, after epoch ${bump.epoch} began at offset ${bump.logEndOffset} (${inside.length} values)`,
        });
      }
    }
  }
  for (const [partition, byOffset] of atOffset) {
    const newest = new Map<string, { epoch: number; offset: number }>();
    for (const offset of [...byOffset.keys()].sort((a, b) => a - b)) {
      for (const value of byOffset.get(offset) ?? []) {
        const producer = values.get(value)?.producer;
        if (!producer) continue;
        const seen = newest.get(producer.id);
        if (seen && producer.epoch < seen.epoch) {
          tally.add({ value, partition, offset, detail: `producer ${producer.id} epoch ${producer.epoch} wrote after epoch ${seen.epoch} (offset ${seen.offset})` });
        } else if (!seen || producer.epoch > seen.epoch) {
          newest.set(producer.id, { epoch: producer.epoch, offset });
        }
      }
    }
  }
  return tally.figure();
}

export function checkObjects(audits: readonly AuditEvent[]): { orphans?: Figure; referencedDeleted?: Figure; gcRan: boolean } {
  const objects = audits.find((a) => a.f === 'objects');
  const gcRan = audits.some((a) => a.f === 'gc' && a.ran);
  if (!objects || objects.f !== 'objects') return { gcRan };
  const present = new Set(objects.keys);
  const referenced = new Set<string>();
  const deleted = new Tally();
  const starts = new Map<number, number>();
  for (const a of audits) if (a.f === 'leader') starts.set(a.partition, a.logStartOffset);
  const missing = new Set<string>();
  for (const a of audits) {
    const list = a.f === 'index' ? a.entries : a.f === 'leader' && a.lastCommit ? [a.lastCommit] : [];
    const partition = a.f === 'index' || a.f === 'leader' ? a.partition : -1;
    for (const s of list) {
      referenced.add(s.key);
      const live = s.baseOffset + s.count > (starts.get(partition) ?? 0);
      if (live && !present.has(s.key) && !missing.has(`${partition}:${s.baseOffset}:${s.key}`)) {
        missing.add(`${partition}:${s.baseOffset}:${s.key}`);
        deleted.add({ partition, offset: s.baseOffset, detail: `${a.f === 'index' ? 'index entry' : 'lastCommit'} → missing object ${s.key}` });
      }
    }
  }
  const orphans = new Tally();
  for (const key of objects.keys) {
    // segments/{topicId}/{partition}/{name}
    if (!referenced.has(key)) orphans.add({ partition: Number(key.split('/')[2] ?? -1), detail: key });
  }
  return { orphans: orphans.figure(), referencedDeleted: deleted.figure(), gcRan };
}
