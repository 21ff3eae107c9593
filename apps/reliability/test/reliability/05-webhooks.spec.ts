import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, signaturesBy, testDatabaseUrl, testRedisUrl, type WebhookBody, WebhookReceiver } from '@cryptopay/test-servers';
import { type CreatedInvoice, Fleet } from '../../src/harness/fleet.js';
import { inParallel } from '../../src/harness/parallel.js';
import { coinUnits } from '../../src/harness/payment-plan.js';
import { rememberSecrets } from '../../src/harness/run-directory.js';

/** 250 per provider (500 invoices) with RELIABILITY_WEBHOOK_INVOICES=250; fewer by default, to keep CI short. */
const PER_PROVIDER = Number(process.env['RELIABILITY_WEBHOOK_INVOICES'] ?? 40);
/** Long enough that an event failing every attempt of a random third is out of reach ((1/3)^13). */
const RETRY_SCHEDULE = '500ms,1s,1s,2s,2s,2s,3s,3s,3s,5s,5s,5s';

describe('outbound webhooks while instances are SIGKILLed at random and the receiver fails a third of attempts', () => {
  let fleet: Fleet;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    receiver.answer = () => (randomInt(3) === 0 ? 500 : 200);
    fleet = await Fleet.start({
      name: 'webhooks',
      instances: 2,
      redisUrl: testRedisUrl(),
      databaseUrl: testDatabaseUrl(),
      // The providers' retries must outlast an instance's restart (a few seconds), or payments would be lost on their side.
      timeScales: { blockonomics: 0.3, blockbee: 0.005 },
      env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', WEBHOOK_RETRY_SCHEDULE: RETRY_SCHEDULE },
    });
  });

  afterAll(async () => {
    await fleet?.close();
    await receiver?.close();
  });

  it('delivers every event of every invoice, every attempt signed, none missing', async () => {
    const created = await fetch(`${fleet.balancer.url}/v1/webhook-endpoints`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${fleet.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: receiver.url }),
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    rememberSecrets([secret]);

    const invoices = await fleet.createInvoices(PER_PROVIDER);
    const dues = await fleet.amountsDue();
    let killing = true;
    let kills = 0;
    const killer = (async () => {
      // At least three kills, however fast the payments go: the dispatchers die too, with attempts in flight.
      while (killing || kills < 3) {
        await new Promise((resolve) => setTimeout(resolve, randomInt(500, 2_000)));
        const index = randomInt(fleet.gateways.length);
        await fleet.gateways[index]?.kill();
        kills += 1;
        fleet.balancer.route(fleet.gateways.filter((gateway) => gateway.alive()).map((gateway) => gateway.url));
        await fleet.startInstance(index);
        fleet.balancer.route(fleet.gateways.map((gateway) => gateway.url));
      }
    })();
    await inParallel(invoices, 8, (invoice: CreatedInvoice) => pay(fleet, invoice, dues.get(invoice.id) ?? 0n));
    killing = false;
    await killer;

    await eventually(async () => (await fleet.ledger.invoices()).every((invoice) => invoice.status === 'settled'), 'every invoice settled', { tries: 1_200 });
    const delivered = (eventId: string) => receiver.of(eventId).some((webhook) => webhook.answered === 200);
    const events = await eventually(
      async () => {
        // The receiver's 2xx comes before the instance records it: wait for the record too.
        const stored = await fleet.ledger.webhookEvents();
        return stored.every((event) => delivered(event.id) && event.statuses.every((status) => status === 'delivered')) && stored;
      },
      'every stored event received with a 2xx and recorded as delivered',
      { tries: 2_400 },
    );

    // Independently of what the outbox holds: each invoice's creation and settlement reached the receiver.
    const receivedTypes = new Map<string, Set<string>>();
    for (const webhook of receiver.received.filter((each) => each.answered === 200)) {
      const body = JSON.parse(webhook.body) as WebhookBody;
      const invoiceId = body.data.invoice?.id;
      if (invoiceId) receivedTypes.set(invoiceId, (receivedTypes.get(invoiceId) ?? new Set()).add(body.type));
    }
    const missing = invoices.filter((invoice) => !['invoice.created', 'invoice.settled'].every((type) => receivedTypes.get(invoice.id)?.has(type)));
    const badSignatures = [...receiver.received, ...receiver.pending.map((webhook) => ({ ...webhook, answered: 0 }))].filter((webhook) => signaturesBy(secret, webhook) !== 1);
    const copies = events.map((event) => receiver.of(event.id).filter((webhook) => webhook.answered === 200).length);
    const attempts = receiver.received.length;
    console.log(
      [
        'Webhooks under crashes',
        `  invoices ${invoices.length}, events ${events.length}, instances killed ${kills}`,
        `  attempts received ${attempts} (${receiver.received.filter((webhook) => webhook.answered === 500).length} answered 500)`,
        `  missing ${missing.length}, invalid signatures ${badSignatures.length}`,
        `  most 2xx deliveries of one event ${Math.max(...copies)} (events delivered more than once: ${copies.filter((count) => count > 1).length})`,
      ].join('\n'),
    );

    expect(invoices.length).toBe(PER_PROVIDER * 2);
    expect(kills).toBeGreaterThanOrEqual(3);
    expect(missing).toEqual([]);
    expect(badSignatures).toEqual([]);
    expect(events.every((event) => event.statuses.every((status) => status === 'delivered'))).toBe(true);
  });
});

/** One transaction of the amount due, through the invoice's provider's simulator (its retries cover the kills). */
async function pay(fleet: Fleet, invoice: CreatedInvoice, due: bigint): Promise<void> {
  if (invoice.provider === 'blockonomics') await fleet.simulators.blockonomics.pay(invoice.address, due, { statuses: [0, 2] });
  else await fleet.simulators.blockbee.pay({ address: invoice.address, valueCoin: coinUnits(due) });
}
