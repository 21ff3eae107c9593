/** The shared services, as for the normal tests: REDIS_URL and DATABASE_URL, with the same defaults. */
export const REDIS_URL = process.env['REDIS_URL'] || 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env['DATABASE_URL'] || 'postgresql://postgres@127.0.0.1:5432/test';
