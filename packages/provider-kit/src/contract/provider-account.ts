import { type ProviderAdapter } from './provider-adapter.js';
import { type CallbackSecrets } from './secrets.js';

/**
 * How a provider module makes adapters for merchants' own provider accounts: one adapter per account,
 * from that account's options (its settings and its credentials together, as the module's
 * `forRoot` takes them), validated by the module's own option rules. The core caches one adapter per
 * account version.
 */
export interface ProviderAccountFactory {
  readonly provider: string;
  /** The options that are secrets (API keys, callback secrets): write-only, encrypted at rest, never shown or logged. */
  readonly credentialFields: readonly string[];
  /** What its adapters declare as `secrets`: redacted from callbacks that reach no adapter (an unknown account). */
  readonly callbackSecrets: CallbackSecrets;
  /** The non-secret options a merchant may set, named as the module's options. */
  readonly settingFields: readonly string[];
  /** Credentials the provider lets us generate when omitted (Blockonomics' callback secret); the given ones kept. */
  completeCredentials?(given: Readonly<Record<string, string>>): Record<string, string>;
  /** Validates the options by the module's rules (throws its `OptionsError`, naming each option) and creates the adapter. */
  createAdapter(options: Readonly<Record<string, unknown>>): ProviderAdapter;
  /**
   * A cheap authenticated call with these options, where the provider has one; throws a
   * `ProviderError` of kind `auth` when the provider refuses the credentials.
   */
  checkCredentials?(options: Readonly<Record<string, unknown>>): Promise<void>;
}
