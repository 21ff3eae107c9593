import { generateKeyPairSync } from 'node:crypto';
import { type RawCallback } from '@cryptopay/provider-kit';
import { BLOCKBEE_PUBLIC_KEY_PEM } from '../src/index.js';
import { BlockBeeSimulator } from '../src/simulator/index.js';
import { CallbackPublicKey } from '../src/verification/public-key.js';
import { adapterFrom, confirmedJson, INVOICE_ID } from './support/callbacks.js';
import { LOOPBACK } from './support/harness.js';

describe("refreshing the signing key from BlockBee's /pubkey/", () => {
  let simulator: BlockBeeSimulator;
  let signed: RawCallback;

  beforeAll(async () => {
    simulator = await BlockBeeSimulator.start();
    const body = Buffer.from(confirmedJson());
    signed = {
      method: 'POST',
      target: `/cb?invoice=${INVOICE_ID}&nonce=x`,
      url: `https://shop.example/cb?invoice=${INVOICE_ID}&nonce=x`,
      headers: { 'content-type': 'application/json', 'x-ca-signature': simulator.sign(body) },
      body,
      socketAddress: '127.0.0.1',
      receivedAt: new Date(),
    };
  });

  afterAll(async () => {
    await simulator.close();
  });

  const refreshing = (warnings: string[] = []) =>
    adapterFrom({
      apiKey: simulator.apiKey,
      apiBaseUrl: simulator.baseUrl,
      allowlist: LOOPBACK,
      refreshPublicKey: true,
      onWarning: (message) => warnings.push(message),
    });

  it('starts with the configured key and switches to the served one in the background', async () => {
    const adapter = refreshing();
    expect(adapter.verify(signed)).toMatchObject({ accepted: false, status: 403 });
    await adapter.refreshPublicKey();
    expect(adapter.verify(signed)).toEqual({ accepted: true });
  });

  it('keeps the configured key when the refresh fails, and says why without retrying per callback', async () => {
    const warnings: string[] = [];
    const adapter = refreshing(warnings);
    simulator.failNext('pubkey', { status: 500, error: 'Internal error' });
    await adapter.refreshPublicKey();
    expect(warnings).toEqual([expect.stringMatching(/^could not refresh the BlockBee public key, keeping the current one: blockbee: .*HTTP 500/)]);
    expect(adapter.verify(signed)).toMatchObject({ accepted: false, status: 403 });
    expect(warnings).toHaveLength(1);
  });

  it('keeps the key when BlockBee serves something that is not an RSA public key', async () => {
    const warnings: string[] = [];
    const adapter = refreshing(warnings);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    simulator.failNext('pubkey', { status: 200, rawBody: JSON.stringify({ status: 'success', pubkey: ec }) });
    await adapter.refreshPublicKey();
    expect(warnings).toEqual(['could not refresh the BlockBee public key, keeping the current one: the served key holds a ec key, not an RSA key']);
  });

  it('refreshes again only once the cached key is a day old, one fetch at a time', async () => {
    let now = 0;
    let fetches = 0;
    const fetchPem = async () => {
      fetches += 1;
      return simulator.publicKeyPem;
    };
    const key = new CallbackPublicKey(BLOCKBEE_PUBLIC_KEY_PEM, { fetchPem, maxAgeMs: 86_400_000, retryAfterFailureMs: 900_000 }, () => now);
    key.current();
    key.current();
    await key.refresh();
    expect(fetches).toBe(1);
    now = 86_399_999;
    key.current();
    expect(fetches).toBe(1);
    now = 86_400_000;
    key.current();
    await key.refresh();
    expect(fetches).toBe(2);
  });
});
