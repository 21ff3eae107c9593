import { describe, expect, test } from '@jest/globals';
import { createInvoice, DEFAULT_INVOICE_POLICY, type Invoice } from '@cryptopay/invoice';
import {
  ACCEPTED,
  type Acknowledgement,
  type BoundCallback,
  type CallbackNotification,
  type CallbackRefusal,
  type CallbackVerdict,
  type InvoiceLocator,
  type PaymentNotification,
  type PipelineSteps,
  type ProviderAdapter,
  type RawCallback,
  rejected,
  runCallbackPipeline,
} from '../src/index.js';

const NOW = new Date('2026-01-02T03:04:05Z');
const INVOICE: Invoice = createInvoice(
  {
    id: '0b6e4a1c-3f1e-4a57-9d7b-2a51f6f0c001',
    provider: 'stagepay',
    coin: 'BTC',
    orderId: 'order-1',
    fiat: { currency: 'USD', minor: 2500n },
    rate: '50000.00',
    amountDue: 50_000n,
    address: 'tb1qinvoiceaddress',
  },
  DEFAULT_INVOICE_POLICY,
  NOW,
).invoice;

const RAW: RawCallback = {
  method: 'GET',
  target: '/v1/callbacks/stagepay?x=1',
  url: 'https://pay.example.test/v1/callbacks/stagepay?x=1',
  headers: {},
  body: new Uint8Array(),
  socketAddress: '127.0.0.1',
  receivedAt: NOW,
};

const PAYMENT: PaymentNotification = {
  deliveryKey: 'tx-1.confirmed',
  invoice: { by: 'id', invoiceId: INVOICE.id },
  payment: { txid: 'tx-1', amount: 50_000n, kind: 'confirmed', confirmations: 1, rbf: false, test: false },
};

/** An adapter whose verify and parse answer what a test says, recording each call in `calls`. */
function adapter(calls: string[], verdict: CallbackVerdict, parsed: CallbackNotification | CallbackRefusal): ProviderAdapter {
  return {
    name: 'stagepay',
    capabilities: { coins: ['BTC'], callbackMethods: ['GET'], pendingNotifications: false, signatureScheme: 'invoice-token' },
    createPaymentRequest: () => Promise.reject(new Error('not used')),
    // Asynchronous, as a verification that fetches a key is: parse must still wait for it.
    verify: async (raw) => {
      await Promise.resolve();
      calls.push(`verify ${raw.target}`);
      return verdict;
    },
    parse: (raw) => {
      calls.push(`parse ${raw.target}`);
      return parsed;
    },
    acknowledge: (): Acknowledgement => ({ status: 200, contentType: 'text/plain', body: 'ok' }),
  };
}

/** Steps that record their calls; `find` answers with `invoice`, `shortcut` with `early`, `knownCopy` with `copy`. */
function steps(calls: string[], invoice: Invoice | null, early: string | null = null, copy: string | null = null): PipelineSteps<string> & { bound: BoundCallback[] } {
  const bound: BoundCallback[] = [];
  return {
    bound,
    knownCopy: async (raw) => {
      calls.push(`known copy ${raw.target}`);
      return copy;
    },
    shortcut: async (notification) => {
      calls.push(`shortcut ${notification.deliveryKey}`);
      return early;
    },
    findInvoice: async (locator: InvoiceLocator) => {
      calls.push(`find ${locator.by}`);
      return invoice;
    },
    apply: async (callback) => {
      calls.push(`apply ${callback.invoice.id}`);
      bound.push(callback);
      return 'applied';
    },
  };
}

describe('runCallbackPipeline', () => {
  test('goes verify → known copy → parse → shortcut → find → bind → apply, and applies what the binding completed', async () => {
    const calls: string[] = [];
    const run = steps(calls, INVOICE);
    const result = await runCallbackPipeline(adapter(calls, ACCEPTED, PAYMENT), RAW, run);
    expect(calls).toEqual([`verify ${RAW.target}`, `known copy ${RAW.target}`, `parse ${RAW.target}`, 'shortcut tx-1.confirmed', 'find id', `apply ${INVOICE.id}`]);
    expect(result).toEqual({ stage: 'apply', result: 'applied', notification: PAYMENT, invoice: INVOICE });
    // The callback named no address nor coin: the invoice's are applied.
    expect(run.bound).toEqual([{ notification: PAYMENT, invoice: INVOICE, observation: { ...PAYMENT.payment, address: INVOICE.address, coin: 'BTC' } }]);
  });

  test('parses nothing when verification refuses', async () => {
    const calls: string[] = [];
    const result = await runCallbackPipeline(adapter(calls, rejected(403, 'bad token'), PAYMENT), RAW, steps(calls, INVOICE));
    expect(calls).toEqual([`verify ${RAW.target}`]);
    expect(result).toEqual({ stage: 'verify', outcome: { kind: 'rejected', status: 403, reason: 'bad token' }, notification: null, invoice: null });
  });

  test('ends at a known copy when it answers, before parsing', async () => {
    const calls: string[] = [];
    const result = await runCallbackPipeline(adapter(calls, ACCEPTED, PAYMENT), RAW, steps(calls, INVOICE, null, 'replayed copy'));
    expect(calls).toEqual([`verify ${RAW.target}`, `known copy ${RAW.target}`]);
    expect(result).toEqual({ stage: 'copy', result: 'replayed copy', notification: null, invoice: null });
  });

  test('looks nothing up when parsing refuses', async () => {
    const calls: string[] = [];
    const { knownCopy: _unused, ...withoutCopies } = steps(calls, INVOICE);
    const result = await runCallbackPipeline(adapter(calls, ACCEPTED, rejected(400, 'amount is not an integer')), RAW, withoutCopies);
    expect(calls).toEqual([`verify ${RAW.target}`, `parse ${RAW.target}`]);
    expect(result).toEqual({ stage: 'parse', outcome: { kind: 'rejected', status: 400, reason: 'amount is not an integer' }, notification: null, invoice: null });
  });

  test('takes an ignored notification no further than parse, as unmatched', async () => {
    const calls: string[] = [];
    const ignored = { deliveryKey: 'test-1', ignoreReason: 'a dashboard test payment' };
    const result = await runCallbackPipeline(adapter(calls, ACCEPTED, ignored), RAW, steps(calls, INVOICE));
    expect(calls).toEqual([`verify ${RAW.target}`, `known copy ${RAW.target}`, `parse ${RAW.target}`]);
    expect(result).toEqual({ stage: 'parse', outcome: { kind: 'unmatched' }, notification: ignored, invoice: null });
  });

  test('ends at the shortcut when it answers, before the invoice is looked up', async () => {
    const calls: string[] = [];
    const result = await runCallbackPipeline(adapter(calls, ACCEPTED, PAYMENT), RAW, steps(calls, INVOICE, 'replayed'));
    expect(calls).toEqual([`verify ${RAW.target}`, `known copy ${RAW.target}`, `parse ${RAW.target}`, 'shortcut tx-1.confirmed']);
    expect(result).toEqual({ stage: 'shortcut', result: 'replayed', notification: PAYMENT, invoice: null });
  });

  test('runs without a shortcut or a known copy', async () => {
    const calls: string[] = [];
    const { shortcut: _shortcut, knownCopy: _knownCopy, ...withoutShortcut } = steps(calls, INVOICE);
    const result = await runCallbackPipeline(adapter(calls, ACCEPTED, PAYMENT), RAW, withoutShortcut);
    expect(calls).toEqual([`verify ${RAW.target}`, `parse ${RAW.target}`, 'find id', `apply ${INVOICE.id}`]);
    expect(result.stage).toBe('apply');
  });

  test('answers a notification for no invoice of ours as unmatched at find, applying nothing', async () => {
    const calls: string[] = [];
    const result = await runCallbackPipeline(adapter(calls, ACCEPTED, PAYMENT), RAW, steps(calls, null));
    expect(calls.at(-1)).toBe('find id');
    expect(result).toEqual({ stage: 'find', outcome: { kind: 'unmatched' }, notification: PAYMENT, invoice: null });
  });

  test('stops at a refused binding: nothing is applied', async () => {
    const calls: string[] = [];
    const wrongCoin: PaymentNotification = { ...PAYMENT, payment: { ...PAYMENT.payment, coin: 'LTC' } };
    const run = steps(calls, INVOICE);
    const result = await runCallbackPipeline(adapter(calls, ACCEPTED, wrongCoin), RAW, run);
    expect(calls.at(-1)).toBe('find id');
    expect(run.bound).toEqual([]);
    expect(result).toEqual({
      stage: 'bind',
      outcome: { kind: 'rejected', status: 403, reason: expect.stringContaining('the payment is in LTC') },
      notification: wrongCoin,
      invoice: INVOICE,
    });
  });

  test('lets a failing lookup reject, so its caller answers retry-later, and applies nothing', async () => {
    const calls: string[] = [];
    const failing = { ...steps(calls, INVOICE), findInvoice: () => Promise.reject(new Error('store down')) };
    await expect(runCallbackPipeline(adapter(calls, ACCEPTED, PAYMENT), RAW, failing)).rejects.toThrow('store down');
    expect(calls.some((call) => call.startsWith('apply'))).toBe(false);
  });
});
