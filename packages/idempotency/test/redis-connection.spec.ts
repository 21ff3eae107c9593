import { testRedisUrl } from '@cryptopay/test-servers';
import { type Cluster, type Redis } from 'ioredis';
import { createIdempotencyRedisClient } from '../src/store/redis-connection.js';

const limits = { commandTimeoutMs: 700, connectTimeoutMs: 90 };
const FAIL_FAST = {
  commandTimeout: 700,
  connectTimeout: 90,
  disconnectTimeout: 500,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  connectionName: 'cryptopay-idempotency',
};

/**
 * The client's settings; the client is closed at once (a Sentinel or Cluster one would keep reconnecting to
 * nowhere). A client of the test Redis is awaited until it has ended; a Cluster that never connected ends
 * without the event. (The Sentinel settings are left to redis-topologies.spec: a Sentinel client of no
 * sentinel keeps a handle open after it ends.)
 */
async function settingsOf(client: Redis | Cluster, connectsTo: 'redis' | 'nowhere' = 'nowhere') {
  const ended = new Promise((resolve) => client.once('end', resolve));
  client.disconnect();
  if (connectsTo === 'redis') await ended;
  return client.options;
}

describe('the Redis client the store fails fast with', () => {
  it('standalone: no offline queue, no retried command, bounded time, and reconnects backing off by 100 ms to 2 s', async () => {
    const options = (await settingsOf(createIdempotencyRedisClient({ mode: 'standalone', url: testRedisUrl() }, limits), 'redis')) as Redis['options'];
    expect(options).toMatchObject({ ...FAIL_FAST, enableOfflineQueue: false });
    expect([1, 5, 20, 21, 100].map((attempt) => options.retryStrategy?.(attempt))).toEqual([100, 500, 2_000, 2_000, 2_000]);
  });

  it('cluster: no offline queue, each node fails fast with the credentials, and the cluster reconnects alike', async () => {
    const client = createIdempotencyRedisClient({ mode: 'cluster', nodes: [{ host: '127.0.0.1', port: 1 }], username: 'u', password: 'p' }, limits) as Cluster;
    const options = (await settingsOf(client)) as Cluster['options'];
    expect(options.enableOfflineQueue).toBe(false);
    expect(options.redisOptions).toMatchObject({ ...FAIL_FAST, username: 'u', password: 'p' });
    expect([3, 30].map((attempt) => options.clusterRetryStrategy?.(attempt))).toEqual([300, 2_000]);
  });
});
