export { describeProviderConformance } from './conformance/describe-provider-conformance.js';
export type { ConformanceHarness, PayOptions, TamperedCallback } from './conformance/harness.js';
export { CallbackReceiver, type CallbackHandler, rawText } from './conformance/receiver.js';
export { processCallback, type ProcessedCallback } from './conformance/pipeline.js';
export { InvoiceBook } from './conformance/invoice-book.js';
export { ConformanceFailure, describeDelivery, describeDeliveries } from './conformance/explain.js';
export { invoiceFor, DEFAULT_FIAT, type InvoiceFixture } from './fixtures/invoice-fixture.js';
