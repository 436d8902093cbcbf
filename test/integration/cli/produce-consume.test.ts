import { beforeAll, describe, expect, inject, it } from 'vitest';
import { api, uniqueTopic } from '../../helpers/http';
import { lines, runCli } from './run-cli';

const cli = (args: string[], stdin?: string) => runCli(inject('baseUrl'), args, { stdin });

async function createTopic(partitions: number): Promise<string> {
  const topic = uniqueTopic('cli');
  expect((await api(inject('baseUrl')).post('/v1/topics', { name: topic, partitions })).status).toBe(201);
  return topic;
}

describe('streambed produce / consume', () => {
  let topic: string;
  beforeAll(async () => {
    topic = await createTopic(1);
  });

  it('produces plain lines, key<TAB>value lines and JSON records, and consumes them back in every format', async () => {
    const plain = await cli(['produce', topic], 'a\nb\nc\n');
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^Produced 3 records to \S+ in [\d.]+ s; partition 0: 3 \(offsets 0-2\)\n$/);

    const keyed = await cli(['produce', topic, '--key-separator', '\\t', '--print-offsets'], 'user-1\thello\tworld\nuser-2\tbye\n');
    expect(keyed.code, keyed.stderr).toBe(0);
    expect(lines(keyed)).toEqual(['0\t3', '0\t4']);
    expect(keyed.stderr).toContain('Produced 2 records');

    const json = await cli(['produce', topic, '--json'], `${JSON.stringify({ key: 'k', value: { total: 12 }, headers: { source: 'cli' } })}\n${JSON.stringify({ value: null })}\n`);
    expect(json.code, json.stderr).toBe(0);

    const values = await cli(['consume', topic, '--from-beginning']);
    expect(values.code, values.stderr).toBe(0);
    expect(lines(values)).toEqual(['a', 'b', 'c', 'hello\tworld', 'bye', '{"total":12}', 'null']);

    const withKeys = await cli(['consume', topic, '--from-beginning', '--print-key', '--max-messages', '5']);
    expect(lines(withKeys)).toEqual(['null\ta', 'null\tb', 'null\tc', 'user-1\thello\tworld', 'user-2\tbye']);

    const asJson = await cli(['consume', topic, '--partition', '0', '--offset', '5', '--json']);
    expect(asJson.code, asJson.stderr).toBe(0);
    const records = lines(asJson).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records).toMatchObject([
      { topic, partition: 0, offset: 5, key: 'k', value: '{"total":12}', headers: { source: 'cli' } },
      { topic, partition: 0, offset: 6, key: null, value: null, headers: {} },
    ]);
    expect(typeof records[0].timestamp).toBe('number');
  });

  it('routes keyed records as Kafka does and reads every partition', async () => {
    const multi = await createTopic(3);
    const input = Array.from({ length: 30 }, (_, i) => `key-${i % 5}\tvalue-${i}`).join('\n');
    const produced = await cli(['produce', multi, '-K', '\\t', '--print-offsets'], `${input}\n`);
    expect(produced.code, produced.stderr).toBe(0);
    const placed = lines(produced).map((l) => Number(l.split('\t')[0]));
    // the same key always lands on the same partition
    for (let i = 5; i < 30; i++) expect(placed[i]).toBe(placed[i % 5]);

    const back = await cli(['consume', multi, '--from-beginning', '--print-key']);
    expect(back.code, back.stderr).toBe(0);
    const got = lines(back);
    expect(got).toHaveLength(30);
    expect(new Set(got)).toEqual(new Set(input.split('\n')));
    // per key, values come back in produce order
    for (let k = 0; k < 5; k++) {
      const seen = got.filter((l) => l.startsWith(`key-${k}\t`)).map((l) => Number(l.split('-')[2]));
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    }
  });

  it('produces a 5,000-line stdin and stops consuming at --max-messages', async () => {
    const big = await createTopic(2);
    const n = 5000;
    const produced = await cli(['produce', big], `${Array.from({ length: n }, (_, i) => `line-${i}`).join('\n')}\n`);
    expect(produced.code, produced.stderr).toBe(0);
    expect(produced.stdout).toContain(`Produced ${n} records`);
    const d = (await api(inject('baseUrl')).get(`/v1/topics/${big}`)).body as { partitions: { highWatermark: number }[] };
    expect(d.partitions.reduce((s, p) => s + p.highWatermark, 0)).toBe(n);
    const some = await cli(['consume', big, '--from-beginning', '--max-messages', '7']);
    expect(lines(some)).toHaveLength(7);
  });

  it('rejects a bad stdin line with exit 1 and INVALID_REQUEST', async () => {
    const noSep = await cli(['produce', topic, '--key-separator', '\\t'], 'no separator here\n');
    expect(noSep.code).toBe(1);
    expect(noSep.stderr).toContain('INVALID_REQUEST');
    expect(noSep.stderr).toContain('line 1');
    const notJson = await cli(['produce', topic, '--json'], '{oops\n');
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toContain('INVALID_REQUEST');
    const unknown = await cli(['produce', uniqueTopic('missing')], 'x\n');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('UNKNOWN_TOPIC_OR_PARTITION');
  });
});
