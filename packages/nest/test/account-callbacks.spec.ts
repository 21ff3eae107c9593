import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ACCEPTED, type CallbackVerdict, constantTimeEqual, type ProviderAccountFactory, type RawCallback, rejected } from '@cryptopay/provider-kit';
import request from 'supertest';
import { RecordingLogger } from '@cryptopay/test-servers';
import { AUTH, usePaymentsApp } from './support/payments-app.js';
import { NoncePayAdapter, TEST_SECRET, TestPayAdapter } from './support/test-provider.js';

/** The test provider for a merchant's own account: callbacks are verified with that account's secret. */
class AccountPayAdapter extends TestPayAdapter {
  constructor(private readonly accountSecret: string) {
    super();
  }

  override verify(callback: RawCallback): CallbackVerdict {
    const given = new URLSearchParams(callback.target.split('?')[1] ?? '').get('secret');
    if (given === null) return rejected(401, 'secret missing');
    return constantTimeEqual(this.accountSecret, given) ? ACCEPTED : rejected(403, 'secret does not match');
  }
}

const TESTPAY_ACCOUNTS: ProviderAccountFactory = {
  provider: 'testpay',
  credentialFields: ['secret'],
  callbackSecrets: { queryParams: ['secret'] },
  settingFields: [],
  createAdapter: (options) => new AccountPayAdapter(String(options['secret'])),
};

/** Merchants may also add noncepay accounts: a URL naming noncepay must still not reach a testpay account. */
const NONCEPAY_ACCOUNTS: ProviderAccountFactory = { provider: 'noncepay', credentialFields: [], callbackSecrets: { queryParams: ['secret', 'nonce'] }, settingFields: [], createAdapter: () => new NoncePayAdapter() };

interface Entry {
  provider: string;
  verdict: string;
  reason: string | null;
  responseStatus: number;
  target: string;
}

/** `/v1/callbacks/:provider/:accountId`: callbacks for the invoices of a merchant's own provider account. */
describe("callbacks to a merchant's own provider account", () => {
  const logger = new RecordingLogger();
  const harness = usePaymentsApp({ merchants: { credentialKeys: `k1:${randomBytes(32).toString('base64')}`, accounts: [TESTPAY_ACCOUNTS, NONCEPAY_ACCOUNTS] }, logger });
  const http = () => request(harness().app.getHttpServer());
  const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
  const ACCOUNT_SECRET = 'account-secret-0123456789abcdef';

  /** A merchant with a testpay account of its own, and an unpaid invoice of that account. */
  async function merchantInvoice(name: string): Promise<{ merchantId: string; accountId: string; invoice: { id: string; address: string } }> {
    const merchant = await http().post('/v1/merchants').set(AUTH).send({ name });
    const merchantId = (merchant.body as { id: string }).id;
    const key = ((await http().post(`/v1/merchants/${merchantId}/api-keys`).set(AUTH).send({ name: 'server' })).body as { key: string }).key;
    const account = await http().post(`/v1/merchants/${merchantId}/provider-accounts`).set(bearer(key)).send({ provider: 'testpay', credentials: { secret: ACCOUNT_SECRET } });
    expect(account.status).toBe(201);
    const invoice = await http().post('/v1/invoices').set(bearer(key)).send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: `${name}-order` });
    expect(invoice.status).toBe(201);
    return { merchantId, accountId: (account.body as { id: string }).id, invoice: invoice.body as { id: string; address: string } };
  }
  const logged = async (marker: string): Promise<Entry[]> =>
    ((await http().get('/v1/deliveries?limit=200').set(AUTH)).body as { deliveries: Entry[] }).deliveries.filter((entry) => entry.target.includes(marker));

  it('applies a payment sent to the account’s URL, verified with that account’s secret and not the environment’s', async () => {
    const { accountId, invoice } = await merchantInvoice('own-account');
    const paid = { addr: invoice.address, txid: 'tx-account', value: '50000', status: '2' };
    const refused = await http().get(`/v1/callbacks/testpay/${accountId}?${new URLSearchParams({ secret: TEST_SECRET, ...paid }).toString()}`);
    expect([refused.status, refused.text]).toEqual([403, 'rejected']);
    const applied = await http().get(`/v1/callbacks/testpay/${accountId}?${new URLSearchParams({ secret: ACCOUNT_SECRET, ...paid }).toString()}`);
    expect([applied.status, applied.text]).toEqual([200, 'applied']);
    expect((await harness().store.invoices.findById(invoice.id))?.status).toBe('settled');
  });

  it('keeps delivery keys apart per provider account: the same key at two accounts is applied at each, never answered from the other’s', async () => {
    const key = `delivery-${randomBytes(8).toString('hex')}`;
    for (const name of ['first-account-of-key', 'second-account-of-key']) {
      const { accountId, invoice } = await merchantInvoice(name);
      const paid = { secret: ACCOUNT_SECRET, addr: invoice.address, txid: `tx-${name}`, value: '50000', status: '2', key };
      const answer = await http().get(`/v1/callbacks/testpay/${accountId}?${new URLSearchParams(paid).toString()}`);
      expect([answer.status, answer.text]).toEqual([200, 'applied']);
      expect((await harness().store.invoices.findById(invoice.id))?.payments.map((payment) => payment.txid)).toEqual([`tx-${name}`]);
    }
  });

  it('finds no invoice of the account through the environment’s URL', async () => {
    const { invoice } = await merchantInvoice('environment-url');
    const answer = await http().get(`/v1/callbacks/testpay?${new URLSearchParams({ secret: TEST_SECRET, addr: invoice.address, txid: 'tx-env', value: '50000', status: '2' }).toString()}`);
    expect([answer.status, answer.text]).toEqual([200, 'unmatched']);
    expect((await harness().store.invoices.findById(invoice.id))?.status).toBe('new');
  });

  it('refuses with 403 a callback at the environment’s URL naming by id an invoice of a merchant’s account, and logs why', async () => {
    const { merchantId } = await merchantInvoice('foreign-invoice');
    const key = ((await http().post(`/v1/merchants/${merchantId}/api-keys`).set(AUTH).send({ name: 'noncepay' })).body as { key: string }).key;
    expect((await http().post(`/v1/merchants/${merchantId}/provider-accounts`).set(bearer(key)).send({ provider: 'noncepay', credentials: {} })).status).toBe(201);
    const created = await http().post('/v1/invoices').set(bearer(key)).send({ provider: 'noncepay', amount: '25.00', currency: 'USD', orderId: 'foreign-order' });
    const invoiceId = (created.body as { id: string }).id;
    // Verified with the environment's secret, as every account's callback of a provider signing with one key would be.
    const answer = await http().get(`/v1/callbacks/noncepay?${new URLSearchParams({ secret: TEST_SECRET, invoice: invoiceId, txid: 'tx-foreign-invoice', value: '40000' }).toString()}`);
    expect([answer.status, answer.text]).toEqual([403, 'rejected']);
    expect(await logged('tx-foreign-invoice')).toEqual([
      expect.objectContaining({ provider: 'noncepay', verdict: 'rejected', responseStatus: 403, reason: `invoice ${invoiceId} does not belong to the provider account of this callback URL` }),
    ]);
    expect((await harness().store.invoices.findById(invoiceId))?.payments).toEqual([]);
  });

  it.each([
    ['an account that does not exist', () => Promise.resolve({ provider: 'testpay', accountId: 'pa_aaaaaaaaaaaaaaaaaaaa' })],
    ['an account of another provider', async () => ({ provider: 'noncepay', accountId: (await merchantInvoice('other-provider')).accountId })],
  ])('answers 404 for %s and logs it as rejected, naming the account', async (_case, target) => {
    const { provider, accountId } = await target();
    const marker = `unknown-${provider}`;
    const answer = await http().get(`/v1/callbacks/${provider}/${accountId}?secret=${ACCOUNT_SECRET}&marker=${marker}`);
    expect([answer.status, answer.text]).toEqual([404, `no ${provider} provider account ${accountId}`]);
    expect(await logged(marker)).toEqual([
      expect.objectContaining({ provider, verdict: 'rejected', responseStatus: 404, reason: `no ${provider} provider account ${accountId}`, target: expect.stringContaining('secret=[redacted]') }),
    ]);
  });

  it('names at most the first 40 characters of the provider in that answer', async () => {
    const provider = `p${'x'.repeat(59)}`;
    const answer = await http().get(`/v1/callbacks/${provider}/pa_aaaaaaaaaaaaaaaaaaaa`);
    expect([answer.status, answer.text]).toEqual([404, `no ${provider.slice(0, 40)} provider account pa_aaaaaaaaaaaaaaaaaaaa`]);
  });

  /** Stores an account record as the store holds one, bypassing the API's checks. */
  async function storedAccount(merchantId: string, provider: string, credentials: Record<string, string>): Promise<string> {
    const id = `pa_${'b'.repeat(19)}${provider.length % 8}`;
    const now = new Date();
    await harness().store.merchants.createProviderAccount({ id, merchantId, provider, label: null, enabled: true, settings: {}, credentials, version: 1, createdAt: now, updatedAt: now });
    return id;
  }

  it('answers 404 for an account of a provider the app no longer offers accounts of', async () => {
    const { merchantId } = await merchantInvoice('dropped-provider');
    const accountId = await storedAccount(merchantId, 'oldpay', { secret: 'sealed-by-another-version' });
    const answer = await http().get(`/v1/callbacks/oldpay/${accountId}?secret=x`);
    expect([answer.status, answer.text]).toEqual([404, `no oldpay provider account ${accountId}`]);
  });

  it('answers 503 (the provider retries) when the account’s credentials cannot be opened, and logs why at error level', async () => {
    const { merchantId } = await merchantInvoice('unreadable-credentials');
    const accountId = await storedAccount(merchantId, 'testpay', { secret: 'not sealed by any key of ours' });
    const answer = await http().get(`/v1/callbacks/testpay/${accountId}?secret=${ACCOUNT_SECRET}`);
    expect([answer.status, answer.text]).toEqual([503, 'the provider account could not be loaded; retry later']);
    expect(logger.at('error').filter((line) => line.includes(accountId))).toEqual([expect.stringMatching(new RegExp(`^Callbacks provider account ${accountId} could not be loaded: \\w*Error: .+`))]);
  });

  it('serves a POST to the account’s URL as its GET', async () => {
    const { accountId, invoice } = await merchantInvoice('account-post');
    const answer = await http()
      .post(`/v1/callbacks/testpay/${accountId}?secret=${ACCOUNT_SECRET}`)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(new URLSearchParams({ addr: invoice.address, txid: 'tx-post', value: '50000', status: '2' }).toString());
    expect([answer.status, answer.text]).toEqual([200, 'applied']);
  });
});
