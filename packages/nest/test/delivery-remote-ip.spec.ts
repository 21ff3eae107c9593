import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually, RecordingLogger } from '@cryptopay/test-servers';
import request from 'supertest';
import { AUTH, type PaymentsTestApp, startPaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

/** A client, a proxy it claims to have passed (spoofable), and the proxy in front of us (the test's loopback). */
const FORWARDED = '198.51.100.7, 203.0.113.9';

describe('the remote IP of a logged callback, resolved through the trusted proxies', () => {
  let harness: PaymentsTestApp | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const server = () => harness!.app.getHttpServer();
  const createInvoice = async (): Promise<{ address: string }> =>
    (await request(server()).post('/v1/invoices').set(AUTH).send({ provider: 'testpay', amount: '25.00', currency: 'USD', orderId: 'ip' })).body as { address: string };
  const callback = (query: Record<string, string>) =>
    request(server()).get(`/v1/callbacks/testpay?${new URLSearchParams(query).toString()}`).set('X-Forwarded-For', FORWARDED);
  /** The logged remote IPs by verdict, once the queued entries are written. */
  const loggedIps = () =>
    eventually(async () => {
      const { deliveries } = await harness!.store.deliveries.list({ limit: 10 });
      return deliveries.length === 2 ? Object.fromEntries(deliveries.map((delivery) => [delivery.verdict, delivery.remoteIp])) : undefined;
    }, 'the applied and the rejected entry in the delivery log');

  it('logs the right-most X-Forwarded-For hop that is not a trusted proxy, in the delivery log and the process log', async () => {
    const logger = new RecordingLogger();
    harness = await startPaymentsApp({ trustedProxies: ['127.0.0.1', '::1'], logger });
    const { address } = await createInvoice();
    expect((await callback({ secret: TEST_SECRET, addr: address, txid: 'tx-ip', value: '50000', status: '2' })).text).toBe('applied');
    expect((await callback({ secret: 'wrong', addr: address, txid: 'tx-ip', value: '50000', status: '2' })).status).toBe(403);
    expect(await loggedIps()).toEqual({ applied: '203.0.113.9', rejected: '203.0.113.9' });
    expect(logger.lines.filter((line) => line.includes('testpay callback rejected'))).toEqual([expect.stringMatching(/ from 203\.0\.113\.9$/)]);
  });

  it('ignores X-Forwarded-For from a peer that is no trusted proxy: the socket peer is logged', async () => {
    harness = await startPaymentsApp();
    const { address } = await createInvoice();
    expect((await callback({ secret: TEST_SECRET, addr: address, txid: 'tx-ip', value: '50000', status: '2' })).text).toBe('applied');
    expect((await callback({ secret: 'wrong', addr: address, txid: 'tx-ip', value: '50000', status: '2' })).status).toBe(403);
    expect(await loggedIps()).toEqual({ applied: '127.0.0.1', rejected: '127.0.0.1' });
  });
});
