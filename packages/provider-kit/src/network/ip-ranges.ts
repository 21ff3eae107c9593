import { BlockList, isIP } from 'node:net';

/** One entry of an allowlist or a trusted-proxy list: an address, or a network in CIDR notation. */
export interface IpRange {
  readonly ip: string;
  readonly family: 'ipv4' | 'ipv6';
  /** The CIDR prefix length; null for a single address. */
  readonly prefix: number | null;
}

/** Strips the IPv4-mapped IPv6 prefix Node reports on dual-stack sockets (`::ffff:1.2.3.4`). */
export function normalizeIp(address: string): string {
  const trimmed = address.trim();
  return trimmed.toLowerCase().startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

/**
 * `10.0.0.0/8`, `2001:db8::/32` or a single address; null when it is neither (a host name, a
 * prefix longer than the family allows, a second `/`). The one parser of every IP list: the
 * trusted proxies, a provider's source allowlist and the validation of both.
 */
export function parseIpOrCidr(entry: string): IpRange | null {
  const [address = '', prefix, ...rest] = entry.trim().split('/');
  const ip = normalizeIp(address);
  const version = isIP(ip);
  if (version === 0 || rest.length > 0) return null;
  const family = version === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) return { ip, family, prefix: null };
  const bits = /^[0-9]{1,3}$/.test(prefix) ? Number.parseInt(prefix, 10) : Number.NaN;
  return bits <= (version === 6 ? 128 : 32) ? { ip, family, prefix: bits } : null;
}

/** Whether every entry of `value` is an address or a CIDR range. */
export function isIpOrCidrList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string' && parseIpOrCidr(entry) !== null);
}

/** A set of addresses and CIDR ranges; IPv6 spellings and IPv4-mapped addresses compare equal. */
export class IpRanges {
  private readonly list = new BlockList();
  private readonly empty: boolean;

  /** `label` names an entry in the error thrown for one that does not parse ("trusted proxy"). */
  constructor(entries: readonly string[], label = 'entry') {
    for (const entry of entries) {
      const range = parseIpOrCidr(entry);
      if (range === null) throw new TypeError(`${label} "${entry}" is not an IP address or CIDR range`);
      if (range.prefix === null) this.list.addAddress(range.ip, range.family);
      else this.list.addSubnet(range.ip, range.prefix, range.family);
    }
    this.empty = entries.length === 0;
  }

  has(address: string): boolean {
    if (this.empty) return false;
    const ip = normalizeIp(address);
    const version = isIP(ip);
    return version !== 0 && this.list.check(ip, version === 6 ? 'ipv6' : 'ipv4');
  }
}
