import { type MerchantsOptions, type ResolvedMerchantsOptions } from '../payments.options.js';
import { PaymentsConfigError } from '../payments.options.validation.js';
import { CredentialKeyRing, CredentialKeysError } from './credential-keys.js';

/** The key ring parsed (its error names the setting, never a key), the factories checked: one per provider. */
export function resolveMerchantsOptions(options: MerchantsOptions | undefined): ResolvedMerchantsOptions {
  const accounts = options?.accounts ?? [];
  const providers = accounts.map(({ provider }) => provider);
  if (new Set(providers).size !== providers.length) {
    throw new PaymentsConfigError([{ option: 'merchants.accounts', message: 'merchants.accounts must list each provider once' }]);
  }
  return { ...options, keyRing: keyRingOf(options?.credentialKeys), accounts, accountDefaults: options?.accountDefaults ?? {} };
}

function keyRingOf(text: string | undefined): CredentialKeyRing | null {
  if (text === undefined) return null;
  try {
    return CredentialKeyRing.parse(text);
  } catch (error) {
    if (error instanceof CredentialKeysError) throw new PaymentsConfigError([{ option: 'merchants.credentialKeys', message: error.message }]);
    throw error;
  }
}
