import { BlockList } from 'node:net';
import { parseIpOrCidr, type IpRange } from '@cryptopay/provider-kit';
import { type GatewayConfig } from './gateway-config.js';
import { type SettingProblem } from './module-settings.js';

/** Networks no public address is in: private, loopback, link-local, carrier-grade NAT, unique-local. */
const NON_PUBLIC: readonly (readonly [string, number, 'ipv4' | 'ipv6'])[] = [
  ['10.0.0.0', 8, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['::1', 128, 'ipv6'],
];

/**
 * A /0 in `TRUST_PROXY` believes every client's `X-Forwarded-For`, so anyone could claim BlockBee's
 * source address and pass its IP allowlist: refused.
 */
export function trustProxyProblems(config: GatewayConfig): SettingProblem[] {
  const everything = (config.TRUST_PROXY ?? []).filter((entry) => parseIpOrCidr(entry)?.prefix === 0);
  if (everything.length === 0) return [];
  return [{ variable: 'TRUST_PROXY', message: `TRUST_PROXY must not trust every address (${everything.join(', ')}): anyone could then claim a provider's source IP; list your reverse proxies' addresses or networks` }];
}

/** ADMIN_PORT must be a listener of its own; ADMIN_HOST alone would be a mistake that serves nothing. */
export function adminListenerProblems(config: GatewayConfig): SettingProblem[] {
  if (config.ADMIN_PORT === undefined) {
    return config.ADMIN_HOST === undefined ? [] : [{ variable: 'ADMIN_HOST', message: 'ADMIN_HOST is set without ADMIN_PORT: set ADMIN_PORT too, or leave ADMIN_HOST out' }];
  }
  const samePort = config.ADMIN_PORT === config.PORT && config.PORT !== 0;
  return samePort ? [{ variable: 'ADMIN_PORT', message: `ADMIN_PORT must be a whole number from 0 to 65535, other than PORT (both are ${config.PORT})` }] : [];
}

/** Trusted ranges wider than /8 (IPv4) or /32 (IPv6), or holding public addresses: told at start-up, as likely mistakes. */
export function trustProxyWarnings(trustedProxies: readonly string[]): string[] {
  return trustedProxies.flatMap((entry) => {
    const range = parseIpOrCidr(entry);
    if (!range) return [];
    if (range.prefix !== null && range.prefix < (range.family === 'ipv4' ? 8 : 32)) {
      return [`TRUST_PROXY ${entry} is wider than /${range.family === 'ipv4' ? 8 : 32}: every address in it may set the X-Forwarded-For a callback's source IP is read from`];
    }
    return isNonPublic(range) ? [] : [`TRUST_PROXY ${entry} holds public addresses: trust only your own reverse proxies, or a public client could claim a provider's source IP`];
  });
}

function isNonPublic(range: IpRange): boolean {
  const prefix = range.prefix ?? (range.family === 'ipv4' ? 32 : 128);
  return NON_PUBLIC.some(([network, bits, family]) => {
    if (family !== range.family || prefix < bits) return false;
    const block = new BlockList();
    block.addSubnet(network, bits, family);
    return block.check(range.ip, family);
  });
}
