import { randomUUID } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { type PaymentObservation } from '@cryptopay/invoice';
import { InvoiceBook, invoiceFor } from '../src/index.js';

const BTC = { code: 'BTC', decimals: 8, name: 'Bitcoin' };
const NOW = new Date();

function book() {
  const invoices = new InvoiceBook();
  const open = (address: string) => {
    const request = { address, amountDue: 50_000n, rate: '50000.00', quotedBy: 'rate' as const, providerReference: null, minimumPayment: null };
    const invoice = invoiceFor({ id: randomUUID(), provider: 'tokenpay', coin: BTC, request, now: NOW });
    invoices.add(invoice);
    return invoice;
  };
  return { invoices, first: open('tb1qfirst'), second: open('tb1qsecond') };
}

const paid = (kind: PaymentObservation['kind'], address = 'tb1qfirst'): PaymentObservation => ({ coin: 'BTC', address, txid: 'tx-1', amount: 50_000n, kind, confirmations: null, rbf: false, test: false });

describe('InvoiceBook: invoices changed by the invoice package’s own rules', () => {
  test('finds invoices by id and by address, as they stand', () => {
    const { invoices, first } = book();
    expect(invoices.find({ by: 'id', invoiceId: first.id })).toBe(first);
    expect(invoices.find({ by: 'address', address: 'tb1qfirst' })).toBe(first);
    expect(invoices.find({ by: 'address', address: 'tb1qnobody' })).toBeUndefined();
  });

  test('applies each delivery key once: a confirmed payment settles the invoice, and a late unconfirmed one never downgrades it', () => {
    const { invoices, first } = book();
    expect(invoices.apply('k-confirmed', first.id, paid('confirmed'), NOW)).toEqual({ kind: 'applied' });
    expect(invoices.apply('k-confirmed', first.id, paid('confirmed'), NOW)).toEqual({ kind: 'duplicate' });
    expect(invoices.apply('k-seen', first.id, paid('seen'), NOW)).toEqual({ kind: 'applied' });
    expect(invoices.payment(first.id, 'tx-1')?.state).toBe('confirmed');
    expect(invoices.get(first.id)).toMatchObject({ status: 'settled', version: 2 });
  });

  test('refuses a delivery key used for another invoice, as the core’s claim does', () => {
    const { invoices, first, second } = book();
    invoices.apply('k', first.id, paid('seen'), NOW);
    expect(invoices.apply('k', second.id, paid('seen', 'tb1qsecond'), NOW)).toEqual({ kind: 'rejected', status: 400, reason: 'the delivery key was first used for another invoice' });
    expect(invoices.get(second.id)?.payments).toEqual([]);
  });

  test('answers an observation the invoice refuses with a 400 and the invoice package’s reason, using no key', () => {
    const { invoices, first } = book();
    const outcome = invoices.apply('k', first.id, paid('seen', 'tb1qelsewhere'), NOW);
    expect(outcome).toEqual({ kind: 'rejected', status: 400, reason: expect.stringContaining("the payment's address is not invoice") });
    expect(invoices.apply('k', first.id, paid('seen'), NOW)).toEqual({ kind: 'applied' });
  });

  test('copies: what is applied to a copy leaves the book as it was', () => {
    const { invoices, first } = book();
    invoices.apply('k-1', first.id, paid('seen'), NOW);
    const copy = invoices.copy();
    expect(copy.apply('k-1', first.id, paid('seen'), NOW)).toEqual({ kind: 'duplicate' });
    copy.apply('k-2', first.id, paid('confirmed'), NOW);
    expect(copy.payment(first.id, 'tx-1')?.state).toBe('confirmed');
    expect(invoices.payment(first.id, 'tx-1')?.state).toBe('pending');
  });
});
