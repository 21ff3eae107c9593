import { randomBytes } from 'node:crypto';
import { type BlockonomicsCrypto } from '../wire/constants.js';

const BECH32 = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

function bech32Chars(count: number): string {
  return [...randomBytes(count)].map((byte) => BECH32[byte % 32]).join('');
}

/** A fresh, realistic-looking receiving address: bech32 for BTC, CashAddr for BCH. */
export function newAddress(crypto: BlockonomicsCrypto): string {
  return crypto === 'BTC' ? `bc1q${bech32Chars(38)}` : `bitcoincash:q${bech32Chars(41)}`;
}

/** A fake xpub naming a store, as `account` in new_address answers. */
export function newXpub(): string {
  return `xpub6${randomBytes(40).toString('base64url').replace(/[-_]/g, 'x')}`;
}

export function newTxid(): string {
  return randomBytes(32).toString('hex');
}

/** What the dashboard test bench pays to when no address is given. */
export function testBenchAddress(): string {
  return `1TestBTCAddress${randomBytes(6).toString('hex')}`;
}
