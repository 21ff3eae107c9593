export type { RawCallback } from './contract/raw-callback.js';
export { type CallbackVerdict, ACCEPTED, rejected } from './contract/verdict.js';
export type { CallbackNotification, InvoiceLocator } from './contract/notification.js';
export type { Acknowledgement, CallbackOutcome } from './contract/acknowledgement.js';
export type { ProviderCapabilities, CallbackMethod } from './contract/capabilities.js';
export type { PaymentRequest, PaymentRequestInput } from './contract/payment-request.js';
export type { ProviderAdapter } from './contract/provider-adapter.js';
export { providerAdapterToken } from './contract/adapter-token.js';
export { assertCapabilities, ProviderCapabilityError } from './contract/assert-capabilities.js';
export { TrustedProxies, resolveClientIp } from './network/client-ip.js';
export { IpRanges, type IpRange, parseIpOrCidr, normalizeIp } from './network/ip-ranges.js';
export { parseRsaPublicKey } from './options/rules/rsa-public-key.js';
export { ProviderError, type ProviderErrorKind, type ProviderErrorDetails, providerErrorForStatus } from './errors/provider-error.js';
export {
  ProviderHttpClient,
  type ProviderHttpClientOptions,
  type ProviderHttpRequest,
  type ProviderHttpResponse,
  type QueryValue,
} from './http/provider-http-client.js';
export { isRetryableStatus, retryDelayMs, parseRetryAfterMs } from './http/retry-policy.js';
export { readJsonBody } from './http/json-body.js';
export { JsonNumber, JsonSyntaxError, parseJsonExact, type ExactJson, type ExactJsonObject } from './json/exact-json.js';
export { asJsonObject, jsonField, jsonString, jsonNumberText, jsonDecimalText } from './json/exact-json-access.js';
export { Secret, REDACTED, constantTimeEqual } from './redaction/secret.js';
export { redactUrl, redactSecrets, redactProviderText } from './redaction/redact.js';
export { toRawCallback, readRawBody, CallbackTooLargeError } from './callback/raw-callback-from-request.js';
export { plainTextAcknowledgement } from './callback/acknowledgement.js';
