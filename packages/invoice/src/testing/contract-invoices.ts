import { randomUUID } from 'node:crypto';
import { applyObservation } from '../invoice/apply.js';
import { createInvoice, type NewInvoice } from '../invoice/create.js';
import { type Invoice } from '../invoice/invoice.js';
import { type PaymentObservation } from '../invoice/observation.js';
import { invoicePolicy } from '../invoice/policy.js';

/** When the contract's invoices are created, unless a case says otherwise. */
export const CONTRACT_NOW = new Date('2026-11-22T10:00:00.123Z');

export function minutesAfter(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * 60_000);
}

/** A new BTC invoice with its own id, order and address, so cases can share one store. */
export function contractInvoice(overrides: Partial<NewInvoice> = {}, now = CONTRACT_NOW): Invoice {
  const unique = randomUUID();
  const input: NewInvoice = {
    id: unique,
    provider: 'blockonomics',
    coin: 'BTC',
    orderId: `order-${unique}`,
    fiat: { currency: 'USD', minor: 2500n },
    rate: '64123.45',
    amountDue: 38988n,
    address: `bc1q${unique.replaceAll('-', '')}`,
    metadata: { customer: { email: 'buyer@example.com' }, note: 'exact "0.10" stays text' },
    ...overrides,
  };
  return createInvoice(input, invoicePolicy({ tolerancePercent: '0.5' }), now).invoice;
}

/** The invoice after a payment of `amount` base units to its address, seen a minute after creation. */
export function paidInvoice(invoice: Invoice, amount: bigint, overrides: Partial<PaymentObservation> = {}): Invoice {
  const observation: PaymentObservation = {
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
  const { invoice: next } = applyObservation(invoice, observation, minutesAfter(invoice.createdAt, 1));
  if (next === invoice) throw new Error('the payment changed nothing');
  return next;
}
