import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { testDatabaseUrl, testRedisUrl } from '@cryptopay/test-servers';
import { type CreatedInvoice, Fleet } from '../../src/harness/fleet.js';
import { closeAgents, send } from '../../src/harness/raw-client.js';
import { badBlockbeeWebhooks, badBlockonomicsCallbacks, badInvoiceApiCalls, type BadRequest } from './support/bad-input.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10_000);

describe('bad input: property-based fuzzing of both callback endpoints and the invoice API', () => {
  let fleet: Fleet;
  let blockbee: CreatedInvoice;
  let blockonomics: CreatedInvoice;

  beforeAll(async () => {
    fleet = await Fleet.start({
      name: 'bad_input',
      instances: 1,
      redisUrl: testRedisUrl(),
      databaseUrl: testDatabaseUrl(),
      // BlockBee callbacks are accepted from 127.0.0.1 only: requests from 127.0.0.3 test the allowlist.
      env: { BLOCKBEE_ALLOWED_IPS: '127.0.0.1' },
    });
    [blockbee, blockonomics] = [await fleet.createInvoice('blockbee', '25.00'), await fleet.createInvoice('blockonomics', '25.00')];
    // A paid invoice of each kind, so a stray change to a payment would show too.
    await fleet.simulators.blockbee.pay({ address: blockbee.address, valueCoin: '0.0001' });
    await fleet.simulators.blockonomics.pay(blockonomics.address, 10_000n);
  });

  afterAll(async () => {
    closeAgents();
    await fleet?.close();
  });

  /** Sends every generated request; each must be refused (4xx) with a message naming its problem. */
  async function fuzz(name: string, requests: fc.Arbitrary<BadRequest>): Promise<void> {
    const gateway = fleet.gateways[0]!;
    const before = await fleet.ledger.snapshot();
    const statuses = new Map<number, number>();
    const labels = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(requests, async ({ request, names, label }) => {
        const answer = await send(gateway.url, request);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        labels.set(label, (labels.get(label) ?? 0) + 1);
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
        expect(answer.body).toMatch(names);
      }),
      { numRuns: RUNS },
    );
    const after = await fleet.ledger.snapshot();
    console.log(
      [
        `Bad input — ${name}: ${RUNS} requests, 0 accepted, 0 5xx, state unchanged: ${before === after}`,
        `  answers: ${[...statuses].sort().map(([status, count]) => `${status}×${count}`).join(', ')}`,
        `  defects: ${[...labels].map(([label, count]) => `${label} ${count}`).join(', ')}`,
      ].join('\n'),
    );
    expect(after).toBe(before);
    expect(gateway.alive()).toBe(true);
  }

  it('Blockonomics callbacks: malformed, duplicate and oversized parameters, amounts, wrong secrets', async () => {
    await fuzz('Blockonomics callbacks', badBlockonomicsCallbacks({ secret: fleet.simulators.secrets.blockonomicsCallbackSecret, address: blockonomics.address }));
  });

  it('BlockBee callbacks: forged signatures, tampered or malformed signed bodies, nonces, spoofed X-Forwarded-For', async () => {
    await fuzz('BlockBee callbacks', badBlockbeeWebhooks({ simulator: fleet.simulators.blockbee, address: blockbee.address }));
  });

  it('the invoice API: credentials, ids, queries, body fields, broken and oversized JSON', async () => {
    await fuzz('invoice API', badInvoiceApiCalls(fleet.token));
  });
});
