import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../src/index.js';
import { DATABASE_URL } from './support/backends.js';
import { newInvoice } from './support/invoices.js';

describe('choosing the database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cryptopay-store-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps PGlite data in its data directory across restarts', async () => {
    const invoice = newInvoice();
    const first = await createStore({ dataDir: join(dataDir, 'pglite') });
    await first.migrateToLatest();
    await first.invoices.create(invoice);
    await first.close();

    const restarted = await createStore({ dataDir: join(dataDir, 'pglite') });
    try {
      expect(restarted.kind).toBe('pglite-file');
      expect(await restarted.migrateToLatest()).toEqual({ applied: [] });
      expect(await restarted.invoices.findById(invoice.id)).toEqual(invoice);
    } finally {
      await restarted.close();
    }
  });

  it('uses PostgreSQL when a URL is given, PGlite in memory when neither is, and a blank URL counts as none', async () => {
    const stores = [await createStore({ databaseUrl: DATABASE_URL, dataDir }), await createStore({ databaseUrl: ' ' })];
    try {
      expect(stores.map((store) => store.kind)).toEqual(['postgres', 'pglite-memory']);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
