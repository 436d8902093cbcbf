/**
 * Broken request bodies for test/integration/bad-input.test.ts: per body route, a valid body and
 * mutations that each make it invalid (so a case that is accepted is a bug, not luck).
 */
import type { ErrorCode } from '../../lib/errors';
import type { Prng } from './fuzz';

export const INVALID: readonly ErrorCode[] = ['INVALID_REQUEST'];

export interface BodyRoute {
  readonly method: string;
  readonly path: string;
  /** A body the route accepts. */
  readonly valid: () => Record<string, unknown>;
  /** Mutations that each make a valid body invalid, with the codes the route may answer. */
  readonly breaks: ReadonlyArray<readonly [string, (b: Record<string, any>) => void, readonly ErrorCode[]]>;
}

/** The API's body routes, each with a valid body and mutations drawn from `r`; `topic` exists with 2 partitions. */
export function bodyRoutes(r: Prng, topic: string): BodyRoute[] {
  const TOPIC_PATH = `/v1/topics/${topic}`;
  return [
    {
      method: 'POST',
      path: '/v1/topics',
      valid: () => ({ name: `fuzz-new-${r.int(1e9)}`, partitions: 1 }),
      breaks: [
        ['name missing', (b) => delete b.name, INVALID],
        ['name not a string', (b) => (b.name = r.pick([1, true, null, [], {}])), INVALID],
        ['name invalid', (b) => (b.name = r.pick(['', '.', '..', 'a/b', 'a b', 'ø', 'x'.repeat(250), '__proto__\u0000'])), ['INVALID_TOPIC']],
        ['partitions out of range', (b) => (b.partitions = r.pick([0, -1, 1025, 1.5, 2 ** 53])), ['INVALID_PARTITIONS', 'INVALID_REQUEST']],
        ['partitions a string', (b) => (b.partitions = r.pick(['3', 'NaN', 'Infinity'])), INVALID],
        ['config unknown key', (b) => (b.config = JSON.parse(`{"${r.pick(['__proto__', 'constructor', 'retention', 'x'])}": 1}`)), ['INVALID_CONFIG']],
        ['config bad value', (b) => (b.config = { [r.pick(['retention.ms', 'retention.bytes', 'max.message.bytes'])]: r.pick(['x', -2, 1.5, null, 1e308]) }), ['INVALID_CONFIG']],
        ['compression unknown', (b) => (b.config = { 'compression.type': r.pick(['brotli', '', 'GZIP ', 1]) }), ['INVALID_CONFIG']],
        ['config not an object', (b) => (b.config = r.pick([[], 'x', 1])), INVALID],
      ],
    },
    {
      method: 'POST',
      path: `${TOPIC_PATH}/records`,
      valid: () => ({ records: [{ key: 'k', value: 'v', headers: [{ key: 'h', value: 'x' }], partition: 0 }] }),
      breaks: [
        ['records missing', (b) => delete b.records, INVALID],
        ['records empty or not an array', (b) => (b.records = r.pick([[], {}, 'x', null])), INVALID],
        ['value missing or mistyped', (b) => (r.next() < 0.3 ? delete b.records[0].value : (b.records[0].value = r.pick([1, true, {}, [], 1e308]))), INVALID],
        ['key mistyped', (b) => (b.records[0].key = r.pick([1, {}, ['k'], false])), INVALID],
        ['partition not a non-negative integer', (b) => (b.records[0].partition = r.pick([-1, 1.5, '0', null, 2 ** 53 + 1])), INVALID],
        ['partition beyond the count', (b) => (b.records[0].partition = r.pick([2, 1024, 99999])), ['UNKNOWN_TOPIC_OR_PARTITION']],
        ['timestamp invalid', (b) => (b.records[0].timestamp = r.pick([-1, 1.5, 'now', 1e20])), INVALID],
        ['headers invalid', (b) => (b.records[0].headers = r.pick([{}, [{ value: 'x' }], [{ key: 1, value: 'x' }], [{ key: 'h', value: 2 }], 'h'])), INVALID],
        ['encoding unknown', (b) => (b.encoding = r.pick(['utf16', 'BASE64', '', 5])), INVALID],
        ['bad base64', (b) => ((b.encoding = 'base64'), (b.records[0].value = r.pick(['***', 'abc', '====', 'ü']))), INVALID],
        ['acks unknown', (b) => (b.acks = r.pick(['some', 1, true, 'ALL'])), INVALID],
        ['producer malformed', (b) => (b.producer = r.pick([{}, { id: '', epoch: 0, sequences: { '0': 0 } }, { id: 'p', epoch: -1, sequences: { '0': 0 } }, { id: 'p', epoch: 0, sequences: { x: 0 } }, 'p'])), INVALID],
        ['record pollution', (b) => (b.records = [JSON.parse('{"__proto__": {"value": "x"}, "constructor": {"prototype": {"value": "y"}}}')]), INVALID],
        ['record too large', (b) => (b.records[0].value = 'x'.repeat(1024 * 1024 + 1)), ['RECORD_TOO_LARGE']],
      ],
    },
    {
      method: 'POST',
      path: '/v1/groups/fuzz-group/members',
      valid: () => ({ topics: [topic], sessionTimeoutMs: 10_000 }),
      breaks: [
        ['topics missing', (b) => delete b.topics, INVALID],
        ['topics mistyped', (b) => (b.topics = r.pick(['x', [1], [null], {}, [[topic]]])), INVALID],
        ['session timeout mistyped', (b) => (b.sessionTimeoutMs = r.pick(['10', null, {}])), INVALID],
        ['member id invalid', (b) => (b.memberId = r.pick(['', 1, 'x'.repeat(10_000)])), INVALID],
      ],
    },
    {
      method: 'POST',
      path: '/v1/groups/fuzz-group/offsets',
      valid: () => ({ offsets: [{ topic, partition: 0, offset: 1, metadata: null }] }),
      breaks: [
        ['offsets missing or mistyped', (b) => (b.offsets = r.pick([undefined, {}, 'x', [1], [null]])), INVALID],
        ['offset entry incomplete', (b) => delete b.offsets[0][r.pick(['topic', 'partition'])], INVALID],
        ['offset invalid', (b) => (b.offsets[0].offset = r.pick([-1, 1.5, '1', null, 'NaN'])), ['INVALID_OFFSET', 'INVALID_REQUEST']],
        ['generation invalid', (b) => ((b.memberId = 'm'), (b.generation = r.pick([-1, 1.5, '1']))), INVALID],
      ],
    },
  ];
}
