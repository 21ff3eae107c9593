import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { type RawCallback } from '@cryptopay/provider-kit';
import { RefusalSampler } from '../src/callbacks/refusal-sampler.js';
import { cut, summarizedEntry } from '../src/callbacks/refusal-summary.js';
import { type CallbackDeliveryEntry } from '../src/store/payments-store.js';

/** Which refusals before authentication are logged, per source IP and window, and what the window's summary tells. */
describe('the sample of refusals logged per source', () => {
  it('logs the first refusals of each source up to the limit, and counts each further one for that source', () => {
    const sampler = new RefusalSampler(2);
    expect(['a', 'a', 'b', 'a', 'b', 'b', 'a'].map((source) => sampler.admits(source))).toEqual([true, true, true, false, true, false, false]);
    expect(sampler.takeUnlogged()).toEqual({
      total: 3,
      bySource: [
        ['a', 2],
        ['b', 1],
      ],
    });
  });

  it('tells the busiest sources first in the summary', () => {
    const sampler = new RefusalSampler(0);
    for (const source of ['quiet', 'busy', 'busy', 'busy', 'middle', 'middle']) sampler.admits(source);
    expect(sampler.takeUnlogged()?.bySource).toEqual([
      ['busy', 3],
      ['middle', 2],
      ['quiet', 1],
    ]);
  });

  it('has nothing to tell for a window whose refusals were all logged', () => {
    const sampler = new RefusalSampler(1);
    expect(sampler.admits('a')).toBe(true);
    expect(sampler.takeUnlogged()).toBeNull();
  });

  it('starts every source again in the next window', () => {
    const sampler = new RefusalSampler(1);
    expect([sampler.admits('a'), sampler.admits('a')]).toEqual([true, false]);
    expect(sampler.takeUnlogged()?.total).toBe(1);
    expect([sampler.admits('a'), sampler.admits('a')]).toEqual([true, false]);
    expect(sampler.takeUnlogged()).toEqual({ total: 1, bySource: [['a', 1]] });
    expect(sampler.takeUnlogged()).toBeNull();
  });

  it('tracks 10 000 sources per window and counts refusals from any further source together, as other sources', () => {
    const sampler = new RefusalSampler(1);
    const admitted = Array.from({ length: 10_000 }, (_, index) => sampler.admits(`10.0.${index}`)).filter(Boolean).length;
    expect(admitted).toBe(10_000);
    // A source already tracked keeps its own count; the 10 001st shares one with every further one.
    expect(sampler.admits('10.0.9999')).toBe(false);
    expect([sampler.admits('192.0.2.1'), sampler.admits('192.0.2.2'), sampler.admits('192.0.2.3')]).toEqual([true, false, false]);
    expect(sampler.takeUnlogged()).toEqual({
      total: 3,
      bySource: [
        ['other sources', 2],
        ['10.0.9999', 1],
      ],
    });
  });
});

describe('cutting a text to a length', () => {
  it('keeps a text of at most the length as it is', () => {
    expect(cut('abcd', 4)).toBe('abcd');
    expect(cut('abc', 4)).toBe('abc');
  });

  it('marks a longer text as cut, the mark within the length', () => {
    expect(cut('abcde', 4)).toBe('abc…');
  });
});

describe('the summary kept of a callback refused before authentication', () => {
  const received = new TextEncoder().encode(`secret=s1&${'x'.repeat(300)}`);
  const raw: RawCallback = { method: 'POST', target: '/t', url: 'https://pay.example.test/t', headers: {}, body: received, socketAddress: '192.0.2.1', receivedAt: new Date('2026-12-05T12:00:00Z') };
  const entry: CallbackDeliveryEntry = {
    provider: 'testpay',
    receivedAt: raw.receivedAt,
    remoteIp: '192.0.2.1',
    method: 'POST',
    target: `/v1/callbacks/testpay?q=${'q'.repeat(600)}`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': '310',
      'content-encoding': 'identity',
      'user-agent': 'u'.repeat(300),
      'x-forwarded-for': '198.51.100.7',
      'x-padding': 'p',
    },
    body: `secret=[redacted]&${'x'.repeat(300)}`,
    verdict: 'rejected',
    reason: 'secret does not match',
    invoiceId: null,
    deliveryKey: null,
    responseStatus: 403,
    durationMs: 1,
  };

  it('keeps the listed headers (each cut to 256 characters) and no other, the target cut to 512', () => {
    const summary = summarizedEntry(entry, raw);
    expect(summary.headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': '310',
      'content-encoding': 'identity',
      'user-agent': `${'u'.repeat(255)}…`,
      'x-forwarded-for': '198.51.100.7',
    });
    expect(summary.target).toBe(`/v1/callbacks/testpay?q=${'q'.repeat(512 - 25)}…`);
    expect(summary).toMatchObject({ provider: 'testpay', verdict: 'rejected', reason: 'secret does not match', responseStatus: 403, remoteIp: '192.0.2.1' });
  });

  it('tells the body’s length and SHA-256 as received, then the start of the redacted text', () => {
    const sha256 = createHash('sha256').update(received).digest('hex');
    expect(summarizedEntry(entry, raw).body).toBe(
      `[refused before authentication: body of 310 bytes, sha256 ${sha256}; its first 256 characters follow]\nsecret=[redacted]&${'x'.repeat(256 - 18)}`,
    );
  });
});
