import { describe, expect, test } from '@jest/globals';
import { generateCallbackSecret } from '@cryptopay/provider-kit/options';
import { BlockonomicsOptionsError, validateBlockonomicsOptions } from '../src/index.js';
import { API_KEY } from './support.js';

const valid = { apiKey: API_KEY, callbackSecret: generateCallbackSecret() };

describe('Blockonomics options, each refusal naming what is expected', () => {
  test.each([
    ['an API key that is not text', { ...valid, apiKey: 12345678 }, 'apiKey must be the API key string from Blockonomics > Stores'],
    ['a BCH host that is not an http(s) URL', { ...valid, bchApiBaseUrl: 'ftp://bch.example' }, 'bchApiBaseUrl must be an http(s) URL such as https://bch.blockonomics.co'],
    ['simulated as text', { ...valid, simulated: 'yes' }, 'simulated must be true or false'],
    ['no history requests a minute', { ...valid, historyRequestsPerMinute: 0 }, 'historyRequestsPerMinute must be a whole number from 1 to 10000 (Blockonomics allows 2)'],
    ['too many history requests a minute', { ...valid, historyRequestsPerMinute: 10_001 }, 'historyRequestsPerMinute must be a whole number from 1 to 10000 (Blockonomics allows 2)'],
    ['a fractional history budget', { ...valid, historyRequestsPerMinute: 1.5 }, 'historyRequestsPerMinute must be a whole number from 1 to 10000 (Blockonomics allows 2)'],
  ])('refuses %s', (_case, options, message) => {
    expect(() => validateBlockonomicsOptions(options)).toThrow(message);
  });

  test('refuses with a BlockonomicsOptionsError that says whose options are wrong', () => {
    const error = (() => {
      try {
        return validateBlockonomicsOptions({ ...valid, simulated: 'yes' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(BlockonomicsOptionsError);
    expect(error).toMatchObject({ name: 'BlockonomicsOptionsError', subject: 'Blockonomics', message: 'Invalid Blockonomics options: simulated must be true or false' });
  });

  test('keeps every option given instead of its default', () => {
    const given = {
      ...valid,
      apiBaseUrl: 'http://127.0.0.1:4010',
      bchApiBaseUrl: 'http://127.0.0.1:4011',
      confirmations: 0,
      allowTestPayments: true,
      timeoutMs: 2_500,
      simulated: true,
      historyRequestsPerMinute: 10_000,
    } as const;
    expect(validateBlockonomicsOptions(given)).toEqual(given);
  });
});
