import { describe, expect, test } from '@jest/globals';
import { CoinRegistry } from '@cryptopay/invoice';
import { assertCapabilities, ProviderCapabilityError, type ProviderCapabilities } from '../src/index.js';

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
