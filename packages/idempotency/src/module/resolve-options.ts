import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { type IdempotencyMetrics, NOOP_IDEMPOTENCY_METRICS } from '../guard/idempotency-metrics.js';
import { DEFAULT_STORE_TIMINGS, type StoreTimings } from '../store/idempotency-store.js';
import type { RedisConnection } from '../store/redis-connection.js';
import {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEY_PREFIX,
} from '../store/redis-idempotency-store.js';
import { IdempotencyModuleOptions } from './idempotency.module-definition.js';

/** Invalid module options; the message lists each problem by option name and never echoes a value. */
export class IdempotencyConfigError extends Error {
  override readonly name = 'IdempotencyConfigError';

  constructor(readonly problems: readonly string[]) {
    super(`Invalid IdempotencyModule options: ${problems.join('; ')}`);
  }
}

export interface ResolvedIdempotencyOptions extends StoreTimings {
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

export function resolveIdempotencyOptions(given: IdempotencyModuleOptions | undefined): ResolvedIdempotencyOptions {
  const raw = given ?? ({} as IdempotencyModuleOptions);
  // The validated copy is only inspected: class-transformer would strip a metrics instance of its prototype.
  const problems = validateSync(plainToInstance(IdempotencyModuleOptions, raw)).flatMap((error) => describe(error));
  const resolved: ResolvedIdempotencyOptions = {
    store: raw.store,
    connection: connectionOf(raw, problems),
    keyPrefix: raw.keyPrefix ?? DEFAULT_KEY_PREFIX,
    leaseMs: raw.leaseMs ?? DEFAULT_STORE_TIMINGS.leaseMs,
    resultTtlMs: raw.resultTtlMs ?? DEFAULT_STORE_TIMINGS.resultTtlMs,
    commandTimeoutMs: raw.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    connectTimeoutMs: raw.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    recentOutcomes: raw.recentOutcomes ?? DEFAULT_RECENT_OUTCOMES,
    metrics: raw.metrics ?? NOOP_IDEMPOTENCY_METRICS,
  };
  if (resolved.leaseMs >= resolved.resultTtlMs) problems.push('leaseMs must be shorter than resultTtlMs');
  if (resolved.commandTimeoutMs >= resolved.leaseMs) problems.push('commandTimeoutMs must be shorter than leaseMs');
  if (problems.length > 0) throw new IdempotencyConfigError(problems);
  return resolved;
}

function connectionOf(raw: IdempotencyModuleOptions, problems: string[]): RedisConnection | undefined {
  const given = [raw.redisUrl, raw.sentinel, raw.cluster].filter((choice) => choice !== undefined).length;
  if (raw.store !== 'redis') {
    if (given > 0) problems.push('redisUrl, sentinel and cluster apply only to store "redis"');
    return undefined;
  }
  if (given !== 1) {
    problems.push('store "redis" needs exactly one of redisUrl, sentinel, cluster');
    return undefined;
  }
  if (raw.redisUrl !== undefined) return { mode: 'standalone', url: raw.redisUrl };
  if (raw.sentinel !== undefined) return { mode: 'sentinel', ...raw.sentinel };
  return raw.cluster && { mode: 'cluster', ...raw.cluster };
}

function describe(error: ValidationError, parent = ''): string[] {
  const path = parent ? `${parent}.${error.property}` : error.property;
  const own = Object.values(error.constraints ?? {}).map((message) => message.replace(error.property, path));
  return [...own, ...(error.children ?? []).flatMap((child) => describe(child, path))];
}
