import { type Invoice } from '@cryptopay/invoice';
import { type Acknowledgement, type CallbackOutcome } from '../contract/acknowledgement.js';
import { type CallbackNotification, type InvoiceLocator } from '../contract/notification.js';
import { type ProviderAdapter } from '../contract/provider-adapter.js';
import { type RawCallback } from '../contract/raw-callback.js';
import { type CallbackVerdict } from '../contract/verdict.js';
import { type ConformanceLedger } from './ledger.js';

/** The step a callback stopped at (or `apply` when it went all the way). */
export type PipelineStage = 'verify' | 'parse' | 'find' | 'bind' | 'apply';

export interface ProcessedCallback {
  readonly raw: RawCallback;
  readonly stage: PipelineStage;
  readonly notification: CallbackNotification | null;
  readonly invoiceId: string | null;
  readonly outcome: CallbackOutcome;
  readonly acknowledgement: Acknowledgement;
}

/** The invoices the suite created, found the way the core finds them. */
export class InvoiceBook {
  private readonly byId = new Map<string, Invoice>();
  private readonly byAddress = new Map<string, Invoice>();

  add(invoice: Invoice): void {
    this.byId.set(invoice.id, invoice);
    this.byAddress.set(invoice.address, invoice);
  }

  find(locator: InvoiceLocator): Invoice | undefined {
    return locator.by === 'id' ? this.byId.get(locator.invoiceId) : this.byAddress.get(locator.address);
  }
}

/**
 * The core's callback path in miniature: verify → parse → find invoice → bind → exactly-once
 * apply → acknowledge. Nothing is parsed before verification nor applied before binding; a
 * notification the adapter marks as ignored is acknowledged as unmatched and goes no further.
 */
export async function processCallback(
  adapter: ProviderAdapter,
  invoices: InvoiceBook,
  ledger: ConformanceLedger,
  raw: RawCallback,
): Promise<ProcessedCallback> {
  const finish = (stage: PipelineStage, outcome: CallbackOutcome, notification: CallbackNotification | null = null, invoice?: Invoice) => ({
    raw,
    stage,
    notification,
    invoiceId: invoice?.id ?? null,
    outcome,
    acknowledgement: adapter.acknowledge(outcome),
  });
  const verdict = await adapter.verifyCallback(raw);
  if (!verdict.accepted) return finish('verify', rejection(verdict));
  const parsed = adapter.parseCallback(raw);
  if ('accepted' in parsed) return finish('parse', rejection(parsed));
  if (parsed.ignoreReason !== undefined) return finish('parse', { kind: 'unmatched' }, parsed);
  const invoice = invoices.find(parsed.invoice);
  if (!invoice) return finish('find', { kind: 'unmatched' }, parsed);
  const bound = adapter.bindToInvoice(parsed, invoice, raw);
  if (!bound.accepted) return finish('bind', rejection(bound), parsed, invoice);
  return finish('apply', { kind: ledger.apply(parsed) }, parsed, invoice);
}

function rejection(verdict: Extract<CallbackVerdict, { accepted: false }>): CallbackOutcome {
  return { kind: 'rejected', status: verdict.status, reason: verdict.reason };
}
