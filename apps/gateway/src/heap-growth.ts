import { setFlagsFromString } from 'node:v8';

/**
 * How far the old generation may grow past what the last full collection kept, in percent. V8
 * chooses up to 300 % (four times the live heap) when its heap limit is a gigabyte or more, as on
 * any machine with a few GiB: a busy gateway with 40–50 MB live then peaked at 190–342 MB of RSS. At
 * 50 % the same load peaks near 175 MB, for the same CPU per request within the run-to-run noise
 * (docs/benchmarks.md, fix 14). It is not a heap limit: a process never dies of it.
 */
export const HEAP_GROWTH_PERCENT = 50;

const GIVEN = /^--heap[-_]growing[-_]percent(?:=|$)/;

/**
 * Applies {@link HEAP_GROWTH_PERCENT} unless the command line sets `--heap-growing-percent` itself
 * (V8 reads it at every full collection, so setting it at start-up is enough).
 */
export function boundHeapGrowth(): void {
  if (process.execArgv.some((arg) => GIVEN.test(arg))) return;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWTH_PERCENT}`);
}
