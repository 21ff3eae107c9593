import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { BLOCKBEE_PUBLIC_KEY_PEM, BlockBeeAdapter, BlockBeeModule, type BlockBeeOptions, BlockBeeOptionsError, validateBlockBeeOptions } from '../src/index.js';
import { TEST_PUBLIC_KEY_PEM } from './support/callbacks.js';

const SECRET = 'super-secret-api-key-value';

@Injectable()
class SettingsService {
  readonly blockbee: BlockBeeOptions = { apiKey: SECRET, allowlist: ['127.0.0.1'], confirmations: 3 };
}

@Module({ providers: [SettingsService], exports: [SettingsService] })
class SettingsModule {}

async function startError(options: unknown): Promise<Error> {
  const building = Test.createTestingModule({ imports: [BlockBeeModule.forRoot(options as BlockBeeOptions)] }).compile();
  const error = await building.then(() => null, (thrown: unknown) => thrown);
  if (!(error instanceof Error)) throw new Error('expected start-up to fail');
  return error;
}

describe('BlockBeeModule', () => {
  it('provides the adapter, configured from the validated options', async () => {
    const module = await Test.createTestingModule({ imports: [BlockBeeModule.forRoot({ apiKey: SECRET, coins: ['BTC', 'LTC'] })] }).compile();
    const adapter = module.get(BlockBeeAdapter);
    expect(adapter).toBeInstanceOf(BlockBeeAdapter);
    expect(adapter.capabilities.coins).toEqual(['BTC', 'LTC']);
    await module.close();
  });

  it('takes its options from another provider with forRootAsync', async () => {
    const module = await Test.createTestingModule({
      imports: [
        BlockBeeModule.forRootAsync({
          imports: [SettingsModule],
          inject: [SettingsService],
          useFactory: (settings: SettingsService) => settings.blockbee,
        }),
      ],
    }).compile();
    const adapter = module.get(BlockBeeAdapter);
    expect(adapter.verify({ method: 'POST', target: '/', url: 'https://shop.example/', headers: {}, body: new Uint8Array(), socketAddress: '127.0.0.1', receivedAt: new Date() })).toEqual({
      accepted: false,
      status: 401,
      reason: 'the x-ca-signature header is missing',
    });
    await module.close();
  });

  it('stops start-up on invalid options with a message naming each option, never the API key', async () => {
    const error = await startError({
      apiKey: SECRET,
      allowlist: ['51.77.105.132', 'blockbee.io'],
      trustedProxies: ['10.0.0.0/33'],
      publicKeyPem: 'not a key',
      confirmations: 0,
      apiBaseUrl: 'ftp://api.blockbee.io',
      apikey: SECRET,
    });
    expect(error).toBeInstanceOf(BlockBeeOptionsError);
    expect(error.message).toBe(
      'Invalid BlockBee options: apiBaseUrl must be an http(s) URL such as https://api.blockbee.io; ' +
        'allowlist must be a list of IP addresses or CIDR ranges such as ["51.77.105.132", "135.125.112.47"]; ' +
        'trustedProxies must be a list of IP addresses or CIDR ranges such as "10.0.0.0/8"; ' +
        'publicKeyPem must be a PEM-encoded RSA public key ("-----BEGIN PUBLIC KEY-----…"); ' +
        'confirmations must be at least 1 (pending payments are reported anyway); ' +
        'apikey is not a BlockBee option (known: apiKey, apiBaseUrl, allowlist, trustedProxies, coins, publicKeyPem, refreshPublicKey, confirmations, allowTestPayments, timeoutMs)',
    );
    expect(error.message).not.toContain(SECRET);
  });
});

describe('option validation', () => {
  const message = (options: unknown) => {
    try {
      validateBlockBeeOptions(options);
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('expected the options to be refused');
  };

  it('requires an API key', () => {
    expect(message({})).toBe('Invalid BlockBee options: apiKey must not be empty; copy it from the BlockBee dashboard, apiKey must be the API key string from the BlockBee dashboard');
    expect(message({ apiKey: '' })).toBe('Invalid BlockBee options: apiKey must not be empty; copy it from the BlockBee dashboard');
    expect(message(null)).toBe('Invalid BlockBee options: expected an object with apiKey');
  });

  it('refuses a list instead of an object, saying what is expected', () => {
    expect(message([])).toBe('Invalid BlockBee options: expected an object with apiKey');
    expect(message([{ apiKey: SECRET }])).toBe('Invalid BlockBee options: expected an object with apiKey');
  });

  it('accepts a public key only if it is an RSA public key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(message({ apiKey: 'k', publicKeyPem: ec })).toContain('publicKeyPem must be a PEM-encoded RSA public key');
    expect(validateBlockBeeOptions({ apiKey: 'k', publicKeyPem: TEST_PUBLIC_KEY_PEM }).publicKeyPem).toBe(TEST_PUBLIC_KEY_PEM);
  });

  it.each([
    [{ trustedProxies: ['::1/129'] }, 'trustedProxies must be a list of IP addresses or CIDR ranges'],
    [{ trustedProxies: '10.0.0.0/8' }, 'trustedProxies must be a list of IP addresses or CIDR ranges'],
    [{ allowlist: '51.77.105.132' }, 'allowlist must be a list of IP addresses or CIDR ranges'],
    [{ coins: ['BTC', 'XMR'] }, 'coins must contain only BTC, BCH, LTC, DOGE, ETH, TRX, USDT, USDT_TRC20, USDT_BEP20, USDC'],
    [{ coins: [] }, 'coins must list at least one coin'],
    [{ confirmations: 1.5 }, 'confirmations must be a whole number from 1 to 50'],
    [{ refreshPublicKey: 'yes' }, 'refreshPublicKey must be true or false'],
    [{ allowTestPayments: 1 }, 'allowTestPayments must be true or false'],
    [{ timeoutMs: 10 }, 'timeoutMs must be at least 100'],
  ])('refuses %j', (options, expected) => {
    expect(message({ apiKey: SECRET, ...options })).toContain(expected);
  });

  it('keeps each problem with the option it is about, for an app that names its own settings', () => {
    const error = (() => {
      try {
        return validateBlockBeeOptions({ apiKey: SECRET, allowlist: ['10.0.0.0/33'], confirmations: 0 });
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(BlockBeeOptionsError);
    expect((error as BlockBeeOptionsError).problems.map((problem) => problem.option)).toEqual(['allowlist', 'confirmations']);
  });

  it("fills in BlockBee's published defaults", () => {
    expect(validateBlockBeeOptions({ apiKey: 'k', trustedProxies: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'] })).toEqual({
      apiKey: 'k',
      publicKeyPem: BLOCKBEE_PUBLIC_KEY_PEM,
      coins: ['BTC', 'BCH', 'LTC', 'DOGE', 'ETH', 'TRX', 'USDT', 'USDT_TRC20', 'USDT_BEP20', 'USDC'],
      apiBaseUrl: 'https://api.blockbee.io',
      allowlist: ['51.77.105.132', '135.125.112.47'],
      trustedProxies: ['10.0.0.0/8', '2001:db8::/32', '192.0.2.1'],
      refreshPublicKey: false,
      confirmations: 1,
      allowTestPayments: false,
      timeoutMs: 10_000,
    });
  });
});
