import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { GatewayHarness, useGatewayWithOwnRedis } from './support/gateway-harness.js';

const body = (extra: Record<string, unknown> = {}) => JSON.stringify({ provider: 'blockonomics', amount: '25.00', currency: 'USD', orderId: 'order-durable', ...extra });
const post = (gw: GatewayHarness, key: string, payload = body()) => gw.request('/v1/invoices', { method: 'POST', headers: { 'Idempotency-Key': key }, body: payload });
const idOf = async (res: Response) => ((await res.json()) as { id: string }).id;

/** The Idempotency-Key of an invoice is kept with the invoice: losing Redis never creates a second one. */
describe('Idempotency-Key when Redis loses its keys', () => {
  const suite = useGatewayWithOwnRedis();

  const issued = () => suite().gw.sandbox.blockonomics.simulator.issuedAddresses().length;

  it('answers the same invoice after FLUSHALL, without asking the provider again', async () => {
    const { gw, redis } = suite();
    const key = randomUUID();
    const before = issued();
    const first = await post(gw, key);
    expect(first.status).toBe(201);
    const id = await idOf(first);

    await redis.flushAll();
    const afterFlush = await post(gw, key);
    expect(afterFlush.status).toBe(201);
    expect(afterFlush.headers.get('idempotent-replayed')).toBe('true');
    expect(await idOf(afterFlush)).toBe(id);

    const fromRedisAgain = await post(gw, key);
    expect([fromRedisAgain.status, await idOf(fromRedisAgain)]).toEqual([201, id]);
    expect(issued()).toBe(before + 1);
    expect((await (await gw.request('/v1/invoices?orderId=order-durable')).json()) as unknown[]).toHaveLength(1);
  });

  it('answers 422 for the same key with another body after FLUSHALL, and asks the provider nothing', async () => {
    const { gw, redis } = suite();
    const key = randomUUID();
    expect((await post(gw, key, body({ orderId: 'order-durable-422' }))).status).toBe(201);
    const before = issued();
    await redis.flushAll();
    const reused = await post(gw, key, body({ orderId: 'order-durable-422', amount: '26.00' }));
    expect(reused.status).toBe(422);
    expect(issued()).toBe(before);
  });
});

describe('Idempotency-Key with the in-memory idempotency store, across a restart', () => {
  it('answers the invoice created before the restart, without asking the provider', async () => {
    // A fixed token: the key is scoped to the API caller, and sandbox mode would generate a new token per start.
    const env = { DATA_DIR: mkdtempSync(join(tmpdir(), 'gateway-durable-')), API_TOKENS: 'durable-token-0123456789abcdefghij' };
    const key = randomUUID();
    const before = await GatewayHarness.start(env);
    const id = await idOf(await post(before, key));
    await before.close();

    const after = await GatewayHarness.start(env);
    try {
      const again = await post(after, key);
      expect([again.status, await idOf(again)]).toEqual([201, id]);
      expect(after.sandbox.blockonomics.simulator.issuedAddresses()).toHaveLength(0);
    } finally {
      await after.close();
    }
  });
});
