import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REDIS_URL } from '../../src/harness/environment.js';
import { Fleet } from '../../src/harness/fleet.js';
import { paymentsThroughOutage } from '../../src/harness/outage.js';
import { describeOutcome } from '../../src/harness/outcome.js';
import { PostgresCluster } from '../../src/harness/postgres-cluster.js';

describe('PostgreSQL unavailable mid-load (a throw-away cluster of our own, stopped and started)', () => {
  let cluster: PostgresCluster;
  let fleet: Fleet;

  beforeAll(async () => {
    cluster = await PostgresCluster.create();
    fleet = await Fleet.start({
      name: 'postgres_outage',
      instances: 2,
      redisUrl: REDIS_URL,
      databaseUrl: cluster.url,
      timeScales: { blockonomics: 0.02, blockbee: 0.0002 },
      auditAcknowledgements: true,
    });
  });

  afterAll(async () => {
    await fleet?.close();
    await cluster?.destroy();
  });

  it('acknowledges nothing it has not stored, and the retries complete every payment once', async () => {
    const figures = await paymentsThroughOutage(fleet, {
      invoicesPerProvider: 100,
      downMs: 2_000,
      // A fast shutdown ends every session (open transactions roll back), then refuses connections.
      takeDown: () => cluster.stop('fast'),
      bringBack: () => cluster.start(),
    });
    const { outcome } = figures;
    console.log(
      describeOutcome('PostgreSQL stopped and started', outcome, {
        'deliveries before the stop': figures.deliveriesBeforeOutage,
        'PostgreSQL away (s)': figures.outageSeconds.toFixed(1),
        'answered 503 (retry later)': figures.retryAnswers,
        'acknowledged without effect stored': fleet.balancer.problems.length,
      }),
    );

    expect(figures.retryAnswers).toBeGreaterThan(0);
    expect(fleet.balancer.problems).toEqual([]);
    expect(outcome.lost).toEqual([]);
    expect(outcome.doubleCounted).toEqual([]);
    expect(outcome.wrongState).toEqual([]);
    expect(outcome.undelivered).toBe(0);
    expect(fleet.gateways.every((gateway) => gateway.alive())).toBe(true);
  });
});
