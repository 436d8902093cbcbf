import { describe, expect, inject, it } from 'vitest';
import { api, uniqueTopic } from '../../helpers/http';
import { lines, runCli } from './run-cli';

const cli = (args: string[], stdin?: string) => runCli(inject('baseUrl'), args, { stdin });

describe('streambed consume --group and groups describe', () => {
  it('commits what a group member printed and shows the lag per partition with totals', async () => {
    const topic = uniqueTopic('cli');
    const group = `cli-group-${Date.now().toString(36)}`;
    expect((await api(inject('baseUrl')).post('/v1/topics', { name: topic, partitions: 2 })).status).toBe(201);
    const input = Array.from({ length: 10 }, (_, i) => JSON.stringify({ value: `v${i}`, partition: i % 2 })).join('\n');
    expect((await cli(['produce', topic, '--json'], input)).code).toBe(0);

    const first = await cli(['consume', topic, '--group', group, '--from-beginning', '--max-messages', '4']);
    expect(first.code, first.stderr).toBe(0);
    expect(lines(first)).toHaveLength(4);

    const described = await cli(['groups', 'describe', group, '--json']);
    expect(described.code, described.stderr).toBe(0);
    const d = JSON.parse(described.stdout) as { totalLag: number; topics: { topic: string; lag: number; partitions: { offset: number | null; highWatermark: number; lag: number }[] }[] };
    expect(d.topics.map((t) => t.topic)).toEqual([topic]);
    expect(d.totalLag).toBe(6);
    for (const p of d.topics[0].partitions) expect(p.lag).toBe(p.highWatermark - (p.offset ?? 0));

    const table = await cli(['groups', 'describe', group]);
    expect(table.stdout).toContain('total lag: 6');
    expect(table.stdout).toMatch(new RegExp(`${topic}\\s+total\\s+6`));

    // the next run of the group goes on from the commits (--from-beginning only applies to a partition without one) and drains it
    const rest = await cli(['consume', topic, '--group', group, '--from-beginning']);
    expect(rest.code, rest.stderr).toBe(0);
    expect(new Set([...lines(first), ...lines(rest)])).toEqual(new Set(Array.from({ length: 10 }, (_, i) => `v${i}`)));
    expect(lines(rest)).toHaveLength(6);
    const drained = JSON.parse((await cli(['groups', 'describe', group, '--json'])).stdout) as { totalLag: number };
    expect(drained.totalLag).toBe(0);

    const listed = await cli(['groups', 'list', '--json']);
    expect((JSON.parse(listed.stdout) as { groups: { group: string }[] }).groups.map((g) => g.group)).toContain(group);
  });
});

describe('streambed bench', () => {
  it('produces and reads back the records and prints a parseable summary', async () => {
    const r = await cli(['bench', '--records', '300', '--record-size', '64', '--partitions', '2', '--linger', '5', '--json', '--report-interval', '100']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Record<'produce' | 'consume', { records: number; bytes: number; recordsPerSec: number; mbPerSec: number; latency: Record<string, number> }> & { topic: string };
    expect(s.produce).toMatchObject({ records: 300, bytes: 300 * 64 });
    expect(s.consume).toMatchObject({ records: 300, bytes: 300 * 64 });
    for (const phase of [s.produce, s.consume]) {
      expect(phase.recordsPerSec).toBeGreaterThan(0);
      const l = phase.latency;
      expect(l.p50Ms).toBeLessThanOrEqual(l.p95Ms);
      expect(l.p95Ms).toBeLessThanOrEqual(l.p99Ms);
      expect(l.p99Ms).toBeLessThanOrEqual(l.maxMs);
      expect(l.avgMs).toBeGreaterThan(0);
    }
    expect(s.produce.latency.count).toBe(300);
    // the scratch topic is gone afterwards
    expect((await api(inject('baseUrl')).get(`/v1/topics/${s.topic}`)).status).toBe(404);
  });

  it('runs with --throughput and prints the human summary with progress lines on a non-TTY stderr', async () => {
    const r = await cli(['bench', '--records', '40', '--record-size', '10', '--throughput', '20', '--report-interval', '500']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^produce: 40 records, [\d.]+ MB in ([\d.]+) s: [\d.]+ records\/s, [\d.]+ MB\/s; latency avg [\d.]+ ms, p50 [\d.]+ ms, p95 [\d.]+ ms, p99 [\d.]+ ms, max [\d.]+ ms$/m);
    expect(r.stdout).toMatch(/^consume: 40 records/m);
    expect(r.stderr).toMatch(/^produce: \d+\/40 records, [\d.]+ records\/s/m);
    expect(r.stderr).not.toContain('\x1b[K');
  });
});
