import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { testDatabaseUrl } from '@cryptopay/test-servers';
import { Fleet } from '../../src/harness/fleet.js';
import { paymentsThroughOutage } from '../../src/harness/outage.js';
import { RedisServerProcess } from '@cryptopay/test-servers';
import { expectNothingLost } from './support/outage-checks.js';

describe('Redis killed and restarted mid-load', () => {
  let redis: RedisServerProcess;
  let fleet: Fleet;

  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    fleet = await Fleet.start({
      name: 'redis_restart',
      instances: 2,
      redisUrl: redis.url,
      databaseUrl: testDatabaseUrl(),
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
    await expectNothingLost('Redis killed and restarted', fleet, figures);
  });
});
