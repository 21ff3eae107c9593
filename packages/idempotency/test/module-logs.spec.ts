import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { freePort, RecordingLogger, testRedisUrl } from '@cryptopay/test-servers';
import { IDEMPOTENCY_MODULE_OPTIONS, IdempotencyConfigError, IdempotencyModule, type IdempotencyModuleOptions, resolveIdempotencyOptions } from '../src/index.js';

/** What the module tells an operator at start-up: the store it runs on, a Redis it cannot reach, options it refuses. */
let logger: RecordingLogger;
beforeEach(() => {
  logger = new RecordingLogger();
});
afterEach(() => Logger.overrideLogger(new Logger()));

async function started(options: IdempotencyModuleOptions): Promise<() => Promise<void>> {
  // The testing module installs its own logger as it compiles: the recording one is handed to it.
  const moduleRef = await Test.createTestingModule({ imports: [IdempotencyModule.forRoot(options)] }).setLogger(logger).compile();
  const app = await moduleRef.init();
  return () => app.close();
}

describe('the store it starts on', () => {
  it('warns that the in-memory store holds for one process only', async () => {
    const close = await started({ store: 'memory' });
    await close();
    expect(logger.at('warn')).toEqual(['Idempotency Using the in-memory idempotency store: correct for a single process only']);
  });

  it('starts on a reachable Redis without a word of warning', async () => {
    const close = await started({ store: 'redis', redisUrl: testRedisUrl() });
    await close();
    expect([...logger.at('warn'), ...logger.errors()]).toEqual([]);
  });

  it('logs a Redis not reachable at start-up, and starts anyway (idempotent routes answer 503 until it is)', async () => {
    const close = await started({ store: 'redis', redisUrl: `redis://127.0.0.1:${await freePort()}`, connectTimeoutMs: 50 });
    await close();
    expect(logger.errors()).toEqual(['Idempotency Redis is not reachable at startup; idempotent routes answer 503 until it is']);
  });
});

describe('the options it refuses', () => {
  const refusal = (options: unknown): IdempotencyConfigError => {
    try {
      resolveIdempotencyOptions(options as IdempotencyModuleOptions);
    } catch (error) {
      if (error instanceof IdempotencyConfigError) return error;
      throw error;
    }
    throw new Error('the options were accepted');
  };

  it('names the module and the error, so a start-up failure says whose options are wrong', () => {
    const error = refusal({ store: 'memory', leaseMs: 60_000, resultTtlMs: 60_000 });
    expect(error.name).toBe('IdempotencyConfigError');
    expect(error.message).toBe('Invalid IdempotencyModule options: leaseMs must be shorter than resultTtlMs');
  });

  it('asks for an object with a store when given something else (a forRoot called from JavaScript with a string)', () => {
    expect(refusal('redis').problems).toEqual([{ option: '', message: 'expected an object with store' }]);
  });

  it('files a Redis store without exactly one connection under `store`', () => {
    expect(refusal({ store: 'redis' }).problems).toEqual([{ option: 'store', message: 'store "redis" needs exactly one of redisUrl, sentinel, cluster' }]);
  });

  it('names its options provider in Nest’s errors, e.g. a forRootAsync factory injecting what nobody provides', async () => {
    const compiling = Test.createTestingModule({
      imports: [IdempotencyModule.forRootAsync({ inject: ['REDIS_SETTINGS'], useFactory: (url: string) => ({ store: 'redis', redisUrl: url }) })],
    }).compile();
    await expect(compiling).rejects.toThrow(`Nest can't resolve dependencies of the ${String(IDEMPOTENCY_MODULE_OPTIONS)} (?)`);
    expect(IDEMPOTENCY_MODULE_OPTIONS).toBe('IDEMPOTENCY_MODULE_OPTIONS');
  });
});
