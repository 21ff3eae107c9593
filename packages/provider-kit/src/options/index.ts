export { validateProviderOptions, type ProviderOptionsSpec } from './validate-provider-options.js';
