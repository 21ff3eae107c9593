import { IdempotencyConfigError, type IdempotencyModuleOptions, NOOP_IDEMPOTENCY_METRICS, resolveIdempotencyOptions } from '../src/index.js';

function problemsOf(options: unknown): readonly { option: string; message: string }[] {
  try {
    resolveIdempotencyOptions(options as IdempotencyModuleOptions);
  } catch (error) {
    if (error instanceof IdempotencyConfigError) return error.problems;
    throw error;
  }
  return [];
}

const messagesOf = (options: unknown) => problemsOf(options).map((problem) => problem.message);

describe('IdempotencyModule options at their edges', () => {
  it('fills in the connect timeout and a metrics sink that counts nothing', () => {
    expect(resolveIdempotencyOptions({ store: 'memory' })).toMatchObject({ store: 'memory', connectTimeoutMs: 2_000, metrics: NOOP_IDEMPOTENCY_METRICS });
    expect(resolveIdempotencyOptions({ store: 'memory' }).connection).toBeUndefined();
  });

  it('keeps what is given', () => {
    const metrics = { ...NOOP_IDEMPOTENCY_METRICS };
    expect(
      resolveIdempotencyOptions({ store: 'memory', keyPrefix: 'shop:idem', leaseMs: 5_000, resultTtlMs: 60_000, retryWindowMarginMs: 0, commandTimeoutMs: 500, connectTimeoutMs: 700, recentOutcomes: 0, metrics }),
    ).toEqual({ store: 'memory', connection: undefined, keyPrefix: 'shop:idem', leaseMs: 5_000, resultTtlMs: 60_000, retryWindowMarginMs: 0, commandTimeoutMs: 500, connectTimeoutMs: 700, recentOutcomes: 0, metrics });
  });

  it('requires options, naming the store', () => {
    expect(problemsOf(undefined).map((problem) => problem.option)).toContain('store');
  });

  it('refuses a Redis connection for the memory store', () => {
    expect(problemsOf({ store: 'memory', redisUrl: 'redis://127.0.0.1:6379' })).toEqual([{ option: 'store', message: 'redisUrl, sentinel and cluster apply only to store "redis"' }]);
  });

  it('refuses a command timeout as long as the lease, and accepts one a millisecond shorter', () => {
    expect(problemsOf({ store: 'memory', leaseMs: 1_000, commandTimeoutMs: 1_000 })).toEqual([{ option: 'commandTimeoutMs', message: 'commandTimeoutMs must be shorter than leaseMs' }]);
    expect(problemsOf({ store: 'memory', leaseMs: 1_000, commandTimeoutMs: 999 })).toEqual([]);
    expect(problemsOf({ store: 'memory', leaseMs: 1_000, resultTtlMs: 1_001, commandTimeoutMs: 10 })).toEqual([]);
  });

  it('reports both timing problems at once', () => {
    expect(problemsOf({ store: 'memory', leaseMs: 2_000, resultTtlMs: 2_000, commandTimeoutMs: 2_000 }).map((problem) => problem.option)).toEqual(['leaseMs', 'commandTimeoutMs']);
  });

  it.each(['redis://127.0.0.1:6379/13', 'rediss://user:secret@redis.example:6380'])('accepts the Redis URL %s', (redisUrl) => {
    expect(resolveIdempotencyOptions({ store: 'redis', redisUrl }).connection).toEqual({ mode: 'standalone', url: redisUrl });
  });

  it.each(['xredis://host', 'redis://', 'redis://host name', 'redis:/host', 'redisx://host'])('refuses the Redis URL %j', (redisUrl) => {
    expect(messagesOf({ store: 'redis', redisUrl })).toContain('redisUrl must be a redis:// or rediss:// URL');
  });

  it('checks every cluster node', () => {
    expect(messagesOf({ store: 'redis', cluster: { nodes: [{ host: 'a', port: 6379 }, { host: '', port: 0 }] } })).toEqual(
      expect.arrayContaining([expect.stringContaining('cluster.nodes.1.host'), expect.stringContaining('cluster.nodes.1.port')]),
    );
  });

  it('passes credentials and the database to a Sentinel connection, and credentials to a Cluster', () => {
    const sentinels = [{ host: '10.0.0.1', port: 26379 }];
    expect(resolveIdempotencyOptions({ store: 'redis', sentinel: { masterName: 'main', sentinels, username: 'u', password: 'p', sentinelPassword: 's', db: 13 } }).connection).toEqual({
      mode: 'sentinel',
      masterName: 'main',
      sentinels,
      username: 'u',
      password: 'p',
      sentinelPassword: 's',
      db: 13,
    });
    expect(resolveIdempotencyOptions({ store: 'redis', cluster: { nodes: sentinels, username: 'u', password: 'p' } }).connection).toEqual({ mode: 'cluster', nodes: sentinels, username: 'u', password: 'p' });
  });

  it.each<[Partial<IdempotencyModuleOptions>, string]>([
    [{ retryWindowMarginMs: 1.5 }, 'retryWindowMarginMs must be a whole number of milliseconds from 0 to 604800000 (7 days)'],
    [{ retryWindowMarginMs: 604_800_001 }, 'retryWindowMarginMs must be a whole number of milliseconds from 0 to 604800000 (7 days)'],
    [{ recentOutcomes: 2.5 }, 'recentOutcomes must be a whole number from 0 to 1000000'],
    [{ recentOutcomes: 1_000_001 }, 'recentOutcomes must be a whole number from 0 to 1000000'],
  ])('refuses %j, saying what it must be', (options, message) => {
    expect(messagesOf({ store: 'memory', ...options })).toContain(message);
  });
});
