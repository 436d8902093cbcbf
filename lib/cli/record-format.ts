/** How `streambed consume` prints a record: the value, `key<sep>value` (`--print-key`), or one JSON object per line (`--json`). */
import type { KafkaMessage } from '../client';

export type RecordFormat = { kind: 'value' } | { kind: 'keyed'; separator: string } | { kind: 'json' };

const utf8 = new TextDecoder('utf-8');
const text = (b: Uint8Array | null): string | null => (b === null ? null : utf8.decode(b));

export function formatRecord(topic: string, partition: number, m: KafkaMessage, format: RecordFormat): string {
  if (format.kind === 'value') return text(m.value) ?? 'null';
  if (format.kind === 'keyed') return `${text(m.key) ?? 'null'}${format.separator}${text(m.value) ?? 'null'}`;
  const headers: Record<string, string | null | (string | null)[]> = {};
  for (const [k, v] of Object.entries(m.headers)) headers[k] = Array.isArray(v) ? v.map(text) : text(v);
  return JSON.stringify({ topic, partition, offset: m.offset, timestamp: m.timestamp, key: text(m.key), value: text(m.value), headers });
}
