export type { RawCallback } from './contract/raw-callback.js';
export { type CallbackVerdict, type CallbackRefusal, ACCEPTED, rejected } from './contract/verdict.js';
export {
  type CallbackNotification,
  type PaymentNotification,
  type IgnoredNotification,
  type ReportedPayment,
  type InvoiceLocator,
  isIgnored,
} from './contract/notification.js';
export type { CallbackSecrets } from './contract/secrets.js';
export { bindToInvoice, type Binding } from './contract/binding.js';
export type { Acknowledgement, CallbackOutcome } from './contract/acknowledgement.js';
export type { ProviderCapabilities, CallbackMethod, SignatureScheme } from './contract/capabilities.js';
export { MAX_CALLBACK_RETRY_WINDOW_MS } from './contract/capabilities.js';
export type { PaymentRequest, PaymentRequestInput } from './contract/payment-request.js';
export type { ProviderAdapter } from './contract/provider-adapter.js';
export { type ReconciledPayment, type ReconciliationSource, bindReconciledPayment } from './contract/reconciliation.js';
export type { ProviderAccountFactory } from './contract/provider-account.js';
export type {
  ProviderRegistration,
  ProviderSetting,
  ProviderSandbox,
  SandboxPayment,
  CommonProviderSettings,
} from './contract/registration.js';
export {
  runCallbackPipeline,
  type PipelineRun,
  type PipelineStage,
  type PipelineSteps,
  type BoundCallback,
} from './pipeline/callback-pipeline.js';
export { InvoiceTokens } from './verification/invoice-tokens.js';
export { assertCapabilities, ProviderCapabilityError } from './contract/assert-capabilities.js';
export { TrustedProxies, resolveClientIp } from './network/client-ip.js';
export { IpRanges, type IpRange, parseIpOrCidr, normalizeIp } from './network/ip-ranges.js';
export { parseRsaPublicKey } from './options/rules/rsa-public-key.js';
export { SandboxPaymentUnsupportedError } from './errors/sandbox-payment-unsupported.js';
export { SandboxStateLostError } from './errors/sandbox-state-lost.js';
export { PaymentBelowMinimumError } from './errors/payment-below-minimum.js';
export { UnsupportedCurrencyError } from './errors/unsupported-currency.js';
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
export { redactBody, bodyFields, type BodyField } from './redaction/redact-body.js';
export { toRawCallback, readRawBody, CallbackTooLargeError } from './callback/raw-callback-from-request.js';
export { plainTextAcknowledgement } from './callback/acknowledgement.js';
export { parseQueryString, parseFormText, valuesOf, type QueryParameter, type QueryParseResult } from './wire/query-string.js';
export { type WireResult, type WireProblem, wireOk, wireProblem } from './wire/wire-result.js';
