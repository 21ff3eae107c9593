import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { SchemaIntrospector } from '../src/database/schema-introspector.js';
import { admin, DATABASE_URL, uniqueName } from './support/backends.js';

/**
 * What the migrator looks up reads the store's own schema only, so a schema another deployment or
 * suite drops at the same moment cannot fail a migration (Kysely's own introspector scanned every
 * schema, resolving each by name: "schema … does not exist" in a CI run).
 */
describe('the migrator’s look-ups on PostgreSQL', () => {
  const ours = uniqueName('introspect_ours');
  const theirs = uniqueName('introspect_theirs');
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: DATABASE_URL, max: 1 }) }) });

  beforeAll(async () => {
    await admin(`create schema ${ours}; create table ${ours}.kysely_migration (name text); create view ${ours}.a_view as select 1 as one`);
    await admin(`create schema ${theirs}; create table ${theirs}.kysely_migration_lock (id text)`);
  });
  afterAll(async () => {
    await admin(`drop schema if exists ${ours} cascade; drop schema if exists ${theirs} cascade`);
    await db.destroy();
  });

  it('lists the tables of the store’s schema and of no other', async () => {
    const tables = await new SchemaIntrospector(db, ours).getTables();
    expect(tables.map((table) => [table.schema, table.name])).toEqual([[ours, 'kysely_migration']]);
  });

  it('finds the store’s schema, and no other', async () => {
    expect(await new SchemaIntrospector(db, ours).getSchemas()).toEqual([{ name: ours }]);
    expect(await new SchemaIntrospector(db, `${ours}_missing`).getSchemas()).toEqual([]);
  });
});
