import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testDatabaseUrl, testRedisUrl } from '@cryptopay/test-servers';
import { Fleet } from '../../src/harness/fleet.js';
import { describeOutcome, judgeOutcome } from '../../src/harness/outcome.js';
import { deliverInRandomOrder, deliveryJobs, oneToFive, planPayments } from '../../src/harness/payment-plan.js';

const INVOICES_PER_PROVIDER = 250;

describe('retry storm with reordering, two instances sharing Redis and PostgreSQL', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await Fleet.start({
      name: 'storm',
      instances: 2,
      redisUrl: testRedisUrl(),
      databaseUrl: testDatabaseUrl(),
      // Retries within seconds instead of minutes: a 409 (same delivery in flight) is retried soon.
      timeScales: { blockonomics: 0.005, blockbee: 0.00005 },
      auditAcknowledgements: true,
    });
  });

  afterAll(async () => {
    await fleet?.close();
  });

  it('applies every payment exactly once and leaves every invoice in the state its payments imply', async () => {
    const invoices = await fleet.createInvoices(INVOICES_PER_PROVIDER);
    const plans = planPayments(invoices, await fleet.amountsDue());
    const jobs = deliveryJobs(fleet, plans, oneToFive);

    await deliverInRandomOrder(fleet, jobs, 48);

    const outcome = await judgeOutcome(fleet, plans);
    const verdicts = await fleet.ledger.verdicts();
    const perInstance = [...fleet.balancer.countsByBackend().values()];
    console.log(describeOutcome('Retry storm', outcome, { 'delivery jobs (each delivery 1–5 times)': jobs.length, 'callback log verdicts': verdicts, 'requests per instance': perInstance }));

    expect(outcome.invoices).toBeGreaterThanOrEqual(500);
    expect(outcome.lost).toEqual([]);
    expect(outcome.doubleCounted).toEqual([]);
    expect(outcome.wrongState).toEqual([]);
    expect(outcome.undelivered).toBe(0);
    expect(fleet.balancer.problems).toEqual([]);
    expect(await fleet.ledger.keysAppliedTwice()).toEqual([]);
    // Both instances took part, and duplicates really reached them.
    expect(perInstance).toHaveLength(2);
    expect(Math.min(...perInstance)).toBeGreaterThan(outcome.attempts / 4);
    expect(verdicts['duplicate'] ?? 0).toBeGreaterThan(0);
  });
});
