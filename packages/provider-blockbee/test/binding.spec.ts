import { bindToInvoice, type PaymentNotification, type RawCallback } from '@cryptopay/provider-kit';
import { ADDRESS, CALLBACK_PATH, confirmedJson, INVOICE_ID, jsonCallback, NONCE, storedInvoice, testAdapter } from './support/callbacks.js';

const adapter = testAdapter();

function parsed(callback: RawCallback): PaymentNotification {
  const result = adapter.parse(callback);
  if ('accepted' in result || 'ignoreReason' in result) throw new Error(`expected a payment notification, got ${JSON.stringify(result)}`);
  return result;
}

/** The core's binding policy, given what BlockBee's adapter parsed and the nonce it stored. */
function bind(callback: RawCallback, invoice = storedInvoice()) {
  return bindToInvoice(adapter, parsed(callback), invoice);
}

describe('what binds a BlockBee callback to its invoice', () => {
  it('carries the invoice id and nonce of the callback URL, the signed address_in and the webhook coin', () => {
    expect(parsed(jsonCallback(confirmedJson()))).toMatchObject({
      invoice: { by: 'id', invoiceId: INVOICE_ID },
      nonce: NONCE,
      payment: { address: ADDRESS, coin: 'BTC' },
    });
  });

  it('expects the nonce of the callback URL stored at creation, and none when nothing usable is stored', () => {
    expect(adapter.invoiceNonce(storedInvoice())).toBe(NONCE);
    for (const providerReference of [`https://shop.example/cb?invoice=${INVOICE_ID}&nonce=`, 'https://shop.example/cb?invoice=x', 'https://shop.example/cb?nonce=a&nonce=b', null]) {
      expect(adapter.invoiceNonce(storedInvoice({ providerReference }))).toBeNull();
    }
  });

  it('leaves the nonce out when the callback URL carries none, and refuses one given twice as malformed', () => {
    expect(parsed(jsonCallback(confirmedJson(), { target: `/v1/callbacks/blockbee?invoice=${INVOICE_ID}` }))).not.toHaveProperty('nonce');
    const twice = jsonCallback(confirmedJson(), { target: `${CALLBACK_PATH}&nonce=${NONCE}` });
    expect(adapter.parse(twice)).toEqual({ accepted: false, status: 400, reason: 'nonce appears more than once (nonce=…&nonce=…)' });
  });
});

describe("the core's binding policy, with BlockBee callbacks", () => {
  it('accepts the invoice whose nonce and address the callback carries', () => {
    expect(bind(jsonCallback(confirmedJson()))).toMatchObject({ accepted: true, observation: { address: ADDRESS, coin: 'BTC', amount: 5_000_000n } });
  });

  it('refuses a wrong nonce, and a prefix of the right one (compared whole, in constant time)', () => {
    for (const nonce of ['guessed-nonce-guessed-n', NONCE.slice(0, 5)]) {
      const callback = jsonCallback(confirmedJson(), { target: CALLBACK_PATH.replace(NONCE, nonce) });
      expect(bind(callback)).toEqual({ accepted: false, status: 403, reason: `the nonce does not match invoice ${INVOICE_ID}` });
    }
  });

  it('refuses a callback without a nonce, or with an empty one', () => {
    for (const target of [`/v1/callbacks/blockbee?invoice=${INVOICE_ID}`, `/v1/callbacks/blockbee?invoice=${INVOICE_ID}&nonce=`]) {
      expect(bind(jsonCallback(confirmedJson(), { target }))).toEqual({ accepted: false, status: 401, reason: 'the callback carries no nonce' });
    }
  });

  it('refuses every callback for an invoice whose stored nonce is empty or missing', () => {
    const reason = `invoice ${INVOICE_ID} has no stored callback nonce to check against`;
    for (const providerReference of [`https://shop.example/v1/callbacks/blockbee?invoice=${INVOICE_ID}&nonce=`, 'https://shop.example/cb?invoice=inv_1', null]) {
      expect(bind(jsonCallback(confirmedJson()), storedInvoice({ providerReference }))).toEqual({ accepted: false, status: 403, reason });
    }
  });

  it("refuses an address_in that is not the invoice's address, even with the right nonce", () => {
    const callback = jsonCallback(confirmedJson('0.05', { address_in: '"bc1qsomeoneelse000000000000000000000000000"' }));
    expect(bind(callback)).toEqual({ accepted: false, status: 403, reason: `the payment's address is not the address of invoice ${INVOICE_ID}` });
  });

  it("refuses a payment in another coin than the invoice's (never counted)", () => {
    expect(bind(jsonCallback(confirmedJson('1.5', { coin: '"ltc"' })))).toEqual({
      accepted: false,
      status: 403,
      reason: `the payment is in LTC but invoice ${INVOICE_ID} is in BTC`,
    });
  });

  it('refuses an invoice of another provider, or another invoice than the one named', () => {
    expect(bind(jsonCallback(confirmedJson()), storedInvoice({ provider: 'blockonomics' }))).toMatchObject({ accepted: false, status: 403 });
    const other = '0b7c1f57-9a0e-4f6b-8d7e-3c2a1b0f9e8d';
    expect(bind(jsonCallback(confirmedJson()), storedInvoice({ id: other }))).toEqual({
      accepted: false,
      status: 403,
      reason: `the callback names invoice ${INVOICE_ID}, not ${other}`,
    });
  });
});

describe('acknowledgements', () => {
  it('answers success, duplicates and unmatched callbacks with exactly *ok* as text/plain', () => {
    for (const kind of ['applied', 'duplicate', 'unmatched'] as const) {
      const ack = adapter.acknowledge({ kind });
      expect(ack).toEqual({ status: 200, contentType: expect.stringMatching(/^text\/plain/), body: '*ok*' });
    }
  });

  it('answers rejections and retry-later with their status and a plain-text reason, never *ok*', () => {
    expect(adapter.acknowledge({ kind: 'rejected', status: 403, reason: 'the nonce does not match invoice inv_1' })).toEqual({
      status: 403,
      contentType: 'text/plain; charset=utf-8',
      body: 'the nonce does not match invoice inv_1',
    });
    expect(adapter.acknowledge({ kind: 'retry-later', status: 503, reason: 'store unavailable' })).toMatchObject({ status: 503, body: 'store unavailable' });
    expect(adapter.acknowledge({ kind: 'retry-later', status: 409, reason: 'in flight' })).toMatchObject({ status: 409, body: 'in flight' });
  });
});
