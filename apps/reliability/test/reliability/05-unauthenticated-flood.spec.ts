import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { testDatabaseUrl, testRedisUrl } from '@cryptopay/test-servers';
import { type CreatedInvoice, Fleet } from '../../src/harness/fleet.js';
import { inParallel } from '../../src/harness/parallel.js';
import { closeAgents, send } from '../../src/harness/raw-client.js';
import { logFile } from '../../src/harness/run-directory.js';

const FLOOD = 2_000;
const NAME = 'unauthenticated_flood';

/**
 * Issue 18 §1: anyone can send a callback that is refused before authentication. The same flood that
 * once grew the callback log by ~32 KB and stdout by ~12.5 KB per request — forged BlockBee POSTs with
 * a 6 KB query, a 7 KB header and a 60 KB body — must now leave a bounded trace.
 */
describe('a flood of forged callbacks', () => {
  let fleet: Fleet;
  let invoice: CreatedInvoice;

  beforeAll(async () => {
    fleet = await Fleet.start({ name: NAME, instances: 1, redisUrl: testRedisUrl(), databaseUrl: testDatabaseUrl() });
    invoice = await fleet.createInvoice('blockbee', '25.00');
  });

  afterAll(async () => {
    closeAgents();
    await fleet?.close();
  });

  const logBytes = () => statSync(logFile(`${NAME}-gateway-0`)).size;
  /** The deliveries API writes out the queued log entries before it reads. */
  const writeOutLog = async () => {
    const response = await fetch(`${fleet.balancer.url}/v1/deliveries?limit=1`, { headers: { Authorization: `Bearer ${fleet.token}` } });
    expect(response.status).toBe(200);
  };
  const unloggedCounted = async (): Promise<number> => {
    const text = await (await fetch(`${fleet.gateways[0]!.url}/metrics`, { headers: { Authorization: `Bearer ${fleet.token}` } })).text();
    return [...text.matchAll(/^cryptopay_callback_refusals_unlogged_total\{[^}]*\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
  };

  it(`adds < 2 MB to the database and < 200 KB to the log for ${FLOOD} forged BlockBee POSTs`, async () => {
    const gateway = fleet.gateways[0]!;
    await writeOutLog();
    const [dbBefore, rowsBefore, logBefore] = [await fleet.ledger.deliveryLogBytes(), await fleet.ledger.deliveryCount(), logBytes()];
    const statuses = new Map<number, number>();
    const forged = {
      method: 'POST',
      path: `/v1/callbacks/blockbee?invoice=${invoice.id}&q=${'q'.repeat(6 * 1024)}`,
      headers: { 'content-type': 'application/json', 'x-ca-signature': 'Zm9yZ2Vk', 'x-padding': 'p'.repeat(7 * 1024) },
      body: `{"address_in": "${invoice.address}", "pad": "${'b'.repeat(60 * 1024)}"}`,
    };
    await inParallel(Array.from({ length: FLOOD }), 8, async () => {
      const answer = await send(gateway.url, forged);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    });
    await writeOutLog();
    const [dbAfter, rowsAfter, logAfter, unlogged] = [await fleet.ledger.deliveryLogBytes(), await fleet.ledger.deliveryCount(), logBytes(), await unloggedCounted()];

    const dbGrowth = dbAfter - dbBefore;
    const logGrowth = logAfter - logBefore;
    console.log(
      [
        `Forged-callback flood: ${FLOOD} BlockBee POSTs (6 KB query, 7 KB header, 60 KB body), answers ${[...statuses].map(([status, count]) => `${status}×${count}`).join(', ')}`,
        `  callback log: +${rowsAfter - rowsBefore} entries, +${(dbGrowth / 1024).toFixed(1)} KB on disk (limit 2048 KB); ${unlogged} refusals counted but not logged`,
        `  gateway log: +${(logGrowth / 1024).toFixed(1)} KB (limit 200 KB)`,
      ].join('\n'),
    );
    expect([...statuses.keys()]).toEqual([403]);
    expect(rowsAfter - rowsBefore + unlogged).toBe(FLOOD);
    expect(dbGrowth).toBeLessThan(2 * 1024 * 1024);
    expect(logGrowth).toBeLessThan(200 * 1024);
    expect(gateway.alive()).toBe(true);
  });
});
