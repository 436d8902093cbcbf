/**
 * Draws lag over time as an SVG line chart (a string, so it is pure and testable without a DOM):
 * one line per partition, time on x, lag (records) on y from 0, a legend on the right. No chart
 * library: a polyline per series and a few gridlines are all a lag chart needs.
 */
import type { LagSeries } from './lag-history';

export interface LagChartOptions {
  readonly width?: number;
  readonly height?: number;
  /** Lines drawn at most (the series with the largest current lag win); default 10. */
  readonly maxSeries?: number;
}

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];
const PAD = { left: 56, right: 230, top: 16, bottom: 32 };

export function renderLagChart(all: readonly LagSeries[], options: LagChartOptions = {}): string {
  const width = options.width ?? 820;
  const height = options.height ?? 260;
  const maxSeries = options.maxSeries ?? 10;
  const withPoints = all.filter((s) => s.points.length > 0);
  const drawn = [...withPoints].sort((a, b) => last(b) - last(a)).slice(0, maxSeries);
  drawn.sort((a, b) => withPoints.indexOf(a) - withPoints.indexOf(b));
  const pointCount = drawn.reduce((n, s) => n + s.points.length, 0);

  const open = `<svg xmlns="http://www.w3.org/2000/svg" class="lag-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="consumer lag over time" data-series="${drawn.length}" data-points="${pointCount}">`;
  if (drawn.length === 0) {
    return `${open}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" class="empty">waiting for the first lag sample…</text></svg>`;
  }

  const times = drawn.flatMap((s) => s.points.map((p) => p.t));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const yMax = niceCeiling(Math.max(1, ...drawn.flatMap((s) => s.points.map((p) => p.lag))));
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const x = (t: number): number => PAD.left + (t1 === t0 ? plotW : ((t - t0) / (t1 - t0)) * plotW);
  const y = (lag: number): number => PAD.top + plotH - (lag / yMax) * plotH;

  const parts: string[] = [open];
  // Gridlines and y labels at 0, ¼, ½, ¾, 1 of the scale.
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const gy = fix(y(v));
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${gy}" y2="${gy}" stroke="#e5e7eb"/>`);
    parts.push(`<text class="axis" x="${PAD.left - 6}" y="${gy}" text-anchor="end" dominant-baseline="middle" font-size="11">${formatCount(v)}</text>`);
  }
  const span = Math.round((t1 - t0) / 1000);
  parts.push(`<text class="axis" x="${PAD.left}" y="${height - 8}" font-size="11">${escapeXml(clock(t0))}</text>`);
  parts.push(`<text class="axis" x="${PAD.left + plotW}" y="${height - 8}" text-anchor="end" font-size="11">${escapeXml(clock(t1))} (${span} s shown)</text>`);

  drawn.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    const pts = s.points.map((p) => `${fix(x(p.t))},${fix(y(p.lag))}`).join(' ');
    parts.push(`<polyline class="series" data-label="${escapeXml(s.label)}" fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>`);
    const end = s.points[s.points.length - 1];
    parts.push(`<circle cx="${fix(x(end.t))}" cy="${fix(y(end.lag))}" r="3" fill="${color}"/>`);
    const ly = PAD.top + 6 + i * 16;
    const lx = PAD.left + plotW + 14;
    parts.push(`<rect x="${lx}" y="${ly - 5}" width="10" height="10" fill="${color}"/>`);
    parts.push(`<text class="legend" x="${lx + 16}" y="${ly}" dominant-baseline="middle" font-size="12">${escapeXml(truncate(s.label, 18))}: ${formatCount(end.lag)}</text>`);
  });
  if (withPoints.length > drawn.length) {
    parts.push(`<text class="legend" x="${PAD.left + plotW + 14}" y="${PAD.top + 6 + drawn.length * 16}" font-size="11">+${withPoints.length - drawn.length} more (lower lag)</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** The smallest of 1, 2, 2.5, 5 × 10^k that is ≥ v. */
export function niceCeiling(v: number): number {
  if (v <= 0) return 1;
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * pow >= v) return m * pow;
  return 10 * pow;
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

function last(s: LagSeries): number {
  return s.points.length ? s.points[s.points.length - 1].lag : 0;
}

function formatCount(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (v >= 1e4) return `${+(v / 1e3).toFixed(1)}k`;
  return String(+v.toFixed(1));
}

function clock(t: number): string {
  return new Date(t).toISOString().slice(11, 19);
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `…${s.slice(s.length - n + 1)}`;
}

function fix(n: number): string {
  return n.toFixed(1);
}
