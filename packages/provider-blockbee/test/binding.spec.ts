import { type CallbackNotification, type RawCallback } from '@cryptopay/provider-kit';
import { CALLBACK_PATH, confirmedJson, INVOICE_ID, jsonCallback, NONCE, storedInvoice, testAdapter } from './support/callbacks.js';

const adapter = testAdapter();

function parsed(callback: RawCallback): CallbackNotification {
  const result = adapter.parseCallback(callback);
  if ('accepted' in result) throw new Error(result.reason);
  return result;
}

function bind(callback: RawCallback, invoice = storedInvoice()) {
  return adapter.bindToInvoice(parsed(callback), invoice, callback);
}

describe('binding a verified callback to the stored invoice', () => {
  it('accepts the invoice whose nonce and address the callback carries', () => {
    expect(bind(jsonCallback(confirmedJson()))).toEqual({ accepted: true });
  });

  it('rejects a wrong nonce', () => {
    const callback = jsonCallback(confirmedJson(), { target: CALLBACK_PATH.replace(NONCE, 'guessed-nonce-guessed-n') });
    expect(bind(callback)).toEqual({ accepted: false, status: 403, reason: `the nonce does not match invoice ${INVOICE_ID}` });
  });

  it('rejects a nonce that is a prefix of the right one (compared whole, in constant time)', () => {
    const callback = jsonCallback(confirmedJson(), { target: CALLBACK_PATH.replace(NONCE, NONCE.slice(0, 5)) });
    expect(bind(callback)).toMatchObject({ accepted: false, status: 403 });
  });

  it('rejects a callback without a nonce; one with two is malformed before it gets here', () => {
    const without = jsonCallback(confirmedJson(), { target: `/v1/callbacks/blockbee?invoice=${INVOICE_ID}` });
    expect(bind(without)).toEqual({ accepted: false, status: 401, reason: 'the callback URL carries no nonce' });
    const twice = jsonCallback(confirmedJson(), { target: `${CALLBACK_PATH}&nonce=${NONCE}` });
    expect(adapter.parseCallback(twice)).toEqual({ accepted: false, status: 400, reason: 'nonce appears more than once (nonce=…&nonce=…)' });
    expect(adapter.bindToInvoice(parsed(jsonCallback(confirmedJson())), storedInvoice(), twice)).toMatchObject({ accepted: false, status: 401 });
  });

  it('rejects every callback for an invoice whose stored nonce is empty or missing', () => {
    const callback = jsonCallback(confirmedJson(), { target: `/v1/callbacks/blockbee?invoice=${INVOICE_ID}&nonce=` });
    const reason = `invoice ${INVOICE_ID} has no stored callback nonce to check against`;
    for (const providerReference of ['https://shop.example/v1/callbacks/blockbee?invoice=inv_1&nonce=', 'https://shop.example/cb?invoice=inv_1', null]) {
      expect(bind(callback, storedInvoice({ providerReference }))).toEqual({ accepted: false, status: 403, reason });
      expect(bind(jsonCallback(confirmedJson()), storedInvoice({ providerReference }))).toEqual({ accepted: false, status: 403, reason });
    }
  });

  it("rejects an address_in that is not the invoice's address, even with the right nonce", () => {
    const callback = jsonCallback(confirmedJson('0.05', { address_in: '"bc1qsomeoneelse000000000000000000000000000"' }));
    expect(bind(callback)).toEqual({ accepted: false, status: 403, reason: `address_in is not the address of invoice ${INVOICE_ID}` });
  });

  it('rejects an invoice of another provider, or another invoice than the one named', () => {
    expect(bind(jsonCallback(confirmedJson()), storedInvoice({ provider: 'blockonomics' }))).toMatchObject({ accepted: false, status: 403 });
    expect(bind(jsonCallback(confirmedJson()), storedInvoice({ id: 'inv_2' }))).toEqual({
      accepted: false,
      status: 403,
      reason: 'the callback names another invoice',
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
