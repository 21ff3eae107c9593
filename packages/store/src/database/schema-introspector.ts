import { type DatabaseIntrospector, type Kysely, type SchemaMetadata, sql, type TableMetadata } from 'kysely';

/**
 * What the migrator looks up — whether a schema and its migration tables exist — read in the store's
 * own schema only. Kysely's own introspector lists the columns of every schema in the database and
 * resolves each by name (`has_schema_privilege`, `pg_get_serial_sequence`): a schema another
 * deployment or test suite drops meanwhile fails the whole query ("schema … does not exist").
 */
export class SchemaIntrospector implements DatabaseIntrospector {
  constructor(
    private readonly db: Kysely<unknown>,
    private readonly schema: string,
  ) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const { rows } = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${this.schema}`.execute(this.db);
    return rows;
  }

  async getTables(): Promise<TableMetadata[]> {
    const { rows } = await sql<{ name: string }>`
      select c.relname as name from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${this.schema} and c.relkind in ('r', 'p')`.execute(this.db);
    return rows.map(({ name }) => ({ name, schema: this.schema, isView: false, isForeign: false, columns: [] }));
  }
}
