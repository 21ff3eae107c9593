import { describe, expect, it } from '@jest/globals';
import { type Invoice } from '@cryptopay/invoice';
import { type Store, type StoreTransaction } from '@cryptopay/store';
import { RecordingLogger } from '@cryptopay/test-servers';
import request from 'supertest';
import { AUTH, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

type Invoices = Store['invoices'];

/** Makes the repository list an invoice's newest payment twice on every write, as a bug upstream would; returns the undo. */
function corruptWrites(invoices: Invoices): () => void {
  const update = invoices.update.bind(invoices);
  invoices.update = (invoice: Invoice, options) => update({ ...invoice, payments: [...invoice.payments, ...invoice.payments.slice(-1)] }, options);
  return () => {
    invoices.update = update;
  };
}

/** Corrupts every invoice write: the one against the invoice as read, and the one under the row lock. */
function corruptLedgerWrites(store: Store): () => void {
  const transaction = store.transaction.bind(store);
  const restoreStore = corruptWrites(store.invoices);
  store.transaction = <T>(work: (tx: StoreTransaction) => Promise<T>) =>
    transaction((tx) => {
      corruptWrites(tx.invoices);
      return work(tx);
    });
  return () => {
    restoreStore();
    store.transaction = transaction;
  };
}

/** A write the ledger's unique key refuses stored nothing: it is a retry-later and an error in the log, never a 200. */
describe('a ledger invariant violation while applying a callback', () => {
  const logger = new RecordingLogger();
  const harness = usePaymentsApp({ logger });

  it('answers 503 so the provider retries, writes nothing, and logs the violation at error level with its stack', async () => {
    const server = harness().app.getHttpServer();
    const invoice = (await request(server).post('/v1/invoices').set(AUTH).send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'order-invariant' }))
      .body as { id: string; address: string };
    const restore = corruptLedgerWrites(harness().store);
    const answer = await request(server).get(`/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=${invoice.address}&txid=tx-bug&value=50000&status=2`);
    restore();

    expect([answer.status, answer.text]).toEqual([503, 'retry-later']);
    expect((await request(server).get(`/v1/invoices/${invoice.id}`).set(AUTH)).body).toMatchObject({ status: 'new', payments: [] });
    const log = await request(server).get(`/v1/deliveries?invoiceId=${invoice.id}`).set(AUTH);
    expect((log.body as { deliveries: { verdict: string; reason: string }[] }).deliveries).toEqual([
      expect.objectContaining({ verdict: 'retry-later', reason: expect.stringContaining('ledger refused it') }),
    ]);
    const violation = logger.entries.find((line) => line.level === 'error' && line.text.startsWith('Callbacks invariant violated'));
    expect(violation?.text).toContain('DuplicatePaymentError');
    expect(String(violation?.stack)).toContain('DuplicatePaymentError');

    // The provider's retry, once the bug is gone, is applied.
    const retry = await request(server).get(`/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=${invoice.address}&txid=tx-bug&value=50000&status=2`);
    expect([retry.status, retry.text]).toEqual([200, 'applied']);
  });
});
