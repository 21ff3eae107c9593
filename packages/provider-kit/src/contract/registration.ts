import { type CoinDefinition, type Invoice } from '@cryptopay/invoice';
import { type DynamicModule } from '@nestjs/common';
import { type ProviderAccountFactory } from './provider-account.js';

/** One environment variable a provider reads, and the module option it sets. */
export interface ProviderSetting {
  /** e.g. `BLOCKBEE_API_KEY`. */
  readonly variable: string;
  /** The module option it maps to, e.g. `apiKey`: option errors are reported under `variable`. */
  readonly option: string;
  /** Never shown, logged or echoed. */
  readonly secret: boolean;
  /** One line for docs/configuration.md and start-up errors: what it is and what is expected. */
  readonly description: string;
  /** Setting it enables the provider (its API key); an app is live when it enables some provider. */
  readonly enables?: boolean;
}

/** What the gateway passes every provider, from its own settings. */
export interface CommonProviderSettings {
  /** Proxies trusted to set X-Forwarded-For (`TRUST_PROXY`). */
  readonly trustedProxies: readonly string[];
}

/** How a sandbox payer wants an invoice paid. */
export interface SandboxPayment {
  /** Base units of the invoice's coin. */
  readonly amount: bigint;
  /** Signal Replace-By-Fee (unconfirmed, then confirmed), where the provider reports it. */
  readonly rbf: boolean;
  /** The simulator records the payment but delivers none of its callbacks (they were lost): only reconciliation finds it. */
  readonly dropCallbacks?: boolean;
}

/** A provider's simulator running for sandbox mode, with module options pointing at it. */
export interface ProviderSandbox<Options> {
  readonly options: Options;
  /**
   * Pays the invoice's address once; the simulator then delivers the provider's real callbacks.
   * Returns the txid. A payment the provider cannot simulate (RBF where it reports none) throws
   * `SandboxPaymentUnsupportedError`.
   */
  pay(invoice: Invoice, payment: SandboxPayment): Promise<string>;
  close(): Promise<void>;
}

/**
 * Everything the gateway needs to offer a provider, exported by the provider package as one object:
 * the gateway loops over a list of these (adding a provider is one line there).
 */
export interface ProviderRegistration<Options = unknown> {
  readonly name: string;
  /** The environment variables it reads (documented and validated by the gateway). */
  readonly settings: readonly ProviderSetting[];
  /** Coins its adapter offers beyond the invoice package's `DEFAULT_COINS`: the app's `CoinRegistry` must hold them. */
  readonly coins?: readonly CoinDefinition[];
  /**
   * Its module options from the environment, or null when the environment does not enable it (no
   * setting marked `enables` is set). Invalid values throw the provider's `OptionsError`, naming each
   * option by its path (the app names them by their variables, from `settings`); while the provider is
   * not enabled, the settings given are checked all the same. `optionsFromEnvironment` of
   * `./options` does all of this from the settings.
   */
  fromEnvironment(env: Readonly<Record<string, string | undefined>>, common: CommonProviderSettings): Options | null;
  /** Its Nest module, providing the adapter. */
  module(options: Options): DynamicModule;
  /** Starts its simulator in-process for sandbox mode. */
  startSandbox(common: CommonProviderSettings): Promise<ProviderSandbox<Options>>;
  /** Adapters for merchants' own accounts of this provider (`POST /v1/merchants/:id/provider-accounts`). */
  readonly accounts?: ProviderAccountFactory;
}
