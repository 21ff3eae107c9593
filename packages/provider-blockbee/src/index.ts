export { BlockBeeAdapter, type BlockBeeAdapterOptions, BLOCKBEE_PROVIDER_NAME } from './adapter.js';
export { BlockBeeApiClient, type BlockBeeApiClientOptions, BLOCKBEE_API_URL } from './api-client.js';
export { blockbeeProvider, BLOCKBEE_SETTINGS } from './registration.js';
export { BLOCKBEE_COINS, BLOCKBEE_EXTRA_COINS, coinForTicker, tickerForCoin } from './mapping/coins.js';
export type { BlockBeeLogs, ReconciledTransaction } from './mapping/logs.js';
export { BLOCKBEE_PUBLIC_KEY_PEM } from './verification/public-key.js';
export { BLOCKBEE_CALLBACK_IPS } from './verification/source-allowlist.js';
export type { LoggedDelivery } from './wire/api.js';
export type { CallbackEncoding } from './wire/fields.js';
export { tickerToPath, tickerFromPath } from './wire/ticker.js';
export {
  type BlockBeeOptions,
  type ResolvedBlockBeeOptions,
  BlockBeeOptionsError,
  validateBlockBeeOptions,
} from './config/options.js';
export { BlockBeeModule } from './nest/provider.module.js';
export {
  BLOCKBEE_OPTIONS,
  BLOCKBEE_OPTIONS_TYPE,
  BLOCKBEE_ASYNC_OPTIONS_TYPE,
} from './nest/provider.module-definition.js';
export { blockbeeAccounts } from './accounts.js';
