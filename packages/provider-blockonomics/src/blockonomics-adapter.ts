import { type Invoice } from '@cryptopay/invoice';
import {
  ACCEPTED,
  type Acknowledgement,
  type CallbackNotification,
  type CallbackOutcome,
  type CallbackVerdict,
  type PaymentRequest,
  type PaymentRequestInput,
  ProviderError,
  type ProviderAdapter,
  type ProviderCapabilities,
  type RawCallback,
  rejected,
  Secret,
} from '@cryptopay/provider-kit';
import { BlockonomicsApi } from './blockonomics-api.js';
import { type ResolvedBlockonomicsOptions } from './config/blockonomics-options.js';
import { acknowledgeBlockonomics } from './mapping/acknowledgement.js';
import { type CallbackMappingPolicy, PROVIDER_NAME, toNotification } from './mapping/callback-notification.js';
import { cryptoForCoin } from './mapping/coins.js';
import { quoteFromPrice } from './mapping/quote.js';
import { readCallbackParams, singleValue } from './wire/callback.js';
import { CALLBACK_SECRET_PARAM, SUPPORTED_CRYPTOS } from './wire/constants.js';
import { parseQueryString, type QueryParseResult } from '@cryptopay/provider-kit';

type Rejection = Extract<CallbackVerdict, { accepted: false }>;

const CAPABILITIES: ProviderCapabilities = Object.freeze<ProviderCapabilities>({
  coins: SUPPORTED_CRYPTOS,
  callbackMethods: ['GET'],
  pendingNotifications: true,
  signatureScheme: 'url-secret',
});

/**
 * Blockonomics behind our provider contract. Callbacks are GET requests authenticated by the
 * secret the merchant put into the store's callback URL; the unit of payment is `(txid, addr)`.
 */
export class BlockonomicsAdapter implements ProviderAdapter {
  readonly name = PROVIDER_NAME;
  readonly capabilities: ProviderCapabilities = CAPABILITIES;
  /** The callback secret comes back in the query string of every callback: the core redacts it. */
  readonly secretQueryParams: readonly string[] = [CALLBACK_SECRET_PARAM];
  private readonly api: BlockonomicsApi;
  private readonly callbackSecret: Secret;
  private readonly policy: CallbackMappingPolicy;
  /** Each callback's query string, parsed once: `verifyCallback` reads the secret from it, `parseCallback` the rest. */
  private readonly queries = new WeakMap<RawCallback, QueryParseResult>();

  constructor(options: ResolvedBlockonomicsOptions) {
    this.callbackSecret = new Secret(options.callbackSecret);
    this.api = new BlockonomicsApi({ ...options, apiKey: new Secret(options.apiKey), callbackSecret: this.callbackSecret });
    this.policy = { requiredConfirmations: options.confirmations, allowTestPayments: options.allowTestPayments };
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
    const crypto = cryptoForCoin(input.coin.code);
    if (!crypto || input.coin.decimals !== 8) {
      throw new ProviderError(PROVIDER_NAME, 'rejected', `cannot invoice in ${input.coin.code}; supported coins: ${SUPPORTED_CRYPTOS.join(', ')}`);
    }
    // In parallel, as the official plugins do; the address is created even if the price fails.
    const [price, created] = await Promise.all([
      this.api.price(crypto, input.fiat.currency),
      this.api.newAddress(crypto, this.callbackUrl(input.callbackUrl)),
    ]);
    const quote = quoteFromPrice(input.fiat, input.coin, price);
    return { address: created.address, ...quote, providerReference: created.account ?? null, minimumPayment: null };
  }

  /** The secret, in constant time, before anything else is read; missing → 401, wrong or repeated → 403. */
  verifyCallback(callback: RawCallback): CallbackVerdict {
    const query = this.queryOf(callback);
    if (!query.ok) return rejected(401, 'the query string cannot be read, so the callback secret cannot be checked');
    const secret = singleValue(query.parameters, CALLBACK_SECRET_PARAM);
    if (!secret.ok) return rejected(403, 'the callback secret must appear exactly once');
    if (secret.value === undefined) return rejected(401, 'missing callback secret; the store callback URL must end with ?secret=<your secret>');
    if (!this.callbackSecret.matches(secret.value)) return rejected(403, 'wrong callback secret');
    return ACCEPTED;
  }

  parseCallback(callback: RawCallback): CallbackNotification | Rejection {
    if (callback.method !== 'GET') return badRequest(`Blockonomics callbacks are GET requests, not ${callback.method.slice(0, 10)}`);
    const query = this.queryOf(callback);
    if (!query.ok) return badRequest(query.problem);
    const params = readCallbackParams(query.parameters);
    if (!params.ok) return badRequest(params.problem);
    const notification = toNotification(params.value, this.policy);
    return notification.ok ? notification.value : badRequest(notification.problem);
  }

  bindToInvoice(notification: CallbackNotification, invoice: Invoice): CallbackVerdict {
    const { observation } = notification;
    if (invoice.provider !== PROVIDER_NAME) return rejected(400, `the address belongs to a ${invoice.provider} invoice`);
    if (observation.address !== invoice.address) return rejected(400, 'the callback address is not the invoice address');
    if (observation.coin !== invoice.coin) return rejected(400, `the callback is for ${observation.coin} but the invoice is in ${invoice.coin}`);
    return ACCEPTED;
  }

  acknowledge(outcome: CallbackOutcome): Acknowledgement {
    return acknowledgeBlockonomics(outcome);
  }

  private queryOf(callback: RawCallback): QueryParseResult {
    let query = this.queries.get(callback);
    if (query === undefined) {
      query = parseQueryString(callback.target);
      this.queries.set(callback, query);
    }
    return query;
  }
}

function badRequest(reason: string): Rejection {
  return { accepted: false, status: 400, reason };
}
