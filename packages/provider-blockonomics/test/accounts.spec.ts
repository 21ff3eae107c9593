import { describe, expect, test } from '@jest/globals';
import { generateCallbackSecret, MIN_CALLBACK_SECRET_LENGTH } from '@cryptopay/provider-kit/options';
import { BlockonomicsAdapter, blockonomicsAccounts, blockonomicsProvider } from '../src/index.js';
import { API_KEY } from './support.js';

describe("merchants' own Blockonomics accounts", () => {
  test('keeps exactly the secret settings (the API key and the callback secret) as credentials: write-only, encrypted at rest', () => {
    const secretOptions = blockonomicsProvider.settings.filter((setting) => setting.secret).map((setting) => setting.option);
    expect(blockonomicsAccounts.credentialFields).toEqual(secretOptions);
    expect(secretOptions).toEqual(['apiKey', 'callbackSecret']);
  });

  test('lets a merchant set the API hosts, the confirmations and the timeout, and nothing of sandbox mode or the instance budget', () => {
    expect([...blockonomicsAccounts.settingFields].sort()).toEqual(['apiBaseUrl', 'bchApiBaseUrl', 'confirmations', 'timeoutMs']);
  });

  test('declares the callback secrets its adapters declare: the secret parameter of a callback that reaches no adapter is redacted too', () => {
    const adapter = blockonomicsAccounts.createAdapter({ apiKey: API_KEY, callbackSecret: generateCallbackSecret() });
    expect(adapter).toBeInstanceOf(BlockonomicsAdapter);
    expect(blockonomicsAccounts.callbackSecrets.queryParams).toEqual(adapter.secrets?.queryParams);
    expect(blockonomicsAccounts.callbackSecrets.queryParams).toEqual(['secret']);
  });

  test('generates a callback secret when the merchant gives none, one the option rules accept', () => {
    const completed = blockonomicsAccounts.completeCredentials!({ apiKey: API_KEY });
    expect(completed['apiKey']).toBe(API_KEY);
    expect(completed['callbackSecret']?.length).toBeGreaterThanOrEqual(MIN_CALLBACK_SECRET_LENGTH);
    expect(() => blockonomicsAccounts.createAdapter(completed)).not.toThrow();
    expect(blockonomicsAccounts.completeCredentials!({ apiKey: API_KEY })['callbackSecret']).not.toBe(completed['callbackSecret']);
  });

  test('keeps a callback secret the merchant gives (it is in their store\'s callback URL already)', () => {
    const callbackSecret = generateCallbackSecret();
    expect(blockonomicsAccounts.completeCredentials!({ apiKey: API_KEY, callbackSecret })).toEqual({ apiKey: API_KEY, callbackSecret });
  });
});
