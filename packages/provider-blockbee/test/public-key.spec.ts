import { generateKeyPairSync } from 'node:crypto';
import { type RawCallback } from '@cryptopay/provider-kit';
import { BLOCKBEE_PUBLIC_KEY_PEM } from '../src/index.js';
import { BlockBeeSimulator } from '../src/simulator/index.js';
import { CallbackPublicKey } from '../src/verification/public-key.js';
import { adapterFrom, simulatorSignedWebhook } from './support/callbacks.js';
import { LOOPBACK } from './support/harness.js';

describe("refreshing the signing key from BlockBee's /pubkey/", () => {
  let simulator: BlockBeeSimulator;
  let signed: RawCallback;

  // A simulator per test: a background refresh one test starts can never answer (or use up a failNext of) another.
  beforeEach(async () => {
    simulator = await BlockBeeSimulator.start();
    signed = simulatorSignedWebhook(simulator, new Date());
  });

  afterEach(async () => {
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

  it('keeps the configured key when the refresh fails, and says why', async () => {
    const warnings: string[] = [];
    const adapter = refreshing(warnings);
    simulator.failNext('pubkey', { status: 500, error: 'Internal error' });
    await adapter.refreshPublicKey();
    expect(warnings).toEqual([expect.stringMatching(/^could not refresh the BlockBee public key, keeping the current one: blockbee: .*HTTP 500/)]);
    expect(adapter.verify(signed)).toMatchObject({ accepted: false, status: 403 });
    // Whether that verify started no second fetch is the back-off test's to show (below), on a clock of its own.
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

  // `current()` starts a refresh that it does not await; `fetchPem` is called synchronously within it, so
  // the count says whether a fetch started, and `refresh()` then awaits that same fetch (one at a time).
  it('after a failed fetch, waits retryAfterFailureMs (not the day a good key is kept) before fetching again', async () => {
    let now = 0;
    let fetches = 0;
    const failures: string[] = [];
    const fetchPem = async () => {
      fetches += 1;
      if (fetches === 1) throw new Error('BlockBee is down');
      return simulator.publicKeyPem;
    };
    const refresher = { fetchPem, maxAgeMs: 86_400_000, retryAfterFailureMs: 900_000, onFailure: (reason: string) => failures.push(reason) };
    const key = new CallbackPublicKey(BLOCKBEE_PUBLIC_KEY_PEM, refresher, () => now);
    const configured = key.current();
    await key.refresh();
    expect([fetches, failures]).toEqual([1, ['could not refresh the BlockBee public key, keeping the current one: BlockBee is down']]);
    now = 899_999;
    expect(key.current()).toBe(configured); // a callback within the back-off: the configured key, no fetch
    expect(fetches).toBe(1);
    now = 900_000;
    key.current();
    expect(fetches).toBe(2);
    await key.refresh();
    expect(key.current()).not.toBe(configured);
    expect(fetches).toBe(2);
  });
});
