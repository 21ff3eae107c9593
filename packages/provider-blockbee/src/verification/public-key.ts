import { type KeyObject } from 'node:crypto';
import { parseRsaPublicKey } from '@cryptopay/provider-kit';

/** BlockBee's published callback signing key (1024-bit RSA; the same on its docs and CryptAPI's). */
export const BLOCKBEE_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC3FT0Ym8b3myVxhQW7ESuuu6lo
dGAsUJs4fq+Ey//jm27jQ7HHHDmP1YJO7XE7Jf/0DTEJgcw4EZhJFVwsk6d3+4fy
Bsn0tKeyGMiaE6cVkX0cy6Y85o8zgc/CwZKc0uw6d5siAo++xl2zl+RGMXCELQVE
ox7pp208zTvown577wIDAQAB
-----END PUBLIC KEY-----
`;

export interface PublicKeyRefresh {
  /** Fetches the current key as PEM (BlockBee's `GET /pubkey/`). */
  fetchPem(): Promise<string>;
  /** How long a fetched key is trusted before it is fetched again (the plugins use 24 h). */
  readonly maxAgeMs: number;
  /** How long to wait after a failed fetch, so a provider outage is not hammered per callback. */
  readonly retryAfterFailureMs: number;
  /** Told why a refresh failed; the key in use stays. */
  readonly onFailure?: (reason: string) => void;
}

/**
 * The key callbacks are verified with: the configured PEM, replaced by the one BlockBee serves
 * when refreshing is enabled. The `KeyObject` is parsed once per key, never per callback, and a
 * refresh runs in the background so a callback never waits on the network.
 */
export class CallbackPublicKey {
  private key: KeyObject;
  private nextRefreshAt = 0;
  private refreshing: Promise<void> | null = null;

  constructor(
    configuredPem: string,
    private readonly refresher: PublicKeyRefresh | null = null,
    private readonly now: () => number = Date.now,
  ) {
    this.key = parseRsaPublicKey(configuredPem);
  }

  /** The key to verify with now; starts a background refresh when the cached one is due. */
  current(): KeyObject {
    if (this.refresher && this.now() >= this.nextRefreshAt) void this.refresh();
    return this.key;
  }

  /** Fetches the key now (one fetch at a time); a failure keeps the key in use. */
  refresh(): Promise<void> {
    this.refreshing ??= this.fetchAndSwap().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async fetchAndSwap(): Promise<void> {
    const refresher = this.refresher;
    if (!refresher) return;
    try {
      this.key = parseRsaPublicKey(await refresher.fetchPem());
      this.nextRefreshAt = this.now() + refresher.maxAgeMs;
    } catch (error) {
      this.nextRefreshAt = this.now() + refresher.retryAfterFailureMs;
      refresher.onFailure?.(`could not refresh the BlockBee public key, keeping the current one: ${describe(error)}`);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof TypeError) return `the served key ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
