import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { databaseEnv, dropTestSchemas, GatewayHarness, REDIS_URL, satoshi } from './support/gateway-harness.js';

const TEST_TXID = 'WarningThisIsAGeneratedTestPaymentAndNotARealBitcoinTransaction';

describe.each(['PGlite', 'PostgreSQL'] as const)('sandbox gateway over %s with Redis: payment flows', (database) => {
  let gw: GatewayHarness;

  beforeAll(async () => {
    gw = await GatewayHarness.start({ ...databaseEnv(database), REDIS_URL });
  });
  afterAll(async () => {
    await gw.close();
    await dropTestSchemas();
  });

  describe('Blockonomics', () => {
    it('walks new → processing → settled as confirmations arrive, and publishes invoice.settled', async () => {
      const invoice = await gw.createInvoice('blockonomics');
      expect(invoice).toMatchObject({ provider: 'blockonomics', coin: 'BTC', status: 'new', fiat: { amount: '25.00', currency: 'USD' } });
      const { txid } = await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { statuses: [0] });
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'processing', amountPaid: invoice.amountDue, amountConfirmed: '0' });

      await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { txid, statuses: [1] });
      expect((await gw.invoice(invoice.id)).status).toBe('processing'); // 2 confirmations required by default

      await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { txid, statuses: [2] });
      const settled = await gw.invoice(invoice.id);
      expect(settled).toMatchObject({ status: 'settled', exceptionStatus: null, amountConfirmed: invoice.amountDue });
      expect(settled.payments).toEqual([{ coin: 'BTC', txid, amount: invoice.amountDue, state: 'confirmed', confirmations: 2, rbf: false, test: true }]); // every simulated payment is a test payment
      expect(settled['minimumPayment']).toBeNull(); // Blockonomics has no minimum
      expect(gw.eventsFor(invoice.id)).toEqual(expect.arrayContaining(['invoice.created', 'invoice.processing', 'invoice.settled']));
    });

    it('invoices in BCH through the simulator, never the real bch.blockonomics.co, and settles', async () => {
      const invoice = await gw.createInvoice('blockonomics', '25.00', { coin: 'BCH' });
      expect(invoice).toMatchObject({ coin: 'BCH', address: expect.stringMatching(/^bitcoincash:/) });
      expect(gw.sandbox.blockonomics.simulator.issuedAddresses()).toContain(invoice.address);
      await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue));
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'settled', amountPaid: invoice.amountDue });
    });

    it('counts a partial payment, then a top-up settles the invoice', async () => {
      const invoice = await gw.createInvoice('blockonomics');
      const due = satoshi(invoice.amountDue);
      await gw.sandbox.blockonomics.simulator.pay(invoice.address, due / 2n);
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'new', exceptionStatus: 'paidPartial' });
      await gw.sandbox.blockonomics.simulator.pay(invoice.address, due - due / 2n);
      const settled = await gw.invoice(invoice.id);
      expect(settled).toMatchObject({ status: 'settled', exceptionStatus: null, amountPaid: invoice.amountDue });
      expect(settled.payments).toHaveLength(2);
    });

    it('marks an overpaid invoice paidOver', async () => {
      const invoice = await gw.createInvoice('blockonomics');
      const res = await gw.request(`/sandbox/invoices/${invoice.id}/pay`, { method: 'POST', body: JSON.stringify({ mode: 'twice' }) });
      expect(res.status).toBe(200);
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'settled', exceptionStatus: 'paidOver', payments: [{}, {}] });
    });

    it('pays with RBF through the sandbox endpoint: counted only once confirmed', async () => {
      const invoice = await gw.createInvoice('blockonomics');
      const res = await gw.request(`/sandbox/invoices/${invoice.id}/pay`, { method: 'POST', body: JSON.stringify({ mode: 'rbf' }) });
      expect(res.status).toBe(200);
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'settled', payments: [{ rbf: false, state: 'confirmed' }] });
      const kinds = (await gw.deliveries(`invoiceId=${invoice.id}`)).map((delivery) => delivery.target.includes('rbf=1'));
      expect(kinds.sort()).toEqual([false, true]);
    });

    it('does not count a zero-conf RBF payment until it confirms', async () => {
      const invoice = await gw.createInvoice('blockonomics');
      const { txid } = await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { statuses: [0], rbf: 1 });
      const unsafe = await gw.invoice(invoice.id);
      expect(unsafe).toMatchObject({ status: 'new', amountPaid: '0', payments: [{ txid, rbf: true, state: 'pending' }] });
      await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { txid, statuses: [2] });
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'settled', amountConfirmed: invoice.amountDue });
    });

    it('stops counting a reverted payment and moves the invoice back to new', async () => {
      const invoice = await gw.createInvoice('blockonomics');
      const { txid } = await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { statuses: [0] });
      expect((await gw.invoice(invoice.id)).status).toBe('processing');
      await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { txid, statuses: [-1] });
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'new', amountPaid: '0', payments: [{ txid, state: 'reverted' }] });
    });

    it('settles once through -1, then 0, 1 and 2: a revert blocks no confirmation (fix 2.4, docs/providers/blockonomics.md)', async () => {
      const invoice = await gw.createInvoice('blockonomics');
      const due = satoshi(invoice.amountDue);
      const { txid } = await gw.sandbox.blockonomics.simulator.pay(invoice.address, due, { statuses: [-1] });
      const at = async (status: 0 | 1 | 2) => {
        await gw.sandbox.blockonomics.simulator.pay(invoice.address, due, { txid, statuses: [status] });
        const { status: invoiceStatus, payments } = await gw.invoice(invoice.id);
        return [invoiceStatus, payments[0]?.state];
      };
      // An unconfirmed 0 cannot be told from a late retry of the 0 sent before the drop; a mined 1 can.
      expect(await at(0)).toEqual(['new', 'reverted']);
      expect(await at(1)).toEqual(['processing', 'pending']);
      expect(await at(2)).toEqual(['settled', 'confirmed']);
      await gw.sandbox.blockonomics.simulator.pay(invoice.address, due, { txid, statuses: [-1, 0] }); // late ones change nothing
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'settled', amountConfirmed: invoice.amountDue, payments: [{ txid, state: 'confirmed' }] });
      expect(gw.eventsFor(invoice.id).filter((type) => type === 'invoice.settled')).toHaveLength(1);
    });

    it('applies duplicated and reordered callbacks once, never moving a confirmed payment back', async () => {
      const invoice = await gw.createInvoice('blockonomics');
      const { txid } = await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue), { statuses: [2, 0, 1], duplicates: 1 });
      const settled = await gw.invoice(invoice.id);
      expect(settled).toMatchObject({ status: 'settled', amountPaid: invoice.amountDue, payments: [{ txid, state: 'confirmed', confirmations: 2 }] });
      const verdicts = (await gw.deliveries(`invoiceId=${invoice.id}&limit=50`)).map((delivery) => delivery.verdict);
      expect(verdicts).toHaveLength(6);
      expect(verdicts.filter((verdict) => verdict === 'duplicate')).toHaveLength(3);
      expect(verdicts.every((verdict) => verdict === 'applied' || verdict === 'duplicate')).toBe(true);
    });

    it('answers dashboard test callbacks with 200; they count in sandbox mode and are marked test', async () => {
      const invoice = await gw.createInvoice('blockonomics');
      const record = await gw.sandbox.blockonomics.simulator.sendTestCallback({ address: invoice.address, value: satoshi(invoice.amountDue), status: 2 });
      expect(record.delivered).toBe(true);
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'settled', payments: [{ txid: TEST_TXID, test: true }] });
      const unknown = await gw.sandbox.blockonomics.simulator.sendTestCallback({ status: 2 });
      expect(unknown.delivered).toBe(true);
    });

    it('rejects forged and malformed callbacks without any state change, and logs them as rejected', async () => {
      const invoice = await gw.createInvoice('blockonomics');
      const secret = gw.sandbox.blockonomics.options.callbackSecret;
      const query = (params: Record<string, string>) => new URLSearchParams({ addr: invoice.address, txid: 'f'.repeat(64), status: '2', ...params }).toString();
      const forged = await fetch(`${gw.url}/v1/callbacks/blockonomics?${query({ secret: 'x'.repeat(40), value: '99999999' })}`);
      const unsigned = await fetch(`${gw.url}/v1/callbacks/blockonomics?${query({ value: '99999999' })}`);
      const malformed = await fetch(`${gw.url}/v1/callbacks/blockonomics?${query({ secret, value: '1.5e3' })}`);
      expect([forged.status, unsigned.status, malformed.status]).toEqual([403, 401, 400]);
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'new', payments: [] });
      const rejected = await gw.deliveries('provider=blockonomics&verdict=rejected&limit=10');
      expect(rejected.filter((delivery) => delivery.target.includes(invoice.address)).map((delivery) => delivery.responseStatus).sort()).toEqual([400, 401, 403]);
      expect(JSON.stringify(rejected)).not.toContain(secret);
    });
  });

  describe('BlockBee', () => {
    it('walks new → processing (pending webhook) → settled (confirmed webhook)', async () => {
      const invoice = await gw.createInvoice('blockbee');
      const payment = await gw.sandbox.blockbee.simulator.pay({ address: invoice.address, valueCoin: invoice.amountDue, confirm: false });
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'processing', amountConfirmed: '0' });
      await gw.sandbox.blockbee.simulator.confirm(payment.uuid);
      const settled = await gw.invoice(invoice.id);
      expect(settled).toMatchObject({ status: 'settled', amountConfirmed: invoice.amountDue, payments: [{ txid: payment.txid, state: 'confirmed' }] });
      expect(gw.eventsFor(invoice.id)).toContain('invoice.settled');
    });

    it('applies duplicated and reordered webhooks once', async () => {
      const invoice = await gw.createInvoice('blockbee');
      await gw.sandbox.blockbee.simulator.pay({ address: invoice.address, valueCoin: invoice.amountDue, reorder: true, duplicates: 1 });
      const settled = await gw.invoice(invoice.id);
      expect(settled).toMatchObject({ status: 'settled', amountPaid: invoice.amountDue, payments: [{ state: 'confirmed' }] });
      const verdicts = (await gw.deliveries(`invoiceId=${invoice.id}`)).map((delivery) => delivery.verdict);
      expect(verdicts.filter((verdict) => verdict === 'duplicate')).toHaveLength(2);
    });

    it('counts a partial payment, then a top-up settles the invoice', async () => {
      const invoice = await gw.createInvoice('blockbee');
      const res = await gw.request(`/sandbox/invoices/${invoice.id}/pay`, { method: 'POST', body: JSON.stringify({ mode: 'partial' }) });
      expect(res.status).toBe(200);
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'new', exceptionStatus: 'paidPartial' });
      const paid = satoshi(((await res.json()) as { transactions: { amount: string }[] }).transactions[0]?.amount ?? '0');
      const rest = satoshi(invoice.amountDue) - paid;
      await gw.sandbox.blockbee.simulator.pay({ address: invoice.address, valueCoin: `0.${rest.toString().padStart(8, '0')}` });
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'settled', exceptionStatus: null });
    });

    it("asks for BlockBee's minimum, not a smaller rest, after a partial payment (fix 2.1): the rest alone would never arrive", async () => {
      const invoice = await gw.createInvoice('blockbee');
      const minimum = satoshi(String(invoice['minimumPayment']));
      const coin = (units: bigint) => `0.${units.toString().padStart(8, '0')}`.replace(/0+$/, ''); // as the API writes amounts
      const rest = minimum / 2n;
      await gw.sandbox.blockbee.simulator.pay({ address: invoice.address, valueCoin: coin(satoshi(invoice.amountDue) - rest) });
      const status = (await (await fetch(`${gw.url}/checkout/${invoice.id}/status`)).json()) as Record<string, unknown>;
      expect(status).toMatchObject({ status: 'new', remaining: coin(minimum), paymentUri: expect.stringContaining(`amount=${coin(minimum)}`) });
      const page = await (await fetch(`${gw.url}/checkout/${invoice.id}`)).text();
      expect(page).toContain(`The rest, ${coin(rest)} BTC, is less than the smallest payment this address accepts: send ${coin(minimum)} BTC instead.`);
      await gw.sandbox.blockbee.simulator.pay({ address: invoice.address, valueCoin: coin(minimum) });
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'settled', exceptionStatus: 'paidOver' });
    });

    it('refuses a sandbox payment BlockBee cannot simulate (RBF) with 400, paying nothing', async () => {
      const invoice = await gw.createInvoice('blockbee');
      const res = await gw.request(`/sandbox/invoices/${invoice.id}/pay`, { method: 'POST', body: JSON.stringify({ mode: 'rbf' }) });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('BlockBee does not report Replace-By-Fee');
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'new', payments: [] });
    });

    it('rejects a webhook whose signature does not match its body, changing nothing', async () => {
      const invoice = await gw.createInvoice('blockbee');
      const body = JSON.stringify({ uuid: 'forged', address_in: invoice.address, txid_in: 'ab'.repeat(32), value_coin: 1, coin: 'btc', pending: 0, confirmations: 3 });
      const forged = await fetch(`${gw.url}/v1/callbacks/blockbee?invoice=${invoice.id}&nonce=whatever`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'x-ca-signature': Buffer.from('not a signature').toString('base64') },
        body,
      });
      expect([401, 403]).toContain(forged.status);
      expect(await forged.text()).not.toBe('*ok*');
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'new', payments: [] });
      const rejected = await gw.deliveries(`provider=blockbee&verdict=rejected`);
      expect(rejected.some((delivery) => delivery.target.includes(invoice.id))).toBe(true);
    });
    it('answers a signed but malformed webhook with 400 and a signed webhook with a wrong nonce with 403', async () => {
      const invoice = await gw.createInvoice('blockbee');
      const post = (target: string, body: string) =>
        fetch(`${gw.url}${target}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-ca-signature': gw.sandbox.blockbee.simulator.sign(body) }, body });
      const target = `/v1/callbacks/blockbee?invoice=${invoice.id}&nonce=wrong-nonce`;
      const fields = { uuid: 'b7c0f4a2-0d1e-4c55-9d1a-0a6f3c1e2b3d', address_in: invoice.address, txid_in: 'cd'.repeat(32), coin: 'btc', pending: 0, confirmations: 1 };
      const malformed = await post(target, JSON.stringify({ ...fields, value_coin: 'lots' }));
      const wrongNonce = await post(target, `{"uuid":"${fields.uuid}","address_in":"${invoice.address}","txid_in":"${fields.txid_in}","coin":"btc","pending":0,"confirmations":1,"value_coin":${invoice.amountDue}}`);
      expect([malformed.status, wrongNonce.status]).toEqual([400, 403]);
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'new', payments: [] });
      const rejected = (await gw.deliveries(`invoiceId=${invoice.id}&verdict=rejected`)).map((delivery) => delivery.responseStatus);
      expect(rejected).toEqual([403]); // the malformed one named no invoice it could be bound to yet
    });
  });

  describe('time', () => {
    it('expires an unpaid invoice on time through the sweep, with no callback', async () => {
      const invoice = await gw.createInvoice('blockbee');
      await gw.expire(invoice.id);
      expect(await gw.sweep()).toBeGreaterThanOrEqual(1);
      expect((await gw.invoice(invoice.id)).status).toBe('expired');
      expect(gw.eventsFor(invoice.id)).toContain('invoice.expired');
    });

    it('records a payment that arrives after expiry as paidLate', async () => {
      const invoice = await gw.createInvoice('blockonomics');
      await gw.expire(invoice.id);
      await gw.sweep();
      await gw.sandbox.blockonomics.simulator.pay(invoice.address, satoshi(invoice.amountDue));
      expect(await gw.invoice(invoice.id)).toMatchObject({ status: 'settled', exceptionStatus: 'paidLate' });
    });
  });
});
