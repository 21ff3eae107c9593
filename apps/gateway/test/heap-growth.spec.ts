import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { HEAP_GROWTH_PERCENT } from '../src/heap-growth.js';

const HEAP_GROWTH = fileURLToPath(new URL('../dist/heap-growth.js', import.meta.url));

/** Applies the bound, then forces a full collection, after which V8 sets the old generation's next limit. */
const START = `
const { boundHeapGrowth } = await import(${JSON.stringify(HEAP_GROWTH)});
boundHeapGrowth();
globalThis.gc();
`;

/** The growing factor V8 used for the old generation's limit after that collection (from its own trace). */
async function growingFactor(nodeArgs: string[]): Promise<number> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--trace-gc-verbose', ...nodeArgs, '--input-type=module', '-e', START]);
  // The last limit set is the one after the forced collection.
  const limits = [...stdout.matchAll(/\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB \(([\d.]+)\)/g)];
  const last = limits.at(-1);
  if (!last) throw new Error(`no heap limit in the trace:\n${stdout}`);
  return Number(last[1]);
}

describe('the bound on heap growth', () => {
  it(`lets the old generation grow ${HEAP_GROWTH_PERCENT} % past what a full collection leaves`, async () => {
    expect(await growingFactor([])).toBe(1 + HEAP_GROWTH_PERCENT / 100);
  });

  it('leaves a growing factor given on the command line alone', async () => {
    expect(await growingFactor(['--heap-growing-percent=300'])).toBe(4);
  });
});
