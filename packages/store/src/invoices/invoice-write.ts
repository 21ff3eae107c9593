import { type Invoice } from '@cryptopay/invoice';
import { CompiledQuery, type Insertable, type Kysely } from 'kysely';
import { prepared } from '../database/prepared-statements.js';
import { type PaymentsTable, type StoreDatabase } from '../database/schema.js';
import { type CallbackDeliveryEntry, deliveryDocument } from '../deliveries/delivery-log.js';
import { eventDocument, outboxCtes, type WebhookEventEntry } from '../webhooks/webhook-outbox.js';
import { invoiceColumns, paymentRows } from './invoice-rows.js';

const PAYMENT_COLUMNS = 'coin, txid, address, ordinal, amount, state, confirmations, rbf, test, received_at, updated_at';
const DELIVERY_COLUMNS = 'provider, received_at, remote_ip, method, target, headers, body, verdict, reason, invoice_id, delivery_key, response_status, duration_ms, source';
/** The same columns read from the JSON rows (`p`, `d`); spelled out once, not on every write. */
const PAYMENT_VALUES = prefixed('p', PAYMENT_COLUMNS);
const DELIVERY_VALUES = prefixed('d', DELIVERY_COLUMNS);

/** How a ledger row that is already stored (same key) is changed: everything but its key and first sighting. */
const LEDGER_UPSERT = `on conflict (invoice_id, coin, txid, address) do update set
  ordinal = excluded.ordinal, amount = excluded.amount, state = excluded.state, confirmations = excluded.confirmations,
  rbf = excluded.rbf, test = excluded.test, updated_at = excluded.updated_at`;

/**
 * Upserts the ledger rows given as JSON parameter `$n`, for the invoice id that `invoiceId` reads
 * from `from` (a FROM item ahead of the rows, or nothing).
 */
function ledgerUpsert(n: number, invoiceId: string, from = ''): string {
  return `insert into payments (invoice_id, ${PAYMENT_COLUMNS})
      select ${invoiceId}, ${PAYMENT_VALUES} from ${from}jsonb_populate_recordset(null::payments, $${n}::jsonb) p
      ${LEDGER_UPSERT}`;
}

/** A new invoice's payments, written in its creation's transaction with the same upsert as {@link invoiceWrite}. */
export function paymentsWrite(rows: readonly Insertable<PaymentsTable>[]): CompiledQuery {
  return CompiledQuery.raw(ledgerUpsert(1, 'p.invoice_id'), [JSON.stringify(rows)]);
}

/**
 * One statement that writes an invoice at its next version, the ledger rows that changed and,
 * optionally, the log entry of the callback that changed it. The inserts read from the update's
 * result, so when the version check fails (or the invoice was never stored) nothing at all is
 * written; and one statement is atomic on its own, so it needs no transaction around it (one round
 * trip instead of BEGIN, three writes and COMMIT). Rows travel as one JSON parameter each, typed by
 * the tables themselves (`jsonb_populate_recordset`): amounts are JSON strings, parsed by PostgreSQL
 * as `numeric`, never as floats. The webhook events of the change (the outbox) and their
 * deliveries are inserted by the same statement. Its shapes (with or without payments, an entry,
 * events) are prepared.
 */
export function invoiceWrite(
  db: Kysely<StoreDatabase>,
  invoice: Invoice,
  stored: Invoice | undefined,
  delivery: CallbackDeliveryEntry | undefined,
  events: readonly WebhookEventEntry[] = [],
): CompiledQuery<{ changed: number }> {
  const update = db
    .updateTable('invoices')
    .set(invoiceColumns(invoice))
    .where('id', '=', invoice.id)
    .where('version', '=', invoice.version - 1)
    .returning('id')
    .compile();
  const parameters: unknown[] = [...update.parameters];
  const ctes = [`changed as (${update.sql})`];
  const payments = paymentRows(invoice, stored);
  if (payments.length > 0) {
    parameters.push(JSON.stringify(payments));
    ctes.push(`ledger as (${ledgerUpsert(parameters.length, 'changed.id', 'changed, ')})`);
  }
  if (delivery) {
    parameters.push(deliveryDocument(delivery));
    ctes.push(`delivery as (insert into callback_deliveries (${DELIVERY_COLUMNS})
      select ${DELIVERY_VALUES} from changed, jsonb_populate_record(null::callback_deliveries, $${parameters.length}::jsonb) d)`);
  }
  if (events.length > 0) {
    parameters.push(eventDocument(events));
    ctes.push(...outboxCtes(parameters.length, 'changed, '));
  }
  return prepared(CompiledQuery.raw(`with ${ctes.join(',\n')}\nselect count(*)::int as changed from changed`, parameters));
}

function prefixed(alias: string, columns: string): string {
  return columns
    .split(', ')
    .map((column) => `${alias}.${column}`)
    .join(', ');
}
