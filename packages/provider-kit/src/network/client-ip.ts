import { BlockList, isIP } from 'node:net';

/**
 * Trusted reverse proxies (load balancer, Cloudflare, ingress), as IPs or CIDR ranges. Only when
 * the socket peer is one of them is `X-Forwarded-For` believed, hop by hop from the right.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  private readonly empty: boolean;

  constructor(entries: readonly string[]) {
    for (const entry of entries) addEntry(this.list, entry);
    this.empty = entries.length === 0;
  }

  has(address: string): boolean {
    if (this.empty) return false;
    const ip = normalizeIp(address);
    const family = isIP(ip);
    return family !== 0 && this.list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  }
}

/** Strips the IPv4-mapped IPv6 prefix Node reports on dual-stack sockets (`::ffff:1.2.3.4`). */
export function normalizeIp(address: string): string {
  const trimmed = address.trim();
  return trimmed.toLowerCase().startsWith('::ffff:') && isIP(trimmed.slice(7)) === 4 ? trimmed.slice(7) : trimmed;
}

/**
 * The client's IP: the socket peer, unless that peer is a trusted proxy, in which case the
 * right-most `X-Forwarded-For` entry that is not itself a trusted proxy. A spoofed left-hand
 * entry is never reached, and without trusted proxies the header is ignored entirely.
 */
export function resolveClientIp(socketAddress: string, forwardedFor: string | undefined, proxies: TrustedProxies): string {
  let client = normalizeIp(socketAddress);
  if (!forwardedFor || !proxies.has(client)) return client;
  const hops = forwardedFor.split(',').map((hop) => normalizeIp(hop)).filter((hop) => hop.length > 0);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!proxies.has(hop)) return client;
  }
  return client;
}

function addEntry(list: BlockList, entry: string): void {
  const [address = '', prefix] = entry.trim().split('/');
  const ip = normalizeIp(address);
  const family = isIP(ip);
  if (family === 0) throw new TypeError(`trusted proxy "${entry}" is not an IP address or CIDR range`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (prefix === undefined) {
    list.addAddress(ip, type);
    return;
  }
  const bits = Number.parseInt(prefix, 10);
  const max = family === 6 ? 128 : 32;
  if (!/^[0-9]+$/.test(prefix) || bits > max) throw new TypeError(`trusted proxy "${entry}" has an invalid prefix length`);
  list.addSubnet(ip, bits, type);
}
