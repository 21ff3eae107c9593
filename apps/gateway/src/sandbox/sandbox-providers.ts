import { type CommonProviderSettings, type ProviderSandbox } from '@cryptopay/provider-kit';
import { type ConfiguredProvider } from '../config/provider-settings.js';
import { type GatewayProvider, PROVIDERS } from '../providers.js';

interface RunningSandbox {
  readonly registration: GatewayProvider;
  readonly sandbox: ProviderSandbox<object>;
}

/** Every provider's sandbox, started by its registration: its simulator in-process over real HTTP, and module options pointing at it. */
export class SandboxProviders {
  private constructor(private readonly running: readonly RunningSandbox[]) {}

  static async start(common: CommonProviderSettings): Promise<SandboxProviders> {
    const running: RunningSandbox[] = [];
    try {
      for (const registration of PROVIDERS) running.push({ registration, sandbox: await registration.startSandbox(common) });
    } catch (error) {
      await Promise.allSettled(running.map(({ sandbox }) => sandbox.close()));
      throw error;
    }
    return new SandboxProviders(running);
  }

  /** What the app runs in sandbox mode: every provider, with the options of its sandbox. */
  get providers(): ConfiguredProvider[] {
    return this.running.map(({ registration, sandbox }) => ({ registration, options: sandbox.options }));
  }

  /** The running sandbox of the provider named, if it has one. */
  of(provider: string): ProviderSandbox<object> | undefined {
    return this.running.find(({ registration }) => registration.name === provider)?.sandbox;
  }

  async close(): Promise<void> {
    await Promise.all(this.running.map(({ sandbox }) => sandbox.close()));
  }
}
