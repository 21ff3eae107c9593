import { PaymentBelowMinimumError } from '@cryptopay/provider-kit';
import { formatCoinAmount } from '@cryptopay/invoice';
import { BTC } from './support/harness.js';
import { Shop } from './support/shop.js';

describe('BlockBee reconciliation (logs API), over real HTTP with the simulator', () => {
  let shop: Shop;

  beforeEach(async () => {
    shop = await Shop.open();
  });

  afterEach(async () => {
    await shop.close();
  });

  it('reports a payment whose webhooks were all dropped as its confirmed webhook would have', async () => {
    const invoice = await shop.openInvoice();
    const payment = await shop.simulator.pay({ address: invoice.address, valueCoin: formatCoinAmount(BTC, invoice.amountDue), deliver: false });
    expect(shop.deliveries).toEqual([]);

    expect(await shop.adapter.reconcile(invoice)).toEqual([
      { txid: payment.txid, amount: invoice.amountDue, kind: 'confirmed', confirmations: 1, rbf: false, test: false, address: invoice.address, coin: 'BTC' },
    ]);
  });

  it('reports a transaction BlockBee has not forwarded yet as seen', async () => {
    const invoice = await shop.openInvoice();
    const payment = await shop.simulator.pay({ address: invoice.address, valueCoin: '0.0001', confirm: false, deliver: false });
    expect(await shop.adapter.reconcile(invoice)).toEqual([expect.objectContaining({ txid: payment.txid, amount: 10_000n, kind: 'seen', confirmations: 0 })]);
  });

  it('reads value_coin as the webhooks do: more decimals than the coin has are rounded down', async () => {
    const invoice = await shop.openInvoice();
    await shop.simulator.pay({ address: invoice.address, valueCoin: '0.000123459', deliver: false });
    expect(await shop.adapter.reconcile(invoice)).toEqual([expect.objectContaining({ amount: 12_345n })]);
  });

  it('reads nothing recorded when BlockBee has no callbacks for the URL yet (an error answer)', async () => {
    const invoice = await shop.openInvoice();
    expect(await shop.adapter.reconcile(invoice)).toEqual([]);
  });

  it('leaves out a sandbox test payment while test payments are not allowed', async () => {
    const invoice = await shop.openInvoice();
    await shop.simulator.pay({ address: invoice.address, valueCoin: '0.0001', test: true, deliver: false });
    expect(await shop.adapter.reconcile(invoice)).toEqual([]);
  });

  it('fails as unavailable, changing nothing, when BlockBee fails; and as auth for a refused key', async () => {
    const invoice = await shop.openInvoice();
    // GETs are retried: every attempt fails.
    for (let attempt = 0; attempt < 3; attempt++) shop.simulator.failNext('logs', { status: 503, error: 'Service Unavailable' });
    await expect(shop.adapter.reconcile(invoice)).rejects.toMatchObject({ kind: 'unavailable', retryable: true });
    shop.simulator.failNext('logs', { status: 401, error: 'API Key not valid' });
    await expect(shop.adapter.reconcile(invoice)).rejects.toMatchObject({ kind: 'auth' });
  });
});

describe('the simulated logs, in the shape BlockBee documents', () => {
  it('lists transactions newest first, without a uuid, and answers an error when there are none', async () => {
    const shop = await Shop.open();
    try {
      const invoice = await shop.openInvoice();
      const logsUrl = `${shop.simulator.baseUrl}/btc/logs/?apikey=${shop.simulator.apiKey}&callback=${encodeURIComponent(invoice.providerReference!)}`;
      const empty = await fetch(logsUrl);
      expect(empty.status).toBe(404);
      expect(await empty.json()).toMatchObject({ status: 'error' });

      const first = await shop.simulator.pay({ address: invoice.address, valueCoin: '0.0001' });
      const second = await shop.simulator.pay({ address: invoice.address, valueCoin: '0.0002' });
      const body = (await (await fetch(logsUrl)).json()) as { callbacks: Array<Record<string, unknown>> };
      expect(body.callbacks.map((entry) => entry.txid_in)).toEqual([second.txid, first.txid]);
      for (const entry of body.callbacks) expect(entry).not.toHaveProperty('uuid');
    } finally {
      await shop.close();
    }
  });
});

describe('fix 2.1: the minimum transaction', () => {
  it('refuses an invoice below BlockBee\'s minimum at creation, naming the minimum, before any address is made', async () => {
    const shop = await Shop.open();
    try {
      shop.simulator.setMinimum('btc', '0.01');
      const addresses = [...shop.simulator.ledger.addresses()].length;
      const failure = await shop.openInvoice().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PaymentBelowMinimumError);
      expect((failure as Error).message).toContain('minimum transaction of 0.01 BTC');
      expect([...shop.simulator.ledger.addresses()]).toHaveLength(addresses);

      shop.simulator.setMinimum('btc', '0.0001');
      await expect(shop.openInvoice()).resolves.toMatchObject({ coin: 'BTC', status: 'new' });
    } finally {
      await shop.close();
    }
  });
});
