import { afterEach, describe, expect, it } from '@jest/globals';
import { createStore } from '@cryptopay/store';
import { eventually, RecordingLogger, testDatabaseUrl } from '@cryptopay/test-servers';
import request from 'supertest';
import { PaymentsMetrics } from '../src/index.js';
import { API_TOKEN, dropSchema, type PaymentsTestApp, startPaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

const DATABASE_URL = testDatabaseUrl();
const auth = { Authorization: `Bearer ${API_TOKEN}` };
/** Nothing is written by the timer or by batch size during a test: only what the test asks for. */
const QUIET = { flushIntervalMs: 3_600_000, batchSize: 1_000 };

describe('the callback log, written off the response path', () => {
  let harness: PaymentsTestApp | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const server = () => harness!.app.getHttpServer();
  const createInvoice = async (): Promise<{ id: string; address: string }> =>
    (await request(server()).post('/v1/invoices').set(auth).send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'log' })).body as {
      id: string;
      address: string;
    };
  const callback = (query: Record<string, string>) => request(server()).get(`/v1/callbacks/testpay?${new URLSearchParams(query).toString()}`);
  const stored = async () => (await harness!.store.deliveries.list({ limit: 100 })).deliveries.map((delivery) => delivery.verdict);
  const dropped = async () => (await harness!.app.get(PaymentsMetrics).deliveryLogDropped.get()).values.map(({ labels, value }) => [labels['reason'], value]);

  const listed = async (): Promise<string[]> =>
    ((await request(server()).get('/v1/deliveries').set(auth)).body as { deliveries: { verdict: string }[] }).deliveries.map((delivery) => delivery.verdict);
  const duplicatesCounted = async () =>
    (await harness!.app.get(PaymentsMetrics).callbacks.get()).values.find(({ labels }) => labels['verdict'] === 'duplicate')?.value ?? 0;

  it('logs one duplicate of a delivery per interval and counts every one', async () => {
    harness = await startPaymentsApp({ deliveryLog: { duplicateIntervalMs: 3_600_000 } });
    const invoice = await createInvoice();
    const paid = { secret: TEST_SECRET, addr: invoice.address, txid: 'tx-storm', value: '50000', status: '2' };
    for (let attempt = 0; attempt < 5; attempt += 1) expect((await callback(paid)).text).toBe('applied');
    expect(await listed()).toEqual(['duplicate', 'applied']);
    expect(await duplicatesCounted()).toBe(4);
    expect((await callback({ ...paid, txid: 'tx-other' })).text).toBe('applied');
    expect((await callback({ ...paid, txid: 'tx-other' })).text).toBe('applied');
    expect(await listed()).toEqual(['duplicate', 'applied', 'duplicate', 'applied']); // another delivery's first duplicate is logged
    // Every answer is timed, logged or not.
    const timed = (await harness.app.get(PaymentsMetrics).callbackDuration.get()).values.find(({ metricName, labels }) => metricName === 'cryptopay_callback_duration_seconds_count' && labels['provider'] === 'testpay');
    expect(timed?.value).toBe(7);
  });

  it('logs every duplicate with duplicateIntervalMs 0', async () => {
    harness = await startPaymentsApp({ deliveryLog: { duplicateIntervalMs: 0 } });
    const invoice = await createInvoice();
    const paid = { secret: TEST_SECRET, addr: invoice.address, txid: 'tx-each', value: '50000', status: '2' };
    for (let attempt = 0; attempt < 3; attempt += 1) await callback(paid);
    expect(await listed()).toEqual(['duplicate', 'duplicate', 'applied']);
  });

  it('writes an applied callback’s entry in the transaction that applies it, and queues the others', async () => {
    harness = await startPaymentsApp({ deliveryLog: QUIET });
    const invoice = await createInvoice();
    expect((await callback({ secret: TEST_SECRET, addr: invoice.address, txid: 'tx-1', value: '50000', status: '2' })).text).toBe('applied');
    expect((await callback({ secret: 'wrong', addr: invoice.address, txid: 'tx-1', value: '50000', status: '2' })).status).toBe(403);

    expect(await stored()).toEqual(['applied']); // read past the queue: the rejection is still queued
    const listed = await request(server()).get('/v1/deliveries').set(auth); // the API writes the queue first
    expect((listed.body as { deliveries: { verdict: string }[] }).deliveries.map((delivery) => delivery.verdict)).toEqual(['rejected', 'applied']);
  });

  it('drops what does not fit in the queue, counts it and warns once, and still answers every callback', async () => {
    const logger = new RecordingLogger();
    harness = await startPaymentsApp({ deliveryLog: { ...QUIET, maxQueued: 2 }, logger });
    const answers = [];
    for (let index = 0; index < 5; index += 1) answers.push((await callback({ secret: 'wrong', addr: 'a', txid: `t${index}`, value: '1', status: '2' })).status);
    expect(answers).toEqual([403, 403, 403, 403, 403]);

    await request(server()).get('/v1/deliveries').set(auth);
    expect(await stored()).toEqual(['rejected', 'rejected']);
    expect(await dropped()).toEqual([['queue-full', 3]]);
    expect(logger.at('warn').filter((line) => line.includes('callback log entries not written'))).toEqual([
      'DeliveryLog 3 callback log entries not written (the queue holds 2 entries already); the callbacks themselves were answered and applied as usual',
    ]);
  });

  it('drops and counts a batch the database refuses, without failing the callback, and warns with the database’s error', async () => {
    const logger = new RecordingLogger();
    harness = await startPaymentsApp({ deliveryLog: QUIET, logger });
    expect((await callback({ secret: 'wrong', addr: 'a', txid: 't', value: '1', status: '2' })).status).toBe(403);
    await harness.store.close();
    await expect(request(server()).get('/v1/deliveries').set(auth)).resolves.toMatchObject({ status: 503 });
    expect(await dropped()).toEqual([['write-failed', 1]]);
    expect(logger.at('warn').filter((line) => line.startsWith('DeliveryLog '))).toEqual([
      expect.stringMatching(/^DeliveryLog 1 callback log entry not written \(\w*Error: .+\); the callbacks themselves were answered and applied as usual$/),
    ]);
  });

  it('writes a full batch at once, without waiting for the timer or a read', async () => {
    harness = await startPaymentsApp({ deliveryLog: { flushIntervalMs: 3_600_000, batchSize: 2 } });
    for (const txid of ['t1', 't2']) expect((await callback({ secret: 'wrong', addr: 'a', txid, value: '1', status: '2' })).status).toBe(403);
    await eventually(async () => (await stored()).length === 2, 'the full batch in the database');
  });

  it('tells an operator of rejected callbacks at warn and of callbacks for no invoice of ours at log level, never of applied or duplicate ones', async () => {
    const logger = new RecordingLogger();
    harness = await startPaymentsApp({ deliveryLog: QUIET, logger });
    const invoice = await createInvoice();
    const paid = { secret: TEST_SECRET, addr: invoice.address, txid: 'tx-told', value: '50000', status: '2' };
    expect((await callback(paid)).text).toBe('applied');
    expect((await callback(paid)).text).toBe('applied'); // a duplicate
    expect((await callback({ ...paid, secret: 'wrong' })).status).toBe(403);
    expect((await callback({ ...paid, addr: 'tb1qnobody' })).text).toBe('unmatched');
    const told = (level: 'warn' | 'log') => logger.at(level).filter((line) => line.startsWith('Callbacks '));
    expect(told('warn')).toEqual([`Callbacks testpay callback rejected (403): secret does not match; GET /v1/callbacks/testpay?secret=[redacted]&addr=${invoice.address}&txid=tx-told&value=50000&status=2 from 127.0.0.1`]);
    expect(told('log')).toEqual([
      `Callbacks testpay callback unmatched (200): for no invoice of ours; GET /v1/callbacks/testpay?secret=[redacted]&addr=tb1qnobody&txid=tx-told&value=50000&status=2 from 127.0.0.1`,
    ]);
  });

  it('writes what is still queued when the app shuts down, before the store closes', async () => {
    const app = await startPaymentsApp({ databaseUrl: DATABASE_URL, deliveryLog: QUIET });
    const schema = app.schema!;
    const rejected = await request(app.app.getHttpServer()).get(`/v1/callbacks/testpay?secret=wrong&addr=a&txid=t&value=1&status=2`);
    expect(rejected.status).toBe(403);
    await app.app.close();

    const reader = await createStore({ databaseUrl: DATABASE_URL, schema });
    try {
      expect((await reader.deliveries.list({ limit: 10 })).deliveries.map((delivery) => delivery.responseStatus)).toEqual([403]);
    } finally {
      await reader.close();
      await dropSchema(DATABASE_URL, schema);
    }
  });
});
