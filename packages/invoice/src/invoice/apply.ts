import { InvoiceError } from './errors.js';
import { EXCEPTION_EVENT_TYPE, type InvoiceEvent, type InvoiceStatusEventType, STATUS_EVENT_TYPE, statusEvent } from './events.js';
import { type Invoice } from './invoice.js';
import { type LedgerChange, recordObservation } from './ledger.js';
import { type PaymentObservation, validateObservation } from './observation.js';
import { nextState, statusFacts } from './status.js';
import { assertClock } from './validation.js';

/** The result of evolving an invoice: the SAME invoice object and no events when nothing changed. */
export interface InvoiceChange {
  readonly invoice: Invoice;
  readonly events: readonly InvoiceEvent[];
}

/**
 * Records what a provider reported about one payment and re-evaluates the status. Idempotent and
 * order-insensitive (see {@link recordObservation}); a repeated observation returns the same invoice.
 */
export function applyObservation(invoice: Invoice, observation: PaymentObservation, now: Date): InvoiceChange {
  assertClock(now);
  const checked = validateObservation(observation);
  if (checked.address !== invoice.address) {
    throw new InvoiceError('invalid-observation', 'address', `the payment's address is not invoice ${invoice.id}'s address`);
  }
  const ledger = recordObservation(invoice, checked, now);
  if (ledger.payments === invoice.payments) return { invoice, events: [] };
  return evolve(invoice, ledger, now);
}

/** Applies the time-driven rules (expiry, end of monitoring); the gateway's sweep calls it. */
export function applyClock(invoice: Invoice, now: Date): InvoiceChange {
  assertClock(now);
  return evolve(invoice, { payments: invoice.payments, events: [] }, now);
}

/**
 * Brings the status up to `now` on the old ledger first, as a timely sweep would have (so a late
 * payment on a `new` invoice first expires it), then applies the ledger change.
 */
function evolve(invoice: Invoice, ledger: LedgerChange, now: Date): InvoiceChange {
  const timed: Invoice = { ...invoice, ...nextState(invoice, statusFacts(invoice, now)) };
  const recorded: Invoice = { ...timed, payments: ledger.payments };
  const final: Invoice = { ...recorded, ...nextState(recorded, statusFacts(recorded, now)) };
  const changed =
    ledger.payments !== invoice.payments || final.status !== invoice.status || final.exceptionStatus !== invoice.exceptionStatus;
  if (!changed) return { invoice, events: [] };
  return {
    invoice: { ...final, version: invoice.version + 1, updatedAt: now },
    events: [...stateEvents(invoice, timed, now), ...ledger.events, ...stateEvents(recorded, final, now)],
  };
}

function stateEvents(before: Invoice, after: Invoice, now: Date): InvoiceEvent[] {
  const types: InvoiceStatusEventType[] = [];
  if (after.status !== before.status) types.push(STATUS_EVENT_TYPE[after.status]);
  if (after.exceptionStatus !== null && after.exceptionStatus !== before.exceptionStatus) {
    types.push(EXCEPTION_EVENT_TYPE[after.exceptionStatus]);
  }
  return types.map((type) => statusEvent(type, after, now));
}
