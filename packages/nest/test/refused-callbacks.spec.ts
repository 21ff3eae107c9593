import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { PaymentsMetrics } from '../src/index.js';
import { AUTH, usePaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

interface Entry {
  provider: string;
  verdict: string;
  reason: string | null;
  responseStatus: number;
  target: string;
}

/** Every inbound callback leaves a log entry, also one refused before any adapter could look at it. */
describe('callbacks refused before the intake', () => {
  const harness = usePaymentsApp();

  const server = () => harness().app.getHttpServer();
  const post = (path: string, body: Buffer, headers: Record<string, string> = {}) =>
    request(server())
      .post(path)
      .set({ 'Content-Type': 'application/json', ...headers })
      .serialize((bytes: unknown) => bytes as string)
      .send(body);
  const logged = async (query: string): Promise<Entry[]> =>
    ((await request(server()).get(`/v1/deliveries?${query}`).set(AUTH)).body as { deliveries: Entry[] }).deliveries;

  it.each([
    ['a body over the size limit', Buffer.alloc(200 * 1024, 'a'), {}, 413, /request entity too large/],
    ['a body that is not the gzip it claims', Buffer.from('not gzip at all'), { 'Content-Encoding': 'gzip' }, 400, /could not be read/],
    ['an unknown Content-Encoding', gzipSync('{}'), { 'Content-Encoding': 'br2' }, 415, /unsupported content encoding/],
  ])('answers %s and logs it as rejected with the reason', async (_case, body, headers, status, reason) => {
    const marker = `refused-${status}`;
    const res = await post(`/v1/callbacks/testpay?secret=${TEST_SECRET}&marker=${marker}`, body, headers);
    expect(res.status).toBe(status);
    expect(res.text).toMatch(reason);
    const entry = (await logged('provider=testpay&verdict=rejected')).find((candidate) => candidate.target.includes(marker));
    expect(entry).toMatchObject({ responseStatus: status, reason: expect.stringMatching(reason) });
    expect(entry?.target).not.toContain(TEST_SECRET);
    // Counted under the provider it was sent to, which is enabled.
    const counted = (await harness().app.get(PaymentsMetrics).callbacks.get()).values.filter(({ labels }) => labels['verdict'] === 'rejected');
    expect(counted.map(({ labels }) => labels['provider'])).toContain('testpay');
  });

  it('answers a provider that is not enabled with 404 and logs it under the name given, counted as unknown', async () => {
    const res = await request(server()).get('/v1/callbacks/nobody?secret=probe');
    expect(res.status).toBe(404);
    expect(res.text).toContain('provider "nobody" is not enabled');
    expect(await logged('provider=nobody')).toEqual([expect.objectContaining({ verdict: 'rejected', responseStatus: 404, reason: expect.stringContaining('not enabled') })]);
    const counted = (await harness().app.get(PaymentsMetrics).callbacks.get()).values.filter(({ labels }) => labels['verdict'] === 'rejected');
    expect(counted.map(({ labels }) => labels['provider'])).not.toContain('nobody');
    expect(counted.some(({ labels }) => labels['provider'] === 'unknown')).toBe(true);
  });

  it('logs a made-up provider name that holds a NUL, bounded and escaped', async () => {
    const name = `evil%00${'x'.repeat(100)}`;
    expect((await request(server()).get(`/v1/callbacks/${name}`)).status).toBe(404);
    const entries = await logged('verdict=rejected&limit=50');
    expect(entries.map((entry) => entry.provider)).toContain(`evil\\u0000${'x'.repeat(59)}`);
  });
});
