import { randomBytes } from 'node:crypto';
import { BlockBeeSimulator } from '@cryptopay/provider-blockbee/simulator';
import { BlockonomicsSimulator } from '@cryptopay/provider-blockonomics/simulator';

/** Every secret a gateway of ours is given; none of them may ever appear in its logs. */
export interface GatewaySecrets {
  readonly apiToken: string;
  readonly blockonomicsApiKey: string;
  readonly blockonomicsCallbackSecret: string;
  readonly blockbeeApiKey: string;
}

export interface SimulatorTimeScales {
  /** Multiplies Blockonomics' retry delays (4 s, 8 s …). */
  readonly blockonomics?: number;
  /** Multiplies BlockBee's retry delays (6 min, 12 min …). */
  readonly blockbee?: number;
}

/** Both providers' simulators over real HTTP, with fresh random credentials. */
export class ProviderSimulators {
  private constructor(
    readonly blockonomics: BlockonomicsSimulator,
    readonly blockbee: BlockBeeSimulator,
    readonly secrets: GatewaySecrets,
  ) {}

  static async start(timeScales: SimulatorTimeScales = {}): Promise<ProviderSimulators> {
    const secrets: GatewaySecrets = {
      apiToken: `tok_${randomBytes(18).toString('hex')}`,
      blockonomicsApiKey: `bkey_${randomBytes(16).toString('hex')}`,
      blockonomicsCallbackSecret: randomBytes(24).toString('hex'),
      blockbeeApiKey: `bbkey_${randomBytes(16).toString('hex')}`,
    };
    // The gateway's PUBLIC_URL is known later: its store is made by its first address.
    const blockonomics = await BlockonomicsSimulator.start({ apiKey: secrets.blockonomicsApiKey, timeScale: timeScales.blockonomics ?? 1, autoCreateStores: true });
    const blockbee = await BlockBeeSimulator.start({ apiKey: secrets.blockbeeApiKey, timeScale: timeScales.blockbee ?? 1 });
    return new ProviderSimulators(blockonomics, blockbee, secrets);
  }

  /** The gateway settings that point both providers at the simulators (BlockBee signed with the simulator's key). */
  gatewayEnv(allowedIps: readonly string[] = ['127.0.0.1', '::1']): Record<string, string> {
    return {
      API_TOKENS: this.secrets.apiToken,
      BLOCKONOMICS_API_KEY: this.secrets.blockonomicsApiKey,
      BLOCKONOMICS_CALLBACK_SECRET: this.secrets.blockonomicsCallbackSecret,
      BLOCKONOMICS_API_URL: this.blockonomics.baseUrl,
      BLOCKBEE_API_KEY: this.secrets.blockbeeApiKey,
      BLOCKBEE_API_URL: this.blockbee.baseUrl,
      BLOCKBEE_PUBLIC_KEY: this.blockbee.publicKeyPem,
      BLOCKBEE_ALLOWED_IPS: allowedIps.join(','),
    };
  }

  /** Every secret, including each BlockBee invoice's callback nonce handed out so far. */
  secretValues(): string[] {
    const nonces = [...this.blockbee.ledger.addresses()].map((address) => new URL(address.callbackUrl).searchParams.get('nonce') ?? '');
    return [...Object.values(this.secrets), ...nonces].filter((value) => value.length > 0);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.blockonomics.close(), this.blockbee.close()]);
  }
}
