import { type Invoice, formatFiatAmount } from '@cryptopay/invoice';
import {
  ACCEPTED,
  type Acknowledgement,
  type CallbackNotification,
  type CallbackOutcome,
  type CallbackVerdict,
  constantTimeEqual,
  plainTextAcknowledgement,
  type PaymentRequest,
  type PaymentRequestInput,
  ProviderError,
  type ProviderAdapter,
  type ProviderCapabilities,
  type RawCallback,
  rejected,
  resolveClientIp,
  Secret,
  TrustedProxies,
} from '@cryptopay/provider-kit';
import { BLOCKBEE_API_URL, BlockBeeClient } from './client/blockbee-client.js';
import { type BlockBeeOptions } from './config/blockbee-options.js';
import { BLOCKBEE_COINS, coinForTicker, tickerForCoin } from './mapping/coins.js';
import { type BlockBeeLogs, toReconciliation } from './mapping/logs.js';
import { toNotification } from './mapping/notification.js';
import { toPaymentRequest } from './mapping/payment-request.js';
import { CallbackPublicKey, BLOCKBEE_PUBLIC_KEY_PEM } from './verification/public-key.js';
import { decodeStrictBase64 } from './verification/signature.js';
import { BLOCKBEE_CALLBACK_IPS, SourceAllowlist } from './verification/source-allowlist.js';
import { VerifiedSignatures } from './verification/verified-signatures.js';
import { WireShapeError } from './wire/api.js';
import { buildCallbackUrl, isInvoiceId, newNonce, NONCE_PARAM, nonceOfCallbackUrl, nonceOfTarget } from './wire/callback-url.js';
import { readWebhook } from './wire/webhook.js';

export const BLOCKBEE_PROVIDER_NAME = 'blockbee';
const OK = '*ok*';
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The module's options (see {@link BlockBeeOptions}, all but the key optional, unvalidated here:
 * the module validates them), with the key possibly already wrapped, and a sink for warnings.
 */
export type BlockBeeAdapterOptions = Omit<BlockBeeOptions, 'apiKey'> & {
  readonly apiKey: string | Secret;
  /** Where a failed public-key refresh is reported. */
  readonly onWarning?: (message: string) => void;
};

/**
 * BlockBee (Custom Payment Flow): one address per invoice, keyed by a callback URL that carries
 * the invoice id and a random nonce; webhooks signed with RSA-SHA256 over the URL (GET) or the
 * raw body (POST), sent from a fixed set of IPs and acknowledged with `*ok*`.
 */
export class BlockBeeAdapter implements ProviderAdapter {
  readonly name = BLOCKBEE_PROVIDER_NAME;
  readonly capabilities: ProviderCapabilities;
  /** The per-invoice nonce rides in the query string of every webhook: the core redacts it. */
  readonly secretQueryParams: readonly string[] = [NONCE_PARAM];

  private readonly client: BlockBeeClient;
  private readonly allowlist: SourceAllowlist;
  private readonly proxies: TrustedProxies;
  private readonly publicKey: CallbackPublicKey;
  private readonly signatures = new VerifiedSignatures();
  private readonly confirmations: number;
  private readonly allowTestPayments: boolean;

  constructor(options: BlockBeeAdapterOptions) {
    this.capabilities = {
      coins: acceptedCoins(options.coins),
      callbackMethods: ['GET', 'POST'],
      pendingNotifications: true,
      signatureScheme: 'rsa-sha256',
    };
    const apiKey = options.apiKey instanceof Secret ? options.apiKey : new Secret(options.apiKey);
    this.client = new BlockBeeClient({
      apiKey,
      baseUrl: options.apiBaseUrl ?? BLOCKBEE_API_URL,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    });
    this.allowlist = new SourceAllowlist(options.allowlist ?? BLOCKBEE_CALLBACK_IPS);
    this.proxies = new TrustedProxies(options.trustedProxies ?? []);
    const refresh = options.refreshPublicKey
      ? {
          fetchPem: () => this.client.publicKeyPem(),
          maxAgeMs: DAY_MS,
          retryAfterFailureMs: 15 * 60 * 1000,
          ...(options.onWarning ? { onFailure: options.onWarning } : {}),
        }
      : null;
    this.publicKey = new CallbackPublicKey(options.publicKeyPem ?? BLOCKBEE_PUBLIC_KEY_PEM, refresh);
    this.confirmations = options.confirmations ?? 1;
    this.allowTestPayments = options.allowTestPayments ?? false;
  }

  async createPaymentRequest(input: PaymentRequestInput): Promise<PaymentRequest> {
    if (!isInvoiceId(input.invoiceId)) {
      throw new ProviderError(this.name, 'rejected', 'invoice ids must be UUIDs, as BlockBee callbacks name the invoice by one');
    }
    const ticker = this.tickerFor(input.coin.code);
    const callbackUrl = buildCallbackUrl(input.callbackUrl, input.invoiceId, newNonce());
    const [quote, info] = await Promise.all([
      this.client.convert(ticker, formatFiatAmount(input.fiat), input.fiat.currency),
      this.client.coinInfo(ticker),
    ]);
    const created = await this.client.createAddress(ticker, { callbackUrl, confirmations: this.confirmations });
    try {
      return toPaymentRequest({ coin: input.coin, fiat: input.fiat, callbackUrl, created, quote, info });
    } catch (error) {
      if (error instanceof WireShapeError) throw new ProviderError(this.name, 'invalid-response', error.message);
      throw error;
    }
  }

  verifyCallback(callback: RawCallback): CallbackVerdict {
    const source = resolveClientIp(callback.socketAddress, callback.headers['x-forwarded-for'], this.proxies);
    if (!this.allowlist.allows(source)) return rejected(403, `callback source ${source} is not in the BlockBee allowlist`);
    const header = callback.headers['x-ca-signature'];
    if (header === undefined || header.length === 0) return rejected(401, 'the x-ca-signature header is missing');
    const signature = decodeStrictBase64(header);
    if (signature === null) return rejected(403, 'the x-ca-signature header is not strict base64');
    const signed = signedBytes(callback);
    if (signed === null) return rejected(400, `method ${callback.method} is not used by BlockBee callbacks (GET or POST)`);
    if (!this.signatures.verify(this.publicKey.current(), signed.bytes, signature)) {
      return rejected(403, `the x-ca-signature does not match the signed ${signed.what}`);
    }
    return ACCEPTED;
  }

  parseCallback(callback: RawCallback): CallbackNotification | Extract<CallbackVerdict, { accepted: false }> {
    const read = readWebhook(callback);
    if (!read.ok) return rejected(400, read.reason) as Extract<CallbackVerdict, { accepted: false }>;
    return toNotification(read.webhook, this.allowTestPayments);
  }

  bindToInvoice(notification: CallbackNotification, invoice: Invoice, callback: RawCallback): CallbackVerdict {
    if (invoice.provider !== this.name) return rejected(403, `invoice ${invoice.id} is not a BlockBee invoice`);
    const locator = notification.invoice;
    if (locator.by === 'id' && locator.invoiceId !== invoice.id) return rejected(403, 'the callback names another invoice');
    const expected = nonceOfCallbackUrl(invoice.providerReference);
    if (expected.length === 0) return rejected(403, `invoice ${invoice.id} has no stored callback nonce to check against`);
    const nonce = nonceOfTarget(callback.target);
    if (nonce.length === 0) return rejected(401, 'the callback URL carries no nonce');
    if (!constantTimeEqual(expected, nonce)) return rejected(403, `the nonce does not match invoice ${invoice.id}`);
    if (notification.observation.address !== invoice.address) {
      return rejected(403, `address_in is not the address of invoice ${invoice.id}`);
    }
    return ACCEPTED;
  }

  acknowledge(outcome: CallbackOutcome): Acknowledgement {
    switch (outcome.kind) {
      case 'applied':
      case 'duplicate':
      case 'unmatched':
        return plainTextAcknowledgement(200, OK);
      case 'rejected':
      case 'retry-later':
        return plainTextAcknowledgement(outcome.status, outcome.reason);
    }
  }

  /** What BlockBee recorded for an invoice's address: transactions and delivery attempts (reconciliation). */
  async fetchLogs(invoice: Pick<Invoice, 'id' | 'coin' | 'providerReference'>): Promise<BlockBeeLogs> {
    const ticker = tickerForCoin(invoice.coin);
    const coin = ticker === null ? null : coinForTicker(ticker);
    if (ticker === null || coin === null || invoice.providerReference === null) {
      throw new ProviderError(this.name, 'rejected', `invoice ${invoice.id} has no BlockBee callback URL to look up`);
    }
    const logs = await this.client.logs(ticker, invoice.providerReference);
    try {
      return toReconciliation(coin, logs);
    } catch (error) {
      if (error instanceof WireShapeError) throw new ProviderError(this.name, 'invalid-response', error.message);
      throw error;
    }
  }

  /** Fetches BlockBee's signing key now (when refreshing is enabled); a failure keeps the current key. */
  refreshPublicKey(): Promise<void> {
    return this.publicKey.refresh();
  }

  private tickerFor(code: string): string {
    const ticker = tickerForCoin(code);
    if (ticker === null || !this.capabilities.coins.includes(code)) {
      throw new ProviderError(this.name, 'rejected', `coin ${code} is not accepted through BlockBee (accepted: ${this.capabilities.coins.join(', ')})`);
    }
    return ticker;
  }
}

function acceptedCoins(codes: readonly string[] | undefined): readonly string[] {
  const mapped = BLOCKBEE_COINS.map((coin) => coin.code);
  if (codes === undefined) return mapped;
  const unknown = codes.filter((code) => !mapped.includes(code));
  if (unknown.length > 0) throw new TypeError(`BlockBee is not mapped for ${unknown.join(', ')}; known: ${mapped.join(', ')}`);
  return [...new Set(codes)];
}

/** GET signs the full external URL as requested; POST signs the raw body bytes. */
function signedBytes(callback: RawCallback): { bytes: Uint8Array; what: string } | null {
  if (callback.method === 'GET') return { bytes: Buffer.from(callback.url, 'utf8'), what: 'URL' };
  if (callback.method === 'POST') return { bytes: callback.body, what: 'body' };
  return null;
}
