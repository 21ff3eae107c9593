import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { describe, expect, test } from '@jest/globals';
import { generateCallbackSecret } from '@cryptopay/provider-kit/options';
import {
  BlockonomicsAdapter,
  BlockonomicsModule,
  BlockonomicsOptionsError,
  validateBlockonomicsOptions,
} from '../src/index.js';

const valid = { apiKey: 'key-123', callbackSecret: generateCallbackSecret() };

async function adapterFrom(module: Parameters<typeof Test.createTestingModule>[0]['imports']): Promise<BlockonomicsAdapter> {
  const app = await Test.createTestingModule({ imports: module }).compile();
  return app.get(BlockonomicsAdapter);
}

describe('BlockonomicsModule', () => {
  test('forRoot provides the adapter, with defaults filled in', async () => {
    const adapter = await adapterFrom([BlockonomicsModule.forRoot(valid)]);
    expect(adapter).toBeInstanceOf(BlockonomicsAdapter);
    expect(adapter.requiredConfirmations).toBe(2);
  });

  test('forRootAsync builds options from a factory', async () => {
    const adapter = await adapterFrom([BlockonomicsModule.forRootAsync({ useFactory: async () => ({ ...valid, confirmations: 1 as const }) })]);
    expect(adapter.requiredConfirmations).toBe(1);
  });

  test('invalid options stop start-up with a message naming each option, never its value', async () => {
    const options = { apiKey: '', callbackSecret: 'tooShortButSecretValue', confirmations: 3, apiBaseUrl: 'ftp://x', surprise: true };
    const start = Test.createTestingModule({ imports: [BlockonomicsModule.forRoot(options as never)] }).compile();
    const error = await start.then(
      () => undefined,
      (caught: unknown) => caught as Error,
    );
    expect(error).toBeInstanceOf(BlockonomicsOptionsError);
    for (const expected of [
      'apiKey must not be empty',
      'callbackSecret must be at least 32 random characters',
      'confirmations must be 0, 1 or 2',
      'apiBaseUrl must be an http(s) URL',
      'surprise is not a Blockonomics option (known: apiKey, callbackSecret, apiBaseUrl, bchApiBaseUrl, confirmations, simulated, historyRequestsPerMinute, allowTestPayments, timeoutMs)',
    ]) {
      expect(error?.message).toContain(expected);
    }
    expect(error?.message).not.toContain('tooShortButSecretValue');
  });
});

describe('validateBlockonomicsOptions', () => {
  test('fills in the defaults', () => {
    expect(validateBlockonomicsOptions(valid)).toEqual({
      ...valid,
      apiBaseUrl: 'https://www.blockonomics.co',
      bchApiBaseUrl: 'https://bch.blockonomics.co',
      confirmations: 2,
      allowTestPayments: false,
      timeoutMs: 10_000,
      simulated: false,
      historyRequestsPerMinute: 2,
    });
  });

  test.each([
    ['a missing secret', { apiKey: 'k' }, 'callbackSecret'],
    ['a repeated-character secret', { ...valid, callbackSecret: 'a'.repeat(40) }, 'callbackSecret'],
    ['a secret with characters that need URL-encoding', { ...valid, callbackSecret: `${valid.callbackSecret}&x=1` }, 'callbackSecret'],
    ['confirmations as text', { ...valid, confirmations: '2' }, 'confirmations must be 0, 1 or 2'],
    ['allowTestPayments as text', { ...valid, allowTestPayments: 'yes' }, 'allowTestPayments must be true or false'],
    ['a tiny timeout', { ...valid, timeoutMs: 5 }, 'timeoutMs must be at least 100'],
    ['no object at all', undefined, 'expected an object with apiKey and callbackSecret'],
  ])('refuses %s', (_case, options, message) => {
    expect(() => validateBlockonomicsOptions(options)).toThrow(message);
  });

  test('accepts the official plugins\' 40-hex secrets and local simulator URLs', () => {
    const secret = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
    expect(validateBlockonomicsOptions({ ...valid, callbackSecret: secret, apiBaseUrl: 'http://127.0.0.1:4010' }).apiBaseUrl).toBe('http://127.0.0.1:4010');
  });
});
