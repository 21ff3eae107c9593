import { describe, expect, test } from '@jest/globals';
import { normalizeIp, resolveClientIp, TrustedProxies } from '../src/index.js';

/** A load balancer range, one more proxy, and an IPv6 ingress range. */
const proxies = new TrustedProxies(['10.0.0.0/8', '172.16.0.1', '2001:db8::/32']);

describe('resolveClientIp', () => {
  test('takes the socket peer and ignores X-Forwarded-For when no proxy is trusted', () => {
    const none = new TrustedProxies([]);
    expect(resolveClientIp('203.0.113.9', '198.51.100.7', none)).toBe('203.0.113.9');
    expect(resolveClientIp('10.0.0.2', '198.51.100.7', none)).toBe('10.0.0.2');
  });

  test('never believes the header of a direct, untrusted peer (a spoofed X-Forwarded-For)', () => {
    expect(resolveClientIp('203.0.113.9', '198.51.100.7, 10.0.0.3', proxies)).toBe('203.0.113.9');
    expect(resolveClientIp('::ffff:203.0.113.9', '198.51.100.7', proxies)).toBe('203.0.113.9');
  });

  test('takes the peer when a trusted proxy sent no header, or an empty one', () => {
    expect(resolveClientIp('10.0.0.2', undefined, proxies)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.2', '', proxies)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.2', ' , ', proxies)).toBe('10.0.0.2');
  });

  test('skips empty entries (a doubled or trailing comma) rather than ending the walk at them', () => {
    expect(resolveClientIp('10.0.0.2', '198.51.100.7, ,', proxies)).toBe('198.51.100.7');
  });

  test('takes the hop a trusted proxy added', () => {
    expect(resolveClientIp('10.0.0.2', '198.51.100.7', proxies)).toBe('198.51.100.7');
    expect(resolveClientIp('::ffff:10.0.0.2', ' 198.51.100.7 ', proxies)).toBe('198.51.100.7');
  });

  test('walks several trusted hops from the right and stops at the first untrusted one; a spoofed left entry is never reached', () => {
    const header = '1.1.1.1, 198.51.100.7, 172.16.0.1, 10.0.0.3';
    expect(resolveClientIp('10.0.0.2', header, proxies)).toBe('198.51.100.7');
  });

  test('ends the walk at a hop that is not an IP address, keeping the last hop it believed', () => {
    // Were the unreadable hop skipped, the spoofed 1.1.1.1 on its left would be believed.
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, unknown, 10.0.0.3', proxies)).toBe('10.0.0.3');
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, unknown', proxies)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, 198.51.100.7:4711', proxies)).toBe('10.0.0.2');
    expect(resolveClientIp('10.0.0.2', '1.1.1.1, _hidden', proxies)).toBe('10.0.0.2');
  });

  test('walks IPv6 hops and IPv4-mapped IPv6 hops like IPv4 ones', () => {
    expect(resolveClientIp('2001:db8::1', '203.0.113.5, 2a00:1450:4001::8, 2001:db8:ffff::7', proxies)).toBe('2a00:1450:4001::8');
    expect(resolveClientIp('2001:db8::1', '203.0.113.5, ::FFFF:198.51.100.7, ::ffff:10.0.0.3', proxies)).toBe('198.51.100.7');
    expect(resolveClientIp('10.0.0.2', '2a00:1450:4001::8', proxies)).toBe('2a00:1450:4001::8');
  });

  test('answers the left-most hop when every hop is a trusted proxy', () => {
    expect(resolveClientIp('10.0.0.2', '172.16.0.1, 10.0.0.3', proxies)).toBe('172.16.0.1');
  });
});

describe('TrustedProxies', () => {
  test('matches single addresses and CIDR ranges, inclusive of their ends and nothing beyond', () => {
    expect(proxies.has('10.0.0.0')).toBe(true);
    expect(proxies.has('10.255.255.255')).toBe(true);
    expect(proxies.has('11.0.0.0')).toBe(false);
    expect(proxies.has('9.255.255.255')).toBe(false);
    expect(proxies.has('172.16.0.1')).toBe(true);
    expect(proxies.has('172.16.0.2')).toBe(false);
    expect(proxies.has('2001:db8:ffff:ffff::1')).toBe(true);
    expect(proxies.has('2001:db9::1')).toBe(false);
  });

  test('matches an IPv4-mapped IPv6 peer as its IPv4 address, and never a non-IP', () => {
    expect(proxies.has('::ffff:10.1.2.3')).toBe(true);
    expect(proxies.has('::ffff:11.1.2.3')).toBe(false);
    expect(proxies.has('unknown')).toBe(false);
    expect(proxies.has('')).toBe(false);
  });

  test('trusts nothing when empty', () => {
    expect(new TrustedProxies([]).has('127.0.0.1')).toBe(false);
  });

  test('accepts a mapped address, surrounding spaces and the largest prefixes', () => {
    const edge = new TrustedProxies([' ::ffff:192.0.2.1 ', '198.51.100.0/32', '2001:db8::5/128', '0.0.0.0/0']);
    expect(edge.has('192.0.2.1')).toBe(true);
    expect(edge.has('203.0.113.77')).toBe(true); // 0.0.0.0/0 covers every IPv4 address
    expect(edge.has('2001:db8::5')).toBe(true);
    expect(edge.has('2001:db8::6')).toBe(false);
  });

  test.each([
    ['a host name', 'proxy.internal'],
    ['an empty entry', ''],
    ['an IPv4 prefix over 32', '10.0.0.0/33'],
    ['an IPv6 prefix over 128', '2001:db8::/129'],
    ['a prefix that is not a number', '10.0.0.0/8a'],
    ['a negative prefix', '10.0.0.0/-1'],
    ['an empty prefix', '10.0.0.0/'],
  ])('refuses %s at start-up, naming the entry', (_case, entry) => {
    expect(() => new TrustedProxies([entry])).toThrow(TypeError);
    expect(() => new TrustedProxies([entry])).toThrow(`trusted proxy "${entry}"`);
  });

  test('names the entry it refuses, a host name or a prefix too long for its family', () => {
    expect(() => new TrustedProxies(['proxy.internal'])).toThrow('trusted proxy "proxy.internal" is not an IP address or CIDR range');
    expect(() => new TrustedProxies(['10.0.0.0/33'])).toThrow('trusted proxy "10.0.0.0/33" is not an IP address or CIDR range');
    expect(() => new TrustedProxies(['2001:db8::/129'])).toThrow('trusted proxy "2001:db8::/129" is not an IP address or CIDR range');
  });
});

describe('normalizeIp', () => {
  test('strips the IPv4-mapped IPv6 prefix, in any case, and surrounding spaces', () => {
    expect(normalizeIp('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeIp('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeIp(' 192.0.2.1 ')).toBe('192.0.2.1');
  });

  test('leaves other addresses and non-addresses as they are (trimmed)', () => {
    expect(normalizeIp('::ffff:c000:201')).toBe('::ffff:c000:201');
    expect(normalizeIp('::ffff:not-an-ip')).toBe('::ffff:not-an-ip');
    expect(normalizeIp('2001:db8::1')).toBe('2001:db8::1');
    expect(normalizeIp(' unknown ')).toBe('unknown');
  });
});
