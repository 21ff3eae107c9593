import {
  classifyConfirmations,
  createInvoice,
  DEFAULT_INVOICE_POLICY,
  INVOICE_EVENT_TYPES,
  INVOICE_PAYMENT_EVENT_TYPES,
  INVOICE_STATUS_EVENT_TYPES,
  invoicePolicy,
  type InvoicePolicy,
  type NewInvoice,
  nextTimeCheckAt,
  providerConfirmationPolicy,
  validateInvoicePolicy,
} from '../src/index.js';
import { at, CREATED_AT, DUE, invoiceErrorOf, newInvoiceInput } from './fixtures.js';

describe('createInvoice', () => {
  it('opens a new invoice, version 1, expiring after the policy expiry, and emits invoice.created', () => {
    const { invoice, events } = createInvoice(newInvoiceInput(), DEFAULT_INVOICE_POLICY, CREATED_AT);
    expect(invoice).toEqual({
      ...newInvoiceInput(),
      expiresAt: at(15),
      status: 'new',
      exceptionStatus: null,
      policy: DEFAULT_INVOICE_POLICY,
      metadata: { cart: 'c-1' },
      payments: [],
      version: 1,
      createdAt: CREATED_AT,
      updatedAt: CREATED_AT,
    });
    expect(events).toEqual([
      {
        type: 'invoice.created',
        invoiceId: 'inv_1',
        occurredAt: CREATED_AT,
        status: 'new',
        exceptionStatus: null,
        amountDue: DUE,
        amountPaid: 0n,
        amountConfirmed: 0n,
      },
    ]);
    expect(nextTimeCheckAt(invoice)).toEqual(at(15));
  });

  it('snapshots the policy, so later changes to the caller object do not rewrite it', () => {
    const policy = { ...DEFAULT_INVOICE_POLICY, expiryMinutes: 30 };
    const { invoice } = createInvoice(newInvoiceInput(), policy, CREATED_AT);
    policy.expiryMinutes = 60;
    expect(invoice.policy.expiryMinutes).toBe(30);
    expect(invoice.expiresAt).toEqual(at(30));
  });

  it('keeps a JSON copy of the metadata', () => {
    const metadata = { cart: { items: 2 } };
    const { invoice } = createInvoice(newInvoiceInput({ metadata }), DEFAULT_INVOICE_POLICY, CREATED_AT);
    metadata.cart.items = 3;
    expect(invoice.metadata).toEqual({ cart: { items: 2 } });
  });

  it.each<[string, Partial<NewInvoice>, string]>([
    ['an empty id', { id: '' }, 'id'],
    ['a missing provider', { provider: undefined as unknown as string }, 'provider'],
    ['a lowercase coin', { coin: 'btc' }, 'coin'],
    ['an empty order id', { orderId: '' }, 'orderId'],
    ['a zero amount due', { amountDue: 0n }, 'amountDue'],
    ['an amount due given as a number', { amountDue: 100 as unknown as bigint }, 'amountDue'],
    ['an empty address', { address: '' }, 'address'],
    ['an unknown currency', { fiat: { currency: 'usd', minor: 100n } }, 'fiat.currency'],
    ['a zero fiat amount', { fiat: { currency: 'USD', minor: 0n } }, 'fiat.minor'],
    ['a zero rate', { rate: '0' }, 'rate'],
    ['a rate in exponent notation', { rate: '6e4' }, 'rate'],
    ['a rate given as a number', { rate: 60000 as unknown as string }, 'rate'],
    ['an array as metadata', { metadata: [] as unknown as Record<string, unknown> }, 'metadata'],
    ['text as metadata', { metadata: 'cart c-1' as unknown as Record<string, unknown> }, 'metadata'],
    ['a number as metadata', { metadata: 42 as unknown as Record<string, unknown> }, 'metadata'],
    ['metadata holding a bigint', { metadata: { amount: 1n } }, 'metadata'],
    ['an empty provider reference', { providerReference: '' }, 'providerReference'],
  ])('rejects %s with a typed error naming the field', (_name, overrides, field) => {
    const error = invoiceErrorOf(() => createInvoice(newInvoiceInput(overrides), DEFAULT_INVOICE_POLICY, CREATED_AT));
    expect(error).toMatchObject({ code: 'invalid-invoice', field });
    expect(error.message).toContain(field);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['a decimal string', '25.00'],
  ])('rejects a fiat price that is %s, naming it', (_case, fiat) => {
    const error = invoiceErrorOf(() => createInvoice(newInvoiceInput({ fiat: fiat as unknown as NewInvoice['fiat'] }), DEFAULT_INVOICE_POLICY, CREATED_AT));
    expect(error).toMatchObject({ code: 'invalid-invoice', field: 'fiat', message: 'fiat must be a fiat amount' });
  });

  it('accepts identifiers up to 256 characters and refuses longer ones', () => {
    const longest = 'i'.repeat(256);
    expect(createInvoice(newInvoiceInput({ id: longest }), DEFAULT_INVOICE_POLICY, CREATED_AT).invoice.id).toBe(longest);
    const error = invoiceErrorOf(() => createInvoice(newInvoiceInput({ id: `${longest}i` }), DEFAULT_INVOICE_POLICY, CREATED_AT));
    expect(error).toMatchObject({ name: 'InvoiceError', field: 'id', message: 'id must be a non-empty string of at most 256 characters' });
  });

  it('refuses an invalid clock as a programming error, not as bad input', () => {
    expect(() => createInvoice(newInvoiceInput(), DEFAULT_INVOICE_POLICY, new Date(Number.NaN))).toThrow(new TypeError('now must be a valid Date'));
  });

  it('rejects an invalid policy before creating anything', () => {
    const policy = { ...DEFAULT_INVOICE_POLICY, tolerancePercent: '-1' };
    expect(invoiceErrorOf(() => createInvoice(newInvoiceInput(), policy, CREATED_AT))).toMatchObject({ code: 'invalid-policy' });
  });
});

describe('invoice policies', () => {
  it("uses BTCPay's defaults: 15 min expiry, 24 h monitoring, 0 % tolerance, no test payments", () => {
    expect(invoicePolicy()).toEqual({ expiryMinutes: 15, monitoringMinutes: 1440, tolerancePercent: '0', allowTestPayments: false });
    expect(Object.isFrozen(invoicePolicy({ expiryMinutes: 30 }))).toBe(true);
  });

  it.each<[string, Partial<InvoicePolicy>, string]>([
    ['a negative tolerance', { tolerancePercent: '-0.5' }, 'policy.tolerancePercent'],
    ['a tolerance over 100', { tolerancePercent: '100.000001' }, 'policy.tolerancePercent'],
    ['a tolerance with too many decimals', { tolerancePercent: '0.0000001' }, 'policy.tolerancePercent'],
    ['a tolerance given as a number', { tolerancePercent: 1 as unknown as string }, 'policy.tolerancePercent'],
    ['fractional expiry minutes', { expiryMinutes: 1.5 }, 'policy.expiryMinutes'],
    ['a zero expiry', { expiryMinutes: 0 }, 'policy.expiryMinutes'],
    ['negative monitoring minutes', { monitoringMinutes: -1 }, 'policy.monitoringMinutes'],
    ['NaN monitoring minutes', { monitoringMinutes: Number.NaN }, 'policy.monitoringMinutes'],
    ['monitoring longer than a year', { monitoringMinutes: 366 * 24 * 60 + 1 }, 'policy.monitoringMinutes'],
    ['a non-boolean test switch', { allowTestPayments: 'no' as unknown as boolean }, 'policy.allowTestPayments'],
  ])('rejects %s', (_name, overrides, field) => {
    expect(invoiceErrorOf(() => invoicePolicy(overrides))).toMatchObject({ code: 'invalid-policy', field });
  });

  it('accepts the edges: 100 % tolerance, no monitoring window', () => {
    expect(invoicePolicy({ tolerancePercent: '100', monitoringMinutes: 0 })).toMatchObject({ tolerancePercent: '100', monitoringMinutes: 0 });
  });

  it.each([null, 'strict', 15])('refuses %p as a policy', (policy) => {
    expect(invoiceErrorOf(() => validateInvoicePolicy(policy as unknown as InvoicePolicy))).toMatchObject({
      field: 'policy',
      message: 'policy must be an object',
    });
  });

  it('accepts the longest windows, a year, and says the range of a whole number it refuses', () => {
    const year = 366 * 24 * 60;
    expect(invoicePolicy({ expiryMinutes: year, monitoringMinutes: year })).toMatchObject({ expiryMinutes: year, monitoringMinutes: year });
    expect(invoiceErrorOf(() => invoicePolicy({ expiryMinutes: year + 1 })).message).toBe('policy.expiryMinutes must be a whole number from 1 to 527040');
  });

  it('says what a tolerance and the test switch must be', () => {
    const tolerance = 'policy.tolerancePercent must be a decimal percent from 0 to 100 with at most 6 decimal places, like "0.5"';
    expect(invoiceErrorOf(() => invoicePolicy({ tolerancePercent: 1 as unknown as string })).message).toBe(tolerance);
    expect(invoiceErrorOf(() => invoicePolicy({ tolerancePercent: '100.5' })).message).toBe(tolerance);
    expect(invoiceErrorOf(() => invoicePolicy({ tolerancePercent: '0.0000001' })).message).toBe(tolerance);
    expect(invoicePolicy({ tolerancePercent: '100' }).tolerancePercent).toBe('100');
    expect(invoiceErrorOf(() => invoicePolicy({ allowTestPayments: 1 as unknown as boolean })).message).toBe(
      'policy.allowTestPayments must be true or false',
    );
  });
});

describe('provider confirmation policies', () => {
  const blockonomics = providerConfirmationPolicy('blockonomics', 2);

  it('classifies a payment as confirmed once it has the required confirmations', () => {
    expect(classifyConfirmations(blockonomics, 1, false)).toBe('seen');
    expect(classifyConfirmations(blockonomics, 2, false)).toBe('confirmed');
    expect(classifyConfirmations(blockonomics, 6, false)).toBe('confirmed');
  });

  it('never treats an unconfirmed RBF payment as confirmed, even with zero required', () => {
    const zeroConf = providerConfirmationPolicy('blockonomics', 0);
    expect(classifyConfirmations(zeroConf, 0, false)).toBe('confirmed');
    expect(classifyConfirmations(zeroConf, 0, true)).toBe('seen');
    expect(classifyConfirmations(zeroConf, 1, true)).toBe('confirmed');
  });

  it.each([[-1], [1.5], [Number.NaN], [1001]])('rejects %p required confirmations', (required) => {
    expect(invoiceErrorOf(() => providerConfirmationPolicy('blockbee', required))).toMatchObject({
      code: 'invalid-policy',
      field: 'requiredConfirmations',
    });
  });

  it('rejects an unnamed provider and a bad confirmation count', () => {
    expect(invoiceErrorOf(() => providerConfirmationPolicy('', 1))).toMatchObject({ field: 'provider' });
    expect(invoiceErrorOf(() => classifyConfirmations(blockonomics, -1, false))).toMatchObject({ field: 'confirmations' });
  });
});

describe('event names', () => {
  it('are exactly the events docs/invoice.md lists, each once, status events apart from payment events', () => {
    expect([...INVOICE_STATUS_EVENT_TYPES].sort()).toEqual([
      'invoice.created',
      'invoice.expired',
      'invoice.invalid',
      'invoice.paid_late',
      'invoice.paid_over',
      'invoice.paid_partial',
      'invoice.processing',
      'invoice.reopened',
      'invoice.settled',
    ]);
    expect([...INVOICE_PAYMENT_EVENT_TYPES].sort()).toEqual([
      'invoice.payment_confirmed',
      'invoice.payment_received',
      'invoice.payment_reverted',
      'invoice.payment_updated',
    ]);
    expect(INVOICE_EVENT_TYPES).toEqual([...INVOICE_STATUS_EVENT_TYPES, ...INVOICE_PAYMENT_EVENT_TYPES]);
  });
});
