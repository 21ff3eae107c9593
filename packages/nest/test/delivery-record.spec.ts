import { describe, expect, it } from '@jest/globals';
import { type RawCallback, Secret } from '@cryptopay/provider-kit';
import { deliveryEntry, type DeliveryFacts, redactTarget } from '../src/callbacks/delivery-record.js';

const RECEIVED_AT = new Date('2026-12-05T12:00:00Z');
const NO_SECRETS = { queryParams: [], bodyFields: [], values: [] };

function raw(fields: Partial<RawCallback> = {}): RawCallback {
  return { method: 'POST', target: '/v1/callbacks/testpay', url: 'https://pay.example.test/v1/callbacks/testpay', headers: {}, body: new Uint8Array(), socketAddress: '127.0.0.1', receivedAt: RECEIVED_AT, ...fields };
}

function facts(fields: Partial<DeliveryFacts> = {}): DeliveryFacts {
  return { verdict: 'rejected', reason: null, invoiceId: null, deliveryKey: null, provider: 'testpay', secrets: NO_SECRETS, raw: raw(), remoteIp: '203.0.113.9', responseStatus: 403, durationMs: 7, ...fields };
}

/** The callback log entry: what came in, as evidence PostgreSQL can store, with every secret removed. */
describe('the log entry of a callback', () => {
  it('records what came in and what was answered', () => {
    const entry = deliveryEntry(facts({ verdict: 'applied', reason: null, invoiceId: 'inv-1', deliveryKey: 'tx.addr.2', responseStatus: 200, durationMs: 12 }));
    expect(entry).toEqual({
      provider: 'testpay',
      receivedAt: RECEIVED_AT,
      remoteIp: '203.0.113.9',
      method: 'POST',
      target: '/v1/callbacks/testpay',
      headers: {},
      body: '',
      verdict: 'applied',
      reason: null,
      invoiceId: 'inv-1',
      deliveryKey: 'tx.addr.2',
      responseStatus: 200,
      durationMs: 12,
    });
  });

  it('keeps a provider name as given up to 64 characters', () => {
    expect(deliveryEntry(facts({ provider: 'p'.repeat(70) })).provider).toBe('p'.repeat(64));
  });

  it('redacts credential headers by name and configured secret values in any other header', () => {
    const secret = 'header-secret-0123456789';
    const headers = { authorization: 'Bearer a', cookie: 'c=1', 'proxy-authorization': 'Basic b', 'x-api-key': 'k', 'x-echo': `it was ${secret}`, 'user-agent': 'provider/1.0', 'x-absent': undefined };
    const entry = deliveryEntry(facts({ raw: raw({ headers }), secrets: { ...NO_SECRETS, values: [new Secret(secret)] } }));
    expect(entry.headers).toEqual({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'proxy-authorization': '[redacted]',
      'x-api-key': '[redacted]',
      'x-echo': 'it was [redacted]',
      'user-agent': 'provider/1.0',
    });
  });

  it('writes a NUL and a lone surrogate as escapes in the provider name, headers, reason and delivery key', () => {
    const entry = deliveryEntry(facts({ provider: 'evil\u0000', raw: raw({ headers: { 'x-odd\u0000': 'a\ud800b' } }), reason: 'nul \u0000 here', deliveryKey: 'key\udc00' }));
    expect([entry.provider, entry.headers, entry.reason, entry.deliveryKey]).toEqual(['evil\\u0000', { 'x-odd\\u0000': 'a\\ud800b' }, 'nul \\u0000 here', 'key\\udc00']);
  });

  it('keeps a UTF-8 body as text, its secret fields and values redacted', () => {
    const secret = 'body-secret-0123456789';
    const body = new TextEncoder().encode(`secret=${secret}&addr=tb1q&note=é ${secret}`);
    const entry = deliveryEntry(
      facts({ raw: raw({ body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), secrets: { queryParams: [], bodyFields: ['secret'], values: [new Secret(secret)] } }),
    );
    expect(entry.body).toBe('secret=[redacted]&addr=tb1q&note=é [redacted]');
  });

  it('reads the body as the form its Content-Type declares, even when it starts like JSON', () => {
    const body = new TextEncoder().encode('[tag]=v&secret=s1');
    const entry = deliveryEntry(facts({ raw: raw({ body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }), secrets: { ...NO_SECRETS, bodyFields: ['secret'] } }));
    expect(entry.body).toBe('[tag]=v&secret=[redacted]');
  });

  it('writes a body that is not UTF-8 byte for byte, every byte outside printable ASCII and the backslash as \\xNN', () => {
    const body = Uint8Array.from([0x1f, 0x20, 0x41, 0x5b, 0x5c, 0x5d, 0x7e, 0x7f, 0x05, 0xff, 0x00]);
    expect(deliveryEntry(facts({ raw: raw({ body }) })).body).toBe('\\x1f A[\\x5c]~\\x7f\\x05\\xff\\x00');
  });

  it('keeps the first 16 384 characters of a long body, UTF-8 or not', () => {
    const text = deliveryEntry(facts({ raw: raw({ body: new TextEncoder().encode('a'.repeat(20_000)) }) })).body;
    expect(text).toBe('a'.repeat(16_384));
    const bytes = new Uint8Array(20_000).fill(0x62);
    bytes[0] = 0xff; // not UTF-8
    expect(deliveryEntry(facts({ raw: raw({ body: bytes }) })).body).toBe(`\\xff${'b'.repeat(16_384 - 4)}`);
  });
});

describe('the redacted target of a callback', () => {
  it('redacts the given secret parameters and the common credential parameters, and configured values anywhere', () => {
    const target = '/cb?secret=s1&apikey=k1&api_key=k2&token=t1&access_token=t2&keep=v&echo=value-0123456789';
    expect(redactTarget(target, ['secret'], [new Secret('value-0123456789')])).toBe(
      '/cb?secret=[redacted]&apikey=[redacted]&api_key=[redacted]&token=[redacted]&access_token=[redacted]&keep=v&echo=[redacted]',
    );
  });

  it('reads a target without a leading slash as a path', () => {
    expect(redactTarget('cb?token=t1', [])).toBe('/cb?token=[redacted]');
  });
});
