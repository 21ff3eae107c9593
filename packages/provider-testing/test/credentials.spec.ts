import { randomUUID } from 'node:crypto';
import { describe, expect, test } from '@jest/globals';
import { type RawCallback } from '@cryptopay/provider-kit';
import { callbackCredentials } from '../src/conformance/credentials.js';
import { InvoiceBook, invoiceFor } from '../src/index.js';
import { TokenPayAdapter, type TokenPayOptions } from './support/tokenpay-adapter.js';
import { BTC, TOKENS } from './support/tokenpay-harness.js';

const ADDRESS = 'tb1qtokenpaycredentials';
const TXID = 'c0ffee'.repeat(10);

function setting(options: Partial<TokenPayOptions> = {}) {
  const id = randomUUID();
  const invoices = new InvoiceBook();
  const request = { address: ADDRESS, amountDue: 50_000n, rate: '50000.00', quotedBy: 'provider' as const, providerReference: null, minimumPayment: null };
  invoices.add(invoiceFor({ id, provider: 'tokenpay', coin: BTC, request }));
  const adapter = new TokenPayAdapter({ apiBaseUrl: 'http://127.0.0.1:9', tokens: TOKENS, ...options });
  const token = TOKENS.tokenFor(id);
  const inQuery = options.tokenIn === 'query';
  const body = new URLSearchParams({ id: '17', order_id: id, status: 'paid', receive_amount: '0.0005', txid: TXID, ...(inQuery ? {} : { token }) });
  const target = inQuery ? `/v1/callbacks/tokenpay?token=${token}&lang=en` : '/v1/callbacks/tokenpay';
  const genuine: RawCallback = {
    method: 'POST',
    target,
    url: `http://127.0.0.1:1${target}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new Uint8Array(Buffer.from(body.toString())),
    socketAddress: '127.0.0.1',
    receivedAt: new Date(),
  };
  return { id, invoices, adapter, genuine, publicValues: [id, ADDRESS, TXID] };
}

describe('callbackCredentials: the fields whose alteration the core refuses with 401/403', () => {
  test('finds a token in a form body, not the fields that only name the payment or describe it', async () => {
    const { adapter, invoices, genuine, publicValues } = setting();
    expect(await callbackCredentials(adapter, invoices, genuine, publicValues)).toEqual({ queryParams: [], bodyFields: ['token'] });
  });

  test('would take the invoice id for a secret, as the token is derived from it, if it were not known to name the payment', async () => {
    const { adapter, invoices, genuine } = setting();
    expect((await callbackCredentials(adapter, invoices, genuine, [])).bodyFields).toEqual(['order_id', 'token']);
  });

  test('finds a token in the query string', async () => {
    const { adapter, invoices, genuine, publicValues } = setting({ tokenIn: 'query' });
    expect(await callbackCredentials(adapter, invoices, genuine, publicValues)).toEqual({ queryParams: ['token'], bodyFields: [] });
  });

  test('can tell nothing of a body its signature covers, and still checks the query', async () => {
    const { adapter, invoices, genuine, publicValues } = setting({ tokenIn: 'query' });
    const signed = Object.assign(Object.create(adapter) as TokenPayAdapter, { capabilities: { ...adapter.capabilities, signatureScheme: 'hmac-sha256' as const } });
    expect(await callbackCredentials(signed, invoices, genuine, publicValues)).toEqual({ queryParams: ['token'], bodyFields: null });
    expect((await callbackCredentials(signed, invoices, { ...genuine, method: 'GET' }, publicValues)).queryParams).toBeNull();
  });

  test('tries each altered copy on a copy of the invoices: the book it is given is left as it was', async () => {
    const { id, adapter, invoices, genuine, publicValues } = setting();
    const before = invoices.get(id);
    await callbackCredentials(adapter, invoices, genuine, publicValues);
    expect(invoices.get(id)).toBe(before);
    expect(before?.payments).toEqual([]);
  });
});
