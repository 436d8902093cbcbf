/** Latency samples (ms) → avg/p50/p95/p99/max, as kafka-producer-perf-test reports them (nearest-rank percentiles). */
export interface LatencySummary {
  count: number;
  avgMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export class LatencySamples {
  private values = new Float64Array(1024);
  private n = 0;

  add(ms: number): void {
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = ms;
  }

  summary(): LatencySummary {
    const sorted = this.values.slice(0, this.n).sort();
    const at = (q: number): number => (this.n === 0 ? 0 : sorted[Math.min(this.n - 1, Math.max(0, Math.ceil(q * this.n) - 1))]);
    let sum = 0;
    for (const v of sorted) sum += v;
    const round = (v: number): number => Math.round(v * 100) / 100;
    return { count: this.n, avgMs: round(this.n ? sum / this.n : 0), p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), p99Ms: round(at(0.99)), maxMs: round(this.n ? sorted[this.n - 1] : 0) };
  }
}
