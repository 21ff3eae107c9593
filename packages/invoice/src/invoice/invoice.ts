import { type FiatAmount } from '../money/fiat.js';
import { type InvoicePolicy } from './policy.js';

export type InvoiceStatus = 'new' | 'processing' | 'settled' | 'expired' | 'invalid';
export type ExceptionStatus = 'paidPartial' | 'paidOver' | 'paidLate' | null;
export type PaymentState = 'pending' | 'confirmed' | 'reverted';

/** One transaction output paying the invoice's address; identified by `(coin, txid, address)`. */
export interface Payment {
  readonly coin: string;
  readonly txid: string;
  readonly address: string;
  /** Base units of `coin`. */
  readonly amount: bigint;
  readonly state: PaymentState;
  /** Confirmations as last reported, where the provider reports them. */
  readonly confirmations: number | null;
  /** Signals Replace-By-Fee while unmined (no confirmation): not safe to count until it has one. */
  readonly rbf: boolean;
  /** A provider's test payment (dashboard test bench, sandbox). */
  readonly test: boolean;
  readonly receivedAt: Date;
  readonly updatedAt: Date;
}

/** The invoice aggregate as plain data: stores persist it, the rules in this package evolve it. */
export interface Invoice {
  readonly id: string;
  readonly provider: string;
  readonly coin: string;
  readonly orderId: string;
  readonly fiat: FiatAmount;
  /** Quoted fiat per whole coin, as an exact decimal string. */
  readonly rate: string;
  /** Base units of `coin` asked for. */
  readonly amountDue: bigint;
  readonly address: string;
  /** The provider's own reference for the payment request, if it has one. */
  readonly providerReference: string | null;
  readonly expiresAt: Date;
  readonly status: InvoiceStatus;
  readonly exceptionStatus: ExceptionStatus;
  /** Fixed when the invoice is created, so later configuration changes never rewrite history. */
  readonly policy: InvoicePolicy;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly payments: readonly Payment[];
  /** Bumped on every stored change; the repository uses it for optimistic concurrency. */
  readonly version: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
