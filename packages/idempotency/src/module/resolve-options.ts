import { type OptionProblem, OptionsError, validateOptions } from '@cryptopay/provider-kit/options';
import { type IdempotencyMetrics, NOOP_IDEMPOTENCY_METRICS } from '../guard/idempotency-metrics.js';
import { DEFAULT_RESULT_RETENTION, type ResultRetention } from '../guard/result-retention.js';
import { DEFAULT_STORE_TIMINGS, type StoreTimings } from '../store/idempotency-store.js';
import type { RedisConnection } from '../store/redis-connection.js';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEY_PREFIX,
} from '../store/redis-idempotency-store.js';
import { IdempotencyModuleOptions } from './idempotency.module-definition.js';

/** Invalid module options; the message lists each problem by option name and never echoes a value. */
export class IdempotencyConfigError extends OptionsError {
  override readonly name = 'IdempotencyConfigError';

  constructor(problems: readonly OptionProblem[]) {
    super('IdempotencyModule', problems);
  }
}

export interface ResolvedIdempotencyOptions extends StoreTimings, ResultRetention {
  store: 'redis' | 'memory';
  /** Set when `store` is `redis`. */
  connection?: RedisConnection;
  keyPrefix: string;
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  recentOutcomes: number;
  metrics: IdempotencyMetrics;
}

/** Completed outcomes kept in memory per process unless configured. */
export const DEFAULT_RECENT_OUTCOMES = 10_000;

/** Validates the options (each field, then how they fit together) and fills in the defaults. */
export function resolveIdempotencyOptions(given: IdempotencyModuleOptions | undefined): ResolvedIdempotencyOptions {
  const valid = validateOptions(given ?? ({} as IdempotencyModuleOptions), {
    subject: 'IdempotencyModule',
    schema: IdempotencyModuleOptions,
    error: (problems) => new IdempotencyConfigError(problems),
    required: ['store'],
  });
  const problems: OptionProblem[] = [];
  const resolved: ResolvedIdempotencyOptions = {
    store: valid.store,
    // As given: the validated copy is a schema instance that also lists the unset fields.
    connection: connectionOf(given ?? valid, problems),
    keyPrefix: valid.keyPrefix ?? DEFAULT_KEY_PREFIX,
    leaseMs: valid.leaseMs ?? DEFAULT_STORE_TIMINGS.leaseMs,
    resultTtlMs: valid.resultTtlMs ?? DEFAULT_STORE_TIMINGS.resultTtlMs,
    retryWindowMarginMs: valid.retryWindowMarginMs ?? DEFAULT_RESULT_RETENTION.retryWindowMarginMs,
    commandTimeoutMs: valid.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: valid.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    recentOutcomes: valid.recentOutcomes ?? DEFAULT_RECENT_OUTCOMES,
    metrics: valid.metrics ?? NOOP_IDEMPOTENCY_METRICS,
  };
  if (resolved.leaseMs >= resolved.resultTtlMs) problems.push({ option: 'leaseMs', message: 'leaseMs must be shorter than resultTtlMs' });
  if (resolved.commandTimeoutMs >= resolved.leaseMs) problems.push({ option: 'commandTimeoutMs', message: 'commandTimeoutMs must be shorter than leaseMs' });
  if (problems.length > 0) throw new IdempotencyConfigError(problems);
  return resolved;
}

function connectionOf(options: IdempotencyModuleOptions, problems: OptionProblem[]): RedisConnection | undefined {
  const given = [options.redisUrl, options.sentinel, options.cluster].filter((choice) => choice !== undefined).length;
  if (options.store !== 'redis') {
    if (given > 0) problems.push({ option: 'store', message: 'redisUrl, sentinel and cluster apply only to store "redis"' });
    return undefined;
  }
  if (given !== 1) {
    problems.push({ option: 'store', message: 'store "redis" needs exactly one of redisUrl, sentinel, cluster' });
    return undefined;
  }
  if (options.redisUrl !== undefined) return { mode: 'standalone', url: options.redisUrl };
  if (options.sentinel !== undefined) return { mode: 'sentinel', ...options.sentinel };
  return options.cluster && { mode: 'cluster', ...options.cluster };
}
