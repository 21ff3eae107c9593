import { describe, expect, test } from '@jest/globals';
import { CoinRegistry } from '@cryptopay/invoice';
import { assertCapabilities, MAX_CALLBACK_RETRY_WINDOW_MS, ProviderCapabilityError, Secret, type ProviderCapabilities } from '../src/index.js';

const valid: ProviderCapabilities = { coins: ['BTC'], callbackMethods: ['GET'], pendingNotifications: true, signatureScheme: 'url-secret' };

describe('assertCapabilities', () => {
  test('accepts a sound manifest', () => {
    expect(() => assertCapabilities({ name: 'blockonomics', capabilities: valid })).not.toThrow();
    expect(() => assertCapabilities({ name: 'blockonomics', capabilities: { ...valid, callbackRetryWindowMs: 540_000 } })).not.toThrow();
  });

  test.each([
    ['a bad name', 'Block Onomics', valid, 'name must be'],
    ['no coins', 'p1', { ...valid, coins: [] }, 'declares no coins'],
    ['an unknown coin', 'p1', { ...valid, coins: ['BTC', 'XYZ'] }, 'unknown to the coin registry: XYZ'],
    ['a repeated coin', 'p1', { ...valid, coins: ['BTC', 'BTC'] }, 'declares a coin twice'],
    ['no callback method', 'p1', { ...valid, callbackMethods: [] }, 'callbackMethods'],
    ['an unknown signature scheme', 'p1', { ...valid, signatureScheme: 'none' as never }, 'unknown signatureScheme'],
    ['a zero retry window', 'p1', { ...valid, callbackRetryWindowMs: 0 }, 'callbackRetryWindowMs must be a whole number of milliseconds from 1 to 2592000000'],
    ['a fractional retry window', 'p1', { ...valid, callbackRetryWindowMs: 1.5 }, 'callbackRetryWindowMs must be'],
    ['a retry window over 30 days', 'p1', { ...valid, callbackRetryWindowMs: 2_592_000_001 }, 'callbackRetryWindowMs must be'],
  ])('refuses %s, naming the provider and the problem', (_case, name, capabilities, message) => {
    expect(() => assertCapabilities({ name, capabilities })).toThrow(ProviderCapabilityError);
    expect(() => assertCapabilities({ name, capabilities })).toThrow(message);
  });

  test('accepts declared secret query parameters and body fields, and none', () => {
    expect(() => assertCapabilities({ name: 'p1', capabilities: valid, secrets: { queryParams: ['secret', 'nonce'], bodyFields: ['token'] } })).not.toThrow();
    expect(() => assertCapabilities({ name: 'p1', capabilities: valid, secrets: { queryParams: [] } })).not.toThrow();
    expect(() => assertCapabilities({ name: 'p1', capabilities: valid })).not.toThrow();
  });

  test.each([[['']], [['a b']], [['secret=']], ['secret' as unknown as string[]]])('refuses secret names %j', (names) => {
    expect(() => assertCapabilities({ name: 'p1', capabilities: valid, secrets: { queryParams: names } })).toThrow(
      'provider "p1": secrets.queryParams must be a list of names',
    );
    expect(() => assertCapabilities({ name: 'p1', capabilities: valid, secrets: { bodyFields: names } })).toThrow(
      'provider "p1": secrets.bodyFields must be a list of names',
    );
  });

  test('checks coins against the registry it is given', () => {
    const coins = new CoinRegistry([{ code: 'ZEC', decimals: 8, name: 'Zcash' }]);
    expect(() => assertCapabilities({ name: 'p1', capabilities: { ...valid, coins: ['ZEC'] } }, coins)).not.toThrow();
    expect(() => assertCapabilities({ name: 'p1', capabilities: valid }, coins)).toThrow('BTC');
  });
});

describe('assertCapabilities, each refusal in full', () => {
  /** What an operator reads when start-up stops. */
  function refusal(adapter: Parameters<typeof assertCapabilities>[0]): string {
    try {
      assertCapabilities(adapter);
    } catch (error) {
      expect(error).toBeInstanceOf(ProviderCapabilityError);
      expect((error as Error).name).toBe('ProviderCapabilityError');
      return (error as Error).message;
    }
    throw new Error('the manifest was accepted');
  }

  test.each([
    ['a bad name', { name: 'Block Onomics', capabilities: valid }, 'provider "Block Onomics": name must be 2–32 lower-case letters, digits or dashes, starting with a letter'],
    ['no coins', { name: 'p1', capabilities: { ...valid, coins: [] } }, 'provider "p1": declares no coins'],
    [
      'several unknown coins',
      { name: 'p1', capabilities: { ...valid, coins: ['XYZ', 'BTC', 'ABC'] } },
      'provider "p1": declares coins unknown to the coin registry: XYZ, ABC (register them first)',
    ],
    ['a repeated coin', { name: 'p1', capabilities: { ...valid, coins: ['BTC', 'BTC'] } }, 'provider "p1": declares a coin twice'],
    ['no callback method', { name: 'p1', capabilities: { ...valid, callbackMethods: [] } }, 'provider "p1": callbackMethods must be a non-empty list of GET and/or POST'],
    [
      'a callback method besides GET and POST',
      { name: 'p1', capabilities: { ...valid, callbackMethods: ['GET', 'PUT'] as never } },
      'provider "p1": callbackMethods must be a non-empty list of GET and/or POST',
    ],
    ['an unknown signature scheme', { name: 'p1', capabilities: { ...valid, signatureScheme: 'none' as never } }, 'provider "p1": unknown signatureScheme "none"'],
    [
      'pendingNotifications that is not a boolean',
      { name: 'p1', capabilities: { ...valid, pendingNotifications: 'yes' as never } },
      'provider "p1": pendingNotifications must be true or false',
    ],
    [
      'a negative retry window',
      { name: 'p1', capabilities: { ...valid, callbackRetryWindowMs: -1 } },
      'provider "p1": callbackRetryWindowMs must be a whole number of milliseconds from 1 to 2592000000 (30 days)',
    ],
    [
      'reconcile without the declaration',
      { name: 'p1', capabilities: valid, reconcile: async () => [] },
      'provider "p1": implements reconcile but declares no capabilities.reconciliation',
    ],
    [
      'an unknown reconciliation',
      { name: 'p1', capabilities: { ...valid, reconciliation: 'psychic' as never }, reconcile: async () => [] },
      'provider "p1": unknown reconciliation "psychic" (address-history or provider-log)',
    ],
    [
      'a declared reconciliation without reconcile',
      { name: 'p1', capabilities: { ...valid, reconciliation: 'address-history' as const } },
      'provider "p1": declares reconciliation "address-history" but implements no reconcile method',
    ],
  ])('refuses %s, saying what to fix', (_case, adapter, message) => {
    expect(refusal(adapter)).toBe(message);
  });

  test('accepts GET, POST or both as callback methods', () => {
    for (const callbackMethods of [['GET'], ['POST'], ['GET', 'POST']] as const) {
      expect(() => assertCapabilities({ name: 'p1', capabilities: { ...valid, callbackMethods } })).not.toThrow();
    }
  });

  test.each(['url-secret', 'rsa-sha256', 'hmac-sha256', 'invoice-token'] as const)('accepts the signature scheme %s', (signatureScheme) => {
    expect(() => assertCapabilities({ name: 'p1', capabilities: { ...valid, signatureScheme } })).not.toThrow();
  });

  test('accepts a provider that notifies confirmed payments only', () => {
    expect(() => assertCapabilities({ name: 'p1', capabilities: { ...valid, pendingNotifications: false } })).not.toThrow();
  });

  test('accepts retry windows from 1 ms to 30 days', () => {
    for (const callbackRetryWindowMs of [1, MAX_CALLBACK_RETRY_WINDOW_MS]) {
      expect(() => assertCapabilities({ name: 'p1', capabilities: { ...valid, callbackRetryWindowMs } })).not.toThrow();
    }
    expect(MAX_CALLBACK_RETRY_WINDOW_MS).toBe(30 * 24 * 3_600_000);
  });

  test.each(['address-history', 'provider-log'] as const)('accepts the reconciliation source %s with its method', (reconciliation) => {
    expect(() => assertCapabilities({ name: 'p1', capabilities: { ...valid, reconciliation }, reconcile: async () => [] })).not.toThrow();
  });

  test('accepts secret values that are Secrets', () => {
    expect(() => assertCapabilities({ name: 'p1', capabilities: valid, secrets: { values: [new Secret('s1'), new Secret('s2')] } })).not.toThrow();
    expect(() => assertCapabilities({ name: 'p1', capabilities: valid, secrets: { values: [] } })).not.toThrow();
  });

  test.each([
    ['plain text', ['s1']],
    ['a missing value', [null]],
    ['a reveal that is not a method', [{ reveal: 's1' }]],
    ['one plain text among Secrets', [new Secret('s1'), 's2']],
    ['not a list', 's1'],
  ])('refuses secret values given as %s', (_case, values) => {
    expect(refusal({ name: 'p1', capabilities: valid, secrets: { values: values as never } })).toBe(
      'provider "p1": secrets.values must be a list of Secret (of @cryptopay/provider-kit)',
    );
  });

  test('accepts a secret field name of 64 characters, and refuses one of 65 or with a separator', () => {
    expect(() => assertCapabilities({ name: 'p1', capabilities: valid, secrets: { bodyFields: ['x'.repeat(64)] } })).not.toThrow();
    for (const name of ['x'.repeat(65), 'a#b', 'a?b', 'a&b', 'a\tb', ' secret']) {
      expect(refusal({ name: 'p1', capabilities: valid, secrets: { bodyFields: [name] } })).toBe(
        'provider "p1": secrets.bodyFields must be a list of names (1–64 characters, no whitespace, =, &, # or ?)',
      );
    }
  });

  test('refuses a list of names holding something other than text', () => {
    expect(refusal({ name: 'p1', capabilities: valid, secrets: { queryParams: ['secret', 7 as never] } })).toContain('secrets.queryParams must be a list of names');
  });
});
