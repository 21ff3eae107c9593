import { type BlockBeeOptions } from '@cryptopay/provider-blockbee';
import { BlockBeeSimulator } from '@cryptopay/provider-blockbee/simulator';
import { type BlockonomicsOptions, generateCallbackSecret } from '@cryptopay/provider-blockonomics';
import { BlockonomicsSimulator } from '@cryptopay/provider-blockonomics/simulator';

const BLOCKONOMICS_KEY = 'sandbox-blockonomics-api-key';
const BLOCKBEE_KEY = 'sandbox-blockbee-api-key';
/** Retries come in milliseconds instead of minutes, so a failed sandbox delivery is retried while you watch. */
const TIME_SCALE = 0.001;

/** Both providers' simulators, running in-process over real HTTP, and the adapter options pointing at them. */
export class SandboxProviders {
  private constructor(
    readonly blockonomics: BlockonomicsSimulator,
    readonly blockbee: BlockBeeSimulator,
    private readonly callbackSecret: string,
  ) {}

  static async start(): Promise<SandboxProviders> {
    const [blockonomics, blockbee] = await Promise.all([
      BlockonomicsSimulator.start({ apiKey: BLOCKONOMICS_KEY, timeScale: TIME_SCALE }),
      // Sandbox payments are marked as test payments; sandbox invoices let them count.
      BlockBeeSimulator.start({ apiKey: BLOCKBEE_KEY, timeScale: TIME_SCALE, testPayments: true }),
    ]);
    return new SandboxProviders(blockonomics, blockbee, generateCallbackSecret());
  }

  blockonomicsOptions(): BlockonomicsOptions {
    // The simulator serves both coins: a sandbox BCH invoice must never reach the real bch.blockonomics.co.
    const simulator = this.blockonomics.baseUrl;
    return { apiKey: BLOCKONOMICS_KEY, callbackSecret: this.callbackSecret, apiBaseUrl: simulator, bchApiBaseUrl: simulator, allowTestPayments: true };
  }

  blockbeeOptions(): BlockBeeOptions {
    return {
      apiKey: BLOCKBEE_KEY,
      apiBaseUrl: this.blockbee.baseUrl,
      publicKeyPem: this.blockbee.publicKeyPem,
      // The simulator delivers from loopback.
      allowlist: ['127.0.0.1', '::1'],
      allowTestPayments: true,
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.blockonomics.close(), this.blockbee.close()]);
  }
}
