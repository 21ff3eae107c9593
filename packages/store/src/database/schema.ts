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
  /** The merchant's URL the checkout page links back to once settled; written once. */
  redirect_url: ColumnType<string | null, string | null | undefined, never>;
  /** The API caller scope, `Idempotency-Key` and request fingerprint it was created with; written once. */
  idempotency_caller: ColumnType<string | null, string | null | undefined, never>;
  idempotency_key: ColumnType<string | null, string | null | undefined, never>;
  idempotency_fingerprint: ColumnType<string | null, string | null | undefined, never>;
  /** When the reconciler next asks the provider about this invoice; null: never again. Written by the reconciler only. */
  next_reconcile_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The merchant and provider account it was created for; written once. */
  merchant_id: ColumnType<string, string | undefined, never>;
  provider_account_id: ColumnType<string | null, string | null | undefined, never>;
}

export interface MerchantsTable {
  id: string;
  name: string;
  /** The merchant's data key, wrapped by a key-encryption key (`v1:<kid>:…`); null until first needed. */
  data_key: string | null;
  created_at: Date;
}

export interface ApiKeysTable {
  id: string;
  merchant_id: string;
  name: string;
  /** A keyed hash of the key's secret part; the key itself is never stored. */
  secret_hash: string;
  scopes: string[];
  created_at: Date;
  revoked_at: Date | null;
}

export interface ProviderAccountsTable {
  id: string;
  merchant_id: string;
  provider: string;
  label: string | null;
  enabled: boolean;
  settings: Json<Record<string, unknown>>;
  /** Field name → ciphertext; never clear text. */
  credentials: Json<Record<string, string>>;
  version: number;
  created_at: Date;
  updated_at: Date;
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
/** How a log entry came about: a provider's callback, or the reconciler reading the provider's records. */
export type DeliverySource = 'callback' | 'reconcile';

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
  source: ColumnType<DeliverySource, DeliverySource | undefined, DeliverySource>;
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
  merchants: MerchantsTable;
  api_keys: ApiKeysTable;
  provider_accounts: ProviderAccountsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}
