/**
 * stdout for commands that may print a lot (consume): waits for 'drain' so memory stays flat when
 * the reader is slow, and a closed pipe (`streambed consume … | head`) ends the process quietly.
 * Also a plain-text table formatter for list/describe output.
 */
let pipeClosed = false;

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') {
    pipeClosed = true;
    process.exit(0);
  }
  throw err;
});

export async function writeLine(line: string): Promise<void> {
  if (pipeClosed) return;
  if (!process.stdout.write(`${line}\n`)) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}

/** Left-aligned columns separated by two spaces; numbers right-aligned. */
export function table(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === 'number'));
  return cells
    .map((r) => r.map((c, i) => (numeric[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
