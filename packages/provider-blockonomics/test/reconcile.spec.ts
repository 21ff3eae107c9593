import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ProviderError } from '@cryptopay/provider-kit';
import { type BlockonomicsSimulator } from '../src/simulator/index.js';
import { adapterFor, BCH, invoiceFor, startSimulator } from './support.js';

let simulator: BlockonomicsSimulator;

beforeAll(async () => {
  simulator = await startSimulator();
});
afterAll(async () => {
  await simulator.close();
});


describe('Blockonomics reconciliation (searchhistory)', () => {
  it('reports a payment whose callbacks were dropped as its status 2 callback would have', async () => {
    const adapter = adapterFor(simulator, { historyRequestsPerMinute: 100 });
    const invoice = await invoiceFor(adapter);
    const { txid, deliveries } = await simulator.pay(invoice.address, 38_988n, { deliver: false });
    expect(deliveries).toEqual([]);

    expect(await adapter.reconcile(invoice)).toEqual([
      { txid, amount: 38_988n, kind: 'confirmed', confirmations: 2, rbf: false, test: false, address: invoice.address, coin: 'BTC' },
    ]);
  });

  it('reports a pending transaction as seen, its RBF flag unknown, until it confirms', async () => {
    const adapter = adapterFor(simulator, { historyRequestsPerMinute: 100, confirmations: 0 });
    const invoice = await invoiceFor(adapter);
    const { txid } = await simulator.pay(invoice.address, 10_000n, { statuses: [0], deliver: false });
    // With zero confirmations required a status 0 callback without `rbf` would count; history cannot say, so it does not.
    expect(await adapter.reconcile(invoice)).toEqual([expect.objectContaining({ txid, kind: 'seen', confirmations: 0, rbf: true })]);

    await simulator.pay(invoice.address, 10_000n, { txid, statuses: [1], deliver: false });
    expect(await adapter.reconcile(invoice)).toEqual([expect.objectContaining({ txid, kind: 'confirmed', confirmations: 1, rbf: false })]);
  });

  it('leaves out a transaction dropped from the mempool, for a BCH invoice too', async () => {
    const adapter = adapterFor(simulator, { historyRequestsPerMinute: 100 });
    const invoice = await invoiceFor(adapter, BCH);
    await simulator.pay(invoice.address, 5_000n, { statuses: [0, -1], deliver: false });
    const { txid } = await simulator.pay(invoice.address, 7_000n, { deliver: false });
    expect(await adapter.reconcile(invoice)).toEqual([expect.objectContaining({ txid, amount: 7_000n, kind: 'confirmed', coin: 'BCH' })]);
  });

  it("keeps to this instance's budget of history requests, failing as a retryable rate limit without asking", async () => {
    const adapter = adapterFor(simulator, { historyRequestsPerMinute: 2 });
    const invoice = await invoiceFor(adapter);
    const before = simulator.historyRequests;
    await adapter.reconcile(invoice);
    await adapter.reconcile(invoice);
    const error = await adapter.reconcile(invoice).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ kind: 'rate-limit', retryable: true });
    expect((error as ProviderError).retryAfterSeconds).toBeGreaterThan(0);
    expect(simulator.historyRequests - before).toBe(2);
  });

  it('fails as unavailable, changing nothing, when Blockonomics cannot be reached', async () => {
    const down = await startSimulator();
    const adapter = adapterFor(down, { historyRequestsPerMinute: 100 });
    const invoice = await invoiceFor(adapter);
    await down.close();
    await expect(adapter.reconcile(invoice)).rejects.toMatchObject({ kind: 'unavailable', retryable: true });
  });

  it('refuses an invoice in a coin it does not speak', async () => {
    const adapter = adapterFor(simulator, { historyRequestsPerMinute: 100 });
    const invoice = { ...(await invoiceFor(adapter)), coin: 'USDT' };
    await expect(adapter.reconcile(invoice)).rejects.toMatchObject({ kind: 'rejected', message: 'blockonomics: cannot reconcile an invoice in USDT' });
  });
});
