import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** An endpoint URL the gateway refuses to call (a 422). */
export class WebhookUrlError extends Error {
  override readonly name = 'WebhookUrlError';
}

/** Only public unicast addresses; `process` reads an IPv4-mapped IPv6 address as the IPv4 one. */
export function isPublicAddress(address: string): boolean {
  return ipaddr.isValid(address) && ipaddr.process(address).range() === 'unicast';
}

/**
 * Checks an endpoint URL when it is created or changed: http(s), no credentials, and a host that
 * resolves only to public addresses unless private networks are allowed. The same check runs again
 * on every connection (`request-filtering-agent`), as DNS can change after this one.
 */
export async function checkEndpointUrl(text: string, allowPrivateNetworks: boolean): Promise<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlError('url must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new WebhookUrlError('url must use https: (or http:)');
  if (url.username || url.password) throw new WebhookUrlError('url must not carry credentials');
  if (allowPrivateNetworks) return url.href;
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: string[];
  try {
    addresses = ipaddr.isValid(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    throw new WebhookUrlError(`url's host ${host} does not resolve`);
  }
  if (addresses.length === 0 || !addresses.every(isPublicAddress)) {
    throw new WebhookUrlError(`url's host ${host} resolves to a loopback, private, link-local or multicast address, which endpoints may not use`);
  }
  return url.href;
}
