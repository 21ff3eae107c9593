import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { setTimeout as sleep } from 'node:timers/promises';
import { retryDelaysMs } from '@cryptopay/provider-blockonomics/simulator';
import { eventually, testRedisUrl } from '@cryptopay/test-servers';
import { Fleet } from '../../src/harness/fleet.js';
import { describeOutcome, judgeOutcome } from '../../src/harness/outcome.js';
import { coinUnits, planPayments } from '../../src/harness/payment-plan.js';
import { PostgresCluster } from '../../src/harness/postgres-cluster.js';

/**
 * Issue 20: payments made while PostgreSQL is down for longer than Blockonomics' retry window, with
 * every callback lost (the simulators deliver none), must all be found by reconciliation — none lost,
 * none counted twice — and callbacks that arrive late afterwards must change nothing. The schedule is
 * shortened through the gateway's own settings.
 */
describe('callbacks lost during a PostgreSQL outage longer than Blockonomics retries: reconciliation settles every invoice', () => {
  let cluster: PostgresCluster;
  let fleet: Fleet;

  beforeAll(async () => {
    cluster = await PostgresCluster.create();
    fleet = await Fleet.start({
      name: 'reconcile_outage',
      instances: 2,
      redisUrl: testRedisUrl(),
      databaseUrl: cluster.url,
      timeScales: { blockonomics: 0.01, blockbee: 0.0002 },
      env: { RECONCILE_SCHEDULE: '5s,10s,20s', RECONCILE_INTERVAL_SECONDS: '1', BLOCKONOMICS_HISTORY_REQUESTS_PER_MINUTE: '6000' },
    });
  });

  afterAll(async () => {
    await fleet?.close();
    await cluster?.destroy();
  });

  it('finds all 100 payments, 0 lost, 0 double-counted, and late callbacks change nothing', async () => {
    const { blockonomics, blockbee } = fleet.simulators;
    const invoices = await fleet.createInvoices(50);
    const plans = planPayments(invoices, await fleet.amountsDue());
    const retryWindowMs = retryDelaysMs(blockonomics.retrySchedule).reduce((sum, delay) => sum + delay, 0);

    await cluster.stop('fast');
    const started = Date.now();
    blockonomics.dropCallbacks = true;
    blockbee.dropCallbacks = true;
    for (const { invoice, transactions } of plans) {
      for (const { txid, value } of transactions) {
        if (invoice.provider === 'blockonomics') await blockonomics.pay(invoice.address, value, { txid });
        else await blockbee.pay({ address: invoice.address, valueCoin: coinUnits(value), txid });
      }
    }
    await sleep(Math.max(0, retryWindowMs + 1_000 - (Date.now() - started)));
    await cluster.start();
    const outageSeconds = (Date.now() - started) / 1000;

    const settled = await eventually(
      async () => {
        const outcome = await judgeOutcome(fleet, plans);
        return outcome.lost.length === 0 && outcome.wrongState.length === 0 && outcome;
      },
      'every planned payment recorded by reconciliation',
      { tries: 600, intervalMs: 250, retryOn: (error) => /ECONNREFUSED|starting up|shutting down|terminat|connection/i.test(String(error)) },
    );

    // The callbacks come through after all: each must find its payment already recorded.
    blockonomics.dropCallbacks = false;
    for (const { invoice, transactions } of plans.filter((plan) => plan.invoice.provider === 'blockonomics')) {
      for (const { txid, value } of transactions) await blockonomics.pay(invoice.address, value, { txid, statuses: [2] });
    }
    const after = await judgeOutcome(fleet, plans);
    const sources = await fleet.ledger.sources();
    console.log(
      describeOutcome('payments during a PostgreSQL outage, every callback lost, found by reconciliation', after, {
        'PostgreSQL away (s)': outageSeconds.toFixed(1),
        "Blockonomics' retry window at this time scale (s)": (retryWindowMs / 1000).toFixed(1),
        'payments found by reconciliation (log entries)': sources['reconcile'] ?? 0,
        'late callbacks accepted (each found its payment recorded)': sources['callback'] ?? 0,
        'callback log verdicts': await fleet.ledger.verdicts(),
      }),
    );
    expect(settled.invoices).toBe(100);
    expect(after.lost).toEqual([]);
    expect(after.doubleCounted).toEqual([]);
    expect(after.wrongState).toEqual([]);
    expect(await fleet.ledger.keysAppliedTwice()).toEqual([]);
    expect(sources['reconcile']).toBeGreaterThanOrEqual(settled.transactions);
    expect(fleet.gateways.every((gateway) => gateway.alive())).toBe(true);
  });
});
