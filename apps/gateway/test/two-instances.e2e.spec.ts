import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BlockBeeSimulator } from '@cryptopay/provider-blockbee/simulator';
import { BlockonomicsSimulator } from '@cryptopay/provider-blockonomics/simulator';
import { generateCallbackSecret } from '@cryptopay/provider-kit/options';
import { FanOutProxy } from './support/fan-out-proxy.js';
import { databaseEnv, dropTestSchemas, GatewayHarness, REDIS_URL, satoshi } from './support/gateway-harness.js';

describe('two gateway instances sharing Redis and PostgreSQL, each receiving every callback concurrently', () => {
  let blockonomics: BlockonomicsSimulator;
  let blockbee: BlockBeeSimulator;
  let proxy: FanOutProxy;
  const instances: GatewayHarness[] = [];
  const callbackSecret = generateCallbackSecret();

  beforeAll(async () => {
    blockonomics = await BlockonomicsSimulator.start({ apiKey: 'two-instances-blockonomics', timeScale: 0.001 });
    blockbee = await BlockBeeSimulator.start({ apiKey: 'two-instances-blockbee', timeScale: 0.001 });
    proxy = await FanOutProxy.start(() => instances.map((instance) => instance.url));
    blockonomics.addStore(`${proxy.url}/v1/callbacks/blockonomics?secret=${callbackSecret}`); // as the merchant sets it up
    const env = {
      ...databaseEnv('PostgreSQL'),
      REDIS_URL,
      PUBLIC_URL: proxy.url,
      API_TOKENS: 'two-instances-token-0123456789abcdef',
      BLOCKONOMICS_API_KEY: 'two-instances-blockonomics',
      BLOCKONOMICS_CALLBACK_SECRET: callbackSecret,
      BLOCKONOMICS_API_URL: blockonomics.baseUrl,
      BLOCKBEE_API_KEY: 'two-instances-blockbee',
      BLOCKBEE_API_URL: blockbee.baseUrl,
      BLOCKBEE_PUBLIC_KEY: blockbee.publicKeyPem,
      BLOCKBEE_ALLOWED_IPS: '127.0.0.1,::1',
    };
    instances.push(await GatewayHarness.start(env));
    instances.push(await GatewayHarness.start(env));
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    await proxy.close();
    await Promise.all([blockonomics.close(), blockbee.close()]);
    await dropTestSchemas();
  });

  it.each(['blockonomics', 'blockbee'])('%s: records exactly one payment, and the invoice settles on both instances', async (provider) => {
    const [first, second] = instances as [GatewayHarness, GatewayHarness];
    expect(first.gateway.settings.sandbox).toBe(false);
    const invoice = await first.createInvoice(provider);
    if (provider === 'blockonomics') await blockonomics.pay(invoice.address, satoshi(invoice.amountDue));
    else await blockbee.pay({ address: invoice.address, valueCoin: invoice.amountDue });

    for (const instance of instances) {
      const seen = await instance.invoice(invoice.id);
      expect(seen).toMatchObject({ status: 'settled', amountPaid: invoice.amountDue });
      expect(seen.payments).toHaveLength(1);
    }
    // Every delivery reached both instances; each was applied by exactly one of them.
    await Promise.all(instances.map((instance) => instance.flushDeliveryLog()));
    const deliveries = await second.deliveries(`invoiceId=${invoice.id}&limit=100`);
    const applied = deliveries.filter((delivery) => delivery.verdict === 'applied').length;
    const others = deliveries.filter((delivery) => delivery.verdict !== 'applied');
    expect(applied).toBe(provider === 'blockonomics' ? 3 : 2);
    expect(others.length).toBeGreaterThanOrEqual(applied);
    expect(others.every((delivery) => delivery.verdict === 'duplicate' || delivery.verdict === 'retry-later')).toBe(true);
  });

  it('apply one delivery sent 20 times at once, 10 to each instance, exactly once', async () => {
    const [first] = instances as [GatewayHarness, GatewayHarness];
    const invoice = await first.createInvoice('blockonomics');
    const query = new URLSearchParams({ secret: callbackSecret, status: '2', addr: invoice.address, value: satoshi(invoice.amountDue).toString(), txid: 'ef'.repeat(32) });
    const storm = instances.flatMap((instance) => Array.from({ length: 10 }, () => fetch(`${instance.url}/v1/callbacks/blockonomics?${query.toString()}`)));
    const statuses = (await Promise.all(storm)).map((answer) => answer.status);
    expect(statuses.every((status) => status === 200 || status === 409)).toBe(true);
    const settled = await first.invoice(invoice.id);
    expect(settled).toMatchObject({ status: 'settled', payments: [{ state: 'confirmed' }] });
    await Promise.all(instances.map((instance) => instance.flushDeliveryLog()));
    const verdicts = (await first.deliveries(`invoiceId=${invoice.id}&limit=100`)).map((delivery) => delivery.verdict);
    expect(verdicts.filter((verdict) => verdict === 'applied')).toHaveLength(1);
    expect(verdicts.filter((verdict) => verdict === 'retry-later')).toHaveLength(statuses.filter((status) => status === 409).length);
    // Duplicates: the first of the delivery on each instance is logged, the rest only counted.
    const okPerInstance = [statuses.slice(0, 10), statuses.slice(10)].map((answers) => answers.filter((status) => status === 200).length);
    const loggedDuplicates = verdicts.filter((verdict) => verdict === 'duplicate').length;
    expect(loggedDuplicates).toBeGreaterThanOrEqual(okPerInstance.filter((ok) => ok >= 2).length);
    expect(loggedDuplicates).toBeLessThanOrEqual(okPerInstance.filter((ok) => ok >= 1).length);
  });

  it('share the expiry sweep: each due invoice expires once, on one instance', async () => {
    const [first, second] = instances as [GatewayHarness, GatewayHarness];
    const invoices = await Promise.all(Array.from({ length: 6 }, () => first.createInvoice('blockbee')));
    for (const invoice of invoices) await first.expire(invoice.id);
    await Promise.all([first.sweep(), second.sweep()]);
    for (const invoice of invoices) {
      expect((await second.invoice(invoice.id)).status).toBe('expired');
      const expiredEvents = [...first.eventsFor(invoice.id), ...second.eventsFor(invoice.id)].filter((type) => type === 'invoice.expired');
      expect(expiredEvents).toHaveLength(1);
    }
  });
});
