/**
 * A Logger that writes one JSON object per line (`{"level","time","msg",...fields}`) to a stream,
 * for the local stack and for code running outside Lambda. Fields go through `redact()`.
 */
import { redact, scrub } from './redact';
import { LOG_LEVELS, type LogFields, type LogLevel, type Logger } from './telemetry';

export interface JsonLoggerOptions {
  /** Lines below this level are dropped. */
  readonly level: LogLevel;
  /** Where lines go (default process.stderr, which keeps stdout for the ready line). */
  readonly write?: (line: string) => void;
  /** Fields on every line (e.g. `{ service: 'streambed' }`). */
  readonly base?: LogFields;
}

export class JsonLogger implements Logger {
  private readonly minLevel: number;
  private readonly write: (line: string) => void;
  private readonly base: Record<string, unknown>;

  constructor(options: JsonLoggerOptions) {
    this.minLevel = LOG_LEVELS.indexOf(options.level);
    this.write = options.write ?? ((line) => process.stderr.write(line));
    this.base = redact(options.base);
  }

  debug(message: string, fields?: LogFields): void {
    this.log('debug', message, fields);
  }
  info(message: string, fields?: LogFields): void {
    this.log('info', message, fields);
  }
  warn(message: string, fields?: LogFields): void {
    this.log('warn', message, fields);
  }
  error(message: string, fields?: LogFields): void {
    this.log('error', message, fields);
  }

  private log(level: LogLevel, message: string, fields: LogFields | undefined): void {
    if (LOG_LEVELS.indexOf(level) < this.minLevel) return;
    const line = { level, time: new Date().toISOString(), msg: scrub(message), ...this.base, ...redact(fields) };
    this.write(`${JSON.stringify(line)}\n`);
  }
}
