import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, usePaymentsApp } from './support/payments-app.js';
import { TestPayAdapter } from './support/test-provider.js';

const VALID = '{"provider":"testpay","amount":"25.00","currency":"USD","orderId":"ORDER"}';

/** The invoice API reads JSON strictly: what it cannot read exactly is refused, never rewritten. */
describe('the invoice API body', () => {
  const harness = usePaymentsApp();

  const post = (body: string | Buffer, contentType = 'application/json') =>
    // Sent as the bytes given: superagent would otherwise serialize a Buffer as JSON.
    request(harness().app.getHttpServer()).post('/v1/invoices').set(AUTH).set('Content-Type', contentType).serialize((bytes: unknown) => bytes as string).send(body);
  const issued = () => harness().app.get(TestPayAdapter).addresses.length;

  it('refuses bytes that are not UTF-8 with 400, instead of storing U+FFFD, and asks the provider for nothing', async () => {
    const before = issued();
    const [head, tail] = VALID.split('ORDER') as [string, string];
    const res = await post(Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe]), Buffer.from(tail)]));
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toBe('request body is not valid UTF-8');
    expect(issued()).toBe(before);
  });

  it('refuses a lone surrogate escaped in the JSON text with 400 naming the field', async () => {
    const res = await post(VALID.replace('ORDER', '\\ud800'));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('orderId must be well-formed Unicode');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])('answers Content-Type %s with 415 naming the expected type', async (type) => {
    const res = await post(VALID, type);
    expect(res.status).toBe(415);
    expect((res.body as { message: string }).message).toBe('Content-Type must be application/json');
  });

  it('answers malformed JSON with 400 saying so', async () => {
    const res = await post('{"provider":');
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toMatch(/^request body is not valid JSON/);
  });

  it('refuses a key repeated with another value with 400 naming it, and asks the provider for nothing', async () => {
    const before = issued();
    const res = await post(VALID.replace('"currency"', '"amount":"2500.00","currency"'));
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toMatch(/^request body is not valid JSON: duplicate property "amount" at position \d+$/);
    expect(issued()).toBe(before);
  });

  it('refuses a body nested deeper than 16 levels with 400 naming the limit', async () => {
    // The body is level 1: metadata 16 levels deep makes 17.
    const metadata = `${'{"a":'.repeat(16)}"x"${'}'.repeat(16)}`;
    const res = await post(VALID.replace(/}$/, `,"metadata":${metadata}}`));
    expect(res.status).toBe(400);
    expect((res.body as { message: string }).message).toBe('request body must not nest deeper than 16 levels');
  });

  it('accepts UTF-8 JSON with or without a charset, non-ASCII text intact', async () => {
    const plain = await post(VALID.replace('ORDER', 'bestellung-größe-€'));
    const charset = await post(VALID.replace('ORDER', 'заказ-1'), 'application/json; charset=utf-8');
    expect([plain.status, charset.status]).toEqual([201, 201]);
    expect([(plain.body as { orderId: string }).orderId, (charset.body as { orderId: string }).orderId]).toEqual(['bestellung-größe-€', 'заказ-1']);
  });
});
