export { IdempotencyKey, IdempotencyKeyError, type KeyPurpose, type CallbackKeyParts, type ApiRequestKeyParts } from './keys/idempotency-key.js';
export { type Fingerprint, fingerprintOf, canonicalJson, requestFingerprint, sameFingerprint } from './keys/fingerprint.js';
export {
  type IdempotencyStore,
  type ClaimResult,
  type PeekResult,
  type StoredOutcome,
  type StoreTimings,
  type StoreOperation,
  DEFAULT_STORE_TIMINGS,
  IdempotencyStoreError,
} from './store/idempotency-store.js';
export { MemoryIdempotencyStore, type MemoryIdempotencyStoreOptions } from './store/memory-idempotency-store.js';
export {
  RedisIdempotencyStore,
  type RedisIdempotencyStoreOptions,
  DEFAULT_KEY_PREFIX,
  KEY_PREFIX_PATTERN,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_CONNECT_TIMEOUT_MS,
} from './store/redis-idempotency-store.js';
export type { RedisConnection, RedisNodeAddress, RedisCredentials } from './store/redis-connection.js';
export { type IdempotencyMetrics, NOOP_IDEMPOTENCY_METRICS } from './guard/idempotency-metrics.js';
export type { GuardResult } from './guard/guard-result.js';
export { IdempotencyGuardService } from './guard/idempotency-guard.service.js';
export { type ResultRetention, type RunOptions, DEFAULT_RESULT_RETENTION } from './guard/result-retention.js';
export { RecentOutcomes, type RecentOutcome, type RecentOutcomesOptions } from './guard/recent-outcomes.js';
export { type HttpAnswer, toHttpAnswer, toWebResponse, jsonOutcome } from './http/http-answer.js';
export {
  type IdempotentRequest,
  type IdempotencyKeyExtractor,
  type FingerprintExtractor,
  type IdempotencyKeyHeaderOptions,
  IDEMPOTENCY_KEY_HEADER,
  idempotencyKeyHeader,
  fingerprintOfRequest,
} from './http/idempotent-request.js';
export type { IdempotentRouteOptions } from './http/idempotent-route.js';
export { Idempotent } from './http/idempotent.decorator.js';
export { IdempotencyInterceptor } from './http/idempotency.interceptor.js';
export {
  IdempotencyModuleOptions,
  RedisSentinelOptions,
  RedisClusterOptions,
  RedisNodeAddressOptions,
  IDEMPOTENCY_MODULE_OPTIONS,
} from './module/idempotency.module-definition.js';
export { IdempotencyConfigError, resolveIdempotencyOptions, type ResolvedIdempotencyOptions, DEFAULT_RECENT_OUTCOMES } from './module/resolve-options.js';
export { IdempotencyModule } from './module/idempotency.module.js';
export { IDEMPOTENCY_STORE, IDEMPOTENCY_METRICS, IDEMPOTENCY_RECENT_OUTCOMES, IDEMPOTENCY_RETENTION } from './module/idempotency.tokens.js';
