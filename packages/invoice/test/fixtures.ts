import {
  applyObservation,
  createInvoice,
  type Invoice,
  type InvoiceChange,
  InvoiceError,
  type InvoiceEvent,
  invoicePolicy,
  type InvoicePolicy,
  type NewInvoice,
  type ObservationKind,
  type PaymentObservation,
} from '../src/index.js';

export const CREATED_AT = new Date('2026-03-01T12:00:00.000Z');
export const DUE = 100_000n;
export const ADDRESS = 'bc1qinvoiceaddress';

/** A moment `offset` minutes after the invoice was created (expiry is at 15, end of monitoring at 15 + 1440). */
export function at(offset: number): Date {
  return new Date(CREATED_AT.getTime() + offset * 60_000);
}

export const BEFORE_EXPIRY = at(5);
export const AFTER_EXPIRY = at(20);
export const AFTER_MONITORING = at(15 + 24 * 60);

export function newInvoiceInput(overrides: Partial<NewInvoice> = {}): NewInvoice {
  return {
    id: 'inv_1',
    provider: 'blockonomics',
    coin: 'BTC',
    orderId: 'order-1',
    fiat: { currency: 'USD', minor: 6_000n },
    rate: '60000',
    amountDue: DUE,
    address: ADDRESS,
    providerReference: null,
    metadata: { cart: 'c-1' },
    ...overrides,
  };
}

export function openInvoice(policy: Partial<InvoicePolicy> = {}, overrides: Partial<NewInvoice> = {}): Invoice {
  return createInvoice(newInvoiceInput(overrides), invoicePolicy(policy), CREATED_AT).invoice;
}

export function payment(kind: ObservationKind, amount: bigint, overrides: Partial<PaymentObservation> = {}): PaymentObservation {
  return { coin: 'BTC', txid: 'tx-a', address: ADDRESS, amount, kind, confirmations: null, rbf: false, test: false, ...overrides };
}

export const seen = (amount: bigint, overrides: Partial<PaymentObservation> = {}) => payment('seen', amount, overrides);
export const confirmed = (amount: bigint, overrides: Partial<PaymentObservation> = {}) => payment('confirmed', amount, overrides);
export const reverted = (amount: bigint, overrides: Partial<PaymentObservation> = {}) => payment('reverted', amount, overrides);

/** Applies observations in order, all at `now`, and collects every event. */
export function applyAll(invoice: Invoice, observations: readonly PaymentObservation[], now: Date): InvoiceChange {
  const events: InvoiceEvent[] = [];
  let current = invoice;
  for (const observation of observations) {
    const change = applyObservation(current, observation, now);
    current = change.invoice;
    events.push(...change.events);
  }
  return { invoice: current, events };
}

export function typesOf(events: readonly InvoiceEvent[]): string[] {
  return events.map((event) => event.type);
}

/** The InvoiceError `fn` throws, so tests can assert its code and field. */
export function invoiceErrorOf(fn: () => unknown): InvoiceError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InvoiceError) return error;
    throw error;
  }
  throw new Error('expected an InvoiceError');
}
