import { BlockList, isIP } from 'node:net';
import { normalizeIp } from '@cryptopay/provider-kit';

/** Where BlockBee sends callbacks from (its docs; the list has changed before, so it is configurable). */
export const BLOCKBEE_CALLBACK_IPS: readonly string[] = Object.freeze(['51.77.105.132', '135.125.112.47']);

/** The source addresses (IPs or CIDR ranges) callbacks are accepted from; IPv6 spellings compare equal. */
export class SourceAllowlist {
  private readonly list = new BlockList();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const parsed = parseIpOrCidr(entry);
      if (parsed === null) throw new TypeError(`allowlist entry "${entry}" is not an IP address or CIDR range`);
      if (parsed.prefix === null) this.list.addAddress(parsed.ip, parsed.type);
      else this.list.addSubnet(parsed.ip, parsed.prefix, parsed.type);
    }
  }

  allows(address: string): boolean {
    const ip = normalizeIp(address);
    const family = isIP(ip);
    return family !== 0 && this.list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** `10.0.0.0/8`, `2001:db8::/32` or a single address; null when it is neither. */
export function parseIpOrCidr(entry: string): { ip: string; type: 'ipv4' | 'ipv6'; prefix: number | null } | null {
  const [address = '', prefix, ...rest] = entry.trim().split('/');
  const ip = normalizeIp(address);
  const family = isIP(ip);
  if (family === 0 || rest.length > 0) return null;
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) return { ip, type, prefix: null };
  const bits = /^[0-9]{1,3}$/.test(prefix) ? Number.parseInt(prefix, 10) : Number.NaN;
  return bits <= (family === 6 ? 128 : 32) ? { ip, type, prefix: bits } : null;
}
