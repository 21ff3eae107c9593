import { stringify } from 'node:querystring';
import { formatCoinAmount } from '@cryptopay/invoice';
import { BTC } from './support/harness.js';
import { Shop } from './support/shop.js';

describe('BlockBee end to end, over real HTTP with the simulator', () => {
  let shop: Shop;

  beforeEach(async () => {
    shop = await Shop.open();
  });

  afterEach(async () => {
    await shop.close();
  });

  it.each(['get', 'form', 'json'] as const)('settles an invoice paid in full, webhooks %s-encoded', async (encoding) => {
    const invoice = await shop.openInvoice();
    const payment = await shop.simulator.pay({ address: invoice.address, valueCoin: formatCoinAmount(BTC, invoice.amountDue), encoding, confirm: false });
    expect(shop.deliveries.map((d) => [d.raw.method, d.outcome.kind])).toEqual([[encoding === 'get' ? 'GET' : 'POST', 'applied']]);
    expect(await shop.invoice(invoice.id)).toMatchObject({ status: 'processing', payments: [{ state: 'pending', amount: invoice.amountDue }] });

    await shop.simulator.confirm(payment.uuid, { encoding });
    const settled = await shop.invoice(invoice.id);
    expect(settled).toMatchObject({ status: 'settled', payments: [{ state: 'confirmed', confirmations: 1, txid: payment.txid }] });
    expect(payment.attempts.map((attempt) => [attempt.responseStatus, attempt.response])).toEqual([[200, '*ok*']]);
  });

  it('counts pending then confirmed (same uuid) as one payment, and duplicates not at all', async () => {
    const invoice = await shop.openInvoice();
    const half = invoice.amountDue / 2n;
    await shop.simulator.pay({ address: invoice.address, valueCoin: formatCoinAmount(BTC, half), duplicates: 2 });
    const stored = await shop.invoice(invoice.id);
    expect(stored.payments).toHaveLength(1);
    expect(stored.payments[0]).toMatchObject({ amount: half, state: 'confirmed' });
    expect(stored).toMatchObject({ status: 'new', exceptionStatus: 'paidPartial' });
    expect(shop.deliveries.map((d) => d.outcome.kind)).toEqual(['applied', 'duplicate', 'duplicate', 'applied', 'duplicate', 'duplicate']);
  });

  it('accumulates several transactions to one address', async () => {
    const invoice = await shop.openInvoice();
    const first = invoice.amountDue / 3n;
    await shop.simulator.pay({ address: invoice.address, valueCoin: formatCoinAmount(BTC, first) });
    await shop.simulator.pay({ address: invoice.address, valueCoin: formatCoinAmount(BTC, invoice.amountDue - first) });
    expect(await shop.invoice(invoice.id)).toMatchObject({ status: 'settled', payments: [{ amount: first }, { amount: invoice.amountDue - first }] });
  });

  it("refuses a payment in the wrong coin with 403 (the core's binding policy), so BlockBee retries and nothing is counted", async () => {
    const invoice = await shop.openInvoice();
    const payment = await shop.simulator.pay({ address: invoice.address, valueCoin: '10', coin: 'ltc' });
    const reason = `the payment is in LTC but invoice ${invoice.id} is in BTC`;
    expect(payment.attempts.map((attempt) => [attempt.responseStatus, attempt.response, attempt.nextTry !== null])).toEqual([
      [403, reason, true],
      [403, reason, true],
    ]);
    expect(await shop.invoice(invoice.id)).toMatchObject({ status: 'new', payments: [] });
  });

  it('keeps the signed GET URL byte for byte: re-encoding or reordering its query breaks the signature', async () => {
    const invoice = await shop.openInvoice();
    await shop.simulator.pay({ address: invoice.address, valueCoin: '0.001', encoding: 'get', confirm: false });
    const genuine = shop.deliveries[0]!.raw;
    expect(genuine.url).toContain('value_coin_convert=%7B%22USD%22%3A+%22');
    expect(shop.adapter.verify(genuine)).toEqual({ accepted: true });

    const url = new URL(genuine.url);
    const params = [...url.searchParams];
    const reencoded = `${url.origin}${url.pathname}?${stringify(Object.fromEntries(params))}`;
    const reordered = `${url.origin}${url.pathname}?${new URLSearchParams([...params].sort(([a], [b]) => a.localeCompare(b)))}`;
    for (const rebuilt of [reencoded, reordered]) {
      expect(rebuilt).not.toBe(genuine.url);
      expect(new URL(rebuilt).searchParams.get('value_coin')).toBe('0.001');
      expect(shop.adapter.verify({ ...genuine, url: rebuilt })).toMatchObject({ accepted: false, status: 403 });
    }
  });

  it('retries every answer but 200 *ok* on BlockBee’s schedule, and the logs show it', async () => {
    const invoice = await shop.openInvoice();
    shop.answerNext({ kind: 'retry-later', status: 503, reason: 'store unavailable' }, 2);
    await shop.simulator.pay({ address: invoice.address, valueCoin: formatCoinAmount(BTC, invoice.amountDue), confirm: false });
    await shop.simulator.idle();

    const logs = await shop.adapter.fetchLogs(invoice);
    expect(logs.address).toBe(invoice.address);
    const [transaction] = logs.transactions;
    expect(transaction).toMatchObject({ amount: invoice.amountDue, result: 'pending', acknowledged: false });
    expect(transaction!.deliveries.map((d) => [d.responseStatus, d.response])).toEqual([
      ['503', 'store unavailable'],
      ['503', 'store unavailable'],
      ['200', '*ok*'],
    ]);
    const [first, second, third] = transaction!.deliveries.map((d) => d);
    const gap = (a: string | null, b: string | null) => Date.parse(b!) - Date.parse(a!);
    expect(gap(first!.timestamp, first!.nextTry)).toBe(36);
    expect(gap(second!.timestamp, second!.nextTry)).toBe(72);
    expect(third!.nextTry).toBeNull();
    expect((await shop.invoice(invoice.id)).status).toBe('processing');
  });

  it('reports acknowledged confirmed transactions as done in the logs', async () => {
    const invoice = await shop.openInvoice();
    await shop.simulator.pay({ address: invoice.address, valueCoin: formatCoinAmount(BTC, invoice.amountDue) });
    const logs = await shop.adapter.fetchLogs(invoice);
    expect(logs.transactions).toEqual([expect.objectContaining({ result: 'done', acknowledged: true, confirmations: 1 })]);
  });

  it('takes payments from the sandbox endpoint over HTTP; test payments change nothing unless allowed', async () => {
    const invoice = await shop.openInvoice();
    const pay = (body: object) =>
      fetch(`${shop.simulator.baseUrl}/sandbox/pay?apikey=${shop.simulator.apiKey}`, { method: 'POST', body: JSON.stringify(body) });

    const test = await pay({ address_in: invoice.address, value_coin: formatCoinAmount(BTC, invoice.amountDue), test: true });
    expect(test.status).toBe(200);
    expect(shop.deliveries.map((d) => d.outcome.kind)).toEqual(['unmatched', 'unmatched']);
    expect((await shop.invoice(invoice.id)).payments).toEqual([]);

    const real = await pay({ address_in: invoice.address, value_coin: formatCoinAmount(BTC, invoice.amountDue) });
    expect(await real.json()).toMatchObject({ status: 'success', uuid: expect.any(String), txid_in: expect.any(String) });
    expect((await shop.invoice(invoice.id)).status).toBe('settled');

    const bad = await pay({ address_in: invoice.address, value_coin: '1e-7' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ status: 'error', error: 'value_coin must be a plain decimal like "0.001"' });
  });
});
