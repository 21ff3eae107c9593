import { Redis } from 'ioredis';
import pg from 'pg';

/** The idempotency keys of one provider (or of API requests) under a prefix, as Redis holds them. */
export interface KeyFigures {
  keys: number;
  /** Sum of `MEMORY USAGE` over the keys. */
  bytes: number;
  /** The largest single key. */
  largest: number;
  /** Keys held as format-2 records (completed), the rest being in-flight or older hashes. */
  compact: number;
  /** Shortest and longest remaining TTL, in milliseconds. */
  ttlMs: { min: number; max: number };
}

export interface TableFigures {
  rows: number;
  /** Table, TOAST and indexes. */
  bytes: number;
}

/** What the gateways have stored at one moment: Redis keys per provider, PostgreSQL tables. */
export interface StorageSnapshot {
  redis: Record<string, KeyFigures>;
  tables: Record<string, TableFigures>;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Measures what a deployment stores, for the soak: every idempotency key under one prefix (SCAN,
 * then `MEMORY USAGE`, `TYPE` and `PTTL` of each, pipelined) and every table of one schema (exact
 * row counts and `pg_total_relation_size`).
 */
export class StorageProbe {
  private constructor(
    private readonly redis: Redis,
    private readonly pool: pg.Pool,
    private readonly keyPrefix: string,
    private readonly schema: string,
  ) {}

  static open(options: { redisUrl: string; keyPrefix: string; databaseUrl: string; schema: string }): StorageProbe {
    if (!IDENTIFIER.test(options.schema)) throw new Error(`not a schema name: ${options.schema}`);
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 1 });
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 2, application_name: 'cryptopay-soak-probe' });
    pool.on('error', () => undefined);
    return new StorageProbe(redis, pool, options.keyPrefix, options.schema);
  }

  async snapshot(): Promise<StorageSnapshot> {
    const [redis, tables] = await Promise.all([this.redisFigures(), this.tableFigures()]);
    return { redis, tables };
  }

  /** Deletes every key under the prefix (the soak's own). */
  async deleteKeys(): Promise<void> {
    for (const batch of await this.keyBatches()) if (batch.length > 0) await this.redis.del(...batch);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
    await this.pool.end();
  }

  private async redisFigures(): Promise<Record<string, KeyFigures>> {
    const figures: Record<string, KeyFigures> = {};
    for (const batch of await this.keyBatches()) {
      const pipeline = this.redis.pipeline();
      for (const key of batch) pipeline.call('MEMORY', 'USAGE', key).type(key).pttl(key);
      const replies = (await pipeline.exec()) ?? [];
      batch.forEach((key, index) => {
        const [bytes, type, pttl] = [0, 1, 2].map((offset) => replies[index * 3 + offset]?.[1]);
        if (bytes === null || bytes === undefined) return; // expired between SCAN and now
        const group = (figures[groupOf(key, this.keyPrefix)] ??= { keys: 0, bytes: 0, largest: 0, compact: 0, ttlMs: { min: Infinity, max: 0 } });
        group.keys += 1;
        group.bytes += Number(bytes);
        group.largest = Math.max(group.largest, Number(bytes));
        if (type === 'string') group.compact += 1;
        group.ttlMs = { min: Math.min(group.ttlMs.min, Number(pttl)), max: Math.max(group.ttlMs.max, Number(pttl)) };
      });
    }
    return figures;
  }

  private async keyBatches(): Promise<string[][]> {
    const batches: string[][] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.keyPrefix}:*`, 'COUNT', 1000);
      batches.push(keys);
      cursor = next;
    } while (cursor !== '0');
    return batches;
  }

  private async tableFigures(): Promise<Record<string, TableFigures>> {
    const { rows: names } = await this.pool.query<{ name: string }>(
      `select table_name as name from information_schema.tables where table_schema = $1 and table_type = 'BASE TABLE' order by table_name`,
      [this.schema],
    );
    const figures: Record<string, TableFigures> = {};
    for (const { name } of names) {
      if (!IDENTIFIER.test(name)) continue;
      const { rows } = await this.pool.query<{ rows: string; bytes: string }>(
        `select (select count(*) from ${this.schema}.${name})::text as rows, pg_total_relation_size('${this.schema}.${name}')::text as bytes`,
      );
      figures[name] = { rows: Number(rows[0]?.rows), bytes: Number(rows[0]?.bytes) };
    }
    return figures;
  }
}

/** `callback:blockbee:*:…` → `callback:blockbee`; `api-request:…` → `api-request`. */
function groupOf(key: string, prefix: string): string {
  const [purpose, provider] = key.slice(prefix.length + 1).split(':');
  return purpose === 'callback' ? `callback:${provider}` : (purpose ?? 'unknown');
}

/** What grew between two snapshots, per hour and per 1,000 callbacks. */
export interface Growth {
  name: string;
  /** Keys or rows. */
  items: number;
  bytes: number;
}

export function growthBetween(before: StorageSnapshot, after: StorageSnapshot): { redis: Growth[]; tables: Growth[] } {
  const redis = Object.entries(after.redis).map(([name, figures]) => ({
    name,
    items: figures.keys - (before.redis[name]?.keys ?? 0),
    bytes: figures.bytes - (before.redis[name]?.bytes ?? 0),
  }));
  const tables = Object.entries(after.tables).map(([name, figures]) => ({
    name,
    items: figures.rows - (before.tables[name]?.rows ?? 0),
    bytes: figures.bytes - (before.tables[name]?.bytes ?? 0),
  }));
  return { redis, tables };
}
