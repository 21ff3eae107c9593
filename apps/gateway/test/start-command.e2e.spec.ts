import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { eventually, spawnGateway, START_FLAGS } from './support/processes.js';

/** The growing factor V8 chose for the old generation after a full collection, from its own trace (`--trace-gc-verbose`). */
const GROWING_FACTOR = /\[HeapController\] factor ([\d.]+) based on/g;

/**
 * `--heap-growing-percent=50` is on the `start` script's node command line (Node refuses it in
 * NODE_OPTIONS): the old generation grows by half of what the last full collection kept, where V8
 * alone allows up to four times with a heap limit of a gigabyte or more (docs/operations.md).
 */
describe('the gateway start command', () => {
  it('runs the gateway with the heap growth bounded to 50 %, which V8 applies at every full collection', async () => {
    expect(START_FLAGS).toContain('--heap-growing-percent=50');
    const gateway = spawnGateway({ PORT: '0', DATA_DIR: mkdtempSync(join(tmpdir(), 'gateway-start-')) }, ['--trace-gc-verbose']);
    // Start-up (PGlite's WASM, Nest) takes seconds on a busy 2-core machine, and runs several full collections.
    await eventually(async () => gateway.output().stdout.includes('cryptopay gateway listening'), 1200);
    const commandLine = readFileSync(`/proc/${gateway.child.pid}/cmdline`, 'utf8').split('\0');
    gateway.child.kill('SIGTERM');
    // After exit: V8 writes its trace through a buffered stdout, complete only once the process ends.
    const { stdout } = await gateway.exited;

    expect(commandLine).toContain('--heap-growing-percent=50');
    const factors = [...stdout.matchAll(GROWING_FACTOR)].map((match) => match[1]);
    expect(factors.length).toBeGreaterThan(0);
    expect(new Set(factors)).toEqual(new Set(['1.5']));
  }, 90_000);
});
