import fc from 'fast-check';
import {
  amountConfirmed,
  amountPaid,
  applyClock,
  applyObservation,
  type ExceptionStatus,
  type InvoiceStatus,
  isCounted,
  nextState,
  paymentThreshold,
} from '../src/index.js';
import {
  AFTER_EXPIRY,
  AFTER_MONITORING,
  applyAll,
  at,
  BEFORE_EXPIRY,
  confirmed,
  DUE,
  openInvoice,
  reverted,
  seen,
  typesOf,
} from './fixtures.js';

describe('status: covering the due amount', () => {
  it('is processing once counted pending payments reach the threshold, settled once confirmed', () => {
    const processing = applyObservation(openInvoice(), seen(DUE), BEFORE_EXPIRY);
    expect(processing.invoice).toMatchObject({ status: 'processing', exceptionStatus: null });
    expect(typesOf(processing.events)).toEqual(['invoice.payment_received', 'invoice.processing']);

    const settled = applyObservation(processing.invoice, confirmed(DUE), at(6));
    expect(settled.invoice).toMatchObject({ status: 'settled', exceptionStatus: null });
    expect(typesOf(settled.events)).toEqual(['invoice.payment_confirmed', 'invoice.settled']);
  });

  it('settles directly when the first report is already confirmed (skipped statuses)', () => {
    const { invoice, events } = applyObservation(openInvoice(), confirmed(DUE), BEFORE_EXPIRY);
    expect(invoice.status).toBe('settled');
    expect(typesOf(events)).toEqual(['invoice.payment_received', 'invoice.payment_confirmed', 'invoice.settled']);
  });

  it('adds several payments up (multi-payment) and settles only when all the cover is confirmed', () => {
    const a = { txid: 'tx-a' };
    const b = { txid: 'tx-b' };
    const both = applyAll(openInvoice(), [seen(60_000n, a), seen(40_000n, b)], BEFORE_EXPIRY).invoice;
    expect(both.status).toBe('processing');
    expect(amountPaid(both)).toBe(DUE);

    const oneConfirmed = applyObservation(both, confirmed(60_000n, a), at(6)).invoice;
    expect(oneConfirmed.status).toBe('processing');
    expect(amountConfirmed(oneConfirmed)).toBe(60_000n);

    expect(applyObservation(oneConfirmed, confirmed(40_000n, b), at(7)).invoice.status).toBe('settled');
  });

  it('announces the status change, not the intermediate ones, with the figures after it', () => {
    const { events } = applyObservation(openInvoice(), confirmed(DUE), BEFORE_EXPIRY);
    expect(events.at(-1)).toEqual({
      type: 'invoice.settled',
      invoiceId: 'inv_1',
      occurredAt: BEFORE_EXPIRY,
      status: 'settled',
      exceptionStatus: null,
      amountDue: DUE,
      amountPaid: DUE,
      amountConfirmed: DUE,
    });
  });
});

describe('status: partial payments', () => {
  it('marks paidPartial while new, then clears it when a top-up covers the rest', () => {
    const partial = applyObservation(openInvoice(), seen(40_000n), BEFORE_EXPIRY);
    expect(partial.invoice).toMatchObject({ status: 'new', exceptionStatus: 'paidPartial' });
    expect(typesOf(partial.events)).toEqual(['invoice.payment_received', 'invoice.paid_partial']);

    const topUp = applyObservation(partial.invoice, seen(60_000n, { txid: 'tx-b' }), at(6));
    expect(topUp.invoice).toMatchObject({ status: 'processing', exceptionStatus: null });
    expect(amountPaid(topUp.invoice)).toBe(DUE);
  });

  it('keeps paidPartial when the invoice expires', () => {
    const partial = applyObservation(openInvoice(), seen(40_000n), BEFORE_EXPIRY).invoice;
    const { invoice, events } = applyClock(partial, AFTER_EXPIRY);
    expect(invoice).toMatchObject({ status: 'expired', exceptionStatus: 'paidPartial' });
    expect(typesOf(events)).toEqual(['invoice.expired']);
  });

  it('is not partial when nothing counted was paid', () => {
    const { invoice } = applyClock(openInvoice(), AFTER_EXPIRY);
    expect(invoice).toMatchObject({ status: 'expired', exceptionStatus: null });
  });
});

describe('status: overpayment', () => {
  it('marks paidOver when counted payments exceed the amount due, and keeps it when settling', () => {
    const over = applyObservation(openInvoice(), seen(DUE + 1n), BEFORE_EXPIRY);
    expect(over.invoice).toMatchObject({ status: 'processing', exceptionStatus: 'paidOver' });
    expect(typesOf(over.events)).toEqual(['invoice.payment_received', 'invoice.processing', 'invoice.paid_over']);

    const settled = applyObservation(over.invoice, confirmed(DUE + 1n), at(6));
    expect(settled.invoice).toMatchObject({ status: 'settled', exceptionStatus: 'paidOver' });
    expect(typesOf(settled.events)).toEqual(['invoice.payment_confirmed', 'invoice.settled']);
  });

  it('is not over when exactly the amount due was paid', () => {
    expect(applyObservation(openInvoice(), seen(DUE), BEFORE_EXPIRY).invoice.exceptionStatus).toBeNull();
  });

  it('marks a settled invoice paidOver when another payment arrives', () => {
    const settled = applyObservation(openInvoice(), confirmed(DUE), BEFORE_EXPIRY).invoice;
    const { invoice, events } = applyObservation(settled, seen(5n, { txid: 'tx-extra' }), at(30));
    expect(invoice).toMatchObject({ status: 'settled', exceptionStatus: 'paidOver' });
    expect(typesOf(events)).toEqual(['invoice.payment_received', 'invoice.paid_over']);
  });
});

describe('status: late payments', () => {
  it('settles a payment that covers the amount after expiry, with paidLate', () => {
    const expired = applyClock(openInvoice(), AFTER_EXPIRY).invoice;
    const late = applyObservation(expired, seen(DUE), at(30));
    expect(late.invoice).toMatchObject({ status: 'processing', exceptionStatus: 'paidLate' });
    expect(typesOf(late.events)).toEqual(['invoice.payment_received', 'invoice.processing', 'invoice.paid_late']);

    const settled = applyObservation(late.invoice, confirmed(DUE), at(40)).invoice;
    expect(settled).toMatchObject({ status: 'settled', exceptionStatus: 'paidLate' });
  });

  it('expires an unswept invoice first, then takes the late payment', () => {
    const { invoice, events } = applyObservation(openInvoice(), confirmed(DUE), AFTER_EXPIRY);
    expect(invoice).toMatchObject({ status: 'settled', exceptionStatus: 'paidLate' });
    expect(typesOf(events)).toEqual([
      'invoice.expired',
      'invoice.payment_received',
      'invoice.payment_confirmed',
      'invoice.settled',
      'invoice.paid_late',
    ]);
    expect(invoice.version).toBe(2);
  });

  it('is late when a partial payment in time is topped up after expiry', () => {
    const partial = applyObservation(openInvoice(), seen(40_000n), BEFORE_EXPIRY).invoice;
    const { invoice } = applyObservation(partial, seen(60_000n, { txid: 'tx-b' }), AFTER_EXPIRY);
    expect(invoice).toMatchObject({ status: 'processing', exceptionStatus: 'paidLate' });
  });

  it('is not late when the cover arrived in time and only the confirmation came after expiry', () => {
    const processing = applyObservation(openInvoice(), seen(DUE), BEFORE_EXPIRY).invoice;
    expect(applyObservation(processing, confirmed(DUE), AFTER_EXPIRY).invoice).toMatchObject({
      status: 'settled',
      exceptionStatus: null,
    });
  });

  it('gives paidLate precedence over paidOver; the overpayment stays visible in amountPaid', () => {
    const { invoice, events } = applyObservation(applyClock(openInvoice(), AFTER_EXPIRY).invoice, seen(DUE * 2n), at(30));
    expect(invoice.exceptionStatus).toBe('paidLate');
    expect(typesOf(events)).not.toContain('invoice.paid_over');
    expect(amountPaid(invoice) - invoice.amountDue).toBe(DUE);
  });

  it('keeps a late partial payment as paidPartial on the expired invoice', () => {
    const expired = applyClock(openInvoice(), AFTER_EXPIRY).invoice;
    expect(applyObservation(expired, seen(1n), at(30)).invoice).toMatchObject({ status: 'expired', exceptionStatus: 'paidPartial' });
  });
});

describe('status: losing the cover', () => {
  it('sends a processing invoice back to new when its payment is reverted', () => {
    const processing = applyObservation(openInvoice(), seen(DUE), BEFORE_EXPIRY).invoice;
    const { invoice, events } = applyObservation(processing, reverted(DUE), at(6));
    expect(invoice).toMatchObject({ status: 'new', exceptionStatus: null });
    expect(typesOf(events)).toEqual(['invoice.payment_reverted', 'invoice.reopened']);
    expect(amountPaid(invoice)).toBe(0n);
  });

  it('is paidPartial again when only part of the cover is lost', () => {
    const processing = applyAll(openInvoice(), [seen(50_000n), seen(50_000n, { txid: 'tx-b' })], BEFORE_EXPIRY).invoice;
    const { invoice, events } = applyObservation(processing, reverted(50_000n, { txid: 'tx-b' }), at(6));
    expect(invoice).toMatchObject({ status: 'new', exceptionStatus: 'paidPartial' });
    expect(typesOf(events)).toEqual(['invoice.payment_reverted', 'invoice.reopened', 'invoice.paid_partial']);
  });

  it('goes to expired instead of new when the cover is lost after expiry', () => {
    const processing = applyObservation(openInvoice(), seen(DUE), BEFORE_EXPIRY).invoice;
    const { invoice, events } = applyObservation(processing, reverted(DUE), AFTER_EXPIRY);
    expect(invoice).toMatchObject({ status: 'expired', exceptionStatus: null });
    expect(typesOf(events)).toEqual(['invoice.payment_reverted', 'invoice.expired']);
  });

  it('loses the cover when its unconfirmed payment turns out to signal Replace-By-Fee', () => {
    const processing = applyObservation(openInvoice(), seen(DUE), BEFORE_EXPIRY).invoice;
    const { invoice, events } = applyObservation(processing, seen(DUE, { rbf: true }), at(6));
    expect(invoice.status).toBe('new');
    expect(typesOf(events)).toEqual(['invoice.payment_updated', 'invoice.reopened']);
  });

  it('ignores a revert after confirmation: same invoice, no events', () => {
    const settled = applyObservation(openInvoice(), confirmed(DUE), BEFORE_EXPIRY).invoice;
    const change = applyObservation(settled, reverted(DUE), at(6));
    expect(change.invoice).toBe(settled);
    expect(change.events).toEqual([]);
  });

  it('counts a reverted payment again when it is confirmed after all (a dropped transaction mined later)', () => {
    const gone = applyAll(openInvoice(), [seen(DUE), reverted(DUE)], BEFORE_EXPIRY).invoice;
    expect(applyObservation(gone, seen(DUE), at(6)).invoice).toBe(gone);
    expect(applyObservation(gone, confirmed(DUE), at(6)).invoice.status).toBe('settled');
  });

  it('counts a reverted payment again once it is reported with a confirmation, not yet confirmed by policy (mined, so not dropped)', () => {
    const gone = applyAll(openInvoice(), [reverted(DUE, { confirmations: 0 })], BEFORE_EXPIRY).invoice;
    const { invoice, events } = applyObservation(gone, seen(DUE, { confirmations: 1 }), at(6));
    expect(invoice).toMatchObject({ status: 'processing', payments: [expect.objectContaining({ state: 'pending', confirmations: 1 })] });
    expect(typesOf(events)).toEqual(['invoice.payment_updated', 'invoice.processing']);
  });

  it('ignores a revert after a report with a confirmation, whatever the order', () => {
    const mined = applyObservation(openInvoice(), seen(DUE, { confirmations: 1 }), BEFORE_EXPIRY).invoice;
    expect(applyObservation(mined, reverted(DUE, { confirmations: 0 }), at(6)).invoice).toBe(mined);
  });
});

describe('status: settled never goes back', () => {
  const settled = applyObservation(openInvoice(), confirmed(DUE), BEFORE_EXPIRY).invoice;

  it.each([
    ['a late seen', seen(DUE)],
    ['a revert', reverted(DUE)],
    ['a late seen signalling RBF', seen(DUE, { rbf: true })],
  ])('stays settled after %s', (_name, observation) => {
    expect(applyObservation(settled, observation, at(6)).invoice.status).toBe('settled');
  });

  it('stays settled through expiry and the end of monitoring', () => {
    expect(applyClock(settled, AFTER_EXPIRY).invoice).toBe(settled);
    expect(applyClock(settled, AFTER_MONITORING).invoice).toBe(settled);
  });
});

describe('status: Replace-By-Fee', () => {
  it('does not count an unconfirmed RBF payment until a confirmed report for it arrives', () => {
    const rbf = applyObservation(openInvoice(), seen(DUE, { rbf: true }), BEFORE_EXPIRY);
    expect(rbf.invoice).toMatchObject({ status: 'new', exceptionStatus: null });
    expect(rbf.invoice.payments).toHaveLength(1);
    expect(amountPaid(rbf.invoice)).toBe(0n);
    expect(typesOf(rbf.events)).toEqual(['invoice.payment_received']);

    const mined = applyObservation(rbf.invoice, confirmed(DUE), at(6)).invoice;
    expect(mined.status).toBe('settled');
    expect(amountPaid(mined)).toBe(DUE);
  });

  it('ignores a late zero-confirmation RBF report for a payment that already has a confirmation', () => {
    const processing = applyObservation(openInvoice(), seen(DUE, { confirmations: 1 }), BEFORE_EXPIRY).invoice;
    expect(processing.status).toBe('processing');
    const late = applyObservation(processing, seen(DUE, { confirmations: 0, rbf: true }), at(6));
    expect(late.invoice).toBe(processing);
    expect(late.events).toEqual([]);
    expect(amountPaid(late.invoice)).toBe(DUE);
  });

  it('counts an RBF payment once it has one confirmation, even below the required confirmations', () => {
    const rbf = applyObservation(openInvoice(), seen(DUE, { confirmations: 0, rbf: true }), BEFORE_EXPIRY).invoice;
    expect(amountPaid(rbf)).toBe(0n);
    const { invoice, events } = applyObservation(rbf, seen(DUE, { confirmations: 1 }), at(6));
    expect(invoice).toMatchObject({ status: 'processing', exceptionStatus: null });
    expect(invoice.payments[0]).toMatchObject({ state: 'pending', confirmations: 1, rbf: false });
    expect(typesOf(events)).toEqual(['invoice.payment_updated', 'invoice.processing']);
  });

  it('gives the same ledger for an RBF report and a one-confirmation report in either order', () => {
    const reports = [seen(DUE, { confirmations: 0, rbf: true }), seen(DUE, { confirmations: 1 })];
    const forward = applyAll(openInvoice(), reports, BEFORE_EXPIRY).invoice;
    const backward = applyAll(openInvoice(), [...reports].reverse(), BEFORE_EXPIRY).invoice;
    expect(backward.payments).toEqual(forward.payments);
    expect(backward.status).toBe('processing');
  });

  it('counts a stored RBF payment that has a confirmation (ledgers recorded before the RBF flag was cleared by confirmations)', () => {
    const rbf = applyObservation(openInvoice(), seen(DUE, { confirmations: 0, rbf: true }), BEFORE_EXPIRY).invoice;
    const stored = { ...rbf, payments: rbf.payments.map((each) => ({ ...each, confirmations: 1 })) };
    expect(isCounted(stored, stored.payments[0]!)).toBe(true);
    expect(isCounted(rbf, rbf.payments[0]!)).toBe(false);
  });

  it('lets the sweep store an exception status that a ledger recorded by an older version now implies', () => {
    // Settled, then 5 sat more with RBF and a confirmation: stored before confirmations cleared the flag, the
    // extra payment did not count (no paidOver); today it counts, and only the exception status moves.
    const settled = applyAll(openInvoice(), [confirmed(DUE), seen(5n, { txid: 'tx-extra', rbf: true })], BEFORE_EXPIRY).invoice;
    const stored = {
      ...settled,
      payments: settled.payments.map((each) => (each.txid === 'tx-extra' ? { ...each, confirmations: 1 } : each)),
    };
    expect(stored).toMatchObject({ status: 'settled', exceptionStatus: null });
    const { invoice, events } = applyClock(stored, at(6));
    expect(invoice).toMatchObject({ status: 'settled', exceptionStatus: 'paidOver', version: stored.version + 1, updatedAt: at(6) });
    expect(typesOf(events)).toEqual(['invoice.paid_over']);
  });

  it('counts the replacement transaction once it is reported', () => {
    const replaced = applyAll(
      openInvoice(),
      [seen(DUE, { rbf: true }), reverted(DUE), seen(DUE, { txid: 'tx-replacement' })],
      BEFORE_EXPIRY,
    ).invoice;
    expect(replaced.status).toBe('processing');
    expect(amountPaid(replaced)).toBe(DUE);
  });
});

describe('status: what counts', () => {
  it('records a payment in another coin but never counts it', () => {
    const { invoice, events } = applyObservation(openInvoice(), confirmed(DUE, { coin: 'BCH' }), BEFORE_EXPIRY);
    expect(invoice.payments).toEqual([expect.objectContaining({ coin: 'BCH', state: 'confirmed' })]);
    expect(invoice).toMatchObject({ status: 'new', exceptionStatus: null });
    expect(amountPaid(invoice)).toBe(0n);
    expect(typesOf(events)).toEqual(['invoice.payment_received', 'invoice.payment_confirmed']);
  });

  it('keeps the same txid in two coins as two payments', () => {
    const { invoice } = applyAll(openInvoice(), [seen(DUE, { coin: 'BCH' }), seen(DUE)], BEFORE_EXPIRY);
    expect(invoice.payments).toHaveLength(2);
    expect(amountPaid(invoice)).toBe(DUE);
  });

  it('ignores test payments unless the invoice allows them', () => {
    const refused = applyObservation(openInvoice(), confirmed(DUE, { test: true }), BEFORE_EXPIRY).invoice;
    expect(refused).toMatchObject({ status: 'new', exceptionStatus: null });
    expect(refused.payments).toHaveLength(1);

    const allowed = applyObservation(openInvoice({ allowTestPayments: true }), confirmed(DUE, { test: true }), BEFORE_EXPIRY);
    expect(allowed.invoice.status).toBe('settled');
  });
});

describe('status: tolerance', () => {
  it('accepts an underpayment within the tolerance as paid', () => {
    const invoice = openInvoice({ tolerancePercent: '1' });
    expect(paymentThreshold(invoice)).toBe(99_000n);
    expect(applyObservation(invoice, seen(99_000n), BEFORE_EXPIRY).invoice).toMatchObject({
      status: 'processing',
      exceptionStatus: null,
    });
    expect(applyObservation(invoice, seen(98_999n), BEFORE_EXPIRY).invoice).toMatchObject({
      status: 'new',
      exceptionStatus: 'paidPartial',
    });
  });

  it('rounds the threshold up to a whole base unit, exactly', () => {
    // 12345 × 99.5 % = 12283.275 → 12284
    expect(paymentThreshold(openInvoice({ tolerancePercent: '0.5' }, { amountDue: 12_345n }))).toBe(12_284n);
    // 3 × 66.666667 % = 2.00000001 → 3: never rounded down through a float
    expect(paymentThreshold(openInvoice({ tolerancePercent: '33.333333' }, { amountDue: 3n }))).toBe(3n);
    expect(paymentThreshold(openInvoice({ tolerancePercent: '0' }))).toBe(DUE);
  });

  it('still wants at least one base unit with a 100 % tolerance', () => {
    const invoice = openInvoice({ tolerancePercent: '100' });
    expect(paymentThreshold(invoice)).toBe(1n);
    expect(applyClock(invoice, BEFORE_EXPIRY).invoice.status).toBe('new');
    expect(applyObservation(invoice, seen(1n), BEFORE_EXPIRY).invoice.status).toBe('processing');
  });
});

describe('status: the clock', () => {
  it('expires a new invoice at expiresAt and not before', () => {
    const invoice = openInvoice();
    expect(applyClock(invoice, at(14)).invoice).toBe(invoice);
    const { invoice: expired, events } = applyClock(invoice, invoice.expiresAt);
    expect(expired.status).toBe('expired');
    expect(events).toEqual([expect.objectContaining({ type: 'invoice.expired', status: 'expired', occurredAt: invoice.expiresAt })]);
  });

  it('leaves a processing invoice alone at expiry and makes it invalid when monitoring ends unconfirmed', () => {
    const processing = applyObservation(openInvoice(), seen(DUE), BEFORE_EXPIRY).invoice;
    expect(applyClock(processing, AFTER_EXPIRY).invoice).toBe(processing);
    const { invoice, events } = applyClock(processing, AFTER_MONITORING);
    expect(invoice.status).toBe('invalid');
    expect(typesOf(events)).toEqual(['invoice.invalid']);
  });

  it('keeps an invalid invoice invalid; a confirmation after the window is recorded only', () => {
    const invalid = applyClock(applyObservation(openInvoice(), seen(DUE), BEFORE_EXPIRY).invoice, AFTER_MONITORING).invoice;
    const { invoice, events } = applyObservation(invalid, confirmed(DUE), at(2000));
    expect(invoice.status).toBe('invalid');
    expect(invoice.payments[0]?.state).toBe('confirmed');
    expect(typesOf(events)).toEqual(['invoice.payment_confirmed']);
  });

  it('does not accept payments once the monitoring window has closed', () => {
    const expired = applyClock(openInvoice(), AFTER_EXPIRY).invoice;
    const { invoice, events } = applyObservation(expired, confirmed(DUE), AFTER_MONITORING);
    expect(invoice).toMatchObject({ status: 'expired', exceptionStatus: null });
    expect(invoice.payments).toHaveLength(1);
    expect(typesOf(events)).toEqual(['invoice.payment_received', 'invoice.payment_confirmed']);
  });

  it('accepts a late payment up to the last moment of the window', () => {
    const expired = applyClock(openInvoice(), AFTER_EXPIRY).invoice;
    expect(applyObservation(expired, confirmed(DUE), at(15 + 24 * 60 - 1)).invoice.status).toBe('settled');
  });

  it('expires an unswept new invoice straight away once the window has closed', () => {
    expect(applyClock(openInvoice(), AFTER_MONITORING).invoice.status).toBe('expired');
  });
});

describe('nextState: the state machine on its own', () => {
  const facts = { paid: 0n, confirmed: 0n, threshold: DUE, due: DUE, pastExpiry: false, monitoringClosed: false };

  it('keeps settled and invalid final whatever the facts say (e.g. an invoice loaded from an older store)', () => {
    expect(nextState({ status: 'settled', exceptionStatus: null }, facts)).toEqual({ status: 'settled', exceptionStatus: null });
    expect(nextState({ status: 'invalid', exceptionStatus: 'paidOver' }, { ...facts, paid: DUE, confirmed: DUE })).toEqual({
      status: 'invalid',
      exceptionStatus: 'paidOver',
    });
  });

  it('gives the same state when applied again to its own result', () => {
    const stateArb = fc.record({
      status: fc.constantFrom<InvoiceStatus>('new', 'processing', 'settled', 'expired', 'invalid'),
      exceptionStatus: fc.constantFrom<ExceptionStatus>(null, 'paidPartial', 'paidOver', 'paidLate'),
    });
    const factsArb = fc
      .record({ paid: fc.bigInt({ min: 0n, max: 3n * DUE }), share: fc.bigInt({ min: 0n, max: 100n }), pastExpiry: fc.boolean() })
      .chain(({ paid, share, pastExpiry }) =>
        fc.record({
          paid: fc.constant(paid),
          confirmed: fc.constant((paid * share) / 100n),
          threshold: fc.bigInt({ min: 1n, max: DUE }),
          due: fc.constant(DUE),
          pastExpiry: fc.constant(pastExpiry),
          monitoringClosed: pastExpiry ? fc.boolean() : fc.constant(false),
        }),
      );
    fc.assert(
      fc.property(stateArb, factsArb, (state, facts) => {
        const once = nextState(state, facts);
        expect(nextState(once, facts)).toEqual(once);
      }),
    );
  });
});
