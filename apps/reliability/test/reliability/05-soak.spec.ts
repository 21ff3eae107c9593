import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testDatabaseUrl, testRedisUrl } from '@cryptopay/test-servers';
import { Fleet } from '../../src/harness/fleet.js';
import { judgeOutcome, type Outcome } from '../../src/harness/outcome.js';
import { deliverInRandomOrder, deliveryJobs, type PlannedInvoice, planPayments } from '../../src/harness/payment-plan.js';
import { type StorageSnapshot, StorageProbe } from '../../src/harness/growth.js';
import { describeGrowth, type SoakWindow } from '../../src/harness/growth-report.js';

/**
 * `pnpm test:reliability --soak` sets CRYPTOPAY_SOAK_MINUTES (10 by default); in CI the soak is
 * shortened to under a minute of steady load, enough to measure what each callback stores.
 */
const MINUTES = Number(process.env['CRYPTOPAY_SOAK_MINUTES'] ?? '0.75');
/** Callbacks a second the load aims at (a steady load, not a storm); CRYPTOPAY_SOAK_RATE to change. */
const RATE = Number(process.env['CRYPTOPAY_SOAK_RATE'] ?? '30');
/** Invoices per provider in each round of the load. */
const ROUND = 10;
/** As long as the default `cryptopay:idem`, so a key's size is a production key's. */
const KEY_PREFIX = `cp-soak-${randomBytes(3).toString('hex')}`;
/** The providers' result TTLs with the default margin (1 h): Blockonomics 9 min + 1 h, BlockBee 72 h + 1 h. */
const TTL_MS = { blockonomics: 69 * 60_000, blockbee: 73 * 3_600_000 };

describe(`soak: two instances under a steady callback load for ${MINUTES} min, measuring what they store`, () => {
  let fleet: Fleet;
  let probe: StorageProbe;

  beforeAll(async () => {
    fleet = await Fleet.start({
      name: 'soak',
      instances: 2,
      redisUrl: testRedisUrl(),
      databaseUrl: testDatabaseUrl(),
      // A 409 (a copy of a delivery in flight) is retried within seconds, not minutes.
      timeScales: { blockonomics: 0.005, blockbee: 0.00005 },
      env: { IDEMPOTENCY_KEY_PREFIX: KEY_PREFIX },
    });
    probe = StorageProbe.open({ redisUrl: testRedisUrl(), keyPrefix: KEY_PREFIX, databaseUrl: testDatabaseUrl(), schema: fleet.ledger.schema });
  });

  afterAll(async () => {
    // The gateways first, so none writes a key after they are deleted.
    await fleet?.close();
    await probe?.deleteKeys();
    await probe?.close();
  });

  it('keeps growth bounded: one compact Redis key per delivery for the provider\'s retry window, one log row per callback, nothing failed', async () => {
    const plans: PlannedInvoice[] = [];
    // The first round creates the schema's first pages and the processes' caches: measured from after it.
    await loadRound(plans);
    const before = await measure();
    while (before.elapsedMs(performance.now()) < MINUTES * 60_000) await loadRound(plans, before);
    const after = await measure();

    const outcome = await judgeOutcome(fleet, plans);
    const window: SoakWindow = { ms: after.at - before.at, callbacks: after.callbacks - before.callbacks, callbacksByProvider: callbacksByProvider(before.exchangeIndex) };
    console.log(describeGrowth({ instances: 2, keyPrefix: KEY_PREFIX, window, before: before.storage, after: after.storage, answers: outcome.answers, ttlMs: TTL_MS }));

    expectNothingFailed(outcome);
    const { redis } = after.storage;
    for (const provider of ['blockbee', 'blockonomics'] as const) {
      const keys = redis[`callback:${provider}`];
      if (!keys) throw new Error(`no idempotency keys of ${provider}`);
      // Compact: every key completed (none left in flight), each at most 250 bytes.
      expect(keys.compact).toBe(keys.keys);
      expect(keys.largest).toBeLessThanOrEqual(250);
      // Kept for the provider's retry window plus the margin, not a day longer.
      expect(keys.ttlMs.max).toBeLessThanOrEqual(TTL_MS[provider]);
      expect(keys.ttlMs.min).toBeGreaterThan(TTL_MS[provider] - 60 * 60_000);
    }
    // One key per delivery, however often it was sent: fewer keys than callbacks.
    const deliveries = (await fleet.ledger.deliveryKeys()).length;
    const keys = Object.values(redis).reduce((sum, figures) => sum + figures.keys, 0);
    expect(keys).toBeLessThanOrEqual(deliveries);
    expect(keys).toBeLessThan(outcome.attempts);
    // One callback log entry per callback at most.
    const logged = after.storage.tables['callback_deliveries']!.rows - before.storage.tables['callback_deliveries']!.rows;
    expect(logged).toBeLessThanOrEqual(window.callbacks);
  }, MINUTES * 60_000 + 180_000);

  /** One round of invoices, paid through the simulators (each delivery sent once or twice), then paced to RATE. */
  async function loadRound(plans: PlannedInvoice[], since?: Measurement): Promise<void> {
    const invoices = await fleet.createInvoices(ROUND, fleet.balancer.url, 4);
    const planned = planPayments(invoices, await fleet.amountsDue());
    plans.push(...planned);
    await deliverInRandomOrder(fleet, deliveryJobs(fleet, planned, () => 1 + (Math.random() < 0.3 ? 1 : 0)), 8);
    if (!since) return;
    // Steady, not as fast as possible: wait until the callbacks sent match the rate.
    const due = ((callbackCount() - since.callbacks) / RATE) * 1000 - since.elapsedMs(performance.now());
    if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
  }

  interface Measurement {
    at: number;
    callbacks: number;
    exchangeIndex: number;
    storage: StorageSnapshot;
    elapsedMs(now: number): number;
  }

  async function measure(): Promise<Measurement> {
    await fleet.simulators.blockbee.idle();
    await flushDeliveryLogs();
    const storage = await probe.snapshot();
    const at = performance.now();
    return { at, callbacks: callbackCount(), exchangeIndex: fleet.balancer.exchanges.length, storage, elapsedMs: (now) => now - at };
  }

  /** Each instance queues the log entries of answers that changed nothing; reading the log writes its queue first. */
  async function flushDeliveryLogs(): Promise<void> {
    for (const gateway of fleet.gateways) {
      const response = await fetch(`${gateway.url}/v1/deliveries?limit=1`, { headers: { Authorization: `Bearer ${fleet.token}` } });
      if (response.status !== 200) throw new Error(`the delivery log of ${gateway.url} answered ${response.status}`);
      await response.arrayBuffer();
    }
  }

  function callbackCount(): number {
    return fleet.balancer.exchanges.filter((exchange) => exchange.target.startsWith('/v1/callbacks/')).length;
  }

  function callbacksByProvider(fromIndex: number): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { target } of fleet.balancer.exchanges.slice(fromIndex)) {
      const provider = /^\/v1\/callbacks\/([a-z-]+)/.exec(target)?.[1];
      if (provider) counts[provider] = (counts[provider] ?? 0) + 1;
    }
    return counts;
  }

  function expectNothingFailed(outcome: Outcome): void {
    expect(outcome.lost).toEqual([]);
    expect(outcome.doubleCounted).toEqual([]);
    expect(outcome.wrongState).toEqual([]);
    expect(outcome.undelivered).toBe(0);
    expect(fleet.balancer.exchanges.filter((exchange) => exchange.status >= 500).map((exchange) => `${exchange.status} ${exchange.target}`)).toEqual([]);
  }
});
