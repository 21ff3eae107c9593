import { applyObservation, type PaymentObservation } from '../src/index.js';
import { applyAll, at, BEFORE_EXPIRY, confirmed, DUE, invoiceErrorOf, openInvoice, reverted, seen, typesOf } from './fixtures.js';

describe('applyObservation: idempotence', () => {
  it('returns the same invoice object, version and no events for a repeated observation', () => {
    const once = applyObservation(openInvoice(), seen(DUE), BEFORE_EXPIRY).invoice;
    const twice = applyObservation(once, seen(DUE), at(6));
    expect(twice.invoice).toBe(once);
    expect(twice.invoice.version).toBe(once.version);
    expect(twice.events).toEqual([]);
  });

  it('bumps the version by exactly 1 and sets updatedAt on every change', () => {
    const invoice = openInvoice();
    expect(invoice.version).toBe(1);
    const first = applyObservation(invoice, seen(DUE, { confirmations: 0 }), at(3)).invoice;
    expect(first).toMatchObject({ version: 2, updatedAt: at(3), createdAt: invoice.createdAt });
    const second = applyObservation(first, confirmed(DUE, { confirmations: 2 }), at(4)).invoice;
    expect(second).toMatchObject({ version: 3, updatedAt: at(4) });
  });

  it('never mutates the invoice it was given', () => {
    const invoice = openInvoice();
    const snapshot = structuredClone(invoice);
    applyObservation(invoice, confirmed(DUE), BEFORE_EXPIRY);
    expect(invoice).toEqual(snapshot);
  });
});

describe('applyObservation: monotonic payment state', () => {
  it('ignores a late seen after confirmed', () => {
    const settled = applyObservation(openInvoice(), confirmed(DUE, { confirmations: 2 }), BEFORE_EXPIRY).invoice;
    expect(applyObservation(settled, seen(DUE, { confirmations: 0 }), at(6)).invoice).toBe(settled);
  });

  it('ignores a late seen after reverted', () => {
    const gone = applyAll(openInvoice(), [seen(DUE), reverted(DUE)], BEFORE_EXPIRY).invoice;
    expect(applyObservation(gone, seen(DUE), at(6)).invoice).toBe(gone);
  });

  it('only raises the confirmation count', () => {
    const one = applyObservation(openInvoice(), seen(DUE, { confirmations: 1 }), BEFORE_EXPIRY).invoice;
    const fewer = applyObservation(one, seen(DUE, { confirmations: 0 }), at(6));
    expect(fewer.invoice).toBe(one);

    const more = applyObservation(one, seen(DUE, { confirmations: 2 }), at(6));
    expect(more.invoice.payments[0]?.confirmations).toBe(2);
    expect(typesOf(more.events)).toEqual(['invoice.payment_updated']);
    expect(applyObservation(more.invoice, confirmed(DUE, { confirmations: null }), at(7)).invoice.payments[0]?.confirmations).toBe(2);
  });

  it('keeps one ledger entry per (coin, txid, address), keeping the first receipt time', () => {
    const { invoice } = applyAll(openInvoice(), [seen(DUE)], at(3));
    const later = applyObservation(invoice, confirmed(DUE), at(9)).invoice;
    expect(later.payments).toHaveLength(1);
    expect(later.payments[0]).toMatchObject({ state: 'confirmed', receivedAt: at(3), updatedAt: at(9) });
  });

  it('forgets the RBF signal once the payment is confirmed, whatever the order', () => {
    const seenFirst = applyAll(openInvoice(), [seen(DUE, { rbf: true }), confirmed(DUE)], BEFORE_EXPIRY).invoice;
    const confirmedFirst = applyAll(openInvoice(), [confirmed(DUE), seen(DUE, { rbf: true })], BEFORE_EXPIRY).invoice;
    expect(seenFirst.payments).toEqual(confirmedFirst.payments);
    expect(seenFirst.payments[0]?.rbf).toBe(false);
  });
});

describe('applyObservation: events', () => {
  it('names the payment (identity, amount, state) in payment events', () => {
    const { events } = applyObservation(openInvoice(), seen(DUE, { txid: 'tx-z', confirmations: 0 }), BEFORE_EXPIRY);
    expect(events[0]).toEqual({
      type: 'invoice.payment_received',
      invoiceId: 'inv_1',
      occurredAt: BEFORE_EXPIRY,
      payment: expect.objectContaining({ coin: 'BTC', txid: 'tx-z', address: 'bc1qinvoiceaddress', amount: DUE, state: 'pending' }),
    });
  });

  it('reports a payment first seen as reverted as received and reverted', () => {
    const { invoice, events } = applyObservation(openInvoice(), reverted(DUE), BEFORE_EXPIRY);
    expect(typesOf(events)).toEqual(['invoice.payment_received', 'invoice.payment_reverted']);
    expect(invoice).toMatchObject({ status: 'new', exceptionStatus: null });
  });
});

describe('applyObservation: rejects bad observations with a typed error', () => {
  const invoice = openInvoice();

  it.each<[string, Partial<PaymentObservation>, string]>([
    ['a negative amount', { amount: -1n }, 'amount'],
    ['an amount that is not a bigint', { amount: 100 as unknown as bigint }, 'amount'],
    ['an empty txid', { txid: '' }, 'txid'],
    ['an oversized txid', { txid: 'f'.repeat(257) }, 'txid'],
    ['an unknown kind', { kind: 'paid' as PaymentObservation['kind'] }, 'kind'],
    ['negative confirmations', { confirmations: -1 }, 'confirmations'],
    ['fractional confirmations', { confirmations: 1.5 }, 'confirmations'],
    ['a non-boolean rbf flag', { rbf: 'yes' as unknown as boolean }, 'rbf'],
    ["another invoice's address", { address: 'bc1qsomeoneelse' }, 'address'],
  ])('%s', (_name, overrides, field) => {
    const error = invoiceErrorOf(() => applyObservation(invoice, seen(DUE, overrides), BEFORE_EXPIRY));
    expect(error).toMatchObject({ code: 'invalid-observation', field });
  });

  it('refuses a report that changes what a confirmed transaction paid, or two unconfirmed reports that disagree', () => {
    const recorded = applyObservation(invoice, confirmed(DUE), BEFORE_EXPIRY).invoice;
    const error = invoiceErrorOf(() => applyObservation(recorded, confirmed(DUE - 1n), at(6)));
    expect(error).toMatchObject({ code: 'conflicting-observation', field: 'amount' });
    expect(error.message).toBe('payment tx-a was recorded with amount 100000, not 99999');
    const pending = applyObservation(invoice, seen(DUE), BEFORE_EXPIRY).invoice;
    expect(invoiceErrorOf(() => applyObservation(pending, seen(DUE - 1n), at(6)))).toMatchObject({ code: 'conflicting-observation', field: 'amount' });
  });

  // Fix 2.2: BlockBee's pending and confirmed webhooks of one transaction may carry different amounts.
  it('takes the confirmed amount over the pending one, in either order', () => {
    const pendingFirst = applyObservation(applyObservation(invoice, seen(DUE - 1n), BEFORE_EXPIRY).invoice, confirmed(DUE), at(6));
    expect(pendingFirst.invoice.payments).toEqual([expect.objectContaining({ amount: DUE, state: 'confirmed' })]);
    expect(pendingFirst.invoice.status).toBe('settled');

    const confirmedFirst = applyObservation(invoice, confirmed(DUE), BEFORE_EXPIRY).invoice;
    const latePending = applyObservation(confirmedFirst, seen(DUE - 1n), at(6));
    expect(latePending.invoice).toBe(confirmedFirst);
    expect(latePending.events).toEqual([]);
  });

  it('refuses a report that turns a recorded payment into a test payment', () => {
    const recorded = applyObservation(invoice, seen(DUE), BEFORE_EXPIRY).invoice;
    expect(invoiceErrorOf(() => applyObservation(recorded, confirmed(DUE, { test: true }), at(6)))).toMatchObject({
      code: 'conflicting-observation',
      field: 'test',
      message: 'payment tx-a was recorded with test=false',
    });
  });

  it('says what was wrong with a field, naming it', () => {
    const messageOf = (overrides: Partial<PaymentObservation>) =>
      invoiceErrorOf(() => applyObservation(invoice, seen(DUE, overrides), BEFORE_EXPIRY));
    expect(messageOf({ kind: 'paid' as PaymentObservation['kind'] }).message).toBe('kind must be one of seen, confirmed, reverted');
    expect(messageOf({ coin: '' })).toMatchObject({ field: 'coin', message: 'coin must be a non-empty string of at most 256 characters' });
    expect(messageOf({ address: '' })).toMatchObject({ field: 'address', message: 'address must be a non-empty string of at most 256 characters' });
    expect(messageOf({ confirmations: 1.5 }).message).toBe('confirmations must be a whole number from 0 to 9007199254740991');
    expect(messageOf({ test: 'no' as unknown as boolean })).toMatchObject({ field: 'test', message: 'test must be true or false' });
    expect(messageOf({ address: 'bc1qsomeoneelse' }).message).toBe("the payment's address is not invoice inv_1's address");
  });

  it('refuses an invalid clock as a programming error', () => {
    expect(() => applyObservation(invoice, seen(DUE), new Date('not a date'))).toThrow(TypeError);
  });
});
