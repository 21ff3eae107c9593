import { Cluster, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

export interface RedisNodeAddress {
  host: string;
  port: number;
}

export interface RedisCredentials {
  username?: string;
  password?: string;
}

export type RedisConnection =
  | { mode: 'standalone'; url: string }
  | ({ mode: 'sentinel'; masterName: string; sentinels: RedisNodeAddress[]; sentinelPassword?: string; db?: number } & RedisCredentials)
  | ({ mode: 'cluster'; nodes: RedisNodeAddress[] } & RedisCredentials);

export interface RedisConnectionLimits {
  /** A command without a reply after this long fails (so a hung Redis cannot hang a request). */
  commandTimeoutMs: number;
  connectTimeoutMs: number;
}

/** Reconnects forever, backing off to 2 s, so the guard recovers by itself when Redis returns. */
const reconnectDelay = (attempt: number): number => Math.min(attempt * 100, 2_000);

/**
 * Every setting here makes a command fail fast rather than wait: no offline queue (a command sent while
 * disconnected fails at once instead of running minutes later, after its request has been answered), no retry
 * of a command across reconnects, and a bounded time per command.
 */
function failFastOptions(limits: RedisConnectionLimits): RedisOptions {
  return {
    commandTimeout: limits.commandTimeoutMs,
    connectTimeout: limits.connectTimeoutMs,
    // How long a shutdown waits for a half-dead socket to close before destroying it.
    disconnectTimeout: 500,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    connectionName: 'cryptopay-idempotency',
  };
}

export type IdempotencyRedisClient = Redis | Cluster;

export function createIdempotencyRedisClient(connection: RedisConnection, limits: RedisConnectionLimits): IdempotencyRedisClient {
  const options = failFastOptions(limits);
  switch (connection.mode) {
    case 'standalone':
      return new Redis(connection.url, { ...options, enableOfflineQueue: false, retryStrategy: reconnectDelay });
    case 'sentinel':
      return new Redis({
        ...options,
        enableOfflineQueue: false,
        retryStrategy: reconnectDelay,
        sentinelRetryStrategy: reconnectDelay,
        sentinels: connection.sentinels,
        name: connection.masterName,
        username: connection.username,
        password: connection.password,
        sentinelPassword: connection.sentinelPassword,
        db: connection.db,
      });
    case 'cluster': {
      const clusterOptions: ClusterOptions = {
        enableOfflineQueue: false,
        clusterRetryStrategy: reconnectDelay,
        redisOptions: { ...options, username: connection.username, password: connection.password },
      };
      return new Cluster(connection.nodes, clusterOptions);
    }
  }
}
