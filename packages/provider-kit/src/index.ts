export type { RawCallback } from './contract/raw-callback.js';
export { type CallbackVerdict, ACCEPTED, rejected } from './contract/verdict.js';
export type { CallbackNotification, InvoiceLocator } from './contract/notification.js';
export type { Acknowledgement, CallbackOutcome } from './contract/acknowledgement.js';
export type { ProviderCapabilities, CallbackMethod } from './contract/capabilities.js';
export type { PaymentRequest, PaymentRequestInput } from './contract/payment-request.js';
export type { ProviderAdapter } from './contract/provider-adapter.js';
export { TrustedProxies, resolveClientIp, normalizeIp } from './network/client-ip.js';
