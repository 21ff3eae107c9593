import { Logger } from '@nestjs/common';
import { type Fingerprint, sameFingerprint } from '../keys/fingerprint.js';
import type { IdempotencyKey } from '../keys/idempotency-key.js';
import {
  type ClaimResult,
  DEFAULT_STORE_TIMINGS,
  IdempotencyStoreError,
  type IdempotencyStore,
  type PeekResult,
  type StoredOutcome,
  type StoreOperation,
  type StoreTimings,
} from './idempotency-store.js';
import { decodeCompactRecord, encodeCompactOutcome } from './compact-record.js';
import { assertStorableOutcome, decodeOutcome } from './outcome-codec.js';
import { newOwnerToken } from './owner-token.js';
import { createIdempotencyRedisClient, type IdempotencyRedisClient, type RedisConnection } from './redis-connection.js';
import { CLAIM_SCRIPT, COMPLETE_SCRIPT, PEEK_SCRIPT, RELEASE_SCRIPT } from './redis-scripts.js';

/** A prefix is configuration, not input: plain characters and `:` only. */
export const KEY_PREFIX_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;
export const DEFAULT_KEY_PREFIX = 'cryptopay:idem';
export const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;

export interface RedisIdempotencyStoreOptions extends Partial<StoreTimings> {
  connection: RedisConnection;
  /** Every key is `{keyPrefix}:{purpose}:{scope...}:{key}`. */
  keyPrefix?: string;
  commandTimeoutMs?: number;
  connectTimeoutMs?: number;
}

export class RedisIdempotencyStore implements IdempotencyStore {
  private readonly logger = new Logger('Idempotency');
  private readonly client: IdempotencyRedisClient;
  private readonly timings: StoreTimings;
  private readonly keyPrefix: string;
  private readonly commandTimeoutMs: number;
  /** undefined until the first connection: a failure to connect at all is reported by the module at startup. */
  private reachable: boolean | undefined;
  private closing = false;

  constructor(options: RedisIdempotencyStoreOptions) {
    this.keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    if (!KEY_PREFIX_PATTERN.test(this.keyPrefix)) {
      throw new TypeError('keyPrefix must be 1-64 characters of A-Z a-z 0-9 . _ : -');
    }
    this.timings = { leaseMs: options.leaseMs ?? DEFAULT_STORE_TIMINGS.leaseMs, resultTtlMs: options.resultTtlMs ?? DEFAULT_STORE_TIMINGS.resultTtlMs };
    this.commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.client = createIdempotencyRedisClient(options.connection, {
      commandTimeoutMs: this.commandTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    });
    this.watchConnection();
  }

  /** The full Redis key of an idempotency key, for operators and tests. */
  redisKey(key: IdempotencyKey): string {
    return `${this.keyPrefix}:${key.path}`;
  }

  async ready(timeoutMs: number): Promise<boolean> {
    if (this.client.status === 'ready') return true;
    return new Promise<boolean>((resolve) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.client.off('ready', onReady);
        resolve(false);
      }, timeoutMs);
      this.client.once('ready', onReady);
    });
  }

  async claim(key: IdempotencyKey, fingerprint: Fingerprint): Promise<ClaimResult> {
    const token = newOwnerToken();
    const reply = await this.eval('claim', CLAIM_SCRIPT, key, [fingerprint, token, this.timings.leaseMs]);
    return this.toClaimResult(reply, token, fingerprint);
  }

  async complete(key: IdempotencyKey, token: string, outcome: StoredOutcome, resultTtlMs = this.timings.resultTtlMs): Promise<boolean> {
    assertStorableOutcome(outcome);
    const reply = await this.eval('complete', COMPLETE_SCRIPT, key, [token, encodeCompactOutcome(outcome), resultTtlMs]);
    return reply === 1;
  }

  async release(key: IdempotencyKey, token: string): Promise<boolean> {
    return (await this.eval('release', RELEASE_SCRIPT, key, [token])) === 1;
  }

  async peek(key: IdempotencyKey): Promise<PeekResult> {
    const reply = await this.eval('peek', PEEK_SCRIPT, key, []);
    const [state, fp, outcome] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (state === null || state === undefined) return { status: 'absent' };
    if (state === 'record') {
      const record = typeof fp === 'string' ? decodeCompactRecord(fp) : undefined;
      if (!record) throw new IdempotencyStoreError('peek', 'unreadable entry in Redis');
      return { status: 'completed', fingerprint: record.fingerprint as Fingerprint, outcome: record.outcome };
    }
    if (typeof fp !== 'string') throw new IdempotencyStoreError('peek', 'unreadable entry in Redis');
    const fingerprint = fp as Fingerprint;
    if (state === 'in-flight') return { status: 'in-flight', fingerprint };
    const decoded = state === 'completed' && typeof outcome === 'string' ? decodeOutcome(outcome) : undefined;
    if (!decoded) throw new IdempotencyStoreError('peek', 'unreadable entry in Redis');
    return { status: 'completed', fingerprint, outcome: decoded };
  }

  async ping(): Promise<void> {
    await this.call('ping', () => this.client.ping());
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.client.status === 'end') return;
    if (this.client.status !== 'ready') {
      this.client.disconnect(); // nothing to flush; just stop reconnecting
      return;
    }
    await this.client.quit();
  }

  private eval(operation: StoreOperation, script: string, key: IdempotencyKey, args: (string | number)[]): Promise<unknown> {
    return this.call(operation, () => this.client.eval(script, 1, this.redisKey(key), ...args));
  }

  private async call<T>(operation: StoreOperation, command: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(command(), this.commandTimeoutMs);
    } catch (error) {
      throw new IdempotencyStoreError(operation, error instanceof Error ? error.message : 'unknown error', { cause: error });
    }
  }

  private toClaimResult(reply: unknown, token: string, fingerprint: Fingerprint): ClaimResult {
    const [status, detail] = Array.isArray(reply) ? (reply as unknown[]) : [];
    if (status === 'acquired') return { status, token };
    if (status === 'mismatch') return { status };
    if (status === 'record') {
      const record = typeof detail === 'string' ? decodeCompactRecord(detail) : undefined;
      if (!record) throw new IdempotencyStoreError('claim', 'unreadable entry in Redis');
      return sameFingerprint(record.fingerprint, fingerprint) ? { status: 'completed', outcome: record.outcome } : { status: 'mismatch' };
    }
    if (status === 'in-flight') return { status, leaseRemainingMs: Math.max(0, Number(detail)) };
    const outcome = status === 'completed' && typeof detail === 'string' ? decodeOutcome(detail) : undefined;
    if (!outcome) throw new IdempotencyStoreError('claim', 'unreadable entry in Redis');
    return { status: 'completed', outcome };
  }

  /** One log line per outage and one per recovery, not one per reconnect attempt. */
  private watchConnection(): void {
    // Each failed reconnect emits an error; the per-request log lines already report what they cost.
    this.client.on('error', () => undefined);
    this.client.on('close', () => {
      if (this.reachable === true && !this.closing) {
        this.logger.error('Lost the Redis connection; idempotent routes answer 503 until it returns');
      }
      this.reachable = false;
    });
    this.client.on('ready', () => {
      if (this.reachable === false) this.logger.log('Redis reachable again; idempotent routes resume');
      this.reachable = true;
    });
  }
}

/** ioredis bounds one command; this bounds the whole call, Cluster redirections and retries included. */
function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
