import { decodeCompactRecord, encodeCompactOutcome } from '../src/store/compact-record.js';

const FINGERPRINT = 'q5HV8I-oxri9fX5WUJE2pl';

describe('compact record (format 2) at its edges', () => {
  it.each([
    ['a single header other than the content type', { 'retry-after': '5' }, '?retry-after=5'],
    ['an unusual content type', { 'content-type': 'text/html' }, '?content-type=text%2Fhtml'],
    ['the plain-text content type', { 'content-type': 'text/plain; charset=utf-8' }, 't'],
    ['the JSON content type', { 'content-type': 'application/json; charset=utf-8' }, 'j'],
    ['the usual content type with another header', { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '5' }, '?content-type=text%2Fplain%3B%20charset%3Dutf-8&retry-after=5'],
  ])('writes %s as %j', (_case, headers, code) => {
    expect(encodeCompactOutcome({ status: 200, headers, body: 'x' })).toBe(`200${code}||x`);
    expect(decodeCompactRecord(`2${FINGERPRINT}200${code}||x`)?.outcome.headers).toEqual(headers);
  });

  it('writes a lower-case UUID in 22 characters and anything longer or other as it is', () => {
    expect(encodeCompactOutcome({ status: 200, headers: {}, body: '', context: { a: '0b8f6c1e-1f0e-4c4e-9d9b-2b8f0e6a1c11', b: 'x0b8f6c1e-1f0e-4c4e-9d9b-2b8f0e6a1c11', c: '0b8f6c1e-1f0e-4c4e-9d9b-2b8f0e6a1c11x' } })).toBe(
      '200|a=@C49sHh8OTE6dmyuPDmocEQ&b=x0b8f6c1e-1f0e-4c4e-9d9b-2b8f0e6a1c11&c=0b8f6c1e-1f0e-4c4e-9d9b-2b8f0e6a1c11x|',
    );
  });

  it.each([
    ['a status outside 100-599', `2${FINGERPRINT}600||`],
    ['a status of two digits', `2${FINGERPRINT}20||`],
    ['a status followed by text', `2${FINGERPRINT}200tx||`],
    ['a pair with two =', `2${FINGERPRINT}200|a=b=c|`],
    ['a pair without =', `2${FINGERPRINT}200|a|`],
    ['a header pair with two =', `2${FINGERPRINT}200?a=b=c||`],
    ['bad percent-encoding', `2${FINGERPRINT}200|a=%zz|`],
    ['a short UUID', `2${FINGERPRINT}200|a=@C49sHh8OTE6dmyuPDmoc|`],
    ['another format version', `3${FINGERPRINT}200||`],
    ['a shorter fingerprint', `2${FINGERPRINT.slice(0, 10)}`],
  ])('refuses %s', (_case, text) => {
    expect(decodeCompactRecord(text)).toBeUndefined();
  });

  it('keeps a body that holds the separators, and no context when none was written', () => {
    expect(decodeCompactRecord(`2${FINGERPRINT}599||a|b=c|`)).toEqual({ fingerprint: FINGERPRINT, outcome: { status: 599, headers: {}, body: 'a|b=c|' } });
    expect(decodeCompactRecord(`2${FINGERPRINT}100||`)).toEqual({ fingerprint: FINGERPRINT, outcome: { status: 100, headers: {}, body: '' } });
  });
});
