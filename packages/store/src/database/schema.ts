import { type ExceptionStatus, type InvoicePolicy, type InvoiceStatus, type PaymentState } from '@cryptopay/invoice';
import { type ColumnType } from 'kysely';

/** `numeric(78,0)` and `bigint` columns: written and read as decimal strings, never as floats. */
type Integer = ColumnType<string, string, string>;
/** `jsonb` columns: read as parsed JSON, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;

export interface InvoicesTable {
  id: string;
  provider: string;
  coin: string;
  order_id: string;
  fiat_currency: string;
  fiat_minor: Integer;
  rate: string;
  amount_due: Integer;
  address: string;
  provider_reference: string | null;
  expires_at: Date;
  status: InvoiceStatus;
  exception_status: ExceptionStatus;
  policy: Json<InvoicePolicy>;
  metadata: Json<Record<string, unknown>>;
  version: number;
  next_time_check_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** Written once, when the invoice is created: an update never changes it. */
  minimum_payment: ColumnType<string | null, string | null, never>;
  /** The API caller scope, `Idempotency-Key` and request fingerprint it was created with; written once. */
  idempotency_caller: ColumnType<string | null, string | null | undefined, never>;
  idempotency_key: ColumnType<string | null, string | null | undefined, never>;
  idempotency_fingerprint: ColumnType<string | null, string | null | undefined, never>;
}

export interface PaymentsTable {
  invoice_id: string;
  coin: string;
  txid: string;
  address: string;
  /** Position in the invoice's ledger, so a read returns the payments in the order they were recorded. */
  ordinal: number;
  amount: Integer;
  state: PaymentState;
  confirmations: number | null;
  rbf: boolean;
  test: boolean;
  received_at: Date;
  updated_at: Date;
}

export type DeliveryVerdict = 'applied' | 'duplicate' | 'unmatched' | 'rejected' | 'retry-later';

export interface CallbackDeliveriesTable {
  /** `bigint` identity, assigned by the database; also the listing cursor. */
  id: ColumnType<string, never, never>;
  provider: string;
  received_at: Date;
  remote_ip: string | null;
  method: string;
  target: string;
  headers: Json<Record<string, string>>;
  body: string;
  verdict: DeliveryVerdict;
  reason: string | null;
  invoice_id: string | null;
  delivery_key: string | null;
  response_status: number;
  duration_ms: number;
}

export interface WebhookEndpointsTable {
  id: string;
  merchant_id: string;
  url: string;
  /** Null: every event type. */
  events: ColumnType<string[] | null, string | null, string | null>;
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface WebhookEventsTable {
  id: string;
  merchant_id: string;
  type: string;
  invoice_id: string | null;
  invoice_version: number | null;
  body: string;
  created_at: Date;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  /** `bigint` identity, assigned by the database; also the listing cursor. */
  id: ColumnType<string, never, never>;
  event_id: string;
  endpoint_id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  lease_until: Date | null;
  claim_token: string | null;
  last_response_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export interface WebhookAttemptsTable {
  id: ColumnType<string, never, never>;
  delivery_id: string;
  attempted_at: Date;
  response_status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface StoreDatabase {
  invoices: InvoicesTable;
  payments: PaymentsTable;
  callback_deliveries: CallbackDeliveriesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}
