import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { testRedisUrl } from '@cryptopay/test-servers';
import { Fleet } from '../../src/harness/fleet.js';
import { paymentsThroughOutage } from '../../src/harness/outage.js';
import { PostgresCluster } from '../../src/harness/postgres-cluster.js';
import { expectNothingLost } from './support/outage-checks.js';

describe('PostgreSQL unavailable mid-load (a throw-away cluster of our own, stopped and started)', () => {
  let cluster: PostgresCluster;
  let fleet: Fleet;

  beforeAll(async () => {
    cluster = await PostgresCluster.create();
    fleet = await Fleet.start({
      name: 'postgres_outage',
      instances: 2,
      redisUrl: testRedisUrl(),
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
    await expectNothingLost('PostgreSQL stopped and started', fleet, figures);
  });
});
