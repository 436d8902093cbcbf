/**
 * Clock skew for one process: preloaded with `NODE_OPTIONS=--import <this file>` and
 * STREAMBED_CLOCK_OFFSET_MS=<signed ms>, it moves `Date.now()` and `new Date()` of the process by
 * that offset. Timers and `performance.now()` keep the real (monotonic) clock, as on a machine
 * whose wall clock is off. Plain JS, so it loads before any TypeScript loader.
 */
const offset = Number(process.env.STREAMBED_CLOCK_OFFSET_MS ?? 0);
if (!Number.isFinite(offset)) throw new Error(`STREAMBED_CLOCK_OFFSET_MS=${process.env.STREAMBED_CLOCK_OFFSET_MS} is not a number`);
if (offset !== 0) {
  const RealDate = Date;
  const realNow = RealDate.now.bind(RealDate);
  class SkewedDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(realNow() + offset);
      else super(...args);
    }
    static now() {
      return realNow() + offset;
    }
  }
  globalThis.Date = SkewedDate;
  process.stderr.write(`clock offset ${offset} ms (STREAMBED_CLOCK_OFFSET_MS)\n`);
}
