import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fingerprintOf, IdempotencyGuardService, IdempotencyKey } from '@cryptopay/idempotency';
import { eventually, RecordingLogger, RedisServerProcess, testDatabaseUrl } from '@cryptopay/test-servers';
import { EventEmitter2 } from '@nestjs/event-emitter';
import pg from 'pg';
import request from 'supertest';
import { PaymentsMetrics } from '../src/index.js';
import { AUTH, type PaymentsTestApp, startPaymentsApp, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET, TestPayAdapter } from './support/test-provider.js';

/**
 * The intake's answers to what happens between the binding and the acknowledgement: another worker
 * applying the same delivery, a report the invoice refuses, a write the database refuses, and the
 * idempotency store failing before the claim or after the change. Each must leave the invoice as the
 * answer says, and the log must say why.
 */
describe('callback intake: answers between the binding and the acknowledgement', () => {
  const logger = new RecordingLogger();
  const harness = usePaymentsApp({ logger });

  it('replays a duplicate with the content type the provider first answered with', async () => {
    const adapter = harness().app.get(TestPayAdapter);
    adapter.answerType = 'text/xml; charset=utf-8';
    try {
      const invoice = await createInvoice(harness());
      const first = await pay(harness(), { addr: invoice.address, txid: 'tx-typed', value: '50000', status: '2' });
      const duplicate = await pay(harness(), { addr: invoice.address, txid: 'tx-typed', value: '50000', status: '2' });
      expect([first.status, first.headers['content-type']]).toEqual([200, 'text/xml; charset=utf-8']);
      expect([duplicate.status, duplicate.headers['content-type'], duplicate.text]).toEqual([200, 'text/xml; charset=utf-8', 'applied']);
    } finally {
      adapter.answerType = 'text/plain; charset=utf-8';
    }
  });

  it('answers 409 to a delivery another worker is applying, and applies the retry once that worker gave it up', async () => {
    const invoice = await createInvoice(harness());
    const deliveryKey = 'delivery-held-elsewhere';
    const callback = { addr: invoice.address, txid: 'tx-held', value: '50000', status: '2', key: deliveryKey };
    // Another instance holds the claim of this delivery, for this invoice, while it applies it.
    let giveUp!: (reason: Error) => void;
    const held = new Promise<never>((_resolve, reject) => (giveUp = reject));
    const elsewhere = harness()
      .app.get(IdempotencyGuardService)
      .run(IdempotencyKey.callback({ provider: 'testpay', deliveryKey }), fingerprintOf(invoice.id, deliveryKey), () => held);
    const copy = await pay(harness(), callback);
    expect([copy.status, copy.text]).toEqual([409, 'retry-later']);
    expect(logger.at('warn')).toContainEqual(expect.stringContaining(`testpay callback retry-later (409): the same delivery is being processed; GET /v1/callbacks/testpay?`));
    expect((await harness().store.invoices.findById(invoice.id))?.payments).toEqual([]);
    giveUp(new Error('the other worker stopped'));
    await expect(elsewhere).rejects.toThrow('the other worker stopped');
    const retry = await pay(harness(), callback);
    expect([retry.status, retry.text]).toEqual([200, 'applied']);
    expect((await harness().store.invoices.findById(invoice.id))?.payments.map((payment) => payment.amount)).toEqual([50_000n]);
  });

  it('answers from the claim a delivery completed elsewhere whose stored answer the look before the binding cannot match, as a duplicate', async () => {
    const invoice = await createInvoice(harness());
    const deliveryKey = 'delivery-completed-elsewhere';
    // An answer stored without the binding context (as by a version before it): the look refuses it, the claim finds it.
    const stored = { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'applied' };
    await harness()
      .app.get(IdempotencyGuardService)
      .run(IdempotencyKey.callback({ provider: 'testpay', deliveryKey }), fingerprintOf(invoice.id, deliveryKey), () => Promise.resolve(stored));
    const duplicates = async () => (await harness().app.get(PaymentsMetrics).duplicates.get()).values.find(({ labels }) => labels['provider'] === 'testpay')?.value ?? 0;
    const before = await duplicates();
    const copy = await pay(harness(), { addr: invoice.address, txid: 'tx-completed-elsewhere', value: '50000', status: '2', key: deliveryKey });
    expect([copy.status, copy.text]).toEqual([200, 'applied']);
    expect(await duplicates()).toBe(before + 1);
    expect((await harness().store.invoices.findById(invoice.id))?.payments).toEqual([]);
  });

  it('refuses with 400 a report that contradicts a recorded payment, and keeps the recorded one', async () => {
    const invoice = await createInvoice(harness());
    const confirmed = { addr: invoice.address, txid: 'tx-contradicted', status: '2' };
    expect((await pay(harness(), { ...confirmed, value: '50000' })).status).toBe(200);
    // Another delivery (its own key) confirming the same transaction with another amount.
    const contradiction = await pay(harness(), { ...confirmed, value: '60000', key: 'delivery-contradiction' });
    expect([contradiction.status, contradiction.text]).toEqual([400, 'rejected']);
    expect(logger.at('warn')).toContainEqual(
      expect.stringContaining('testpay callback rejected (400): payment tx-contradicted was recorded with amount 50000, not 60000; GET /v1/callbacks/testpay?'),
    );
    expect((await harness().store.invoices.findById(invoice.id))?.payments.map((payment) => payment.amount)).toEqual([50_000n]);
  });
});

describe('callback intake: a write the database refuses for a reason that is no outage', () => {
  const logger = new RecordingLogger();
  const databaseUrl = testDatabaseUrl();
  const harness = usePaymentsApp({ logger, databaseUrl });

  it('answers 503 (the provider retries), logs the error with its stack, and records nothing', async () => {
    const invoice = await createInvoice(harness());
    // A constraint added by hand that refuses every new payment: the write fails, the database is up.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`alter table ${harness().schema}.payments add constraint refuses_payments check (false) not valid`);
    } finally {
      await client.end();
    }
    const answer = await pay(harness(), { addr: invoice.address, txid: 'tx-refused-by-database', value: '50000', status: '2' });
    expect([answer.status, answer.text]).toEqual([503, 'retry-later']);
    expect(logger.at('warn')).toContainEqual(expect.stringContaining('testpay callback retry-later (503): the callback could not be recorded; GET /v1/callbacks/testpay?'));
    const notApplied = logger.entries.filter((entry) => entry.level === 'error' && entry.text.startsWith('Callbacks callback not applied'));
    expect(notApplied).toEqual([expect.objectContaining({ text: expect.stringMatching(/refuses_payments/), stack: expect.stringContaining('at InvoiceUpdater.update') })]);
    expect(await harness().store.invoices.findById(invoice.id)).toEqual(expect.objectContaining({ status: 'new', payments: [] }));
  });
});

describe('callback intake: the idempotency store failing', () => {
  const logger = new RecordingLogger();
  let redis: RedisServerProcess | undefined;
  let harness: PaymentsTestApp | undefined;
  beforeAll(async () => {
    redis = await RedisServerProcess.start();
    harness = await startPaymentsApp({ logger, redisUrl: redis.url });
  });
  afterAll(async () => {
    await harness?.close();
    await redis?.stop();
  });
  const app = (): PaymentsTestApp => {
    if (!harness) throw new Error('the app starts in beforeAll');
    return harness;
  };
  const server = (): RedisServerProcess => {
    if (!redis) throw new Error('redis-server starts in beforeAll');
    return redis;
  };

  it('before the claim: answers 503 with nothing applied, and applies the retry once Redis is back', async () => {
    const invoice = await createInvoice(app());
    const callback = { addr: invoice.address, txid: 'tx-before-claim', value: '50000', status: '2' };
    await server().stop();
    try {
      const answer = await pay(app(), callback);
      expect([answer.status, answer.text]).toEqual([503, 'retry-later']);
      expect(logger.at('warn')).toContainEqual(expect.stringContaining('testpay callback retry-later (503): the idempotency store is unavailable; GET /v1/callbacks/testpay?'));
      expect((await app().store.invoices.findById(invoice.id))?.status).toBe('new');
    } finally {
      await server().start();
    }
    // As the provider retries: answered 503 until the guard's client has reconnected.
    const retry = await eventually(async () => {
      const answer = await pay(app(), callback);
      return answer.status === 503 ? undefined : answer;
    }, 'a retry answered once Redis is back');
    expect([retry.status, retry.text]).toEqual([200, 'applied']);
    expect((await app().store.invoices.findById(invoice.id))?.status).toBe('settled');
  });

  it('after the change: answers 503 saying the change is applied but its answer not recorded', async () => {
    const invoice = await createInvoice(app());
    const events = app().app.get(EventEmitter2);
    // Redis hangs once the change is committed (its events are published then), before the answer is stored.
    const hang = () => server().pause();
    events.once('invoice.settled', hang);
    try {
      const answer = await pay(app(), { addr: invoice.address, txid: 'tx-after-change', value: '50000', status: '2' });
      expect([answer.status, answer.text]).toEqual([503, 'retry-later']);
      expect(logger.at('warn')).toContainEqual(
        expect.stringContaining('testpay callback retry-later (503): applied, but the idempotency store could not record the answer; GET /v1/callbacks/testpay?'),
      );
    } finally {
      events.off('invoice.settled', hang);
      server().resume();
    }
    expect((await app().store.invoices.findById(invoice.id))?.status).toBe('settled');
  });
});

async function createInvoice(harness: PaymentsTestApp): Promise<{ id: string; address: string }> {
  const res = await request(harness.app.getHttpServer()).post('/v1/invoices').set(AUTH).send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'intake' });
  expect(res.status).toBe(201);
  return res.body as { id: string; address: string };
}

function pay(harness: PaymentsTestApp, fields: Record<string, string>) {
  const query = new URLSearchParams({ secret: TEST_SECRET, ...fields });
  return request(harness.app.getHttpServer()).get(`/v1/callbacks/testpay?${query.toString()}`);
}
