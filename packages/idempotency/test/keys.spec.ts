import { createHash } from 'node:crypto';
import { canonicalJson, fingerprintOf, IdempotencyKey, IdempotencyKeyError, requestFingerprint } from '../src/index.js';

describe('idempotency keys', () => {
  it('lays callback keys out as callback:{provider}:{merchant}:{deliveryKey}', () => {
    expect(IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: 'a1b2-c3' }).path).toBe('callback:blockbee:*:a1b2-c3');
    expect(IdempotencyKey.callback({ provider: 'blockbee', merchant: 'shop-7', deliveryKey: 'd' }).path).toBe('callback:blockbee:shop-7:d');
    expect(IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: 'd' }).purpose).toBe('callback');
  });

  it('lays API keys out as api-request:{caller}:{key}', () => {
    const key = IdempotencyKey.apiRequest({ caller: 'client_42', idempotencyKey: 'order.1001' });
    expect(key.path).toBe('api-request:client_42:order.1001');
    expect(key.purpose).toBe('api-request');
  });

  it.each([
    ['a separator', 'x:callback:blockbee'],
    ['a Cluster hash tag', '{slot}'],
    ['a newline', 'a\r\nDEL *'],
    ['a leading dot', '.hidden'],
    ['the no-merchant marker', '*'],
    ['a megabyte', 'k'.repeat(1_000_000)],
  ])('hashes a part holding %s into one bounded segment', (_what, hostile) => {
    const path = IdempotencyKey.apiRequest({ caller: 'client_42', idempotencyKey: hostile }).path;
    const [purpose, caller, part, ...rest] = path.split(':');
    expect([purpose, caller, rest]).toEqual(['api-request', 'client_42', []]);
    expect(part).toMatch(/^~[A-Za-z0-9_-]{43}$/);
  });

  it('never lets a merchant forge the no-merchant scope', () => {
    const forged = IdempotencyKey.callback({ provider: 'blockbee', merchant: '*', deliveryKey: 'd' });
    expect(forged.path).not.toBe(IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: 'd' }).path);
  });

  it('keeps a 64-character identifier readable and hashes a 65-character one', () => {
    const limit = 'a'.repeat(64);
    expect(IdempotencyKey.apiRequest({ caller: 'c', idempotencyKey: limit }).path).toBe(`api-request:c:${limit}`);
    expect(IdempotencyKey.apiRequest({ caller: 'c', idempotencyKey: `${limit}a` }).path).toMatch(/^api-request:c:~/);
  });

  it('rejects an empty part, naming it', () => {
    expect(() => IdempotencyKey.apiRequest({ caller: '', idempotencyKey: 'k' })).toThrow(
      new IdempotencyKeyError('The caller of an idempotency key must be a non-empty string.'),
    );
    expect(() => IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: '' })).toThrow(/delivery key/);
  });
});

describe('fingerprints', () => {
  it('ignores key order and undefined members, but not values', () => {
    expect(canonicalJson({ b: [1, { d: 'x', c: null }], a: '0.1', skip: undefined })).toBe('{"a":"0.1","b":[1,{"c":null,"d":"x"}]}');
    expect(requestFingerprint('post', '/invoices', { a: '1', b: '2' })).toBe(requestFingerprint('POST', '/invoices', { b: '2', a: '1' }));
    expect(requestFingerprint('POST', '/invoices', { a: '1' })).not.toBe(requestFingerprint('POST', '/invoices', { a: '1.0' }));
    expect(requestFingerprint('POST', '/invoices?x=1', {})).not.toBe(requestFingerprint('POST', '/invoices', {}));
  });

  it('writes bigint exactly', () => {
    expect(canonicalJson({ sats: 123456789012345678901234567890n })).toBe('{"sats":123456789012345678901234567890}');
  });

  it('separates parts unambiguously', () => {
    expect(fingerprintOf('ab', 'c')).not.toBe(fingerprintOf('a', 'bc'));
    expect(fingerprintOf('ab', 'c')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('keeps the digest of every stored fingerprint: SHA-256 over each part as `{utf-8 length}:{part}`', () => {
    // Keys claimed by an earlier version stay in Redis for a day; a changed digest would read as a mismatch.
    const parts = ['3f1c-invoice', 'tx\u00e9:0', ''];
    const streamed = createHash('sha256');
    for (const part of parts) streamed.update(`${Buffer.byteLength(part, 'utf8')}:`).update(part, 'utf8');
    expect(fingerprintOf(...parts)).toBe(streamed.digest('base64url'));
  });
});
