import { decodeCompactRecord, encodeCompactOutcome } from '../src/store/compact-record.js';
import type { StoredOutcome } from '../src/index.js';

const FINGERPRINT = 'q5HV8I-oxri9fX5WUJE2pl';
const recordOf = (outcome: StoredOutcome) => `2${FINGERPRINT}${encodeCompactOutcome(outcome)}`;

describe('compact record (format 2)', () => {
  it.each<[string, StoredOutcome]>([
    ['a provider acknowledgement with context', { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '*ok*', context: { invoice: '0b8f6c1e-1f0e-4c4e-9d9b-2b8f0e6a1c11', bind: 'AbCdEfGhIjKlMnOpQrStUv' } }],
    ['an empty answer without headers or context', { status: 204, headers: {}, body: '' }],
    ['a JSON answer whose body holds the separators', { status: 201, headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"memo":"a|b&c=d @ é ₿","amount":"0.00041667"}' }],
    ['other headers, and context values that only look special', { status: 409, headers: { 'content-type': 'text/html', 'retry-after': '5' }, body: '|', context: { 'a&b': 'x=y|z', at: '@not-a-uuid', upper: '0B8F6C1E-1F0E-4C4E-9D9B-2B8F0E6A1C11', empty: '' } }],
  ])('round-trips %s exactly', (_, outcome) => {
    expect(decodeCompactRecord(recordOf(outcome))).toEqual({ fingerprint: FINGERPRINT, outcome });
  });

  it('writes the usual content types and UUIDs in a few bytes', () => {
    expect(encodeCompactOutcome({ status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: '*ok*', context: { invoice: '0b8f6c1e-1f0e-4c4e-9d9b-2b8f0e6a1c11' } })).toBe(
      '200t|invoice=@C49sHh8OTE6dmyuPDmocEQ|*ok*',
    );
  });

  it.each(['', '2', `2${FINGERPRINT}`, `2${FINGERPRINT}200t`, `2${FINGERPRINT}abc||`, `2${FINGERPRINT}200x||`, `2${FINGERPRINT}200|a||`, `2${FINGERPRINT}200|a=@xyz|`, '{"status":200}'])(
    'refuses %j, which this package did not write',
    (text) => {
      expect(decodeCompactRecord(text)).toBeUndefined();
    },
  );
});
