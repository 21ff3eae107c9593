export { BlockonomicsAdapter } from './adapter.js';
export { BlockonomicsApiClient, type BlockonomicsApiConfig } from './api-client.js';
export { blockonomicsProvider } from './registration.js';
export {
  type BlockonomicsOptions,
  type ResolvedBlockonomicsOptions,
  BlockonomicsOptionsError,
  validateBlockonomicsOptions,
} from './config/options.js';
export { BlockonomicsModule } from './nest/provider.module.js';
export { BLOCKONOMICS_OPTIONS } from './nest/provider.module-definition.js';
export { PROVIDER_NAME as BLOCKONOMICS_PROVIDER_NAME } from './mapping/provider-name.js';
export { type CallbackMappingPolicy } from './mapping/notification.js';
export { type RequiredConfirmations, DEFAULT_REQUIRED_CONFIRMATIONS, observationKind } from './mapping/confirmation-rules.js';
export { type BlockonomicsCallbackParams } from './wire/callback.js';
export {
  TEST_TXID,
  CALLBACK_SOURCE_IPS,
  DEFAULT_API_BASE_URL,
  DEFAULT_BCH_API_BASE_URL,
  SUPPORTED_CRYPTOS,
  type BlockonomicsCrypto,
} from './wire/constants.js';
export { blockonomicsAccounts } from './accounts.js';
