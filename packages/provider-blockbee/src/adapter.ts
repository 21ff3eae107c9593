import { PaymentProvider } from '@cryptopay/provider-kit/nest';
import { type CoinDefinition, type FiatAmount, formatCoinAmount, formatFiatAmount, type Invoice } from '@cryptopay/invoice';
import {
  type Acknowledgement,
  type CallbackNotification,
  type CallbackOutcome,
  type CallbackRefusal,
  type CallbackSecrets,
  type CallbackVerdict,
  PaymentBelowMinimumError,
  type PaymentRequest,
  type PaymentRequestInput,
  type ProviderAdapter,
  type ProviderCapabilities,
  ProviderError,
  type RawCallback,
  type ReconciledPayment,
  rejected,
  Secret,
  UnsupportedCurrencyError,
} from '@cryptopay/provider-kit';
import { BlockBeeApiClient } from './api-client.js';
import { type ResolvedBlockBeeOptions } from './config/options.js';
import { acknowledgementFor } from './mapping/acknowledgement.js';
import { coinUnitsRoundedUp } from './mapping/amounts.js';
import { coinForTicker, tickerForCoin } from './mapping/coins.js';
import { type BlockBeeLogs, toReconciledPayments, toReconciliation } from './mapping/logs.js';
import { toNotification } from './mapping/notification.js';
import { toPaymentRequest } from './mapping/payment-request.js';
import { CallbackVerifier } from './verification/callback-verifier.js';
import { CallbackPublicKey, type PublicKeyRefresh } from './verification/public-key.js';
import { buildCallbackUrl, isInvoiceId, newNonce, NONCE_PARAM, nonceOfCallbackUrl } from './wire/callback-url.js';
import { type CoinInfoResponse, type ConvertResponse } from './wire/api.js';
import { readWebhook } from './wire/callback.js';
import { type WireResult } from '@cryptopay/provider-kit';

export const BLOCKBEE_PROVIDER_NAME = 'blockbee';
const DAY_MS = 24 * 60 * 60 * 1000;

/** The module's options, validated with every default filled in, and a sink for warnings. */
export type BlockBeeAdapterOptions = ResolvedBlockBeeOptions & {
  /** Where a failed public-key refresh is reported. */
  readonly onWarning?: (message: string) => void;
};

/**
 * BlockBee (Custom Payment Flow): one address per invoice, keyed by a callback URL that carries
 * the invoice id and a random nonce; webhooks signed with RSA-SHA256 over the URL (GET) or the
 * raw body (POST), sent from a fixed set of IPs and acknowledged with `*ok*`. Callbacks are bound
 * to their invoice by the core: by id, nonce (see {@link invoiceNonce}), `address_in` and coin.
 */
@PaymentProvider()
export class BlockBeeAdapter implements ProviderAdapter {
  readonly name = BLOCKBEE_PROVIDER_NAME;
  readonly capabilities: ProviderCapabilities;
  /** The per-invoice nonce rides in the query string of every webhook (never in its body): the core redacts it; and the API key's value wherever it shows. */
  readonly secrets: CallbackSecrets;

  private readonly client: BlockBeeApiClient;
  private readonly publicKey: CallbackPublicKey;
  private readonly verifier: CallbackVerifier;
  private readonly confirmations: number;
  private readonly allowTestPayments: boolean;

  constructor(options: BlockBeeAdapterOptions) {
    this.capabilities = {
      coins: [...new Set(options.coins)],
      callbackMethods: ['GET', 'POST'],
      pendingNotifications: true,
      signatureScheme: 'rsa-sha256',
      reconciliation: 'provider-log',
      // Retried after 6, 12, 24 minutes…, doubling, until the transaction is 3 days old.
      callbackRetryWindowMs: 72 * 60 * 60 * 1000,
    };
    const apiKey = new Secret(options.apiKey);
    this.secrets = { queryParams: [NONCE_PARAM], values: [apiKey] };
    this.client = new BlockBeeApiClient({ apiKey, baseUrl: options.apiBaseUrl, timeoutMs: options.timeoutMs });
    this.publicKey = new CallbackPublicKey(options.publicKeyPem, this.keyRefresh(options));
    this.verifier = new CallbackVerifier({ allowlist: options.allowlist, trustedProxies: options.trustedProxies, publicKey: this.publicKey });
    this.confirmations = options.confirmations;
    this.allowTestPayments = options.allowTestPayments;
  }

  async createPaymentRequest(input: PaymentRequestInput): Promise<PaymentRequest> {
    if (!isInvoiceId(input.invoiceId)) {
      throw new ProviderError(this.name, 'rejected', 'invoice ids must be UUIDs, as BlockBee callbacks name the invoice by one');
    }
    const ticker = this.tickerFor(input.coin.code);
    const callbackUrl = buildCallbackUrl(input.callbackUrl, input.invoiceId, newNonce());
    const [quote, info] = await this.quote(ticker, input.fiat);
    // Before the address: an invoice BlockBee would ignore the payment of is refused (fix 2.1).
    this.refuseBelowMinimum(input.coin, quote.valueCoin, info.minimumTransactionCoin);
    const created = await this.client.createAddress(ticker, { callbackUrl, confirmations: this.confirmations });
    return this.answered(toPaymentRequest({ coin: input.coin, fiat: input.fiat, callbackUrl, created, quote, info }));
  }

  /** The source address, then the signature: nothing of the callback is read before both pass. */
  verify(callback: RawCallback): CallbackVerdict {
    return this.verifier.verify(callback);
  }

  parse(callback: RawCallback): CallbackNotification | CallbackRefusal {
    const webhook = readWebhook(callback);
    if (!webhook.ok) return rejected(400, webhook.problem);
    return toNotification(webhook.value, this.allowTestPayments);
  }

  /** The nonce of the callback URL stored when the address was created. */
  invoiceNonce(invoice: Invoice): string | null {
    return nonceOfCallbackUrl(invoice.providerReference) || null;
  }

  acknowledge(outcome: CallbackOutcome): Acknowledgement {
    return acknowledgementFor(outcome);
  }

  /** What BlockBee recorded for an invoice's address: transactions and delivery attempts (reconciliation). */
  async fetchLogs(invoice: Pick<Invoice, 'id' | 'coin' | 'providerReference'>): Promise<BlockBeeLogs> {
    const ticker = tickerForCoin(invoice.coin);
    const coin = ticker === null ? null : coinForTicker(ticker);
    if (ticker === null || coin === null || invoice.providerReference === null) {
      throw new ProviderError(this.name, 'rejected', `invoice ${invoice.id} has no BlockBee callback URL to look up`);
    }
    return this.answered(toReconciliation(coin, await this.client.logs(ticker, invoice.providerReference)));
  }

  /**
   * What BlockBee's logs (`/{ticker}/logs/?callback=<the invoice's callback URL>`) record for the
   * invoice, as the webhooks would have reported it. The logged request URLs cannot be replayed
   * (in POST mode they hold none of the fields, and nothing in the logs is signed): each entry's own
   * fields are read. BlockBee answers an error when it has no callbacks for the URL yet: a refusal
   * of the lookup reads as nothing recorded; an auth failure or an outage is thrown.
   */
  async reconcile(invoice: Invoice): Promise<readonly ReconciledPayment[]> {
    const coin = coinForTicker(tickerForCoin(invoice.coin) ?? '');
    if (!coin) throw new ProviderError(this.name, 'rejected', `cannot reconcile an invoice in ${invoice.coin}`);
    try {
      return toReconciledPayments(coin, await this.fetchLogs(invoice), this.allowTestPayments);
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'rejected' && invoice.providerReference !== null) return [];
      throw error;
    }
  }

  /** Fetches BlockBee's signing key now (when refreshing is enabled); a failure keeps the current key. */
  refreshPublicKey(): Promise<void> {
    return this.publicKey.refresh();
  }

  private keyRefresh(options: BlockBeeAdapterOptions): PublicKeyRefresh | null {
    if (!options.refreshPublicKey) return null;
    return {
      fetchPem: () => this.client.publicKeyPem(),
      maxAgeMs: DAY_MS,
      retryAfterFailureMs: 15 * 60 * 1000,
      ...(options.onWarning ? { onFailure: options.onWarning } : {}),
    };
  }

  /** As BlockBee's WooCommerce plugin refuses it ("Value too low"): payments below the minimum are lost. */
  /** The quote and the coin's info, at once; a currency the info does not price is the caller's error, whatever convert answered. */
  private async quote(ticker: string, fiat: FiatAmount): Promise<[ConvertResponse, CoinInfoResponse]> {
    const [quote, info] = await Promise.allSettled([this.client.convert(ticker, formatFiatAmount(fiat), fiat.currency), this.client.coinInfo(ticker)]);
    const currencies = info.status === 'fulfilled' ? info.value.fiatCurrencies : null;
    if (currencies !== null && !currencies.includes(fiat.currency)) throw new UnsupportedCurrencyError(this.name, fiat.currency, currencies);
    if (quote.status === 'rejected') throw quote.reason;
    if (info.status === 'rejected') throw info.reason;
    return [quote.value, info.value];
  }

  private refuseBelowMinimum(coin: CoinDefinition, quotedCoin: string, minimumCoin: string): void {
    const quoted = this.answered(coinUnitsRoundedUp(coin, quotedCoin, 'convert value_coin'));
    // A zero quote is BlockBee's answer gone wrong, not a small invoice.
    if (quoted === 0n) throw new ProviderError(this.name, 'invalid-response', `convert value_coin "${quotedCoin}" is zero`);
    const minimum = this.answered(coinUnitsRoundedUp(coin, minimumCoin, 'info minimum_transaction_coin'));
    if (quoted < minimum) throw new PaymentBelowMinimumError(this.name, formatCoinAmount(coin, quoted), formatCoinAmount(coin, minimum), coin.code);
  }

  /** An answer of BlockBee's that maps into our model, or the typed error saying it does not. */
  private answered<T>(result: WireResult<T>): T {
    if (result.ok) return result.value;
    throw new ProviderError(this.name, 'invalid-response', result.problem);
  }

  private tickerFor(code: string): string {
    const ticker = tickerForCoin(code);
    if (ticker === null || !this.capabilities.coins.includes(code)) {
      throw new ProviderError(this.name, 'rejected', `coin ${code} is not accepted through BlockBee (accepted: ${this.capabilities.coins.join(', ')})`);
    }
    return ticker;
  }
}
