/**
 * The shared servers the tests use (README: "Tests"): `DATABASE_URL` and `REDIS_URL` from the
 * environment, an empty one counting as unset, else the README's defaults.
 */
export function testDatabaseUrl(): string {
  return process.env['DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/test';
}

export function testRedisUrl(): string {
  return process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
}
