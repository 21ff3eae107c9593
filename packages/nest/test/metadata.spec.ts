import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { testRedisUrl } from '@cryptopay/test-servers';
import { AUTH, usePaymentsApp } from './support/payments-app.js';
import { TestPayAdapter } from './support/test-provider.js';

const REDIS_URL = testRedisUrl();

/** `{"a":{"a":…"x"…}}`, `levels` objects deep, written as text: building it as an object and serializing it would recurse. */
function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}"x"${'}'.repeat(levels)}`;
}

/** Invoice metadata is bounded before anything walks it: a deep or large one is a 400 naming the limit, never a 500. */
describe('invoice metadata', () => {
  const harness = usePaymentsApp({ redisUrl: REDIS_URL });

  const create = (metadata: string, headers: Record<string, string> = {}) =>
    request(harness().app.getHttpServer())
      .post('/v1/invoices')
      .set({ ...AUTH, ...headers, 'Content-Type': 'application/json' })
      .send(`{"provider":"testpay","amount":"25.00","currency":"USD","orderId":"order-metadata","metadata":${metadata}}`);
  const message = (res: request.Response) => JSON.stringify((res.body as { message: unknown }).message);

  it.each([
    ['without', {}],
    ['with', { 'Idempotency-Key': `deep-${Date.now()}` }],
  ])('refuses metadata nested 10 000 levels deep %s an Idempotency-Key: 400 naming the limit', async (_with, headers) => {
    const issued = harness().app.get(TestPayAdapter).addresses.length;
    const res = await create(nested(10_000), headers);
    expect(res.status).toBe(400);
    expect(message(res)).toContain('request body must not nest deeper than 16 levels');
    expect(harness().app.get(TestPayAdapter).addresses).toHaveLength(issued);
  });

  it.each([
    ['5 levels', nested(5), 'metadata must not nest deeper than 4 levels of objects and arrays (metadata.a.a.a.a is deeper)'],
    ['5 levels of arrays', '{"list":[[[["x"]]]]}', 'metadata must not nest deeper than 4 levels of objects and arrays (metadata.list[0][0][0] is deeper)'],
    ['51 keys', JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, 'v']))), 'metadata must not hold more than 50 keys and array items in all'],
    ['60 array items', JSON.stringify({ items: Array.from({ length: 30 }, () => 'x'), more: Array.from({ length: 30 }, () => 'y') }), 'metadata must not hold more than 50 keys and array items in all'],
    ['16 400 bytes', JSON.stringify({ note: 'x'.repeat(16_400) }), 'metadata must not be larger than 16384 bytes as JSON'],
    ['a number', '{"total":0.10}', 'metadata.total is a JSON number; write it as a string'],
    ['a number in an array', '{"ids":[1]}', 'metadata.ids[0] is a JSON number; write it as a string'],
    ['a 65-character key', JSON.stringify({ ['k'.repeat(65)]: 'v' }), 'metadata: a key must be 1 to 64 characters'],
  ])('refuses %s with 400 naming the limit', async (_case, metadata, expected) => {
    const res = await create(metadata);
    expect(res.status).toBe(400);
    expect(message(res)).toContain(expected);
  });

  it('keeps metadata within the limits exactly as sent', async () => {
    const metadata = { customer: { id: 'c-42', tags: ['vip', null, true] }, total: '0.10', note: 'two\nlines', deep: { a: { b: 'level 4' } } };
    const res = await create(JSON.stringify(metadata));
    expect(res.status).toBe(201);
    expect((res.body as { metadata: unknown }).metadata).toEqual(metadata);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('refuses the metadata key %s with 400 naming it, instead of dropping it (issue 18 §5)', async (key) => {
    const res = await create(`{"${key}":"x","kept":"y"}`);
    expect(res.status).toBe(400);
    expect(message(res)).toContain(`request body key \\"${key}\\" is not allowed`);
  });
});
