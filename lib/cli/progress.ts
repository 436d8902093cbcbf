/**
 * Progress of a bench phase on stderr: on a TTY a bar redrawn in place (records, rate, MB/s, ETA);
 * otherwise one plain line every `intervalMs`, like kafka-producer-perf-test's periodic reports.
 */
export interface ProgressOptions {
  readonly label: string;
  readonly total: number;
  readonly tty: boolean;
  readonly intervalMs: number;
  readonly stream?: NodeJS.WritableStream;
}

export class Progress {
  private done = 0;
  private bytes = 0;
  private readonly started = Date.now();
  private lastAt = this.started;
  private lastDone = 0;
  private lastBytes = 0;
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly out: NodeJS.WritableStream;

  constructor(private readonly options: ProgressOptions) {
    this.out = options.stream ?? process.stderr;
    this.timer = setInterval(() => this.report(), options.tty ? 200 : options.intervalMs);
    this.timer.unref();
  }

  add(records: number, bytes: number): void {
    this.done += records;
    this.bytes += bytes;
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.options.tty) {
      this.report();
      this.out.write('\n');
    }
  }

  private report(): void {
    const now = Date.now();
    const { label, total, tty } = this.options;
    if (tty) {
      const seconds = Math.max((now - this.started) / 1000, 1e-3);
      const rate = this.done / seconds;
      const mbs = this.bytes / seconds / 1e6;
      const eta = rate > 0 ? (total - this.done) / rate : Infinity;
      const width = 24;
      const filled = total > 0 ? Math.min(width, Math.round((this.done / total) * width)) : 0;
      const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
      this.out.write(`\r\x1b[K${label} ${bar} ${this.done}/${total} ${rate.toFixed(0)} rec/s ${mbs.toFixed(2)} MB/s ETA ${formatSeconds(eta)}`);
      return;
    }
    const seconds = Math.max((now - this.lastAt) / 1000, 1e-3);
    this.out.write(
      `${label}: ${this.done}/${total} records, ${((this.done - this.lastDone) / seconds).toFixed(1)} records/s, ${((this.bytes - this.lastBytes) / seconds / 1e6).toFixed(2)} MB/s (last ${seconds.toFixed(1)} s)\n`,
    );
    this.lastAt = now;
    this.lastDone = this.done;
    this.lastBytes = this.bytes;
  }
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${s.toFixed(0)}s`;
  return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
}
