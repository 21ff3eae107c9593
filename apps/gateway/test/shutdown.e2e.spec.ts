import { afterAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DATABASE_URL, databaseEnv, dropTestSchemas, GatewayHarness, REDIS_URL } from './support/gateway-harness.js';
import { eventually } from '@cryptopay/test-servers';

describe('graceful shutdown', () => {
  afterAll(() => dropTestSchemas());

  it('finishes a callback that is in flight when the gateway is told to stop, and acknowledges it only once committed', async () => {
    const env = databaseEnv('PostgreSQL');
    // With Redis: its connection must outlive the in-flight callback, which completes its claim last.
    const gw = await GatewayHarness.start({ ...env, REDIS_URL });
    const invoice = await gw.createInvoice('blockonomics');
    const locker = new pg.Client({ connectionString: DATABASE_URL });
    // A second session: pg_stat_activity is a snapshot per transaction, so the locker cannot watch.
    const watcher = new pg.Client({ connectionString: DATABASE_URL });
    await Promise.all([locker.connect(), watcher.connect()]);
    let closing: Promise<void> | undefined;
    try {
      // Hold the invoice's row lock, so the callback's write of it waits inside the pipeline.
      await locker.query('begin');
      await locker.query(`select id from ${env['DATABASE_SCHEMA']}.invoices where id = $1 for update`, [invoice.id]);
      const secret = gw.sandbox.blockonomics.options.callbackSecret;
      const query = new URLSearchParams({ secret, status: '2', addr: invoice.address, value: '1000', txid: 'ab'.repeat(32) });
      const callback = fetch(`${gw.url}/v1/callbacks/blockonomics?${query.toString()}`);
      await eventually(async () => {
        const waiting = await watcher.query(
          "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%update \"invoices\"%'",
        );
        return (waiting.rows[0] as { n: number }).n > 0;
      }, 'the callback to wait on the invoice row lock');

      closing = gw.close();
      await locker.query('commit');
      const answer = await callback;
      await closing;

      expect(answer.status).toBe(200);
      const stored = await watcher.query(`select count(*)::int as n from ${env['DATABASE_SCHEMA']}.payments where invoice_id = $1`, [invoice.id]);
      expect((stored.rows[0] as { n: number }).n).toBe(1);
    } finally {
      // Ending the locker's session releases the lock, so a gateway left waiting on it closes too.
      await Promise.all([locker.end(), watcher.end()]);
      await (closing ?? gw.close());
    }
  });
});
