import { ACCEPTED, type CallbackVerdict, type RawCallback, rejected, resolveClientIp, TrustedProxies } from '@cryptopay/provider-kit';
import { type CallbackPublicKey } from './public-key.js';
import { decodeStrictBase64 } from './signature.js';
import { SourceAllowlist } from './source-allowlist.js';
import { VerifiedSignatures } from './verified-signatures.js';

export interface CallbackVerifierOptions {
  /** IPs or CIDR ranges BlockBee sends callbacks from. */
  readonly allowlist: readonly string[];
  /** Proxies whose X-Forwarded-For is believed. */
  readonly trustedProxies: readonly string[];
  readonly publicKey: CallbackPublicKey;
}

/**
 * Whether a callback comes from BlockBee, from the raw request alone and before anything is parsed:
 * first its source address (through trusted proxies) against the allowlist, then the RSA-SHA256
 * `x-ca-signature` over the exact URL (GET) or raw body (POST), each bound to its transport.
 */
export class CallbackVerifier {
  private readonly allowlist: SourceAllowlist;
  private readonly proxies: TrustedProxies;
  private readonly signatures = new VerifiedSignatures();

  constructor(private readonly options: CallbackVerifierOptions) {
    this.allowlist = new SourceAllowlist(options.allowlist);
    this.proxies = new TrustedProxies(options.trustedProxies);
  }

  verify(callback: RawCallback): CallbackVerdict {
    const source = resolveClientIp(callback.socketAddress, callback.headers['x-forwarded-for'], this.proxies);
    if (!this.allowlist.allows(source)) return rejected(403, `callback source ${source} is not in the BlockBee allowlist`);
    const header = callback.headers['x-ca-signature'];
    if (header === undefined || header.length === 0) return rejected(401, 'the x-ca-signature header is missing');
    const signature = decodeStrictBase64(header);
    if (signature === null) return rejected(403, 'the x-ca-signature header is not strict base64');
    const signed = signedBytes(callback);
    if (signed === null) return rejected(400, `method ${callback.method} is not used by BlockBee callbacks (GET or POST)`);
    if (signed.what === 'body' && SIGNED_URL.test(Buffer.from(signed.bytes.subarray(0, 8)).toString('latin1'))) {
      return rejected(403, 'a POST body that is a URL carries a GET callback’s signed bytes: a signature over a URL authenticates that GET only');
    }
    if (!this.signatures.verify(this.options.publicKey.current(), signed.bytes, signature)) {
      return rejected(403, `the x-ca-signature does not match the signed ${signed.what}`);
    }
    return ACCEPTED;
  }
}

/**
 * What a GET's signature covers: its full URL. A POST body that is one would carry a GET's signed
 * bytes into another transport, where they would be read as a form; no BlockBee body is a URL.
 */
const SIGNED_URL = /^https?:\/\//i;

/** GET signs the full external URL as requested; POST signs the raw body bytes. */
function signedBytes(callback: RawCallback): { bytes: Uint8Array; what: string } | null {
  if (callback.method === 'GET') return { bytes: Buffer.from(callback.url, 'utf8'), what: 'URL' };
  if (callback.method === 'POST') return { bytes: callback.body, what: 'body' };
  return null;
}
