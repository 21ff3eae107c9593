import { isCoinCode } from '../money/coins.js';
import { currencyExponent, type FiatAmount } from '../money/fiat.js';
import { MoneyError } from '../money/money-error.js';
import { parseExchangeRate } from '../money/quote.js';
import { type InvoiceChange } from './apply.js';
import { InvoiceError } from './errors.js';
import { statusEvent } from './events.js';
import { type Invoice } from './invoice.js';
import { type InvoicePolicy, validateInvoicePolicy } from './policy.js';
import { assertClock, requireBaseUnits, requireText } from './validation.js';

/** What the caller decides when opening an invoice; the rest follows from the policy and `now`. */
export type NewInvoice = Pick<Invoice, 'id' | 'provider' | 'coin' | 'orderId' | 'fiat' | 'rate' | 'amountDue' | 'address'> & {
  readonly providerReference?: string | null;
  /** Merchant data kept with the invoice; must be a JSON object. */
  readonly metadata?: Readonly<Record<string, unknown>>;
};

const CODE = 'invalid-invoice';

/** Opens an invoice in status `new`, version 1, expiring `policy.expiryMinutes` after `now`. */
export function createInvoice(input: NewInvoice, policy: InvoicePolicy, now: Date): InvoiceChange {
  assertClock(now);
  const checkedPolicy = validateInvoicePolicy(policy);
  const fiat = checkFiat(input.fiat);
  const invoice: Invoice = {
    id: requireText(input.id, 'id', CODE),
    provider: requireText(input.provider, 'provider', CODE),
    coin: checkCoin(input.coin),
    orderId: requireText(input.orderId, 'orderId', CODE),
    fiat,
    rate: checkRate(fiat.currency, input.rate),
    amountDue: requireBaseUnits(input.amountDue, 'amountDue', CODE, 1n),
    address: requireText(input.address, 'address', CODE),
    providerReference: input.providerReference == null ? null : requireText(input.providerReference, 'providerReference', CODE),
    expiresAt: new Date(now.getTime() + checkedPolicy.expiryMinutes * 60_000),
    status: 'new',
    exceptionStatus: null,
    policy: checkedPolicy,
    metadata: checkMetadata(input.metadata ?? {}),
    payments: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  return { invoice, events: [statusEvent('invoice.created', invoice, now)] };
}

function checkCoin(coin: unknown): string {
  if (typeof coin === 'string' && isCoinCode(coin)) return coin;
  throw new InvoiceError(CODE, 'coin', 'coin must be a coin code like BTC or USDT_TRC20');
}

function checkFiat(fiat: FiatAmount): FiatAmount {
  if (typeof fiat !== 'object' || fiat === null) throw new InvoiceError(CODE, 'fiat', 'fiat must be a fiat amount');
  rethrowMoneyError('fiat.currency', () => currencyExponent(fiat.currency));
  return { currency: fiat.currency, minor: requireBaseUnits(fiat.minor, 'fiat.minor', CODE, 1n) };
}

function checkRate(currency: string, rate: unknown): string {
  if (typeof rate !== 'string') throw new InvoiceError(CODE, 'rate', 'rate must be a decimal string like "64123.45"');
  rethrowMoneyError('rate', () => parseExchangeRate(currency, rate));
  return rate;
}

/** Stores persist metadata as JSON, so it must survive a JSON round trip; the copy is what is kept. */
function checkMetadata(metadata: unknown): Readonly<Record<string, unknown>> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new InvoiceError(CODE, 'metadata', 'metadata must be a JSON object');
  }
  try {
    return JSON.parse(JSON.stringify(metadata)) as Record<string, unknown>;
  } catch {
    throw new InvoiceError(CODE, 'metadata', 'metadata must be a JSON object (no bigint, no cycles)');
  }
}

function rethrowMoneyError(field: string, check: () => unknown): void {
  try {
    check();
  } catch (error) {
    if (error instanceof MoneyError) throw new InvoiceError(CODE, field, `${field}: ${error.message}`);
    throw error;
  }
}
