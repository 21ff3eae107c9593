import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DATABASE_URL } from '../../src/harness/environment.js';
import { Fleet } from '../../src/harness/fleet.js';
import { paymentsThroughOutage } from '../../src/harness/outage.js';
import { describeOutcome } from '../../src/harness/outcome.js';
import { RedisServer } from '../../src/harness/redis-server.js';

describe('Redis killed and restarted mid-load', () => {
  let redis: RedisServer;
  let fleet: Fleet;

  beforeAll(async () => {
    redis = await RedisServer.start();
    fleet = await Fleet.start({
      name: 'redis_restart',
      instances: 2,
      redisUrl: redis.url,
      databaseUrl: DATABASE_URL,
      // Blockonomics retries for ~10 s, BlockBee for ~50 s: both outlast the outage.
      timeScales: { blockonomics: 0.02, blockbee: 0.0002 },
      auditAcknowledgements: true,
    });
  });

  afterAll(async () => {
    await fleet?.close();
    await redis?.kill();
  });

  it('acknowledges nothing it has not stored, and the retries complete every payment once', async () => {
    const figures = await paymentsThroughOutage(fleet, {
      invoicesPerProvider: 100,
      downMs: 2_000,
      // SIGKILL: every key is lost with it (no persistence), claims in flight and completed ones alike.
      takeDown: () => redis.kill(),
      bringBack: () => redis.start(),
    });
    const { outcome } = figures;
    console.log(
      describeOutcome('Redis killed and restarted', outcome, {
        'deliveries before the kill': figures.deliveriesBeforeOutage,
        'Redis away (s)': figures.outageSeconds.toFixed(1),
        'answered 503 (retry later)': figures.retryAnswers,
        'acknowledged without effect stored': fleet.balancer.problems.length,
        'callback log verdicts': await fleet.ledger.verdicts(),
      }),
    );

    expect(figures.retryAnswers).toBeGreaterThan(0);
    expect(fleet.balancer.problems).toEqual([]);
    expect(outcome.lost).toEqual([]);
    expect(outcome.doubleCounted).toEqual([]);
    expect(outcome.wrongState).toEqual([]);
    expect(outcome.undelivered).toBe(0);
  });
});
