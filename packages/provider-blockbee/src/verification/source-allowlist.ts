import { BlockList, isIP } from 'node:net';
import { normalizeIp } from '@cryptopay/provider-kit';

/** Where BlockBee sends callbacks from (its docs; the list has changed before, so it is configurable). */
export const BLOCKBEE_CALLBACK_IPS: readonly string[] = Object.freeze(['51.77.105.132', '135.125.112.47']);

/** The source addresses callbacks are accepted from; IPv6 spellings of one address compare equal. */
export class SourceAllowlist {
  private readonly list = new BlockList();

  constructor(addresses: readonly string[]) {
    for (const address of addresses) {
      const ip = normalizeIp(address);
      const family = isIP(ip);
      if (family === 0) throw new TypeError(`allowlist entry "${address}" is not an IP address`);
      this.list.addAddress(ip, family === 6 ? 'ipv6' : 'ipv4');
    }
  }

  allows(address: string): boolean {
    const ip = normalizeIp(address);
    const family = isIP(ip);
    return family !== 0 && this.list.check(ip, family === 6 ? 'ipv6' : 'ipv4');
  }
}
