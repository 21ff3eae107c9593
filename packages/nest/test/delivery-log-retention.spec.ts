import { describe, expect, it } from '@jest/globals';
import { createStore } from '@cryptopay/store';
import { eventually, testDatabaseUrl } from '@cryptopay/test-servers';
import { DeliveryLogRetention, PaymentsMetrics } from '../src/index.js';
import { startPaymentsApp } from './support/payments-app.js';

const DATABASE_URL = testDatabaseUrl();
const DAY_MS = 86_400_000;

const entry = (receivedAt: Date, provider: string) => ({
  provider,
  receivedAt,
  remoteIp: '203.0.113.7',
  method: 'GET',
  target: '/v1/callbacks/testpay',
  headers: {},
  body: '',
  verdict: 'rejected' as const,
  reason: 'test',
  invoiceId: null,
  deliveryKey: null,
  responseStatus: 403,
  durationMs: 0,
});

/** Issue 18 §1: the callback log is kept for `retentionDays`, by a job several instances can run at once. */
describe('callback log retention', () => {
  it('deletes entries older than the retention on two instances pruning at once, keeps the newer, counts what it deleted', async () => {
    const first = await startPaymentsApp({ databaseUrl: DATABASE_URL, deliveryLog: { retentionDays: 30, pruneIntervalMs: 3_600_000 } });
    const second = await createStore({ databaseUrl: DATABASE_URL, schema: first.schema! });
    try {
      const now = new Date();
      const old = Array.from({ length: 2_500 }, (_, index) => entry(new Date(now.getTime() - 31 * DAY_MS - index * 1_000), 'old'));
      const recent = Array.from({ length: 5 }, (_, index) => entry(new Date(now.getTime() - 29 * DAY_MS + index * 1_000), 'recent'));
      await first.store.deliveries.recordMany([...old, ...recent]);

      const [byApp, byOther] = await Promise.all([first.app.get(DeliveryLogRetention).prune(now), pruneAll(second, new Date(now.getTime() - 30 * DAY_MS))]);

      expect(byApp + byOther).toBe(old.length);
      expect((await first.store.deliveries.list({ limit: 100 })).deliveries.map((delivery) => delivery.provider)).toEqual(recent.map(() => 'recent'));
      expect((await first.app.get(PaymentsMetrics).deliveryLogPruned.get()).values[0]?.value).toBe(byApp);
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('prunes on its own every pruneIntervalMs, one instance alone, and counts what it deleted', async () => {
    const app = await startPaymentsApp({ deliveryLog: { retentionDays: 30, pruneIntervalMs: 1_000 } });
    try {
      const now = Date.now();
      await app.store.deliveries.recordMany([entry(new Date(now - 31 * DAY_MS), 'old'), entry(new Date(now - 40 * DAY_MS), 'old'), entry(new Date(now - 29 * DAY_MS), 'recent')]);
      const providers = async () => (await app.store.deliveries.list({ limit: 10 })).deliveries.map((delivery) => delivery.provider);
      await eventually(async () => (await providers()).length === 1, 'the next pruning run');
      expect(await providers()).toEqual(['recent']);
      expect((await app.app.get(PaymentsMetrics).deliveryLogPruned.get()).values[0]?.value).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('keeps every entry with retentionDays 0', async () => {
    const app = await startPaymentsApp({ deliveryLog: { retentionDays: 0 } });
    try {
      await app.store.deliveries.recordMany([entry(new Date(Date.now() - 3_650 * DAY_MS), 'ancient')]);
      await app.app.get(DeliveryLogRetention).onApplicationBootstrap();
      expect((await app.store.deliveries.list({ limit: 10 })).deliveries).toHaveLength(1);
    } finally {
      await app.close();
    }
  });
});

/** A second instance's pruning, as the job does it: batches until one comes back short. */
async function pruneAll(store: { deliveries: { prune(olderThan: Date, limit: number): Promise<number> } }, olderThan: Date): Promise<number> {
  let deleted = 0;
  for (;;) {
    const batch = await store.deliveries.prune(olderThan, 500);
    deleted += batch;
    if (batch < 500) return deleted;
  }
}
