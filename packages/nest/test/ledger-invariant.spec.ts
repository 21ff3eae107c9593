import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Invoice } from '@cryptopay/invoice';
import { type Store, type StoreTransaction } from '@cryptopay/store';
import { type LoggerService } from '@nestjs/common';
import request from 'supertest';
import { API_TOKEN, type PaymentsTestApp, startPaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

const auth = { Authorization: `Bearer ${API_TOKEN}` };

class RecordingLogger implements LoggerService {
  readonly errors: { message: string; stack: unknown }[] = [];
  log(): void {}
  warn(): void {}
  error(message: unknown, stack?: unknown): void {
    this.errors.push({ message: String(message), stack });
  }
}

/** Makes every invoice written in a transaction list its newest payment twice, as a bug upstream would. */
function corruptLedgerWrites(store: Store): () => void {
  const transaction = store.transaction.bind(store);
  store.transaction = <T>(work: (tx: StoreTransaction) => Promise<T>) =>
    transaction((tx) => {
      const update = tx.invoices.update.bind(tx.invoices);
      tx.invoices.update = (invoice: Invoice) => update({ ...invoice, payments: [...invoice.payments, ...invoice.payments.slice(-1)] });
      return work(tx);
    });
  return () => {
    store.transaction = transaction;
  };
}

/** A write the ledger's unique key refuses stored nothing: it is a retry-later and an error in the log, never a 200. */
describe('a ledger invariant violation while applying a callback', () => {
  const logger = new RecordingLogger();
  let harness: PaymentsTestApp;
  beforeAll(async () => {
    harness = await startPaymentsApp({ logger });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('answers 503 so the provider retries, writes nothing, and logs the violation at error level with its stack', async () => {
    const server = harness.app.getHttpServer();
    const invoice = (await request(server).post('/v1/invoices').set(auth).send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'order-invariant' }))
      .body as { id: string; address: string };
    const restore = corruptLedgerWrites(harness.store);
    const answer = await request(server).get(`/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=${invoice.address}&txid=tx-bug&value=50000&status=2`);
    restore();

    expect([answer.status, answer.text]).toEqual([503, 'retry-later']);
    expect((await request(server).get(`/v1/invoices/${invoice.id}`).set(auth)).body).toMatchObject({ status: 'new', payments: [] });
    const log = await request(server).get(`/v1/deliveries?invoiceId=${invoice.id}`).set(auth);
    expect((log.body as { deliveries: { verdict: string; reason: string }[] }).deliveries).toEqual([
      expect.objectContaining({ verdict: 'retry-later', reason: expect.stringContaining('ledger refused it') }),
    ]);
    const violation = logger.errors.find((line) => line.message.startsWith('invariant violated'));
    expect(violation?.message).toContain('DuplicatePaymentError');
    expect(String(violation?.stack)).toContain('DuplicatePaymentError');

    // The provider's retry, once the bug is gone, is applied.
    const retry = await request(server).get(`/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=${invoice.address}&txid=tx-bug&value=50000&status=2`);
    expect([retry.status, retry.text]).toEqual([200, 'applied']);
  });
});
