import { generateKeyPairSync, sign } from 'node:crypto';
import { type RawCallback } from '@cryptopay/provider-kit';
import { BLOCKBEE_PUBLIC_KEY_PEM } from '../src/index.js';
import { decodeStrictBase64, verifyRsaSha256 } from '../src/verification/signature.js';
import {
  adapterFrom,
  BLOCKBEE_IP,
  confirmedJson,
  formCallback,
  getCallback,
  jsonCallback,
  testAdapter,
} from './support/callbacks.js';

const adapter = testAdapter();
const withSignature = (callback: RawCallback, signature: string | undefined): RawCallback => ({
  ...callback,
  headers: { ...callback.headers, 'x-ca-signature': signature },
});

describe('signature verification', () => {
  it.each([
    ['a JSON POST over its raw body', jsonCallback(confirmedJson())],
    ['a form POST over its raw body', formCallback('uuid=u-1&address_in=bc1qx&txid_in=abc&value_coin=0.05&coin=btc&pending=0')],
    ['a GET over the full external URL', getCallback('uuid=u-1&address_in=bc1qx&txid_in=abc&value_coin=0.05&coin=btc&pending=1')],
  ])('accepts %s signed with the configured key', (_name, callback) => {
    expect(adapter.verify(callback)).toEqual({ accepted: true });
  });

  it('rejects a valid signature over a different body', () => {
    const genuine = jsonCallback(confirmedJson('0.05'));
    const other = jsonCallback(confirmedJson('5.00'));
    expect(adapter.verify({ ...other, headers: genuine.headers })).toEqual({
      accepted: false,
      status: 403,
      reason: 'the x-ca-signature does not match the signed body',
    });
  });

  it('rejects a GET’s signed URL sent again as a form POST body with its signature (issue 18 §5)', () => {
    const genuine = getCallback('uuid=u-1&address_in=bc1qx&txid_in=abc&value_coin=0.05&coin=btc&pending=0');
    const replayed = formCallback(genuine.url);
    expect(adapter.verify({ ...replayed, headers: { ...replayed.headers, 'x-ca-signature': genuine.headers['x-ca-signature'] } })).toEqual({
      accepted: false,
      status: 403,
      reason: 'a POST body that is a URL carries a GET callback’s signed bytes: a signature over a URL authenticates that GET only',
    });
  });

  it('rejects a GET whose URL was signed for another host', () => {
    const callback = getCallback('uuid=u-1&pending=1');
    expect(adapter.verify({ ...callback, url: callback.url.replace('shop.example', 'evil.example') })).toMatchObject({
      accepted: false,
      status: 403,
      reason: 'the x-ca-signature does not match the signed URL',
    });
  });

  it('rejects a bit-flipped signature', () => {
    const callback = jsonCallback(confirmedJson());
    for (const index of [0, 64, 127]) {
      const bytes = Buffer.from(callback.headers['x-ca-signature'] as string, 'base64');
      bytes[index] = (bytes[index] as number) ^ 0x10;
      expect(adapter.verify(withSignature(callback, bytes.toString('base64')))).toMatchObject({ accepted: false, status: 403 });
    }
  });

  it('rejects a missing or empty signature header with 401', () => {
    const callback = jsonCallback(confirmedJson());
    for (const missing of [undefined, '']) {
      expect(adapter.verify(withSignature(callback, missing))).toEqual({
        accepted: false,
        status: 401,
        reason: 'the x-ca-signature header is missing',
      });
    }
  });

  it('rejects base64 garbage and every non-canonical spelling of a valid signature', () => {
    const callback = jsonCallback(confirmedJson());
    const signature = callback.headers['x-ca-signature'] as string;
    const spellings = [
      '%%%garbage%%%',
      'not base64 at all',
      signature.replace(/=+$/, ''),
      ` ${signature}`,
      `${signature.slice(0, 10)}\n${signature.slice(10)}`,
      signature.replace(/\+/g, '-').replace(/\//g, '_'),
    ];
    for (const spelling of spellings) {
      expect(spelling).not.toBe(signature);
      expect(adapter.verify(withSignature(callback, spelling))).toMatchObject({ accepted: false, status: 403 });
    }
  });

  it('decodes only canonical base64', () => {
    expect(decodeStrictBase64('QQ==')).toEqual(Buffer.from('A'));
    // No padding at all when the length is a multiple of 3 bytes (a signature of a 3072-bit key: 384 bytes).
    expect(decodeStrictBase64('QUJD')).toEqual(Buffer.from('ABC'));
    expect(decodeStrictBase64('QR==')).toBeNull();
    expect(decodeStrictBase64('QQ')).toBeNull();
    expect(decodeStrictBase64('')).toBeNull();
  });

  it('rejects a signature made with another key, and one of the wrong length', () => {
    const callback = jsonCallback(confirmedJson());
    const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const foreign = sign('sha256', callback.body, otherKey).toString('base64');
    expect(adapter.verify(withSignature(callback, foreign))).toMatchObject({ accepted: false, status: 403 });
    expect(adapter.verify(withSignature(callback, Buffer.alloc(128).toString('base64')))).toMatchObject({ accepted: false, status: 403 });
  });

  it('answers false, never throws, when OpenSSL itself refuses the check', () => {
    // An RSA-PSS key passes the length check but refuses PKCS#1 v1.5 padding: `verify` throws, and that
    // error must be a refusal, not an accepted signature.
    const pssKey = generateKeyPairSync('rsa-pss', { modulusLength: 1024 }).publicKey;
    expect(verifyRsaSha256(pssKey, Buffer.from('{}'), Buffer.alloc(128, 1))).toBe(false);
  });

  it("defaults to BlockBee's published key, which rejects anything our test key signs", () => {
    const production = adapterFrom({ apiKey: 'k' });
    expect(BLOCKBEE_PUBLIC_KEY_PEM).toContain('MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC3FT0Ym8b3myVxhQW7ESuuu6lo');
    expect(production.verify(jsonCallback(confirmedJson()))).toMatchObject({ accepted: false, status: 403 });
  });

  it('rejects methods BlockBee never uses', () => {
    const callback = jsonCallback(confirmedJson());
    expect(adapter.verify({ ...callback, method: 'PUT' })).toMatchObject({ accepted: false, status: 400 });
  });
});

describe('source allowlist', () => {
  const genuine = jsonCallback(confirmedJson());

  it("accepts BlockBee's published source addresses, also as IPv4-mapped IPv6", () => {
    for (const socketAddress of ['51.77.105.132', '135.125.112.47', '::ffff:135.125.112.47']) {
      expect(adapter.verify({ ...genuine, socketAddress })).toEqual({ accepted: true });
    }
  });

  it('rejects a correctly signed callback from an address not on the allowlist, before looking at the signature', () => {
    expect(adapter.verify({ ...genuine, socketAddress: '203.0.113.7' })).toEqual({
      accepted: false,
      status: 403,
      reason: 'callback source 203.0.113.7 is not in the BlockBee allowlist',
    });
    expect(adapter.verify({ ...withSignature(genuine, undefined), socketAddress: '203.0.113.7' })).toMatchObject({ status: 403 });
  });

  it('ignores X-Forwarded-For when no trusted proxies are configured', () => {
    const spoofed = { ...genuine, socketAddress: '203.0.113.7', headers: { ...genuine.headers, 'x-forwarded-for': BLOCKBEE_IP } };
    expect(adapter.verify(spoofed)).toMatchObject({ accepted: false, status: 403 });
  });

  describe('behind a trusted proxy', () => {
    const proxied = testAdapter({ trustedProxies: ['10.0.0.0/8'] });
    const viaProxy = (forwardedFor: string): RawCallback => ({
      ...genuine,
      socketAddress: '10.1.2.3',
      headers: { ...genuine.headers, 'x-forwarded-for': forwardedFor },
    });

    it('takes the client from X-Forwarded-For set by the proxy', () => {
      expect(proxied.verify(viaProxy(BLOCKBEE_IP))).toEqual({ accepted: true });
      expect(proxied.verify(viaProxy(`${BLOCKBEE_IP}, 10.9.9.9`))).toEqual({ accepted: true });
    });

    it('is not fooled by an allowlisted address spoofed on the left of the chain', () => {
      expect(proxied.verify(viaProxy(`${BLOCKBEE_IP}, 198.51.100.9`))).toEqual({
        accepted: false,
        status: 403,
        reason: 'callback source 198.51.100.9 is not in the BlockBee allowlist',
      });
    });

    it('still refuses the proxy itself when it forwards nothing', () => {
      expect(proxied.verify({ ...genuine, socketAddress: '10.1.2.3' })).toMatchObject({ accepted: false, status: 403 });
    });
  });

  it('accepts a configured allowlist instead of the default, with CIDR ranges', () => {
    const local = testAdapter({ allowlist: ['127.0.0.1', '::1', '192.0.2.0/24'] });
    for (const socketAddress of ['::1', '0:0:0:0:0:0:0:1', '192.0.2.200']) {
      expect(local.verify({ ...genuine, socketAddress })).toEqual({ accepted: true });
    }
    for (const socketAddress of [BLOCKBEE_IP, '192.0.3.1', '', 'not-an-ip']) {
      expect(local.verify({ ...genuine, socketAddress })).toMatchObject({ accepted: false, status: 403 });
    }
  });
});
