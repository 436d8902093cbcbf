/**
 * Pure helpers of the console: byte counts of fetched records, the sampled size estimate of a
 * partition, and human-readable numbers. No DOM, no Node: runs in the browser and in unit tests.
 */

/** A record as `GET …/records?encoding=base64` returns it. */
export interface FetchedRecord {
  readonly offset: number;
  readonly timestamp: number;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers?: readonly { key: string; value: string | null }[] | null;
}

/** Decoded length of a base64 string (padding aware), without decoding it. */
export function base64Length(b64: string | null | undefined): number {
  if (!b64) return 0;
  const s = b64.replace(/\s/g, '');
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  return Math.floor((s.length * 3) / 4) - pad;
}

/** Key + value + header key/value bytes of a record fetched with `encoding=base64` (the API's `maxBytes` measure). */
export function payloadBytes(r: FetchedRecord): number {
  let n = base64Length(r.key) + base64Length(r.value);
  for (const h of r.headers ?? []) n += new TextEncoder().encode(h.key).length + base64Length(h.value);
  return n;
}

/**
 * Approximate payload size of a partition: the average payload of a sample of its records times
 * the number of retained records. Exact when the sample is the whole partition; `undefined`
 * when there are records but no sample to judge them by.
 */
export function estimatePartitionBytes(sample: readonly FetchedRecord[], logStartOffset: number, highWatermark: number): number | undefined {
  const count = Math.max(0, highWatermark - logStartOffset);
  if (count === 0) return 0;
  if (sample.length === 0) return undefined;
  const total = sample.reduce((n, r) => n + payloadBytes(r), 0);
  return Math.round((total / sample.length) * count);
}

export function formatBytes(n: number | undefined): string {
  if (n === undefined) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function formatTimestamp(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().replace('T', ' ').replace('Z', '') : String(ms);
}

/** The first `max` characters, with an ellipsis when cut. */
export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`;
}
