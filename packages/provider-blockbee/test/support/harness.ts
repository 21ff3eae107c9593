import { generateKeyPairSync, sign } from 'node:crypto';
import { type CoinDefinition, formatCoinAmount } from '@cryptopay/invoice';
import { type RawCallback } from '@cryptopay/provider-kit';
import { type ConformanceHarness, type TamperedCallback } from '@cryptopay/provider-testing';
import { BLOCKBEE_COINS } from '../../src/index.js';
import { BlockBeeSimulator } from '../../src/simulator/index.js';
import { adapterFrom } from './callbacks.js';

export const LOOPBACK = ['127.0.0.1', '::1'];
export const BTC = BLOCKBEE_COINS.find((coin) => coin.code === 'BTC') as CoinDefinition;

/** The shared conformance suite's view of BlockBee: the adapter against the simulator, over HTTP. */
export function blockBeeHarness(): ConformanceHarness {
  let simulator: BlockBeeSimulator | undefined;
  const running = (): BlockBeeSimulator => {
    if (!simulator) throw new Error('the simulator is not running');
    return simulator;
  };
  return {
    providerName: 'blockbee',
    async setup() {
      simulator = await BlockBeeSimulator.start({ timeScale: 0.0001 });
      const adapter = adapterFrom({
        apiKey: simulator.apiKey,
        apiBaseUrl: simulator.baseUrl,
        allowlist: LOOPBACK,
        publicKeyPem: simulator.publicKeyPem,
        // The suite checks the manifest against the default coin registry, which lacks BLOCKBEE_EXTRA_COINS.
        coins: ['BTC'],
      });
      return { adapter, coin: BTC };
    },
    async teardown() {
      await simulator?.close();
    },
    breakReconciliation() {
      // The logs call is a GET the client tries three times: every attempt meets the outage.
      for (let attempt = 0; attempt < 3; attempt++) running().failNext('logs', { status: 502, rawBody: '<html>502 Bad Gateway</html>' });
    },
    async pay(request, amount, options = {}) {
      await running().pay({
        address: request.address,
        valueCoin: formatCoinAmount(BTC, amount),
        ...(options.txid === undefined ? {} : { txid: options.txid }),
        ...(options.duplicates === undefined ? {} : { duplicates: options.duplicates }),
        ...(options.reorder === undefined ? {} : { reorder: options.reorder }),
      });
    },
    forge: (genuine) => forgeries(genuine),
    malform: (genuine) => malformations(genuine, (data) => running().sign(data)),
  };
}

const otherKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;

/** Callbacks that must fail verification: 401/403 before anything is parsed. */
export function forgeries(genuine: RawCallback): TamperedCallback[] {
  const signature = genuine.headers['x-ca-signature'] ?? '';
  const flipped = Buffer.from(signature, 'base64');
  flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0x01;
  const withSignature = (value: string | undefined): RawCallback => ({ ...genuine, headers: { ...genuine.headers, 'x-ca-signature': value } });
  const tamperedBody = Buffer.from(Buffer.from(genuine.body).toString('utf8').replace(/"value_coin": [0-9.]+/, '"value_coin": 999'));
  return [
    { name: 'missing x-ca-signature', callback: withSignature(undefined) },
    { name: 'empty x-ca-signature', callback: withSignature('') },
    { name: 'bit-flipped signature', callback: withSignature(flipped.toString('base64')) },
    { name: 'base64 garbage', callback: withSignature('%%not*base64%%') },
    { name: 'base64 with a line break', callback: withSignature(`${signature.slice(0, 20)}\n${signature.slice(20)}`) },
    // As a base64url encoder writes it: `-` and `_`, and no padding, so it differs from the genuine text even
    // when the signature happens to hold neither `+` nor `/` (a 128-byte signature always ends in `=`).
    { name: 'URL-safe base64', callback: withSignature(Buffer.from(signature, 'base64').toString('base64url')) },
    { name: 'signature over a different body', callback: { ...genuine, body: tamperedBody } },
    { name: 'signed by another key', callback: withSignature(sign('sha256', genuine.body, otherKey).toString('base64')) },
    { name: 'from a non-allowlisted IP', callback: { ...genuine, socketAddress: '203.0.113.7' } },
    {
      name: 'spoofed X-Forwarded-For without trusted proxies',
      callback: { ...genuine, socketAddress: '203.0.113.7', headers: { ...genuine.headers, 'x-forwarded-for': '127.0.0.1' } },
    },
  ];
}

/**
 * Callbacks that pass verification (re-signed with the simulator's key, as only BlockBee could)
 * but must be rejected when parsed (exact amounts, strict fields) or by the core's binding (the
 * nonce, the address).
 */
export function malformations(genuine: RawCallback, signWith: (data: Uint8Array) => string): TamperedCallback[] {
  const body = Buffer.from(genuine.body).toString('utf8');
  const resigned = (name: string, text: string): TamperedCallback => {
    const bytes = Buffer.from(text, 'utf8');
    return { name, callback: { ...genuine, body: bytes, headers: { ...genuine.headers, 'x-ca-signature': signWith(bytes) } } };
  };
  const withField = (name: string, literal: string): string => body.replace(new RegExp(`"${name}": ("[^"]*"|[^,}]+)`), `"${name}": ${literal}`);
  const withTarget = (target: string): RawCallback => ({ ...genuine, target, url: genuine.url.replace(genuine.target, target) });
  return [
    // Exponent notation and more decimals than the coin has are accepted (rounded down; see docs/providers/blockbee.md).
    resigned('negative value_coin', withField('value_coin', '-0.1')),
    resigned('value_coin not a number', withField('value_coin', '"lots"')),
    resigned('pending neither 0 nor 1', withField('pending', '2')),
    resigned('unsupported coin', withField('coin', '"bep20_shib"')),
    resigned('uuid missing', body.replace(/"uuid": "[^"]*", /, '')),
    resigned('uuid as a number', withField('uuid', '12345')),
    resigned('a key given twice', body.replace(/}$/, ', "value_coin": 1}')),
    resigned('truncated JSON', body.slice(0, body.length - 5)),
    resigned('a JSON array', '[]'),
    resigned('address_in of another address', withField('address_in', '"bc1qattackercontrolled0000000000000000000"')),
    { name: 'wrong nonce', callback: withTarget(genuine.target.replace(/nonce=[^&]*/, 'nonce=AAAAAAAAAAAAAAAAAAAAAA')) },
    { name: 'no nonce', callback: withTarget(genuine.target.replace(/&nonce=[^&]*/, '')) },
    { name: 'nonce given twice', callback: withTarget(`${genuine.target}&nonce=AAAAAAAAAAAAAAAAAAAAAA`) },
  ];
}
