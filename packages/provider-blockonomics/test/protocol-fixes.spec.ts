import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createInvoice, DEFAULT_INVOICE_POLICY, InMemoryInvoiceRepository } from '@cryptopay/invoice';
import { type RawCallback } from '@cryptopay/provider-kit';
import { CallbackBench } from './callback-bench.js';
import { BCH, setParam, withTarget } from './support.js';

let bench: CallbackBench;

beforeAll(async () => {
  bench = await CallbackBench.start();
});
afterAll(async () => {
  await bench.close();
});

async function genuineCallback(): Promise<RawCallback> {
  const address = await bench.createInvoice();
  const [delivery] = await bench.pay([{ address, value: 5_000n }], { statuses: [2] });
  return delivery!.raw;
}

describe('fix 2.3: Bitcoin Cash', () => {
  test('sends no crypto parameter to the BCH host', async () => {
    const before = bench.simulator.requests.length;
    await bench.createInvoice(BCH);
    const bchRequests = bench.simulator.requests.slice(before).filter((request) => request.host === 'BCH');
    expect(bchRequests.map((request) => request.path).sort()).toEqual(['/api/new_address', '/api/price']);
    for (const request of bchRequests) expect(request.query).not.toHaveProperty('crypto');
  });

  test('takes the coin of a callback without crypto from the invoice, so a legacy-format BCH address is not refused', async () => {
    const legacy = '1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu';
    const invoices = new InMemoryInvoiceRepository();
    const invoice = createInvoice(
      { id: crypto.randomUUID(), provider: 'blockonomics', coin: 'BCH', orderId: 'o-bch', fiat: { currency: 'USD', minor: 2500n }, rate: '456.78', amountDue: 5_000n, address: legacy, providerReference: null },
      DEFAULT_INVOICE_POLICY,
      new Date(),
    ).invoice;
    await invoices.create(invoice);
    const raw = await genuineCallback();
    const processed = await bench.process(withTarget(raw, setParam(setParam(raw.target, 'addr', legacy), 'crypto', null)), invoices);
    expect(processed.outcome.kind).toBe('applied');
    expect((await invoices.findById(invoice.id))?.payments).toEqual([expect.objectContaining({ coin: 'BCH', amount: 5_000n, state: 'confirmed' })]);
  });
});

describe('fix 2.5: a Blockonomics store shared with other payments', () => {
  test.each([
    ['a USDT callback', { crypto: 'USDT', addr: '0x52908400098527886E0F7030069857D2E4169EE7', txid: `0x${'ab'.repeat(32)}` }],
    ['a store test-mode USDT payment', { crypto: 'USDT', addr: '0xTestUSDTAddress52908400098527886E0F70', txid: `0x${'cd'.repeat(32)}` }],
    ['a store test-mode BTC payment', { addr: '1TestBTCAddress0f3a9c', txid: 'not-a-real-txid' }],
  ])('answers %s as unmatched (200), not 400', async (_case, params) => {
    const raw = await genuineCallback();
    let target = raw.target;
    for (const [name, value] of Object.entries(params)) target = setParam(target, name, encodeURIComponent(value));
    const processed = await bench.process(withTarget(raw, target));
    expect(processed.stage).toBe('parse');
    expect(processed.outcome.kind).toBe('unmatched');
    expect(processed.acknowledgement.status).toBe(200);
  });
});

describe('fix 2.5: what a foreign payment is keyed and logged by', () => {
  const usdtAddress = '0x52908400098527886E0F7030069857D2E4169EE7';
  const withParams = (raw: RawCallback, params: Record<string, string>): RawCallback => {
    let target = raw.target;
    for (const [name, value] of Object.entries(params)) target = setParam(target, name, encodeURIComponent(value));
    return withTarget(raw, target);
  };

  test('a USDT callback is keyed by its txid, status and address and says why it is ignored; another txid is another delivery', async () => {
    const raw = await genuineCallback();
    const [first, second] = [`0x${'ab'.repeat(32)}`, `0x${'cd'.repeat(32)}`];
    const processed = await Promise.all([first, second].map((txid) => bench.process(withParams(raw, { crypto: 'USDT', addr: usdtAddress, txid }))));
    expect(processed.map((delivery) => delivery.notification)).toEqual([
      { deliveryKey: `blockonomics:USDT:${first}:2:${usdtAddress}`, ignoreReason: 'a USDT callback: this adapter invoices BTC and BCH only' },
      { deliveryKey: `blockonomics:USDT:${second}:2:${usdtAddress}`, ignoreReason: 'a USDT callback: this adapter invoices BTC and BCH only' },
    ]);
  });

  test('a long txid or address is cut to 100 characters in the key', async () => {
    const [txid, addr] = [`0x${'ab'.repeat(80)}`, `0x${'e'.repeat(150)}`];
    const processed = await bench.process(withParams(await genuineCallback(), { crypto: 'USDT', addr, txid }));
    expect(processed.notification?.deliveryKey).toBe(`blockonomics:USDT:${txid.slice(0, 100)}:2:${addr.slice(0, 100)}`);
  });

  test('a payment to a store test-mode address says so', async () => {
    const processed = await bench.process(withParams(await genuineCallback(), { addr: '1TestBTCAddress0f3a9c', txid: 'not-a-real-txid' }));
    expect(processed.notification).toEqual({
      deliveryKey: 'blockonomics:test-mode:not-a-real-txid:2:1TestBTCAddress0f3a9c',
      ignoreReason: 'a payment to a store test-mode address (1TestBTCAddress…), not an invoice of ours',
    });
  });

  test('an address that only holds the test-mode prefix further in is an ordinary address, looked up', async () => {
    const processed = await bench.process(withParams(await genuineCallback(), { addr: 'bc1q1TestBTCAddress0f3a9cxyz' }));
    expect(processed.stage).not.toBe('parse');
    expect(processed.notification).not.toHaveProperty('ignoreReason');
    expect(processed.outcome.kind).toBe('unmatched');
  });
});

describe('fix 2.4: status -1', () => {
  test('an earlier -1 never blocks a later confirmation of the same transaction', async () => {
    const address = await bench.createInvoice();
    const deliveries = await bench.pay([{ address, value: 5_000n }], { statuses: [-1, 2] });
    expect(deliveries.map((delivery) => delivery.outcome.kind)).toEqual(['applied', 'applied']);
    expect(deliveries.at(-1)?.invoiceAfter?.payments).toEqual([expect.objectContaining({ state: 'confirmed', amount: 5_000n })]);
  });

  test('after a -1, a 0 leaves the payment reverted; a 1 (mined) counts it again; a 2 confirms it', async () => {
    const address = await bench.createInvoice();
    const { amountDue } = await bench.endpoint.invoiceAt(address);
    const deliveries = await bench.pay([{ address, value: amountDue }], { statuses: [-1, 0, 1, 2] });
    expect(deliveries.map((delivery) => [delivery.invoiceAfter?.status, delivery.invoiceAfter?.payments[0]?.state])).toEqual([
      ['new', 'reverted'],
      ['new', 'reverted'],
      ['processing', 'pending'],
      ['settled', 'confirmed'],
    ]);
  });
});
