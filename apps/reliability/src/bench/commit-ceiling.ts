import pg from 'pg';

const COMMITS = 3_000;

/**
 * How many durable commits per second PostgreSQL takes on this machine: one-row INSERTs, each its own
 * transaction, from `connections` sessions at once, in a throwaway schema. A new callback is
 * acknowledged only after its commit, so this is the ceiling for new callbacks, whatever the gateway does.
 */
export async function measureCommitCeiling(databaseUrl: string, connections: number): Promise<number> {
  const schema = `cryptopay_bench_commits_${process.pid}`;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  try {
    await pool.query(`create schema ${schema}`);
    await pool.query(`create table ${schema}.probe (id bigint generated always as identity primary key, at timestamptz not null default now())`);
    let started = 0;
    const began = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (started < COMMITS) {
          started += 1;
          await pool.query(`insert into ${schema}.probe default values`);
        }
      }),
    );
    return (COMMITS / (performance.now() - began)) * 1000;
  } finally {
    await pool.query(`drop schema if exists ${schema} cascade`);
    await pool.end();
  }
}
