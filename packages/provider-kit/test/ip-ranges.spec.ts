import { describe, expect, test } from '@jest/globals';
import { IpRanges, parseIpOrCidr, TrustedProxies } from '../src/index.js';
import { isIpOrCidrList } from '../src/options/index.js';

describe('parseIpOrCidr', () => {
  test.each([
    ['192.0.2.1', { ip: '192.0.2.1', family: 'ipv4', prefix: null }],
    [' 10.0.0.0/8 ', { ip: '10.0.0.0', family: 'ipv4', prefix: 8 }],
    ['10.0.0.0/32', { ip: '10.0.0.0', family: 'ipv4', prefix: 32 }],
    ['2001:db8::/32', { ip: '2001:db8::', family: 'ipv6', prefix: 32 }],
    ['::1/128', { ip: '::1', family: 'ipv6', prefix: 128 }],
    ['::ffff:192.0.2.1', { ip: '192.0.2.1', family: 'ipv4', prefix: null }],
  ])('reads %j', (entry, range) => {
    expect(parseIpOrCidr(entry)).toEqual(range);
  });

  test.each(['999.1.1.1', 'blockbee.io', '', '10.0.0.0/33', '::1/129', '10.0.0.0/8/9', '10.0.0.0/', '10.0.0.0/x', '10.0.0.0/0008', '10.0.0.0/-1'])(
    'refuses %j',
    (entry) => {
      expect(parseIpOrCidr(entry)).toBeNull();
    },
  );

  test('isIpOrCidrList holds a whole list to it', () => {
    expect(isIpOrCidrList(['10.0.0.0/8', '::1'])).toBe(true);
    expect(isIpOrCidrList([])).toBe(true);
    expect(isIpOrCidrList(['10.0.0.0/8', 'nope'])).toBe(false);
    expect(isIpOrCidrList('10.0.0.0/8')).toBe(false);
    expect(isIpOrCidrList([10])).toBe(false);
  });
});

describe('IpRanges', () => {
  test('matches addresses and ranges of both families, IPv4-mapped spellings included', () => {
    const ranges = new IpRanges(['10.0.0.0/8', '192.0.2.7', '2001:db8::/32']);
    expect(ranges.has('10.200.1.1')).toBe(true);
    expect(ranges.has('::ffff:10.200.1.1')).toBe(true);
    expect(ranges.has('192.0.2.7')).toBe(true);
    expect(ranges.has('192.0.2.8')).toBe(false);
    expect(ranges.has('2001:0db8:0000::1')).toBe(true);
    expect(ranges.has('not an ip')).toBe(false);
    expect(new IpRanges([]).has('10.0.0.1')).toBe(false);
  });

  test('refuses an entry that does not parse, naming it', () => {
    expect(() => new IpRanges(['10.0.0.0/8', 'proxy.local'], 'trusted proxy')).toThrow('trusted proxy "proxy.local" is not an IP address or CIDR range');
    expect(() => new TrustedProxies(['10.0.0.0/99'])).toThrow('trusted proxy "10.0.0.0/99" is not an IP address or CIDR range');
  });
});
