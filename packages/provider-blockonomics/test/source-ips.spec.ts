import { expect, test } from '@jest/globals';
import { CALLBACK_SOURCE_IPS } from '../src/index.js';

// Merchants copy these into firewall rules: a wrong one drops every callback of that coin.
test('publishes the addresses Blockonomics sends callbacks from, per coin, as Blockonomics documents them', () => {
  expect(CALLBACK_SOURCE_IPS).toEqual({ BTC: '44.241.250.59', BCH: '44.225.81.126' });
  expect(Object.isFrozen(CALLBACK_SOURCE_IPS)).toBe(true);
});
