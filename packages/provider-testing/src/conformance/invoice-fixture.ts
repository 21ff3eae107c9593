import { DEFAULT_INVOICE_POLICY, type CoinDefinition, type FiatAmount, type Invoice } from '@cryptopay/invoice';
import { type PaymentRequest } from '../contract/payment-request.js';

/** The stored invoice the core would create for a payment request, as plain data. */
export function invoiceFor(
  id: string,
  provider: string,
  coin: CoinDefinition,
  fiat: FiatAmount,
  request: PaymentRequest,
): Invoice {
  const now = new Date();
  return {
    id,
    provider,
    coin: coin.code,
    orderId: `order-${id}`,
    fiat,
    rate: request.rate,
    amountDue: request.amountDue,
    address: request.address,
    providerReference: request.providerReference,
    expiresAt: new Date(now.getTime() + DEFAULT_INVOICE_POLICY.expiryMinutes * 60_000),
    status: 'new',
    exceptionStatus: null,
    policy: DEFAULT_INVOICE_POLICY,
    metadata: {},
    payments: [],
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}
