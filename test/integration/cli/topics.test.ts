import { describe, expect, inject, it } from 'vitest';
import { uniqueTopic } from '../../helpers/http';
import { lines, runCli } from './run-cli';

const cli = (args: string[], stdin?: string) => runCli(inject('baseUrl'), args, { stdin });

describe('streambed topics', () => {
  it('creates, lists, describes and deletes a topic', async () => {
    const topic = uniqueTopic('cli');
    const created = await cli(['topics', 'create', topic, '--partitions', '3', '--config', 'retention.ms=86400000', '--config', 'compression.type=zstd']);
    expect(created).toMatchObject({ code: 0, stdout: `Created topic ${topic} with 3 partitions\n` });

    const listed = await cli(['topics', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { topics: unknown[] }).topics).toContainEqual({ name: topic, partitions: 3 });
    const table = await cli(['topics', 'list']);
    expect(lines(table).find((l) => l.startsWith(`${topic} `))).toMatch(new RegExp(`^${topic}\\s+3$`));

    const described = await cli(['topics', 'describe', topic, '--json']);
    expect(described.code).toBe(0);
    const d = JSON.parse(described.stdout) as { config: Record<string, unknown>; partitions: { partition: number; highWatermark: number }[] };
    expect(d.config).toMatchObject({ 'retention.ms': 86400000, 'compression.type': 'zstd' });
    expect(d.partitions.map((p) => p.partition)).toEqual([0, 1, 2]);
    const text = await cli(['topics', 'describe', topic]);
    expect(text.stdout).toContain('compression.type=zstd');
    expect(text.stdout).toMatch(/PARTITION\s+LOG-START-OFFSET\s+HIGH-WATERMARK/);

    expect(await cli(['topics', 'delete', topic])).toMatchObject({ code: 0, stdout: `Deleted topic ${topic}\n` });
    const gone = await cli(['topics', 'describe', topic]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('UNKNOWN_TOPIC_OR_PARTITION');
  });

  it('exits 1 with the API code on API errors, and --if-not-exists / --if-exists turn them into success', async () => {
    const topic = uniqueTopic('cli');
    expect((await cli(['topics', 'create', topic])).code).toBe(0);
    const again = await cli(['topics', 'create', topic]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^streambed: TOPIC_ALREADY_EXISTS \(HTTP 409\): /);
    expect((await cli(['topics', 'create', topic, '--if-not-exists'])).code).toBe(0);

    const invalid = await cli(['topics', 'create', 'no spaces allowed']);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('INVALID_TOPIC');
    const badConfig = await cli(['topics', 'create', uniqueTopic('cli'), '--config', 'no.such.key=1']);
    expect(badConfig.code).toBe(1);
    expect(badConfig.stderr).toContain('INVALID_CONFIG');

    expect((await cli(['topics', 'delete', topic])).code).toBe(0);
    expect((await cli(['topics', 'delete', topic])).code).toBe(1);
    expect((await cli(['topics', 'delete', topic, '--if-exists'])).code).toBe(0);
  });

  it('exits 2 on usage errors and 0 on --help', async () => {
    const results = await Promise.all([
      cli(['topics', 'create']), // missing argument
      cli(['topics', 'create', 'x', '--partitions', 'many']),
      cli(['topics', 'create', 'x', '--config', 'novalue']),
      cli(['no-such-command']),
      cli(['consume', 'x', '--offset', '3']), // --offset needs --partition
      cli(['produce', 'x', '--acks', 'some']),
    ]);
    for (const r of results) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
    }
    const help = await cli(['consume', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--from-beginning');
    expect(help.stdout).toContain('--max-messages');
  });

  it('reports an unreachable stack as NETWORK_ERROR with exit 1', async () => {
    const r = await runCli('http://127.0.0.1:9', ['topics', 'list'], { env: { STREAMBED_URL: 'http://127.0.0.1:9' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NETWORK_ERROR');
  }, 120_000);
});
