import { randomUUID } from 'node:crypto';
import { type CoinRegistry, type InvoiceEvent, type InvoiceEventType, type StoredInvoice } from '@cryptopay/invoice';
import { toInvoiceView } from '../invoices/invoice.view.js';
import { type WebhookEventEntry } from './webhook-store.port.js';

/** The event types an endpoint can subscribe to; fields of their bodies are only ever added. */
export const WEBHOOK_EVENT_TYPES = [
  'invoice.created',
  'invoice.payment_received',
  'invoice.processing',
  'invoice.settled',
  'invoice.expired',
  'invoice.invalid',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by `POST /v1/webhook-endpoints/:id/test` only; not subscribable. */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

/** The webhook each domain event becomes; every change of a payment is a `payment_received`. */
const WEBHOOK_OF: Partial<Record<InvoiceEventType, WebhookEventType>> = {
  'invoice.created': 'invoice.created',
  'invoice.payment_received': 'invoice.payment_received',
  'invoice.payment_confirmed': 'invoice.payment_received',
  'invoice.payment_reverted': 'invoice.payment_received',
  'invoice.payment_updated': 'invoice.payment_received',
  'invoice.processing': 'invoice.processing',
  'invoice.settled': 'invoice.settled',
  'invoice.expired': 'invoice.expired',
  'invoice.invalid': 'invoice.invalid',
};

export function newEventId(): string {
  return `evt_${randomUUID().replaceAll('-', '')}`;
}

/**
 * The webhook events of one committed change: one per webhook type the domain events map to (a
 * change that confirms two payments is one `payment_received`), each carrying the invoice exactly
 * as `GET /v1/invoices/:id` shows it at this version.
 */
export function webhookEventsOf(
  invoice: StoredInvoice,
  events: readonly InvoiceEvent[],
  coins: CoinRegistry,
  checkoutUrl: string | null,
  now: Date = new Date(),
): WebhookEventEntry[] {
  const types = [...new Set(events.flatMap((event) => WEBHOOK_OF[event.type] ?? []))];
  if (types.length === 0) return [];
  const view = toInvoiceView(invoice, coins, checkoutUrl);
  return types.map((type) => {
    const id = newEventId();
    const body = JSON.stringify({ id, type, createdAt: now.toISOString(), data: { invoice: view, invoiceVersion: invoice.version } });
    return { id, merchantId: invoice.merchantId, type, invoiceId: invoice.id, invoiceVersion: invoice.version, body, createdAt: now };
  });
}

/** The `webhook.test` event of one endpoint. */
export function testEvent(merchantId: string, endpointId: string, now: Date = new Date()): WebhookEventEntry {
  const id = newEventId();
  const body = JSON.stringify({ id, type: WEBHOOK_TEST_EVENT, createdAt: now.toISOString(), data: { endpointId } });
  return { id, merchantId, type: WEBHOOK_TEST_EVENT, invoiceId: null, invoiceVersion: null, body, createdAt: now };
}
