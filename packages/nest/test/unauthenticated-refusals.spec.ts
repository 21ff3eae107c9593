import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from '@jest/globals';
import { eventually, RecordingLogger } from '@cryptopay/test-servers';
import request from 'supertest';
import { PaymentsMetrics } from '../src/index.js';
import { AUTH, type PaymentsTestApp, startPaymentsApp } from './support/payments-app.js';
import { TEST_SECRET } from './support/test-provider.js';

interface Entry {
  provider: string;
  verdict: string;
  target: string;
  headers: Record<string, string>;
  body: string;
  reason: string | null;
}

/**
 * Issue 18 §1: a callback refused before authentication is anyone's to send, so it is recorded as a
 * capped summary, and only the first few per source IP per interval; authenticated ones keep the full record.
 */
describe('callbacks refused before authentication', () => {
  let harness: PaymentsTestApp | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  const server = () => harness!.app.getHttpServer();
  /** Forged callbacks from one source behind our proxy, each refused 403. */
  const refuseFrom = async (source: string, times: number) => {
    for (let attempt = 0; attempt < times; attempt += 1) {
      expect((await request(server()).get(`/v1/callbacks/testpay?secret=wrong`).set('X-Forwarded-For', source)).status).toBe(403);
    }
  };
  const logged = async (): Promise<Entry[]> => ((await request(server()).get('/v1/deliveries?limit=100').set(AUTH)).body as { deliveries: Entry[] }).deliveries;
  const unlogged = async () => (await harness!.app.get(PaymentsMetrics).unloggedRefusals.get()).values.map(({ labels, value }) => [labels['provider'], value]);

  it('keeps a capped summary of a forged one: target ≤ 512 characters, a fixed list of headers, the body’s length, SHA-256 and start', async () => {
    harness = await startPaymentsApp();
    const body = `addr=tb1q&pad=${'b'.repeat(60 * 1024)}`;
    const res = await request(server())
      .post(`/v1/callbacks/testpay?secret=wrong&q=${'q'.repeat(6 * 1024)}`)
      .set({ 'Content-Type': 'application/x-www-form-urlencoded', 'X-Padding': 'p'.repeat(7 * 1024), 'User-Agent': 'flood/1.0' })
      .send(body);
    expect(res.status).toBe(403);

    const [entry] = await logged();
    expect(entry).toMatchObject({ verdict: 'rejected', reason: 'secret does not match' });
    expect(entry!.target.length).toBeLessThanOrEqual(512);
    expect(entry!.target.startsWith('/v1/callbacks/testpay?secret=[redacted]&q=qqq')).toBe(true);
    expect(Object.keys(entry!.headers).sort()).toEqual(['content-length', 'content-type', 'user-agent']);
    const sha256 = createHash('sha256').update(body).digest('hex');
    expect(entry!.body).toBe(`[refused before authentication: body of ${body.length} bytes, sha256 ${sha256}; its first 256 characters follow]\n${body.slice(0, 256)}`);
  });

  it('summarises an unknown provider and an unreadable body the same way', async () => {
    harness = await startPaymentsApp();
    expect((await request(server()).get(`/v1/callbacks/nobody?q=${'q'.repeat(2_000)}`)).status).toBe(404);
    const unreadable = await request(server())
      .post(`/v1/callbacks/testpay?q=${'q'.repeat(2_000)}`)
      .set({ 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Encoding': 'gzip', 'X-Padding': 'p'.repeat(1_000) })
      .send(`not gzip ${'g'.repeat(1_000)}`);
    expect(unreadable.status).toBe(400);
    const entries = await logged();
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry.target.length).toBeLessThanOrEqual(512);
      expect(entry.headers['x-padding']).toBeUndefined();
    }
    // An unreadable body was never read: nothing of it is kept, its refusal only says so.
    for (const entry of entries) expect(entry.body).toMatch(/^\[refused before authentication: body of 0 bytes, sha256 e3b0c442/);
    expect(entries[0]!.reason).toMatch(/^the request body could not be read/);
  });

  it('keeps the full record of an authenticated callback', async () => {
    harness = await startPaymentsApp();
    const target = `/v1/callbacks/testpay?secret=${TEST_SECRET}&addr=nobody&txid=t&value=1&status=2&q=${'q'.repeat(2_000)}`;
    expect((await request(server()).get(target).set({ 'X-Padding': 'p'.repeat(1_000) })).status).toBe(200);
    const [entry] = await logged();
    expect(entry).toMatchObject({ verdict: 'unmatched', body: '' });
    expect(entry!.target).toBe(target.replace(TEST_SECRET, '[redacted]'));
    expect(entry!.headers['x-padding']).toBe('p'.repeat(1_000));
  });

  it('logs the first refusals per source IP per interval, counts the rest, and tells them in one line', async () => {
    const logger = new RecordingLogger();
    harness = await startPaymentsApp({ deliveryLog: { refusalsPerSource: 3, refusalIntervalMs: 3_600_000 }, logger });
    for (let index = 0; index < 8; index += 1) expect((await request(server()).get(`/v1/callbacks/testpay?secret=wrong&n=${index}`)).status).toBe(403);
    expect((await request(server()).get('/v1/callbacks/nobody')).status).toBe(404);

    expect((await logged()).map((entry) => entry.target)).toEqual(['/v1/callbacks/testpay?secret=[redacted]&n=2', '/v1/callbacks/testpay?secret=[redacted]&n=1', '/v1/callbacks/testpay?secret=[redacted]&n=0']);
    expect(await unlogged()).toEqual([
      ['testpay', 5],
      ['unknown', 1],
    ]);
    const warned = () => logger.at('warn').filter((line) => line.includes('refused before authentication'));
    expect(warned()).toEqual([]);
    await harness.app.close(); // the interval ends with the app
    expect(warned()).toEqual([expect.stringMatching(/^Callbacks 6 more callbacks refused before authentication were not logged \(sampled per source IP\): 6 from (::ffff:)?127\.0\.0\.1$/)]);
    expect(logger.at('warn').filter((line) => line.includes('callback rejected'))).toHaveLength(3);
  });

  it('tells the refusals it left out once per interval while the app runs, not only when it stops', async () => {
    const logger = new RecordingLogger();
    harness = await startPaymentsApp({ deliveryLog: { refusalsPerSource: 1, refusalIntervalMs: 1_000 }, logger });
    for (let index = 0; index < 3; index += 1) expect((await request(server()).get(`/v1/callbacks/testpay?secret=wrong&n=${index}`)).status).toBe(403);
    const told = await eventually(() => logger.at('warn').find((line) => line.includes('were not logged')), 'the interval’s line');
    // Two left out, unless the interval turned between the requests and started a new sample.
    expect(told).toMatch(/^Callbacks ([12]) more callbacks refused before authentication were not logged \(sampled per source IP\): \1 from (::ffff:)?127\.0\.0\.1$/);
  });

  it('names all of ten sources without a count of more', async () => {
    const logger = new RecordingLogger();
    harness = await startPaymentsApp({ trustedProxies: ['127.0.0.1', '::1'], deliveryLog: { refusalsPerSource: 1, refusalIntervalMs: 3_600_000 }, logger });
    const sources = Array.from({ length: 10 }, (_, index) => `192.0.2.${index + 1}`);
    for (const source of sources) await refuseFrom(source, 2);
    await harness.app.close();
    expect(logger.at('warn').filter((line) => line.includes('were not logged'))).toEqual([
      `Callbacks 10 more callbacks refused before authentication were not logged (sampled per source IP): ${sources.map((source) => `1 from ${source}`).join(', ')}`,
    ]);
  });

  it('names the ten busiest sources in that line, and how many more there were', async () => {
    const logger = new RecordingLogger();
    harness = await startPaymentsApp({ trustedProxies: ['127.0.0.1', '::1'], deliveryLog: { refusalsPerSource: 1, refusalIntervalMs: 3_600_000 }, logger });
    // Twelve sources behind our proxy, the last one refused three times more than it may be logged, the others once more.
    const sources = Array.from({ length: 12 }, (_, index) => `192.0.2.${index + 1}`);
    for (const [index, source] of sources.entries()) await refuseFrom(source, index === 11 ? 4 : 2);
    await harness.app.close();
    const told = sources.slice(0, 9).map((source) => `1 from ${source}`);
    expect(logger.at('warn').filter((line) => line.includes('were not logged'))).toEqual([
      `Callbacks 14 more callbacks refused before authentication were not logged (sampled per source IP): 3 from 192.0.2.12, ${told.join(', ')}, and 2 more sources`,
    ]);
  });
});
