import { CompiledQuery } from 'kysely';

/**
 * One outbound webhook event, written in the same statement or transaction as the invoice change
 * that caused it (the transactional outbox). Its body is stored as the exact bytes each attempt
 * sends and signs.
 */
export interface WebhookEventEntry {
  /** `evt_…`: the `webhook-id` of every attempt of this event. */
  readonly id: string;
  readonly merchantId: string;
  readonly type: string;
  readonly invoiceId: string | null;
  readonly invoiceVersion: number | null;
  readonly body: string;
  readonly createdAt: Date;
}

/** The events as one JSON parameter, typed by the table itself (`jsonb_populate_recordset`). */
export function eventDocument(events: readonly WebhookEventEntry[]): string {
  return JSON.stringify(
    events.map((event) => ({
      id: event.id,
      merchant_id: event.merchantId,
      type: event.type,
      invoice_id: event.invoiceId,
      invoice_version: event.invoiceVersion,
      body: event.body,
      created_at: event.createdAt.toISOString(),
    })),
  );
}

/**
 * Two CTEs: the events of JSON parameter `$n` (read after `from`, e.g. `changed, ` so that nothing is
 * inserted when the invoice's version check failed), and one pending delivery for each enabled
 * endpoint of the event's merchant that subscribes to its type, due at once.
 */
export function outboxCtes(n: number, from = ''): string[] {
  return [
    `outbox_events as (insert into webhook_events (id, merchant_id, type, invoice_id, invoice_version, body, created_at)
      select e.id, e.merchant_id, e.type, e.invoice_id, e.invoice_version, e.body, e.created_at
      from ${from}jsonb_populate_recordset(null::webhook_events, $${n}::jsonb) e
      returning id, merchant_id, type)`,
    `outbox_deliveries as (insert into webhook_deliveries (event_id, endpoint_id, status, attempts, next_attempt_at, created_at)
      select outbox_events.id, ep.id, 'pending', 0, now(), now()
      from outbox_events join webhook_endpoints ep on ep.merchant_id = outbox_events.merchant_id and ep.enabled
        and (ep.events is null or ep.events @> jsonb_build_array(outbox_events.type)))`,
  ];
}

/** The events of a change written in the caller's transaction (an invoice's creation). */
export function outboxWrite(events: readonly WebhookEventEntry[]): CompiledQuery {
  return CompiledQuery.raw(`with ${outboxCtes(1).join(',\n')}\nselect count(*)::int as events from outbox_events`, [eventDocument(events)]);
}
