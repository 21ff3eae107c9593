import { type Server } from 'node:http';
import { afterAll, describe, expect, it } from '@jest/globals';
import { eventually, testRedisUrl } from '@cryptopay/test-servers';
import pg from 'pg';
import { AUTH, DATABASES, dropSchema, startPaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

const DATABASE_URL = DATABASES[1][1];
const REDIS_URL = testRedisUrl();

/**
 * A plain Nest app embedding PaymentsModule, closed the way `enableShutdownHooks()` closes it
 * (`app.close()`), while callbacks wait inside the pipeline: they finish first, then the modules
 * close Redis and the database.
 */
describe('app.close() with callbacks in flight', () => {
  const clients: pg.Client[] = [];
  const client = async () => {
    const connected = new pg.Client({ connectionString: DATABASE_URL });
    await connected.connect();
    clients.push(connected);
    return connected;
  };
  let schema = '';
  afterAll(async () => {
    await Promise.all(clients.map((connected) => connected.end()));
    if (schema) await dropSchema(DATABASE_URL, schema);
  });

  it('stops accepting, answers them once their effect and their log entries are stored, and only then closes Redis and the database', async () => {
    const harness = await startPaymentsApp({ databaseUrl: DATABASE_URL, redisUrl: REDIS_URL });
    schema = harness.schema ?? '';
    const { app } = harness;
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    const created = await fetch(`${url}/v1/invoices`, {
      method: 'POST',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'order-shutdown' }),
    });
    const invoice = (await created.json()) as { id: string; address: string };

    // Every read of the invoices table waits behind this lock: both callbacks stop at finding their invoice.
    const locker = await client();
    const watcher = await client();
    await locker.query('begin');
    await locker.query(`lock table ${schema}.invoices in access exclusive mode`);
    const callback = (addr: string) => fetch(`${url}/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=${addr}&txid=${'ef'.repeat(32)}&value=50000&status=2`);
    const paid = callback(invoice.address);
    // Its log entry is queued, not written with a change: it must be flushed before the database closes.
    const unmatched = callback('tb1qnobody');
    await eventually(async () => {
      const waiting = await watcher.query(`select count(*)::int as n from pg_locks where not granted and relation = '${schema}.invoices'::regclass`);
      return (waiting.rows[0] as { n: number }).n === 2;
    }, 'both callbacks to wait on the invoices table');

    const closing = app.close();
    const server = app.getHttpServer() as Server;
    await eventually(() => !server.listening, 'the server to stop listening');
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    await locker.query('commit');
    const answers = await Promise.all([paid, unmatched]);
    await closing;

    // Answered on connections that then close: a keep-alive client sends the app nothing more.
    expect(await Promise.all(answers.map(async (answer) => [answer.status, await answer.text(), answer.headers.get('connection')]))).toEqual([
      [200, 'applied', 'close'],
      [200, 'unmatched', 'close'],
    ]);
    const payments = await watcher.query(`select count(*)::int as n from ${schema}.payments where invoice_id = $1`, [invoice.id]);
    expect((payments.rows[0] as { n: number }).n).toBe(1);
    const logged = await watcher.query(`select verdict from ${schema}.callback_deliveries order by verdict`);
    expect(logged.rows.map((row: { verdict: string }) => row.verdict)).toEqual(['applied', 'unmatched']);
  });
});
