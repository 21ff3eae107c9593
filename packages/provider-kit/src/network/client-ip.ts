import { isIP } from 'node:net';
import { IpRanges, normalizeIp } from './ip-ranges.js';

/**
 * Trusted reverse proxies (load balancer, Cloudflare, ingress), as IPs or CIDR ranges. Only when
 * the socket peer is one of them is `X-Forwarded-For` believed, hop by hop from the right.
 */
export class TrustedProxies {
  private readonly ranges: IpRanges;

  constructor(entries: readonly string[]) {
    this.ranges = new IpRanges(entries, 'trusted proxy');
  }

  has(address: string): boolean {
    return this.ranges.has(address);
  }
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
