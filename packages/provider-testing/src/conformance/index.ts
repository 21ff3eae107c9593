export { describeProviderConformance } from './describe-provider-conformance.js';
export type { ConformanceHarness, PayOptions, TamperedCallback } from './harness.js';
export { CallbackReceiver, rawText } from './receiver.js';
export { processCallback, InvoiceBook, type ProcessedCallback, type PipelineStage } from './pipeline.js';
export { ConformanceLedger, type LedgerPayment } from './ledger.js';
export { invoiceFor } from './invoice-fixture.js';
