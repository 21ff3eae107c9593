import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, testDatabaseUrl, testRedisUrl } from '@cryptopay/test-servers';
import { Fleet } from '../../src/harness/fleet.js';

/** The gateway's idempotency lease (IDEMPOTENCY_LEASE_SECONDS), short so the retry after it comes within seconds. */
const LEASE_MS = 5_000;

describe('an instance killed (SIGKILL) while processing a callback', () => {
  let fleet: Fleet;

  beforeAll(async () => {
    fleet = await Fleet.start({
      name: 'crash',
      instances: 2,
      redisUrl: testRedisUrl(),
      databaseUrl: testDatabaseUrl(),
      // Blockonomics retries after 1.2, 3.6, 8.4, 18, 37 … s: the lease ends between the 2nd and 3rd.
      timeScales: { blockonomics: 0.3 },
      env: { IDEMPOTENCY_LEASE_SECONDS: String(LEASE_MS / 1000) },
    });
  });

  afterAll(async () => {
    await fleet?.close();
  });

  it('leaves no trace of the cut write, and the retry after the lease applies the payment once', async () => {
    const [first, second] = fleet.gateways as [(typeof fleet.gateways)[0], (typeof fleet.gateways)[0]];
    const invoice = await fleet.createInvoice('blockonomics', '25.00');
    const due = (await fleet.amountsDue()).get(invoice.id) as bigint;

    // Hold the invoice's row lock, so the callback stops in its write, after its claim.
    const lock = await fleet.ledger.lockInvoice(invoice.id);
    fleet.balancer.route([first.url]);
    const started = Date.now();
    const paying = fleet.simulators.blockonomics.pay(invoice.address, due, { statuses: [2] });
    await eventually(async () => (await fleet.ledger.sessionsBlockedBy(lock.backendPid)) > 0, 'the callback to wait on the invoice row lock', { tries: 400 });

    await first.kill();
    const killed = Date.now();
    fleet.balancer.route([second.url]);
    // The killed instance's write is one statement that would commit on its own once it got the lock:
    // the server must notice its client is gone and abandon it, well before the statement timeout (15 s).
    await eventually(async () => (await fleet.ledger.sessionsBlockedBy(lock.backendPid)) === 0, 'the killed instance\'s write to be abandoned', { tries: 100 });
    const abandonedAfter = Date.now() - killed;
    await lock.release();
    expect(await fleet.ledger.payments()).toEqual([]);

    const { deliveries } = await paying;
    const attempts = deliveries[0]?.attempts.map((attempt) => attempt.httpStatus) ?? [];
    const seconds = (Date.now() - started) / 1000;
    const payments = await fleet.ledger.payments();
    const [stored] = await fleet.ledger.invoices();
    console.log(
      [
        'Crash mid-callback',
        `  killed instance's write abandoned by PostgreSQL after ${abandonedAfter} ms`,
        `  attempts as the simulator saw them: ${attempts.map((status) => status ?? 'none').join(' → ')}`,
        `  applied after ${seconds.toFixed(1)} s (lease ${LEASE_MS / 1000} s)`,
        `  ledger rows ${payments.length}, invoice ${stored?.status}`,
        `  callback log verdicts: ${JSON.stringify(await fleet.ledger.verdicts())}`,
      ].join('\n'),
    );

    // The killed request got no answer (the balancer says 502); retries hit the live claim (409) until its lease ends.
    expect(attempts[0]).toBe(502);
    expect(attempts.slice(1, -1).every((status) => status === 409)).toBe(true);
    expect(attempts.at(-1)).toBe(200);
    expect(payments).toEqual([expect.objectContaining({ amount: due.toString(), state: 'confirmed' })]);
    expect(stored?.status).toBe('settled');
    expect(await fleet.ledger.verdicts()).toMatchObject({ applied: 1 });
    expect(await fleet.ledger.keysAppliedTwice()).toEqual([]);
  });
});
