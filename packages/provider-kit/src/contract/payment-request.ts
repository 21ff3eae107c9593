import { type CoinDefinition, type FiatAmount } from '@cryptopay/invoice';

/** Asks the provider for somewhere to pay a new invoice. */
export interface PaymentRequestInput {
  readonly invoiceId: string;
  readonly coin: CoinDefinition;
  readonly fiat: FiatAmount;
  /** `PUBLIC_URL/v1/callbacks/<provider>`; the adapter appends its own query parameters. */
  readonly callbackUrl: string;
}

export interface PaymentRequest {
  readonly address: string;
  /** Base units of the coin asked for. */
  readonly amountDue: bigint;
  /** Fiat per whole coin, exact decimal string. */
  readonly rate: string;
  /**
   * Who set `amountDue`: `rate` — we quoted it up from `rate` (the usual case); `provider` — the
   * provider's own quote, with `rate` informational (its fiat amount divided by `amountDue`).
   */
  readonly quotedBy: 'rate' | 'provider';
  /**
   * What the adapter needs later to bind callbacks to this invoice and to reconcile with the
   * provider (e.g. BlockBee's exact callback URL, which carries the invoice's nonce). Stored, never shown.
   */
  readonly providerReference: string | null;
  /** The smallest payment the provider forwards, in base units, when it has one (shown to the payer). */
  readonly minimumPayment: bigint | null;
}
