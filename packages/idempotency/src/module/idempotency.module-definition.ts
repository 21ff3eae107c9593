import { ConfigurableModuleBuilder } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayNotEmpty,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { IdempotencyMetrics } from '../guard/idempotency-metrics.js';
import { KEY_PREFIX_PATTERN } from '../store/redis-idempotency-store.js';

export class RedisNodeAddressOptions {
  @IsString()
  @IsNotEmpty()
  host!: string;

  @IsInt()
  @Min(1)
  @Max(65_535)
  port!: number;
}

class RedisCredentialOptions {
  @IsOptional()
  @IsString()
  username?: string;

  @IsOptional()
  @IsString()
  password?: string;
}

export class RedisSentinelOptions extends RedisCredentialOptions {
  @IsString()
  @IsNotEmpty()
  masterName!: string;

  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => RedisNodeAddressOptions)
  sentinels!: RedisNodeAddressOptions[];

  @IsOptional()
  @IsString()
  sentinelPassword?: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  db?: number;
}

export class RedisClusterOptions extends RedisCredentialOptions {
  @ArrayNotEmpty()
  @ValidateNested({ each: true })
  @Type(() => RedisNodeAddressOptions)
  nodes!: RedisNodeAddressOptions[];
}

/** `IdempotencyModule.forRoot()` options. With `store: 'redis'`, give exactly one of redisUrl, sentinel, cluster. */
export class IdempotencyModuleOptions {
  /** `memory` is single-process only: for the embedded default and tests. */
  @IsIn(['redis', 'memory'])
  store!: 'redis' | 'memory';

  /** `redis://` or `rediss://` URL of a standalone server. */
  @ValidateIf((options: IdempotencyModuleOptions) => options.redisUrl !== undefined)
  @Matches(/^rediss?:\/\/\S+$/, { message: 'redisUrl must be a redis:// or rediss:// URL' })
  redisUrl?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => RedisSentinelOptions)
  sentinel?: RedisSentinelOptions;

  @IsOptional()
  @ValidateNested()
  @Type(() => RedisClusterOptions)
  cluster?: RedisClusterOptions;

  /** Default `cryptopay:idem`. */
  @IsOptional()
  @Matches(KEY_PREFIX_PATTERN, { message: 'keyPrefix must be 1 to 64 characters of A-Z a-z 0-9 . _ : -' })
  keyPrefix?: string;

  /** In-flight lease, default 30 s: longer than any request, short enough that a crashed worker's key frees soon. */
  @IsOptional()
  @IsInt()
  @Min(100)
  leaseMs?: number;

  /**
   * How long an outcome is replayed when its run declares no retry window (API requests), default 72 h.
   * A provider callback's outcome is kept for the provider's retry window plus `retryWindowMarginMs`.
   */
  @IsOptional()
  @IsInt()
  @Min(1_000)
  resultTtlMs?: number;

  /** Kept past a sender's declared retry window, default 1 h: retries can start and arrive late. */
  @IsOptional()
  @IsInt({ message: 'retryWindowMarginMs must be a whole number of milliseconds from 0 to 604800000 (7 days)' })
  @Min(0, { message: 'retryWindowMarginMs must be a whole number of milliseconds from 0 to 604800000 (7 days)' })
  @Max(604_800_000, { message: 'retryWindowMarginMs must be a whole number of milliseconds from 0 to 604800000 (7 days)' })
  retryWindowMarginMs?: number;

  /**
   * Completed outcomes each process keeps in memory to answer duplicates without a store round trip
   * (a retry storm repeats the same few deliveries), default 10 000 (a few MB); 0 keeps none.
   */
  @IsOptional()
  @IsInt({ message: 'recentOutcomes must be a whole number from 0 to 1000000' })
  @Min(0, { message: 'recentOutcomes must be a whole number from 0 to 1000000' })
  @Max(1_000_000, { message: 'recentOutcomes must be a whole number from 0 to 1000000' })
  recentOutcomes?: number;

  /** Bound on every Redis call, default 1 s. */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(60_000)
  commandTimeoutMs?: number;

  /** Default 2 s. */
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(60_000)
  connectTimeoutMs?: number;

  /** Counters sink; no-op by default. */
  @IsOptional()
  @IsObject()
  metrics?: IdempotencyMetrics;
}

export const {
  ConfigurableModuleClass: IdempotencyConfigurableModule,
  MODULE_OPTIONS_TOKEN: IDEMPOTENCY_MODULE_OPTIONS,
  OPTIONS_TYPE: IDEMPOTENCY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: IDEMPOTENCY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<IdempotencyModuleOptions>({ moduleName: 'Idempotency' })
  .setClassMethodName('forRoot')
  // Global by default: the callback pipeline and the API controllers live in other modules.
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
