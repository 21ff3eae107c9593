import { type PGlite } from '@electric-sql/pglite';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { MigrationLockedByTransaction } from './migration-adapter.js';
import { ConnectionGate } from './connection-gate.js';

class PGliteConnection implements DatabaseConnection {
  constructor(private readonly pglite: PGlite) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(query.sql, [...query.parameters]);
    // Kysely reads UPDATE/DELETE counts from numAffectedRows; the version check depends on it.
    return { rows: result.rows, numAffectedRows: BigInt(result.affectedRows ?? 0) };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the PGlite store does not stream query results');
  }
}

/**
 * PGlite is one Postgres session in this process, so the driver lends its single connection to one
 * Kysely user at a time: a transaction's statements never interleave with anyone else's.
 */
class PGliteDriver implements Driver {
  private readonly connection: PGliteConnection;
  private readonly gate: ConnectionGate;

  constructor(
    private readonly pglite: PGlite,
    waitMs: number,
  ) {
    this.connection = new PGliteConnection(pglite);
    this.gate = new ConnectionGate(waitMs);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.gate.enter();
    return this.connection;
  }

  async beginTransaction(_connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    const access = settings.accessMode ? ` ${settings.accessMode}` : '';
    await this.pglite.query(`start transaction${isolation}${access}`);
  }

  async commitTransaction(): Promise<void> {
    await this.pglite.query('commit');
  }

  async rollbackTransaction(): Promise<void> {
    await this.pglite.query('rollback');
  }

  async releaseConnection(): Promise<void> {
    this.gate.leave();
  }

  async destroy(): Promise<void> {
    this.gate.close();
    await this.pglite.close();
  }
}

/** A Kysely dialect over one PGlite instance, which it owns and closes on `destroy()`. */
export class PGliteDialect implements Dialect {
  constructor(
    private readonly pglite: PGlite,
    private readonly waitMs: number,
  ) {}

  createAdapter(): PostgresAdapter {
    return new MigrationLockedByTransaction();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.pglite, this.waitMs);
  }

  createQueryCompiler(): PostgresQueryCompiler {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): PostgresIntrospector {
    return new PostgresIntrospector(db);
  }
}
