import { DEFAULT_KEY_PREFIX, IdempotencyKey } from '@cryptopay/idempotency';
import { Redis } from 'ioredis';

/**
 * Deletes the idempotency claims the gateways took for these deliveries. The gateway has no
 * setting for its Redis key prefix, so on a shared Redis we remove exactly our own keys.
 */
export async function deleteCallbackClaims(redisUrl: string, deliveries: readonly { provider: string; deliveryKey: string }[]): Promise<number> {
  const keys = deliveries.map((delivery) => `${DEFAULT_KEY_PREFIX}:${IdempotencyKey.callback(delivery).toString()}`);
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let deleted = 0;
    for (let start = 0; start < keys.length; start += 500) deleted += await redis.del(...keys.slice(start, start + 500));
    return deleted;
  } finally {
    redis.disconnect();
  }
}
