import { type Insertable, type Kysely, type Selectable } from 'kysely';
import { StoreQueryError } from '../errors.js';
import { guard } from '../database/failures.js';
import { type CallbackDeliveriesTable, type DeliverySource, type DeliveryVerdict, type StoreDatabase } from '../database/schema.js';

/** One callback as received and answered, like a gateway's "Merchant > Logs" entry. */
export interface CallbackDeliveryEntry {
  readonly provider: string;
  readonly receivedAt: Date;
  readonly remoteIp: string | null;
  readonly method: string;
  /** The request target with secrets already redacted by the caller; stored as given. */
  readonly target: string;
  /** The subset of headers worth keeping, redacted by the caller. */
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body, redacted by the caller. */
  readonly body: string;
  readonly verdict: DeliveryVerdict;
  readonly reason: string | null;
  readonly invoiceId: string | null;
  readonly deliveryKey: string | null;
  readonly responseStatus: number;
  readonly durationMs: number;
  /** A provider's `callback` (the default), or the reconciler's reading of the provider's records (`reconcile`). */
  readonly source?: DeliverySource;
}

export interface CallbackDelivery extends CallbackDeliveryEntry {
  /** Assigned by the store, increasing in recording order; pass it as `before` to page on. */
  readonly id: string;
  readonly source: DeliverySource;
}

export interface DeliveryQuery {
  readonly provider?: string;
  readonly verdict?: DeliveryVerdict;
  readonly invoiceId?: string;
  /** Only the deliveries for invoices of this merchant (a merchant's API key sees no others). */
  readonly merchantId?: string;
  /** A cursor: only deliveries recorded before the one with this id (a previous page's `nextCursor`). */
  readonly before?: string;
  /** Page size, a whole number from 1. */
  readonly limit: number;
}

export interface DeliveryPage {
  /** Newest first. */
  readonly deliveries: readonly CallbackDelivery[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  readonly nextCursor: string | null;
}

/** Rows per INSERT: 14 parameters a row, well below PostgreSQL's 65 535 parameters a statement. */
const MAX_RECORD_BATCH = 1_000;
const CURSOR = /^[1-9][0-9]{0,17}$/;

/** The callback log: every delivery, whatever its verdict, so an operator can see and replay them. */
export class DeliveryLog {
  constructor(private readonly db: Kysely<StoreDatabase>) {}

  async record(entry: CallbackDeliveryEntry): Promise<CallbackDelivery> {
    const { id } = await guard(() => this.db.insertInto('callback_deliveries').values(deliveryRow(entry)).returning('id').executeTakeFirstOrThrow());
    return { ...entry, source: entry.source ?? 'callback', id };
  }

  /**
   * Records many entries in multi-row INSERTs of up to 1 000 rows, one for a batch of that size
   * (their ids increase in the given order).
   */
  async recordMany(entries: readonly CallbackDeliveryEntry[]): Promise<void> {
    for (let start = 0; start < entries.length; start += MAX_RECORD_BATCH) {
      const rows = entries.slice(start, start + MAX_RECORD_BATCH).map(deliveryRow);
      await guard(() => this.db.insertInto('callback_deliveries').values(rows).execute());
    }
  }

  /**
   * Deletes up to `limit` entries received before `olderThan`, the oldest first, and says how many.
   * Rows another transaction is deleting are passed over (`SKIP LOCKED`), so instances pruning at
   * once share the work instead of waiting on each other; call again until it deletes fewer than `limit`.
   */
  async prune(olderThan: Date, limit: number): Promise<number> {
    const size = pageSize(limit);
    const result = await guard(() =>
      this.db
        .deleteFrom('callback_deliveries')
        .where('id', 'in', (eb) =>
          eb.selectFrom('callback_deliveries').select('id').where('received_at', '<', olderThan).orderBy('received_at').limit(size).forUpdate().skipLocked(),
        )
        .executeTakeFirst(),
    );
    return Number(result.numDeletedRows);
  }

  async list(query: DeliveryQuery): Promise<DeliveryPage> {
    const limit = pageSize(query.limit);
    const before = query.before === undefined ? undefined : cursor(query.before);
    const rows = await guard(() => {
      let select = this.db.selectFrom('callback_deliveries').selectAll();
      if (query.provider !== undefined) select = select.where('provider', '=', query.provider);
      if (query.verdict !== undefined) select = select.where('verdict', '=', query.verdict);
      if (query.invoiceId !== undefined) select = select.where('invoice_id', '=', query.invoiceId);
      const { merchantId } = query;
      if (merchantId !== undefined) select = select.where('invoice_id', 'in', (sub) => sub.selectFrom('invoices').select('id').where('merchant_id', '=', merchantId));
      if (before !== undefined) select = select.where('id', '<', before);
      // One row more than asked tells whether an older page exists.
      return select.orderBy('id', 'desc').limit(limit + 1).execute();
    });
    const deliveries = rows.slice(0, limit).map(toDelivery);
    return { deliveries, nextCursor: rows.length > limit ? (deliveries.at(-1)?.id ?? null) : null };
  }
}

/** How large a page an API serves is its rule; the store only needs a positive whole number. */
function pageSize(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new StoreQueryError('limit', 'limit must be a whole number from 1');
  return limit;
}

function cursor(before: string): string {
  if (!CURSOR.test(before)) throw new StoreQueryError('before', 'before must be a delivery id from a previous page');
  return before;
}

/** The log row of an entry, as Kysely inserts it (headers as JSON text). */
export function deliveryRow(entry: CallbackDeliveryEntry): Insertable<CallbackDeliveriesTable> {
  return deliveryColumns(entry, JSON.stringify(entry.headers));
}

/** The log row of an entry as one JSON document, headers nested as an object (for `jsonb_populate_record`). */
export function deliveryDocument(entry: CallbackDeliveryEntry): string {
  return JSON.stringify(deliveryColumns(entry, entry.headers));
}

function deliveryColumns<H>(entry: CallbackDeliveryEntry, headers: H): Omit<Insertable<CallbackDeliveriesTable>, 'headers'> & { headers: H } {
  return {
    provider: entry.provider,
    received_at: entry.receivedAt,
    remote_ip: entry.remoteIp,
    method: entry.method,
    target: entry.target,
    headers,
    body: entry.body,
    verdict: entry.verdict,
    reason: entry.reason,
    invoice_id: entry.invoiceId,
    delivery_key: entry.deliveryKey,
    response_status: entry.responseStatus,
    duration_ms: entry.durationMs,
    source: entry.source ?? 'callback',
  };
}

function toDelivery(row: Selectable<CallbackDeliveriesTable>): CallbackDelivery {
  return {
    id: row.id,
    provider: row.provider,
    receivedAt: row.received_at,
    remoteIp: row.remote_ip,
    method: row.method,
    target: row.target,
    headers: row.headers,
    body: row.body,
    verdict: row.verdict,
    reason: row.reason,
    invoiceId: row.invoice_id,
    deliveryKey: row.delivery_key,
    responseStatus: row.response_status,
    durationMs: row.duration_ms,
    source: row.source,
  };
}
