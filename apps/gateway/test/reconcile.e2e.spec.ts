import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@cryptopay/test-servers';
import { databaseEnv, GatewayHarness, REDIS_URL } from './support/gateway-harness.js';

/**
 * Issue 20 in sandbox mode: a payment whose callbacks were all lost settles through reconciliation,
 * asked for on the API or found by the scheduled reconciler, against both simulators.
 */
describe('reconciliation in sandbox mode', () => {
  let gw: GatewayHarness;

  beforeAll(async () => {
    gw = await GatewayHarness.start({ ...databaseEnv('PGlite'), REDIS_URL, RECONCILE_SCHEDULE: '2s,4s', RECONCILE_INTERVAL_SECONDS: '1' });
  });
  afterAll(async () => {
    await gw.close();
  });

  const payDroppingCallbacks = async (id: string) => {
    const paid = await gw.request(`/sandbox/invoices/${id}/pay`, { method: 'POST', body: JSON.stringify({ dropCallbacks: true }) });
    expect(paid.status).toBe(200);
  };

  it.each(['blockonomics', 'blockbee'])('%s: POST /v1/invoices/:id/reconcile settles a payment whose callbacks were dropped', async (provider) => {
    const created = await gw.createInvoice(provider);
    await payDroppingCallbacks(created.id);
    expect(await gw.invoice(created.id)).toMatchObject({ status: 'new', payments: [] });

    const reconciled = await gw.request(`/v1/invoices/${created.id}/reconcile`, { method: 'POST' });
    expect(reconciled.status).toBe(200);
    expect(await reconciled.json()).toMatchObject({ changed: expect.any(Number), invoice: { id: created.id, status: 'settled' } });

    const again = await gw.request(`/v1/invoices/${created.id}/reconcile`, { method: 'POST' });
    expect(await again.json()).toMatchObject({ changed: 0, invoice: { status: 'settled' } });
  });

  it.each(['blockonomics', 'blockbee'])('%s: the scheduled reconciler finds it on its own', async (provider) => {
    const created = await gw.createInvoice(provider);
    await payDroppingCallbacks(created.id);
    const settled = await eventually(async () => (await gw.invoice(created.id)).status === 'settled', `invoice ${created.id} settled by the reconciler`, { tries: 200, intervalMs: 100 });
    expect(settled).toBe(true);
    const log = (await (await gw.request(`/v1/deliveries?invoiceId=${created.id}`)).json()) as { deliveries: { source: string; verdict: string }[] };
    expect(log.deliveries.length).toBeGreaterThan(0);
    expect(log.deliveries.every((entry) => entry.source === 'reconcile' && entry.verdict === 'applied')).toBe(true);
  });
});
