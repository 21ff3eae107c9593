export { validateProviderOptions, type ProviderOptionsSpec } from './validate-provider-options.js';
export { CommonProviderOptionsSchema } from './common-provider-options.js';
