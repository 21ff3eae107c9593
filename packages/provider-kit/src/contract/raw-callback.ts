/**
 * A provider callback exactly as it reached us, before any parsing: signatures are computed over
 * these bytes, so nothing here may be rebuilt from parsed values.
 */
export interface RawCallback {
  readonly method: string;
  /** The request target as received: path plus the raw query string, order and encoding intact. */
  readonly target: string;
  /** The external URL the provider called: the configured public base URL plus `target`. */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The raw body bytes (empty for GET). */
  readonly body: Uint8Array;
  /** The peer address of the TCP connection; see `resolveClientIp` for proxies. */
  readonly socketAddress: string;
  readonly receivedAt: Date;
}
