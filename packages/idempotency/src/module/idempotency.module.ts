import { Inject, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { IdempotencyGuardService } from '../guard/idempotency-guard.service.js';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor.js';
import type { IdempotencyStore } from '../store/idempotency-store.js';
import { MemoryIdempotencyStore } from '../store/memory-idempotency-store.js';
import { RedisIdempotencyStore } from '../store/redis-idempotency-store.js';
import {
  IDEMPOTENCY_MODULE_OPTIONS,
  IdempotencyConfigurableModule,
} from './idempotency.module-definition.js';
import { RecentOutcomes } from '../guard/recent-outcomes.js';
import type { ResultRetention } from '../guard/result-retention.js';
import { IDEMPOTENCY_METRICS, IDEMPOTENCY_RECENT_OUTCOMES, IDEMPOTENCY_RETENTION, IDEMPOTENCY_STORE } from './idempotency.tokens.js';
import { type ResolvedIdempotencyOptions, resolveIdempotencyOptions } from './resolve-options.js';

const RESOLVED_OPTIONS = Symbol('RESOLVED_IDEMPOTENCY_OPTIONS');

function createStore(options: ResolvedIdempotencyOptions): IdempotencyStore {
  if (options.connection === undefined) {
    new Logger('Idempotency').warn('Using the in-memory idempotency store: correct for a single process only');
    return new MemoryIdempotencyStore(options);
  }
  return new RedisIdempotencyStore({ ...options, connection: options.connection });
}

/** `IdempotencyModule.forRoot(options)` / `forRootAsync({ useFactory, inject })`; global unless `isGlobal: false`. */
@Module({
  providers: [
    { provide: RESOLVED_OPTIONS, inject: [IDEMPOTENCY_MODULE_OPTIONS], useFactory: resolveIdempotencyOptions },
    { provide: IDEMPOTENCY_STORE, inject: [RESOLVED_OPTIONS], useFactory: createStore },
    { provide: IDEMPOTENCY_METRICS, inject: [RESOLVED_OPTIONS], useFactory: (options: ResolvedIdempotencyOptions) => options.metrics },
    {
      provide: IDEMPOTENCY_RECENT_OUTCOMES,
      inject: [RESOLVED_OPTIONS],
      useFactory: (options: ResolvedIdempotencyOptions) => new RecentOutcomes({ capacity: options.recentOutcomes, ttlMs: options.resultTtlMs }),
    },
    {
      provide: IDEMPOTENCY_RETENTION,
      inject: [RESOLVED_OPTIONS],
      useFactory: ({ retryWindowMarginMs }: ResolvedIdempotencyOptions): ResultRetention => ({ retryWindowMarginMs }),
    },
    IdempotencyGuardService,
    IdempotencyInterceptor,
  ],
  exports: [IdempotencyGuardService, IdempotencyInterceptor, IDEMPOTENCY_STORE, IDEMPOTENCY_METRICS],
})
export class IdempotencyModule extends IdempotencyConfigurableModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore,
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedIdempotencyOptions,
  ) {
    super();
  }

  /** Gives Redis one connect timeout before traffic; without it the app still starts and answers 503 until Redis is up. */
  async onApplicationBootstrap(): Promise<void> {
    if (!(await this.store.ready(this.options.connectTimeoutMs))) {
      new Logger('Idempotency').error('Redis is not reachable at startup; idempotent routes answer 503 until it is');
    }
  }

  /**
   * The last hook of `app.close()`: requests in flight (callbacks completing their claim) are answered
   * by then, and the HTTP server is closed.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
