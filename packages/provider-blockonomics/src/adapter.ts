import { PaymentProvider } from '@cryptopay/provider-kit/nest';
import {
  type Acknowledgement,
  type CallbackNotification,
  type CallbackOutcome,
  type CallbackRefusal,
  type CallbackSecrets,
  type CallbackVerdict,
  type PaymentRequest,
  type PaymentRequestInput,
  ProviderError,
  type ProviderAdapter,
  type ProviderCapabilities,
  type RawCallback,
  type ReconciledPayment,
  rejected,
  Secret,
} from '@cryptopay/provider-kit';
import { type Invoice } from '@cryptopay/invoice';
import { BlockonomicsApiClient } from './api-client.js';
import { type ResolvedBlockonomicsOptions } from './config/options.js';
import { acknowledgeBlockonomics } from './mapping/acknowledgement.js';
import { cryptoForCoin } from './mapping/coins.js';
import { type CallbackMappingPolicy, toNotification } from './mapping/notification.js';
import { toPaymentRequest, unsupportedCurrency } from './mapping/payment-request.js';
import { PROVIDER_NAME } from './mapping/provider-name.js';
import { toReconciledPayments } from './mapping/history.js';
import { HistoryRateLimit } from './reconciliation/history-rate-limit.js';
import { verifyCallbackSecret } from './verification/url-secret.js';
import { readCallbackParams } from './wire/callback.js';
import { CALLBACK_SECRET_PARAM, SUPPORTED_CRYPTOS } from './wire/constants.js';

const CAPABILITIES: ProviderCapabilities = Object.freeze<ProviderCapabilities>({
  coins: SUPPORTED_CRYPTOS,
  callbackMethods: ['GET'],
  pendingNotifications: true,
  signatureScheme: 'url-secret',
  reconciliation: 'address-history',
  // 7 retries, exponential backoff from 4 s: 4 + 8 + … + 256 s = 508 s, rounded up.
  callbackRetryWindowMs: 9 * 60 * 1000,
});

/** The callback secret comes back in the query string of every callback: the core redacts it (by name, and its value wherever it is). */
const SECRET_PARAMS: readonly string[] = Object.freeze([CALLBACK_SECRET_PARAM]);

/**
 * Blockonomics behind our provider contract. Callbacks are GET requests authenticated by the
 * secret the merchant put into the store's callback URL; they name the paid address, by which the
 * core finds the invoice; the unit of payment is `(txid, addr)`.
 */
@PaymentProvider()
export class BlockonomicsAdapter implements ProviderAdapter {
  readonly name = PROVIDER_NAME;
  readonly capabilities: ProviderCapabilities = CAPABILITIES;
  readonly secrets: CallbackSecrets;
  private readonly api: BlockonomicsApiClient;
  private readonly callbackSecret: Secret;
  private readonly policy: CallbackMappingPolicy;
  private readonly historyBudget: HistoryRateLimit;
  /** `crypto/currency` pairs Blockonomics has priced: their invoices ask for price and address at once. */
  private readonly pricedCurrencies = new Set<string>();

  constructor(options: ResolvedBlockonomicsOptions) {
    this.historyBudget = new HistoryRateLimit(options.historyRequestsPerMinute);
    this.callbackSecret = new Secret(options.callbackSecret);
    const apiKey = new Secret(options.apiKey);
    this.api = new BlockonomicsApiClient({ ...options, apiKey, callbackSecret: this.callbackSecret });
    this.secrets = Object.freeze({ queryParams: SECRET_PARAMS, values: [this.callbackSecret, apiKey] });
    this.policy = { requiredConfirmations: options.confirmations, allowTestPayments: options.allowTestPayments, simulated: options.simulated };
  }

  get requiredConfirmations(): number {
    return this.policy.requiredConfirmations;
  }

  /** The store's HTTP Callback URL: our callback URL plus `secret`, also sent as `match_callback`. */
  callbackUrl(callbackBaseUrl: string): Secret {
    const separator = callbackBaseUrl.includes('?') ? '&' : '?';
    return new Secret(`${callbackBaseUrl}${separator}${CALLBACK_SECRET_PARAM}=${this.callbackSecret.reveal()}`);
  }

  async createPaymentRequest(input: PaymentRequestInput): Promise<PaymentRequest> {
    const crypto = cryptoForCoin(input.coin);
    if (!crypto) {
      throw new ProviderError(PROVIDER_NAME, 'rejected', `cannot invoice in ${input.coin.code}; supported coins: ${SUPPORTED_CRYPTOS.join(', ')}`);
    }
    const pair = `${crypto}/${input.fiat.currency}`;
    const pricing = this.api.price(crypto, input.fiat.currency);
    // Every address counts against the gap limit: in a currency not priced before, an unsupported
    // one is refused before an address is made. Otherwise in parallel, as the official plugins do.
    if (!this.pricedCurrencies.has(pair) && (await pricing) === null) throw unsupportedCurrency(input.fiat.currency);
    const [price, created] = await Promise.all([pricing, this.api.newAddress(crypto, this.callbackUrl(input.callbackUrl))]);
    // A currency Blockonomics stopped pricing is asked about first again.
    if (price === null) this.pricedCurrencies.delete(pair);
    else this.pricedCurrencies.add(pair);
    return toPaymentRequest(created, input.fiat, input.coin, price);
  }

  verify(callback: RawCallback): CallbackVerdict {
    return verifyCallbackSecret(callback, this.callbackSecret);
  }

  parse(callback: RawCallback): CallbackNotification | CallbackRefusal {
    const params = readCallbackParams(callback);
    return params.ok ? toNotification(params.value, this.policy) : rejected(400, params.problem);
  }

  acknowledge(outcome: CallbackOutcome): Acknowledgement {
    return acknowledgeBlockonomics(outcome);
  }

  /**
   * The invoice's address history (`searchhistory`, one address per call, on the host of the coin
   * the invoice was created in) as the callbacks would have reported it. Rate-limited per instance
   * (`historyRequestsPerMinute`): over the budget it fails as `rate-limit` without asking.
   */
  async reconcile(invoice: Invoice): Promise<readonly ReconciledPayment[]> {
    const crypto = cryptoForCoin({ code: invoice.coin, decimals: 8 });
    if (!crypto) throw new ProviderError(PROVIDER_NAME, 'rejected', `cannot reconcile an invoice in ${invoice.coin}`);
    this.historyBudget.take();
    const history = await this.api.searchHistory(crypto, invoice.address);
    return toReconciledPayments(invoice.coin, invoice.address, history, this.policy.requiredConfirmations);
  }
}
