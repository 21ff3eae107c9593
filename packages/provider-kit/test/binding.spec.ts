import { describe, expect, test } from '@jest/globals';
import { createInvoice, DEFAULT_INVOICE_POLICY, type Invoice } from '@cryptopay/invoice';
import { bindToInvoice, type PaymentNotification, type ProviderAdapter } from '../src/index.js';

const NOW = new Date('2026-01-02T03:04:05Z');
const NONCE = 'n0nce-of-the-invoice-4f1c';

function invoice(overrides: { provider?: string; providerReference?: string | null } = {}): Invoice {
  return createInvoice(
    {
      id: '0b6e4a1c-3f1e-4a57-9d7b-2a51f6f0c001',
      provider: overrides.provider ?? 'tokenpay',
      coin: 'BTC',
      orderId: 'order-1',
      fiat: { currency: 'USD', minor: 2500n },
      rate: '50000.00',
      amountDue: 50_000n,
      address: 'tb1qinvoiceaddress',
      providerReference: overrides.providerReference === undefined ? NONCE : overrides.providerReference,
    },
    DEFAULT_INVOICE_POLICY,
    NOW,
  ).invoice;
}

type Adapter = Pick<ProviderAdapter, 'name' | 'invoiceNonce'>;
const byAddress: Adapter = { name: 'tokenpay' };
const withNonce: Adapter = { name: 'tokenpay', invoiceNonce: (bound) => bound.providerReference };

function notification(overrides: Partial<PaymentNotification> = {}, payment: Partial<PaymentNotification['payment']> = {}): PaymentNotification {
  return {
    deliveryKey: 'tx-1.2',
    invoice: { by: 'address', address: 'tb1qinvoiceaddress' },
    payment: { txid: 'tx-1', amount: 50_000n, kind: 'confirmed', confirmations: 2, rbf: false, test: false, address: 'tb1qinvoiceaddress', coin: 'BTC', ...payment },
    ...overrides,
  };
}

function refusal(adapter: Adapter, candidate: PaymentNotification, target: Invoice = invoice()): { status: number; reason: string } | 'accepted' {
  const binding = bindToInvoice(adapter, candidate, target);
  return binding.accepted ? 'accepted' : { status: binding.status, reason: binding.reason };
}

describe('bindToInvoice, the core binding policy', () => {
  test('accepts a notification that fits its invoice, with the observation the core applies', () => {
    expect(bindToInvoice(byAddress, notification(), invoice())).toEqual({
      accepted: true,
      observation: { coin: 'BTC', address: 'tb1qinvoiceaddress', txid: 'tx-1', amount: 50_000n, kind: 'confirmed', confirmations: 2, rbf: false, test: false },
    });
  });

  test('completes the address and coin a callback leaves out from the invoice found', () => {
    const named = notification({ invoice: { by: 'id', invoiceId: invoice().id } }, { address: undefined, coin: undefined });
    const binding = bindToInvoice(byAddress, named, invoice());
    expect(binding).toMatchObject({ accepted: true, observation: { address: 'tb1qinvoiceaddress', coin: 'BTC', txid: 'tx-1', amount: 50_000n } });
  });

  test.each([
    ['an invoice of another provider', notification(), invoice({ provider: 'otherpay' }), 403, 'belongs to provider otherpay, not tokenpay'],
    ['another invoice id', notification({ invoice: { by: 'id', invoiceId: 'a1b2c3d4-0000-4000-8000-000000000000' } }), invoice(), 403, 'names invoice a1b2c3d4'],
    ['another address as locator, though the payment names none', notification({ invoice: { by: 'address', address: 'tb1qelsewhere' } }, { address: undefined }), invoice(), 403, 'another address'],
    ['a payment to another address', notification({}, { address: 'tb1qelsewhere' }), invoice(), 403, "payment's address is not the address"],
    ['a payment in another coin', notification({}, { coin: 'LTC' }), invoice(), 403, 'the payment is in LTC but invoice'],
  ])('refuses %s (%#)', (_case, candidate, target, status, reason) => {
    expect(refusal(byAddress, candidate, target)).toEqual({ status, reason: expect.stringContaining(reason) });
  });

  test('clips a coin name the callback made up in the reason', () => {
    const result = refusal(byAddress, notification({}, { coin: 'X'.repeat(500) }));
    expect(result).toEqual({ status: 403, reason: expect.stringContaining(`in ${'X'.repeat(16)} but`) });
  });

  describe('for an adapter that binds by a per-invoice nonce', () => {
    test('accepts the invoice’s nonce', () => {
      expect(refusal(withNonce, notification({ nonce: NONCE }))).toBe('accepted');
    });

    test('refuses a callback that carries none with 401, an empty one too', () => {
      expect(refusal(withNonce, notification())).toEqual({ status: 401, reason: 'the callback carries no nonce' });
      expect(refusal(withNonce, notification({ nonce: '' }))).toEqual({ status: 401, reason: 'the callback carries no nonce' });
    });

    // Compared through the kit's constant-time helper: lengths may differ, and no prefix or case passes.
    test.each([
      ['a prefix', NONCE.slice(0, -1)],
      ['an extension', `${NONCE}x`],
      ['another case', NONCE.toUpperCase()],
      ['the last character changed', `${NONCE.slice(0, -1)}d`],
      ['one character', 'x'],
      ['4 KiB', 'n'.repeat(4096)],
    ])('refuses %s of the nonce with 403', (_case, nonce) => {
      expect(refusal(withNonce, notification({ nonce }))).toEqual({ status: 403, reason: expect.stringContaining('the nonce does not match invoice') });
    });

    test('refuses when the invoice has no stored nonce to check against, whatever the callback carries', () => {
      expect(refusal(withNonce, notification({ nonce: NONCE }), invoice({ providerReference: null }))).toEqual({
        status: 403,
        reason: expect.stringContaining('has no stored callback nonce'),
      });
    });

    test('checks the nonce before the address, so a wrong nonce is never reported as a wrong address', () => {
      expect(refusal(withNonce, notification({ nonce: 'wrong' }, { address: 'tb1qelsewhere' }))).toMatchObject({ reason: expect.stringContaining('nonce') });
    });

    test('ignores a nonce the callback carries when the adapter binds by none', () => {
      expect(refusal(byAddress, notification({ nonce: 'anything' }))).toBe('accepted');
    });
  });

  test('never puts the nonce into a reason', () => {
    const reasons = [notification({ nonce: 'leaked-candidate' }), notification()].map((candidate) => refusal(withNonce, candidate, invoice()));
    expect(JSON.stringify(reasons)).not.toContain(NONCE);
    expect(JSON.stringify(reasons)).not.toContain('leaked-candidate');
  });
});
