import { jest } from '@jest/globals';
import { type RawCallback } from '@cryptopay/provider-kit';
import { type BlockBeeAdapter } from '../src/index.js';
import { BlockBeeSimulator } from '../src/simulator/index.js';
import { CallbackPublicKey } from '../src/verification/public-key.js';
import { adapterFrom, simulatorSignedWebhook } from './support/callbacks.js';
import { LOOPBACK } from './support/harness.js';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * When the adapter asks BlockBee's /pubkey/ again, on a clock of the test's own. A verification that finds
 * the key due starts its refresh synchronously (`current()` calls `refresh()`), so a spy on `refresh`
 * says at once whether that verification started one: nothing is awaited on the wall clock.
 */
describe("the adapter's schedule for refreshing BlockBee's signing key", () => {
  let simulator: BlockBeeSimulator;
  let adapter: BlockBeeAdapter;
  let signed: RawCallback;
  let clock: number;
  const refreshes = jest.spyOn(CallbackPublicKey.prototype, 'refresh');

  beforeEach(async () => {
    simulator = await BlockBeeSimulator.start();
    clock = Date.UTC(2026, 11, 5, 12);
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
    adapter = adapterFrom({ apiKey: simulator.apiKey, apiBaseUrl: simulator.baseUrl, allowlist: LOOPBACK, refreshPublicKey: true });
    signed = simulatorSignedWebhook(simulator, new Date(clock));
  });

  afterEach(async () => {
    jest.mocked(Date.now).mockRestore();
    await simulator.close();
  });

  /** Whether verifying a callback at `at` (ms after the last fetch) starts a refresh; any refresh started is awaited. */
  async function verifyStartsRefreshAt(fetchedAt: number, at: number): Promise<boolean> {
    clock = fetchedAt + at;
    refreshes.mockClear();
    adapter.verify(signed);
    const started = refreshes.mock.calls.length > 0;
    if (started) await refreshes.mock.results[0]?.value;
    return started;
  }

  it('trusts a fetched key for a day, as the plugins do, then fetches it again', async () => {
    const fetchedAt = clock;
    await adapter.refreshPublicKey();
    expect(adapter.verify(signed)).toEqual({ accepted: true });
    expect(await verifyStartsRefreshAt(fetchedAt, DAY_MS - 1)).toBe(false);
    expect(await verifyStartsRefreshAt(fetchedAt, DAY_MS)).toBe(true);
  });

  it('after a failed fetch, waits 15 minutes before asking again, so an outage is not hammered per callback', async () => {
    simulator.failNext('pubkey', { status: 500, error: 'Internal error' });
    const failedAt = clock;
    await adapter.refreshPublicKey();
    expect(await verifyStartsRefreshAt(failedAt, 15 * MINUTE_MS - 1)).toBe(false);
    expect(await verifyStartsRefreshAt(failedAt, 15 * MINUTE_MS)).toBe(true);
  });
});
