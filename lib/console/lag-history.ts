/**
 * The console's lag samples: one series per (topic, partition), appended every few seconds from
 * `GET /v1/groups/{group}/offsets`, each capped to its newest points. Pure (no DOM): the chart
 * (lag-chart.ts) draws what this holds, and unit tests drive both.
 */

export interface LagRow {
  readonly topic: string;
  readonly partition: number;
  readonly lag: number;
}

export interface LagPoint {
  /** Epoch ms of the sample. */
  readonly t: number;
  readonly lag: number;
}

export interface LagSeries {
  /** `topic-partition`, Kafka's way of naming a partition. */
  readonly label: string;
  readonly points: LagPoint[];
}

/** Default: 2 s sampling for 10 minutes. */
export const DEFAULT_MAX_POINTS = 300;

export class LagHistory {
  private readonly series = new Map<string, LagSeries>();

  constructor(private readonly maxPoints = DEFAULT_MAX_POINTS) {}

  /** Adds one sample of every row; a partition missing from a sample simply gets no point. */
  add(t: number, rows: readonly LagRow[]): void {
    for (const row of rows) {
      const label = `${row.topic}-${row.partition}`;
      let s = this.series.get(label);
      if (!s) {
        s = { label, points: [] };
        this.series.set(label, s);
      }
      s.points.push({ t, lag: row.lag });
      if (s.points.length > this.maxPoints) s.points.splice(0, s.points.length - this.maxPoints);
    }
  }

  /** Series sorted by label (topic, then partition number). */
  all(): LagSeries[] {
    return [...this.series.values()].sort((a, b) => compareLabels(a.label, b.label));
  }

  /** How many samples the longest series has. */
  samples(): number {
    let n = 0;
    for (const s of this.series.values()) n = Math.max(n, s.points.length);
    return n;
  }

  clear(): void {
    this.series.clear();
  }
}

function compareLabels(a: string, b: string): number {
  const [ta, pa] = splitLabel(a);
  const [tb, pb] = splitLabel(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return pa - pb;
}

function splitLabel(label: string): [string, number] {
  const i = label.lastIndexOf('-');
  return [label.slice(0, i), Number(label.slice(i + 1))];
}
