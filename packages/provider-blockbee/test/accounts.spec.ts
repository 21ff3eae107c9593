import { ProviderError } from '@cryptopay/provider-kit';
import { BLOCKBEE_API_URL, BLOCKBEE_CALLBACK_IPS, BLOCKBEE_SETTINGS, blockbeeAccounts, blockbeeProvider, validateBlockBeeOptions } from '../src/index.js';
import { BlockBeeSimulator } from '../src/simulator/index.js';
import { LOOPBACK } from './support/harness.js';

describe("merchants' own BlockBee accounts", () => {
  let simulator: BlockBeeSimulator;

  beforeAll(async () => {
    simulator = await BlockBeeSimulator.start();
  });

  afterAll(async () => {
    await simulator.close();
  });

  const optionsWith = (apiKey: string) => ({ apiKey, apiBaseUrl: simulator.baseUrl, allowlist: LOOPBACK, publicKeyPem: simulator.publicKeyPem });

  it('keeps exactly the secret settings (the API key) as credentials: write-only, encrypted at rest, never shown', () => {
    const secretOptions = BLOCKBEE_SETTINGS.filter((setting) => setting.secret).map((setting) => setting.option);
    expect(blockbeeAccounts.credentialFields).toEqual(secretOptions);
    expect(secretOptions).toEqual(['apiKey']);
  });

  it("lets a merchant set every other option of the module but sandbox mode's allowTestPayments", () => {
    const options = Object.keys(validateBlockBeeOptions({ apiKey: 'a-merchant-api-key' }));
    const expected = options.filter((option) => !blockbeeAccounts.credentialFields.includes(option) && option !== 'allowTestPayments');
    expect([...blockbeeAccounts.settingFields].sort()).toEqual(expected.sort());
  });

  it("declares the callback secrets its adapters declare: the nonce of a callback that reaches no adapter is redacted too", () => {
    const adapter = blockbeeAccounts.createAdapter(optionsWith(simulator.apiKey));
    expect(blockbeeAccounts.callbackSecrets.queryParams).toEqual(adapter.secrets?.queryParams);
    expect(blockbeeAccounts.callbackSecrets.queryParams).toEqual(['nonce']);
  });

  it('checks credentials by asking BlockBee: a key it accepts passes', async () => {
    await expect(blockbeeAccounts.checkCredentials!(optionsWith(simulator.apiKey))).resolves.toBeUndefined();
  });

  it('checks credentials by asking BlockBee: a key it refuses is an auth error', async () => {
    const error = await blockbeeAccounts.checkCredentials!(optionsWith('not-the-simulator-key')).then(
      () => null,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect((error as ProviderError).kind).toBe('auth');
  });

  it('describes each setting to the operator with the facts the code holds: the key\'s minimum length, the defaults', () => {
    const described = Object.fromEntries(BLOCKBEE_SETTINGS.map((setting) => [setting.variable, setting.description]));
    expect(described['BLOCKBEE_API_KEY']).toBe('the API key from the BlockBee dashboard (API Keys), at least 8 characters; setting it enables BlockBee');
    expect(described['BLOCKBEE_API_URL']).toContain(`default ${BLOCKBEE_API_URL}`);
    expect(described['BLOCKBEE_PUBLIC_KEY']).toContain("default BlockBee's published key");
    expect(described['BLOCKBEE_ALLOWED_IPS']).toContain(`default BlockBee's published ${BLOCKBEE_CALLBACK_IPS.join(',')}`);
  });

  it('enables BlockBee with an API key of 8 characters or more, and refuses a shorter one as a placeholder', () => {
    expect(blockbeeProvider.fromEnvironment({ BLOCKBEE_API_KEY: '12345678' }, { trustedProxies: [] })).toMatchObject({ apiKey: '12345678' });
    expect(() => blockbeeProvider.fromEnvironment({ BLOCKBEE_API_KEY: '1234567' }, { trustedProxies: [] })).toThrow('apiKey must be the API key from the BlockBee dashboard');
  });
});
