import { canonicalJson, fingerprintOf, IdempotencyKey, IdempotencyKeyError, requestFingerprint, sameFingerprint } from '../src/index.js';

describe('idempotency key parts', () => {
  it.each([
    ['provider', () => IdempotencyKey.callback({ provider: '', deliveryKey: 'd' })],
    ['merchant', () => IdempotencyKey.callback({ provider: 'blockbee', merchant: '', deliveryKey: 'd' })],
    ['delivery key', () => IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: '' })],
    ['caller', () => IdempotencyKey.apiRequest({ caller: '', idempotencyKey: 'k' })],
    ['Idempotency-Key', () => IdempotencyKey.apiRequest({ caller: 'c', idempotencyKey: '' })],
  ])('refuses an empty %s, naming that part', (role, build) => {
    expect(build).toThrow(new IdempotencyKeyError(`The ${role} of an idempotency key must be a non-empty string.`));
  });

  it('refuses a part that is not a string at all (a JavaScript caller passing a number)', () => {
    expect(() => IdempotencyKey.apiRequest({ caller: 'c', idempotencyKey: 42 as unknown as string })).toThrow(IdempotencyKeyError);
  });

  it.each(['order{slot}', 'order 1', 'order\n'])('hashes a part that only starts like a plain identifier: %j', (part) => {
    expect(IdempotencyKey.apiRequest({ caller: 'c', idempotencyKey: part }).path).toMatch(/^api-request:c:~[A-Za-z0-9_-]{43}$/);
  });

  it('keeps dots, underscores and dashes after the first character', () => {
    expect(IdempotencyKey.apiRequest({ caller: 'client_42', idempotencyKey: 'A1.b_c-d' }).path).toBe('api-request:client_42:A1.b_c-d');
  });

  it('hashes each part on its own: two hostile parts give two segments, and the same part the same one', () => {
    const hostile = IdempotencyKey.callback({ provider: 'block:bee', merchant: 'shop 7', deliveryKey: 'a:b' }).path.split(':');
    expect(hostile).toHaveLength(4);
    expect(hostile.slice(1).every((part) => /^~[A-Za-z0-9_-]{43}$/.test(part))).toBe(true);
    expect(IdempotencyKey.apiRequest({ caller: 'c', idempotencyKey: 'a:b' }).path.split(':')[2]).toBe(hostile[3]);
  });

  it('prints as its path', () => {
    expect(`${IdempotencyKey.callback({ provider: 'blockbee', deliveryKey: 'd' })}`).toBe('callback:blockbee:*:d');
  });
});

describe('canonical JSON', () => {
  it('writes what has a toJSON as that, e.g. a date', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2026, 11, 5)) })).toBe('{"at":"2026-12-05T00:00:00.000Z"}');
  });

  it('writes a missing array item as null, as JSON does', () => {
    expect(canonicalJson([1, undefined, null])).toBe('[1,null,null]');
  });

  it('writes undefined and a function as null', () => {
    expect([canonicalJson(undefined), canonicalJson(() => 1)]).toEqual(['null', 'null']);
  });

  it('sorts keys by code unit, at every level', () => {
    expect(canonicalJson({ b: 1, B: 2, a: { z: 1, _: 2 }, '10': 3, '9': 4 })).toBe('{"10":3,"9":4,"B":2,"a":{"_":2,"z":1},"b":1}');
  });

  it('tells apart the method, the URL and the body of a request', () => {
    const base = requestFingerprint('POST', '/v1/invoices', { a: '1' });
    expect(requestFingerprint('PUT', '/v1/invoices', { a: '1' })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/invoice', { a: '1' })).not.toBe(base);
    expect(base).toBe(fingerprintOf('POST', '/v1/invoices', '{"a":"1"}'));
  });
});

describe('comparing a stored fingerprint', () => {
  const computed = fingerprintOf('POST', '/v1/invoices', '{}');

  it('matches on the first 128 bits (22 characters), all a completed record keeps', () => {
    expect(sameFingerprint(computed, computed)).toBe(true);
    expect(sameFingerprint(computed.slice(0, 22), computed)).toBe(true);
    expect(sameFingerprint(`${computed.slice(0, 22)}${computed[22] === 'A' ? 'B' : 'A'}`, computed)).toBe(true);
  });

  it('refuses a shorter stored value, even one that is a prefix', () => {
    expect(sameFingerprint(computed.slice(0, 21), computed)).toBe(false);
    expect(sameFingerprint('', computed)).toBe(false);
  });

  it('refuses a difference within the first 22 characters', () => {
    const other = `${computed.slice(0, 21)}${computed[21] === 'A' ? 'B' : 'A'}`;
    expect(sameFingerprint(other, computed)).toBe(false);
  });
});
