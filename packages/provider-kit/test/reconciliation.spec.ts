import { describe, expect, test } from '@jest/globals';
import { createInvoice, DEFAULT_INVOICE_POLICY, type Invoice } from '@cryptopay/invoice';
import { assertCapabilities, bindReconciledPayment, type ProviderCapabilities, type ReconciledPayment } from '../src/index.js';

const NOW = new Date('2026-01-02T03:04:05Z');
const ADDRESS = 'tb1qinvoiceaddress';

function invoice(): Invoice {
  return createInvoice(
    {
      id: '0b6e4a1c-3f1e-4a57-9d7b-2a51f6f0c001',
      provider: 'tokenpay',
      coin: 'BTC',
      orderId: 'order-1',
      fiat: { currency: 'USD', minor: 2500n },
      rate: '50000.00',
      amountDue: 50_000n,
      address: ADDRESS,
      providerReference: 'nonce-stored-with-the-invoice',
    },
    DEFAULT_INVOICE_POLICY,
    NOW,
  ).invoice;
}

const paid: ReconciledPayment = { txid: 'tx-1', amount: 50_000n, kind: 'confirmed', confirmations: 2, rbf: false, test: false };

describe('bindReconciledPayment', () => {
  test('completes the address and coin from the invoice, as for a callback that leaves them out', () => {
    expect(bindReconciledPayment({ name: 'tokenpay' }, paid, invoice())).toEqual({
      accepted: true,
      observation: { ...paid, address: ADDRESS, coin: 'BTC' },
    });
  });

  test.each([
    ['another address', { address: 'tb1qsomeoneelse' }, "the payment's address is not the address of invoice"],
    ['another coin', { coin: 'BCH' }, 'the payment is in BCH'],
  ])('refuses a payment to %s, as the binding policy refuses such a callback', (_case, override, reason) => {
    const binding = bindReconciledPayment({ name: 'tokenpay' }, { ...paid, ...override }, invoice());
    expect(binding).toMatchObject({ status: 403 });
    expect('reason' in binding ? binding.reason : '').toContain(reason);
  });

  test("refuses an invoice of another provider", () => {
    expect(bindReconciledPayment({ name: 'otherpay' }, paid, invoice())).toMatchObject({ status: 403 });
  });
});

describe('the reconciliation capability', () => {
  const capabilities: ProviderCapabilities = { coins: ['BTC'], callbackMethods: ['GET'], pendingNotifications: true, signatureScheme: 'url-secret' };
  const reconcile = async () => [];

  test('is declared together with the method', () => {
    expect(() => assertCapabilities({ name: 'p1', capabilities: { ...capabilities, reconciliation: 'provider-log' }, reconcile })).not.toThrow();
    expect(() => assertCapabilities({ name: 'p1', capabilities })).not.toThrow();
  });

  test.each([
    ['declared without the method', { ...capabilities, reconciliation: 'address-history' as const }, undefined, 'implements no reconcile method'],
    ['implemented without the declaration', capabilities, reconcile, 'declares no capabilities.reconciliation'],
    ['of an unknown source', { ...capabilities, reconciliation: 'psychic' as never }, reconcile, 'unknown reconciliation "psychic"'],
  ])('refuses a reconciliation %s', (_case, manifest, method, message) => {
    expect(() => assertCapabilities({ name: 'p1', capabilities: manifest, ...(method ? { reconcile: method } : {}) })).toThrow(message);
  });
});
