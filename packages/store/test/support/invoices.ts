import { randomUUID } from 'node:crypto';
import {
  applyObservation,
  createInvoice,
  DEFAULT_MERCHANT_ID,
  type Invoice,
  invoicePolicy,
  type NewInvoice,
  type PaymentObservation,
  type StoredInvoice,
} from '@cryptopay/invoice';

export const NOW = new Date('2026-11-22T10:00:00.123Z');

export function minutesAfter(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}

/** A new BTC invoice with unique id, order and address; `overrides` replace any field. As read back when created without a minimum payment. */
export function newInvoice(overrides: Partial<NewInvoice> = {}, now = NOW): StoredInvoice {
  const unique = randomUUID();
  const input: NewInvoice = {
    id: `inv_${unique}`,
    provider: 'blockonomics',
    coin: 'BTC',
    orderId: `order_${unique}`,
    fiat: { currency: 'USD', minor: 2500n },
    rate: '64123.45',
    amountDue: 38988n,
    address: `bc1q${unique.replaceAll('-', '')}`,
    metadata: { customer: { email: 'buyer@example.com' }, note: 'exact "0.10" stays text' },
    ...overrides,
  };
  return { ...createInvoice(input, invoicePolicy({ tolerancePercent: '0.5' }), now).invoice, minimumPayment: null, redirectUrl: null, merchantId: DEFAULT_MERCHANT_ID, providerAccountId: null };
}

/** A payment to the invoice's address; `amount` in base units. */
export function paid(invoice: Invoice, amount: bigint, overrides: Partial<PaymentObservation> = {}): PaymentObservation {
  return {
    coin: invoice.coin,
    txid: randomUUID().replaceAll('-', ''),
    address: invoice.address,
    amount,
    kind: 'seen',
    confirmations: 0,
    rbf: false,
    test: false,
    ...overrides,
  };
}

/** Applies an observation that must change the invoice. */
export function withPayment(invoice: Invoice, observation: PaymentObservation, now = minutesAfter(NOW, 1)): Invoice {
  const { invoice: next } = applyObservation(invoice, observation, now);
  if (next === invoice) throw new Error('the observation changed nothing');
  return next;
}
