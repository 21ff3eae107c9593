import { IpRanges } from '@cryptopay/provider-kit';

/** Where BlockBee sends callbacks from (its docs; the list has changed before, so it is configurable). */
export const BLOCKBEE_CALLBACK_IPS: readonly string[] = Object.freeze(['51.77.105.132', '135.125.112.47']);

/** The source addresses (IPs or CIDR ranges) callbacks are accepted from; IPv6 spellings compare equal. */
export class SourceAllowlist {
  private readonly ranges: IpRanges;

  constructor(entries: readonly string[]) {
    this.ranges = new IpRanges(entries, 'allowlist entry');
  }

  allows(address: string): boolean {
    return this.ranges.has(address);
  }
}
