import { describe, expect, it } from 'vitest';
import { Histogram } from '../../../lib/observability/histogram';

describe('Histogram', () => {
  it('has no quantiles when empty', () => {
    expect(new Histogram().quantile(0.5)).toBeUndefined();
  });

  it('gives p50 and p99 within 4% over 1..10000', () => {
    const h = new Histogram();
    for (let v = 1; v <= 10_000; v++) h.add(v);
    expect(h.count).toBe(10_000);
    expect(h.sum).toBe((10_000 * 10_001) / 2);
    expect(h.quantile(0.5)! / 5_000).toBeGreaterThan(0.96);
    expect(h.quantile(0.5)! / 5_000).toBeLessThan(1.04);
    expect(h.quantile(0.99)! / 9_900).toBeGreaterThan(0.96);
    expect(h.quantile(0.99)! / 9_900).toBeLessThan(1.04);
  });

  it('never reports a quantile outside [min, max]', () => {
    const h = new Histogram();
    h.add(7.3);
    expect(h.quantile(0.5)).toBe(7.3);
    expect(h.quantile(0.99)).toBe(7.3);
    h.add(0);
    expect(h.quantile(0.01)).toBe(0);
    expect(h.min).toBe(0);
    expect(h.max).toBe(7.3);
  });

  it('separates a slow tail from the median', () => {
    const h = new Histogram();
    for (let i = 0; i < 980; i++) h.add(10);
    for (let i = 0; i < 20; i++) h.add(2_000);
    expect(h.quantile(0.5)).toBeCloseTo(10, 0);
    expect(h.quantile(0.99)).toBeGreaterThan(1_900);
  });

  it('ignores non-finite values', () => {
    const h = new Histogram();
    h.add(Number.NaN);
    h.add(Infinity);
    expect(h.count).toBe(0);
  });
});
