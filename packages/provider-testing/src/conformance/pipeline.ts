import { type PaymentObservation } from '@cryptopay/invoice';
import {
  type Acknowledgement,
  type CallbackNotification,
  type CallbackOutcome,
  type PipelineStage,
  type ProviderAdapter,
  type RawCallback,
  runCallbackPipeline,
} from '@cryptopay/provider-kit';
import { type InvoiceBook } from './invoice-book.js';

/** What the core's pipeline did with one callback, and the answer the adapter gave for it. */
export interface ProcessedCallback {
  readonly raw: RawCallback;
  /** Where it ended (`apply` when it went all the way; the suite runs no shortcut). */
  readonly stage: PipelineStage;
  readonly notification: CallbackNotification | null;
  /** The payment as the core applies it (completed from the invoice and checked by the binding); null unless bound. */
  readonly observation: PaymentObservation | null;
  /** The invoice it was found for, also when the binding refused it. */
  readonly invoiceId: string | null;
  readonly outcome: CallbackOutcome;
  readonly acknowledgement: Acknowledgement;
}

/**
 * One callback through provider-kit's `runCallbackPipeline`, the same pipeline the core runs, with
 * the core's binding policy, over the invoices of `invoices`: verify → parse → find → bind → apply
 * once per delivery key (with the invoice package's rules) → acknowledge.
 */
export async function processCallback(adapter: ProviderAdapter, invoices: InvoiceBook, raw: RawCallback): Promise<ProcessedCallback> {
  const run = await runCallbackPipeline<{ outcome: CallbackOutcome; observation: PaymentObservation }>(adapter, raw, {
    findInvoice: async (locator) => invoices.find(locator) ?? null,
    apply: async ({ notification, invoice, observation }) => ({
      outcome: invoices.apply(notification.deliveryKey, invoice.id, observation, raw.receivedAt),
      observation,
    }),
  });
  const { outcome, observation } = 'result' in run ? run.result : { outcome: run.outcome, observation: null };
  return {
    raw,
    stage: run.stage,
    notification: run.notification,
    observation,
    invoiceId: run.invoice?.id ?? null,
    outcome,
    acknowledgement: adapter.acknowledge(outcome),
  };
}
