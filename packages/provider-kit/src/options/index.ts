export { validateOptions, type OptionsSpec } from './validate-options.js';
export { OptionsError, type OptionProblem } from './options-error.js';
export { CommonProviderOptionsSchema } from './common-provider-options.js';
export { IsHttpUrl, IsIpOrCidrList, IsRsaPublicKeyPem, IsProviderName } from './decorators.js';
export { isHttpUrl } from './rules/http-url.js';
export { isRsaPublicKeyPem } from './rules/rsa-public-key.js';
export { isIpOrCidrList } from '../network/ip-ranges.js';
export { isProviderName } from './rules/provider-name.js';
