import { describe, expect, it } from '@jest/globals';
import { type RawCallback } from '@cryptopay/provider-kit';
import { copyDigest } from '../src/callbacks/recent-replays.js';

const RAW: RawCallback = {
  method: 'POST',
  target: '/v1/callbacks/blockbee?nonce=abc&inv=1',
  url: 'https://pay.example.test/v1/callbacks/blockbee?nonce=abc&inv=1',
  headers: { 'content-type': 'application/json', 'user-agent': 'BlockBee', 'x-ca-signature': 'c2ln' },
  body: new TextEncoder().encode('{"txid_in":"ab","value_coin":0.001}'),
  socketAddress: '51.77.105.132',
  receivedAt: new Date('2026-12-06T08:00:00Z'),
};

/** The digest that recognises a copy: what parse reads, and whose adapter reads it. */
describe('copyDigest', () => {
  const digest = copyDigest('blockbee', null, RAW);

  it('is the same for a copy that differs only where parse does not read', () => {
    const copy: RawCallback = {
      ...RAW,
      url: 'https://other.example.test/v1/callbacks/blockbee?nonce=abc&inv=1',
      headers: { 'content-type': 'application/json', 'user-agent': 'retrier', 'x-forwarded-for': '10.0.0.1' },
      body: Uint8Array.from(RAW.body),
      socketAddress: '135.125.112.47',
      receivedAt: new Date('2026-12-07T08:00:00Z'),
    };
    expect(copyDigest('blockbee', null, copy)).toBe(digest);
  });

  it.each<[string, () => string]>([
    ['provider', () => copyDigest('blockbeex', null, RAW)],
    ['provider account', () => copyDigest('blockbee', 'merchant-1', RAW)],
    ['method', () => copyDigest('blockbee', null, { ...RAW, method: 'GET' })],
    ['target', () => copyDigest('blockbee', null, { ...RAW, target: `${RAW.target}&x=1` })],
    ['content type', () => copyDigest('blockbee', null, { ...RAW, headers: { ...RAW.headers, 'content-type': 'application/x-www-form-urlencoded' } })],
    ['missing content type', () => copyDigest('blockbee', null, { ...RAW, headers: {} })],
    ['body', () => copyDigest('blockbee', null, { ...RAW, body: new TextEncoder().encode('{"txid_in":"ab","value_coin":0.0010}') })],
  ])('differs with another %s', (_part, other) => {
    expect(other()).not.toBe(digest);
  });

  it('frames its parts, so moving a character between two of them makes another digest', () => {
    expect(copyDigest('ab', 'c', RAW)).not.toBe(copyDigest('a', 'bc', RAW));
    expect(copyDigest('blockbee', null, { ...RAW, method: 'POS', target: `T${RAW.target}` })).not.toBe(digest);
  });
});
