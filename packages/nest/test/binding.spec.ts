import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { AUTH, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

interface Entry {
  provider: string;
  verdict: string;
  reason: string | null;
  responseStatus: number;
  target: string;
  invoiceId: string | null;
}

/** The binding policy is the core's, the same for every provider: a callback that does not fit its invoice is refused and changes nothing. */
describe('the core binding policy', () => {
  const harness = usePaymentsApp();
  const server = () => harness().app.getHttpServer();
  const create = async (provider: string, orderId: string) =>
    (await request(server()).post('/v1/invoices').set(AUTH).send({ provider, amount: '25.00', currency: 'USD', orderId })).body as { id: string; address: string; amountDue: string };
  const invoice = async (id: string) => (await request(server()).get(`/v1/invoices/${id}`).set(AUTH)).body as Record<string, unknown>;
  const logged = async (invoiceId: string): Promise<Entry[]> =>
    ((await request(server()).get(`/v1/deliveries?invoiceId=${invoiceId}`).set(AUTH)).body as { deliveries: Entry[] }).deliveries;
  const callback = (provider: string, query: Record<string, string>) => request(server()).get(`/v1/callbacks/${provider}?${new URLSearchParams(query).toString()}`);

  it('refuses a payment in another coin than the invoice’s with 403, stores nothing and claims no delivery key', async () => {
    const created = await create('testpay', 'order-wrong-coin');
    const paid = { secret: TEST_SECRET, addr: created.address, txid: 'tx-coin', value: '50000', status: '2' };
    const refused = await callback('testpay', { ...paid, coin: 'LTC' });
    expect([refused.status, refused.text]).toEqual([403, 'rejected']);
    expect(await invoice(created.id)).toMatchObject({ status: 'new', amountPaid: '0', payments: [] });
    expect(await logged(created.id)).toEqual([
      expect.objectContaining({ verdict: 'rejected', responseStatus: 403, reason: `the payment is in LTC but invoice ${created.id} is in BTC` }),
    ]);
    // The same delivery key in the invoice's coin is applied: the refusal claimed nothing.
    expect((await callback('testpay', paid)).text).toBe('applied');
  });

  describe('for a provider that binds by a per-invoice nonce and names no address', () => {
    const nonceOf = async (id: string) => (await harness().store.invoices.findById(id))!.providerReference!;

    it('takes the amount the provider set', async () => {
      expect((await create('noncepay', 'order-provider-quote')).amountDue).toBe('0.0004');
    });

    it.each([
      ['no nonce', () => Promise.resolve(null), 401, 'the callback carries no nonce'],
      ['a wrong nonce', () => Promise.resolve('0'.repeat(24)), 403, 'the nonce does not match invoice'],
      ['the nonce of another invoice', async () => nonceOf((await create('noncepay', 'order-other')).id), 403, 'the nonce does not match invoice'],
    ])('refuses %s with the policy’s status, stores nothing and never logs the nonce', async (_case, nonceFor, status, reason) => {
      const created = await create('noncepay', `order-nonce-${status}`);
      const nonce = await nonceFor();
      const refused = await callback('noncepay', { secret: TEST_SECRET, invoice: created.id, txid: `tx-${status}`, value: '40000', ...(nonce === null ? {} : { nonce }) });
      expect([refused.status, refused.text]).toEqual([status, 'rejected']);
      expect(await invoice(created.id)).toMatchObject({ status: 'new', payments: [] });
      const entries = await logged(created.id);
      expect(entries).toEqual([expect.objectContaining({ verdict: 'rejected', responseStatus: status, reason: expect.stringContaining(reason) })]);
      if (nonce !== null) {
        expect(entries[0]?.target).toContain('nonce=[redacted]');
        expect(JSON.stringify(entries)).not.toContain(nonce);
      }
    });

    it('applies the callback with the invoice’s nonce, completing the address from the invoice, once', async () => {
      const created = await create('noncepay', 'order-nonce-right');
      const paid = { secret: TEST_SECRET, invoice: created.id, txid: 'tx-nonce', value: '40000', nonce: await nonceOf(created.id) };
      expect((await callback('noncepay', paid)).text).toBe('applied');
      expect((await callback('noncepay', paid)).text).toBe('applied'); // the replayed first answer
      expect(await invoice(created.id)).toMatchObject({ status: 'settled', amountConfirmed: '0.0004', payments: [{ coin: 'BTC', txid: 'tx-nonce', state: 'confirmed' }] });
      const stored = await harness().store.invoices.findById(created.id);
      expect(stored?.payments.map((payment) => payment.address)).toEqual([created.address]);
      expect((await logged(created.id)).map((entry) => entry.verdict)).toEqual(['duplicate', 'applied']);
    });

    it('checks the nonce before replaying the stored answer of an applied delivery (issue 18 §5)', async () => {
      const created = await create('noncepay', 'order-nonce-replay');
      const paid = { secret: TEST_SECRET, invoice: created.id, txid: 'tx-nonce-replay', value: '40000', nonce: await nonceOf(created.id) };
      expect((await callback('noncepay', paid)).text).toBe('applied');
      const wrong = await callback('noncepay', { ...paid, nonce: 'not-the-nonce' });
      const missing = await callback('noncepay', { secret: TEST_SECRET, invoice: created.id, txid: 'tx-nonce-replay', value: '40000' });
      expect([wrong.status, missing.status]).toEqual([403, 401]);
      expect((await callback('noncepay', paid)).text).toBe('applied'); // the right nonce still gets the stored answer
    });
  });
});
