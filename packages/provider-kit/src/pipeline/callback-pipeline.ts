import { type Invoice, type PaymentObservation } from '@cryptopay/invoice';
import { type CallbackOutcome } from '../contract/acknowledgement.js';
import { bindToInvoice } from '../contract/binding.js';
import { type CallbackNotification, type InvoiceLocator, isIgnored, type PaymentNotification } from '../contract/notification.js';
import { type ProviderAdapter } from '../contract/provider-adapter.js';
import { type RawCallback } from '../contract/raw-callback.js';
import { type CallbackRefusal } from '../contract/verdict.js';

/** The step a callback's run ended at. */
export type PipelineStage = 'verify' | 'copy' | 'parse' | 'find' | 'bind' | 'shortcut' | 'apply';

/** A notification bound to its invoice: what the apply step records. */
export interface BoundCallback {
  readonly notification: PaymentNotification;
  readonly invoice: Invoice;
  /** The payment, completed from the invoice and checked against it. */
  readonly observation: PaymentObservation;
}

/** The I/O a pipeline run needs, supplied by its caller (the Nest core, the conformance suite). */
export interface PipelineSteps<Result> {
  /** The invoice a notification names, or null when it is none of ours. A failure (store down) throws. */
  findInvoice(locator: InvoiceLocator): Promise<Invoice | null>;
  /**
   * A read-only look right after verification, before parsing: a byte-identical copy of a callback
   * already answered (what `parse` reads is the same) can be answered without parsing it again; a
   * result ends the run there, null goes on.
   */
  knownCopy?(callback: RawCallback): Promise<Result | null>;
  /**
   * A read-only look before the invoice is found, e.g. replaying the stored answer of a delivery
   * already applied; a result ends the run there, null goes on.
   */
  shortcut?(notification: PaymentNotification): Promise<Result | null>;
  /** Records a bound callback exactly once. */
  apply(bound: BoundCallback): Promise<Result>;
}

export type PipelineRun<Result> =
  | {
      readonly stage: 'verify' | 'parse' | 'find' | 'bind';
      /** `rejected`, or `unmatched` for an ignored notification or one naming no invoice of ours. */
      readonly outcome: CallbackOutcome;
      readonly notification: CallbackNotification | null;
      readonly invoice: Invoice | null;
    }
  | { readonly stage: 'copy'; readonly result: Result; readonly notification: null; readonly invoice: null }
  | {
      readonly stage: 'shortcut' | 'apply';
      readonly result: Result;
      readonly notification: PaymentNotification;
      readonly invoice: Invoice | null;
    };

/**
 * The callback pipeline, the same for every provider and every caller: verify → (known copy) →
 * parse → (shortcut) → find the invoice → bind (the core's policy, {@link bindToInvoice}) → apply.
 * Nothing is parsed or looked up before verification, nothing applied before binding; the raw
 * callback is read only by the adapter's `verify` and `parse` (and, to recognise a copy, by the
 * caller's `knownCopy`).
 */
export async function runCallbackPipeline<Result>(
  adapter: ProviderAdapter,
  raw: RawCallback,
  steps: PipelineSteps<Result>,
): Promise<PipelineRun<Result>> {
  const verdict = await adapter.verify(raw);
  if (!verdict.accepted) return ended('verify', refusal(verdict), null, null);
  const copy = steps.knownCopy ? await steps.knownCopy(raw) : null;
  if (copy !== null) return { stage: 'copy', result: copy, notification: null, invoice: null };
  const notification = adapter.parse(raw);
  if ('accepted' in notification) return ended('parse', refusal(notification), null, null);
  if (isIgnored(notification)) return ended('parse', { kind: 'unmatched' }, notification, null);
  const early = steps.shortcut ? await steps.shortcut(notification) : null;
  if (early !== null) return { stage: 'shortcut', result: early, notification, invoice: null };
  const invoice = await steps.findInvoice(notification.invoice);
  if (!invoice) return ended('find', { kind: 'unmatched' }, notification, null);
  const binding = bindToInvoice(adapter, notification, invoice);
  if (!binding.accepted) return ended('bind', refusal(binding), notification, invoice);
  const result = await steps.apply({ notification, invoice, observation: binding.observation });
  return { stage: 'apply', result, notification, invoice };
}

function ended<Result>(
  stage: 'verify' | 'parse' | 'find' | 'bind',
  outcome: CallbackOutcome,
  notification: CallbackNotification | null,
  invoice: Invoice | null,
): PipelineRun<Result> {
  return { stage, outcome, notification, invoice };
}

function refusal(verdict: CallbackRefusal): CallbackOutcome {
  return { kind: 'rejected', status: verdict.status, reason: verdict.reason };
}
