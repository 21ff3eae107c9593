import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Module } from '@nestjs/common';
import { testRedisUrl } from '@cryptopay/test-servers';
import { Redis } from 'ioredis';
import { Test } from '@nestjs/testing';
import {
  fingerprintOf,
  IDEMPOTENCY_STORE,
  IdempotencyConfigError,
  IdempotencyGuardService,
  IdempotencyKey,
  IdempotencyModule,
  type IdempotencyModuleOptions,
  MemoryIdempotencyStore,
  type RedisIdempotencyStore,
  resolveIdempotencyOptions,
  type StoredOutcome,
} from '../src/index.js';

const acknowledged: StoredOutcome = { status: 200, headers: { 'content-type': 'text/plain' }, body: '*ok*' };

function problemsOf(options: Partial<IdempotencyModuleOptions>): readonly string[] {
  try {
    resolveIdempotencyOptions(options as IdempotencyModuleOptions);
  } catch (error) {
    if (error instanceof IdempotencyConfigError) return error.problems.map((problem) => problem.message);
    throw error;
  }
  return [];
}

describe('IdempotencyModule options', () => {
  it('applies the defaults: 30 s lease, 72 h results, 1 s command timeout, 10 000 recent outcomes', () => {
    expect(resolveIdempotencyOptions({ store: 'redis', redisUrl: 'redis://127.0.0.1:6379' })).toMatchObject({
      connection: { mode: 'standalone', url: 'redis://127.0.0.1:6379' },
      keyPrefix: 'cryptopay:idem',
      leaseMs: 30_000,
      resultTtlMs: 259_200_000,
      commandTimeoutMs: 1_000,
      recentOutcomes: 10_000,
      retryWindowMarginMs: 3_600_000,
    });
  });

  it('builds sentinel and cluster connections', () => {
    const sentinels = [{ host: '10.0.0.1', port: 26379 }];
    expect(resolveIdempotencyOptions({ store: 'redis', sentinel: { masterName: 'main', sentinels } }).connection).toEqual({
      mode: 'sentinel',
      masterName: 'main',
      sentinels,
    });
    expect(resolveIdempotencyOptions({ store: 'redis', cluster: { nodes: sentinels } }).connection).toEqual({ mode: 'cluster', nodes: sentinels });
  });

  it.each<[string, Partial<IdempotencyModuleOptions>, string]>([
    ['an unknown store', { store: 'postgres' as 'redis' }, 'store must be one of the following values: redis, memory'],
    ['redis without a connection', { store: 'redis' }, 'store "redis" needs exactly one of redisUrl, sentinel, cluster'],
    ['two connections', { store: 'redis', redisUrl: 'redis://a', cluster: { nodes: [{ host: 'b', port: 1 }] } }, 'exactly one of'],
    ['a URL of another scheme', { store: 'redis', redisUrl: 'http://user:hunter2@host' }, 'redisUrl must be a redis:// or rediss:// URL'],
    ['a bad sentinel port', { store: 'redis', sentinel: { masterName: 'm', sentinels: [{ host: 'h', port: 70_000 }] } }, 'sentinel.sentinels.0.port must not be greater than 65535'],
    ['a lease as long as the result TTL', { store: 'memory', leaseMs: 5_000, resultTtlMs: 5_000 }, 'leaseMs must be shorter than resultTtlMs'],
    ['a prefix with spaces', { store: 'memory', keyPrefix: 'my prefix' }, 'keyPrefix must be 1 to 64 characters'],
    ['a fractional timeout', { store: 'memory', commandTimeoutMs: 2.5 }, 'commandTimeoutMs must be an integer number'],
    ['a negative number of recent outcomes', { store: 'memory', recentOutcomes: -1 }, 'recentOutcomes must be a whole number from 0 to 1000000'],
    ['a negative retry-window margin', { store: 'memory', retryWindowMarginMs: -1 }, 'retryWindowMarginMs must be a whole number of milliseconds from 0 to 604800000'],
    ['an unknown option', { store: 'memory', leaseMS: 5_000 } as Partial<IdempotencyModuleOptions>, 'leaseMS is not an IdempotencyModule option (known: store,'],
  ])('rejects %s, naming the option', (_case, options, problem) => {
    const problems = problemsOf(options);
    expect(problems.some((text) => text.includes(problem))).toBe(true);
  });

  it('keeps each problem with its option path', () => {
    expect(() => resolveIdempotencyOptions({ store: 'redis', redisUrl: 'http://x', sentinel: { masterName: 'm', sentinels: [{ host: 'h', port: 0 }] } })).toThrow(
      expect.objectContaining({
        problems: [
          { option: 'redisUrl', message: 'redisUrl must be a redis:// or rediss:// URL' },
          { option: 'sentinel.sentinels.0.port', message: 'sentinel.sentinels.0.port must not be less than 1' },
        ],
      }),
    );
  });

  it('never echoes an option value (a URL may carry a password)', () => {
    expect(() => resolveIdempotencyOptions({ store: 'redis', redisUrl: 'http://user:hunter2@host' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });

  it('fails the app at startup on invalid options', async () => {
    const compiling = Test.createTestingModule({ imports: [IdempotencyModule.forRoot({ store: 'redis' })] }).compile();
    await expect(compiling).rejects.toBeInstanceOf(IdempotencyConfigError);
  });
});

/** How the callback pipeline uses the guard: a provider in another module, the key known only after verification. */
@Injectable()
class CallbackPipeline {
  constructor(@Inject(IdempotencyGuardService) private readonly guard: IdempotencyGuardService) {}

  async deliver(deliveryKey: string, payload: string, apply: () => void) {
    const key = IdempotencyKey.callback({ provider: 'blockbee', deliveryKey });
    return this.guard.run(key, fingerprintOf(payload), async () => {
      apply();
      return acknowledged;
    });
  }
}

@Module({ providers: [CallbackPipeline], exports: [CallbackPipeline] })
class CallbackModule {}

describe('IdempotencyModule wiring', () => {
  it('keeps an outcome for the retry window its run declares plus the configured margin, else for resultTtlMs (real Redis)', async () => {
    const keyPrefix = `test:idem:${randomUUID()}`;
    const moduleRef = await Test.createTestingModule({
      imports: [IdempotencyModule.forRoot({ store: 'redis', redisUrl: testRedisUrl(), keyPrefix, resultTtlMs: 7_200_000, retryWindowMarginMs: 600_000 })],
    }).compile();
    const app = await moduleRef.init();
    const admin = new Redis(testRedisUrl());
    try {
      const guard = app.get(IdempotencyGuardService);
      const store = app.get<RedisIdempotencyStore>(IDEMPOTENCY_STORE);
      const windowed = IdempotencyKey.callback({ provider: 'blockonomics', deliveryKey: randomUUID() });
      const plain = IdempotencyKey.apiRequest({ caller: 'client_42', idempotencyKey: randomUUID() });
      await guard.run(windowed, fingerprintOf('a'), async () => acknowledged, { retryWindowMs: 510_000 });
      await guard.run(plain, fingerprintOf('b'), async () => acknowledged);
      const [windowedTtl, plainTtl] = await Promise.all([admin.pttl(store.redisKey(windowed)), admin.pttl(store.redisKey(plain))]);
      expect(windowedTtl).toBeGreaterThan(1_110_000 - 5_000);
      expect(windowedTtl).toBeLessThanOrEqual(1_110_000);
      expect(plainTtl).toBeGreaterThan(7_200_000 - 5_000);
      expect(plainTtl).toBeLessThanOrEqual(7_200_000);
    } finally {
      const keys = await admin.keys(`${keyPrefix}:*`);
      if (keys.length > 0) await admin.del(...keys);
      await Promise.all([admin.quit(), app.close()]);
    }
  });

  it('forRootAsync builds the store from a factory and serves other modules (global by default)', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [IdempotencyModule.forRootAsync({ useFactory: async () => ({ store: 'memory' as const }) }), CallbackModule],
    }).compile();
    const app = await moduleRef.init();
    expect(app.get(IDEMPOTENCY_STORE)).toBeInstanceOf(MemoryIdempotencyStore);

    let applied = 0;
    const pipeline = app.get(CallbackPipeline);
    const first = await pipeline.deliver('uuid-1', '{"value_coin":"0.0012"}', () => (applied += 1));
    const retry = await pipeline.deliver('uuid-1', '{"value_coin":"0.0012"}', () => (applied += 1));
    expect([first.kind, retry.kind, applied]).toEqual(['executed', 'replayed', 1]);
    await app.close();
  });

  it('stays local to the importing module with isGlobal: false', async () => {
    const compiling = Test.createTestingModule({
      imports: [IdempotencyModule.forRoot({ store: 'memory', isGlobal: false }), CallbackModule],
    }).compile();
    await expect(compiling).rejects.toThrow(/IdempotencyGuardService/);
  });
});
