import { blockbeeProvider } from '@cryptopay/provider-blockbee';
import { blockonomicsProvider } from '@cryptopay/provider-blockonomics';
import { type ProviderRegistration } from '@cryptopay/provider-kit';

/** A provider as the gateway runs it: its registration, whatever its options' type. */
export type GatewayProvider = ProviderRegistration<object>;

/**
 * The providers the gateway offers. Everything provider-specific (settings, module, coins, sandbox)
 * comes from their registrations: adding one is its package in package.json and an entry here.
 */
export const PROVIDERS: readonly GatewayProvider[] = [blockonomicsProvider, blockbeeProvider];
