import { describe, expect, it } from 'vitest';
import { escapeXml, niceCeiling, renderLagChart } from '../../../lib/console/lag-chart';
import { LagHistory } from '../../../lib/console/lag-history';

function polylines(svg: string): Map<string, [number, number][]> {
  const out = new Map<string, [number, number][]>();
  for (const m of svg.matchAll(/<polyline [^>]*data-label="([^"]*)"[^>]*points="([^"]*)"/g)) {
    out.set(m[1], m[2].split(' ').map((p) => p.split(',').map(Number) as [number, number]));
  }
  return out;
}

describe('LagHistory', () => {
  it('keeps one series per topic-partition, sorted by topic then partition number', () => {
    const h = new LagHistory();
    h.add(1000, [
      { topic: 'b', partition: 10, lag: 1 },
      { topic: 'b', partition: 2, lag: 2 },
      { topic: 'a-x', partition: 0, lag: 3 },
    ]);
    h.add(3000, [{ topic: 'b', partition: 2, lag: 5 }]);
    expect(h.all().map((s) => s.label)).toEqual(['a-x-0', 'b-2', 'b-10']);
    expect(h.all()[1].points).toEqual([
      { t: 1000, lag: 2 },
      { t: 3000, lag: 5 },
    ]);
    expect(h.samples()).toBe(2);
  });

  it('caps every series to its newest points', () => {
    const h = new LagHistory(3);
    for (let i = 0; i < 5; i++) h.add(i, [{ topic: 't', partition: 0, lag: i }]);
    expect(h.all()[0].points.map((p) => p.lag)).toEqual([2, 3, 4]);
  });
});

describe('renderLagChart', () => {
  it('says it is waiting when there is no sample yet', () => {
    const svg = renderLagChart([]);
    expect(svg).toContain('data-points="0"');
    expect(svg).toContain('waiting for the first lag sample');
  });

  it('draws one line per partition, higher lag higher up, time left to right', () => {
    const h = new LagHistory();
    h.add(0, [
      { topic: 't', partition: 0, lag: 0 },
      { topic: 't', partition: 1, lag: 10 },
    ]);
    h.add(2000, [
      { topic: 't', partition: 0, lag: 8 },
      { topic: 't', partition: 1, lag: 10 },
    ]);
    const svg = renderLagChart(h.all());
    expect(svg).toContain('data-series="2"');
    expect(svg).toContain('data-points="4"');
    const lines = polylines(svg);
    const [a0, a1] = lines.get('t-0')!;
    const [b0, b1] = lines.get('t-1')!;
    expect(a1[0]).toBeGreaterThan(a0[0]); // later is further right
    expect(a1[1]).toBeLessThan(a0[1]); // lag 8 is above lag 0 (SVG y grows downwards)
    expect(b0[1]).toBe(b1[1]); // constant lag: a flat line
    expect(b0[1]).toBeLessThan(a1[1]); // lag 10 above lag 8
    expect(svg).toContain('>t-1: 10<');
  });

  it('draws at most maxSeries lines, those with the largest current lag', () => {
    const h = new LagHistory();
    h.add(0, [0, 1, 2, 3].map((p) => ({ topic: 't', partition: p, lag: p * 10 })));
    const svg = renderLagChart(h.all(), { maxSeries: 2 });
    expect([...polylines(svg).keys()]).toEqual(['t-2', 't-3']);
    expect(svg).toContain('+2 more');
  });

  it('escapes names', () => {
    expect(escapeXml(`a<b>&"'`)).toBe('a&lt;b&gt;&amp;&quot;&#39;');
  });

  it('rounds the scale up to 1, 2, 2.5 or 5 × 10^k', () => {
    expect([0, 1, 3, 20, 21, 240, 251, 7000].map(niceCeiling)).toEqual([1, 1, 5, 20, 25, 250, 500, 10000]);
  });
});
