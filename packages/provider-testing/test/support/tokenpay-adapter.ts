import { formatFiatAmount, MoneyError, parseCoinAmount, type ObservationKind } from '@cryptopay/invoice';
import {
  ACCEPTED,
  type Acknowledgement,
  type CallbackNotification,
  type CallbackOutcome,
  type CallbackRefusal,
  type CallbackSecrets,
  type CallbackVerdict,
  type InvoiceTokens,
  type PaymentRequest,
  type PaymentRequestInput,
  type ProviderAdapter,
  type QueryParameter,
  parseFormText,
  parseQueryString,
  plainTextAcknowledgement,
  type RawCallback,
  rejected,
  valuesOf,
} from '@cryptopay/provider-kit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KINDS: Readonly<Record<string, ObservationKind>> = { pending: 'seen', confirming: 'seen', paid: 'confirmed', refunded: 'reverted' };
const BTC = { code: 'BTC', decimals: 8, name: 'Bitcoin' };

export interface TokenPayOptions {
  readonly apiBaseUrl: string;
  readonly tokens: InvoiceTokens;
  /** Where the per-invoice token rides: a form field of the callback (default) or its URL's query. */
  readonly tokenIn?: 'body' | 'query';
  /** What it declares secret; default the token's field. */
  readonly secrets?: CallbackSecrets;
}

/**
 * The adapter for {@link TokenPaySimulator}, the `invoice-token` scheme as docs/adding-a-provider.md
 * describes it: the token is an HMAC of the invoice id, checked in `verify` without a lookup; the
 * callback names the invoice but not the address or the coin, which the core completes.
 */
export class TokenPayAdapter implements ProviderAdapter {
  readonly name = 'tokenpay';
  readonly capabilities = { coins: ['BTC'], callbackMethods: ['POST' as const], pendingNotifications: true, signatureScheme: 'invoice-token' as const };
  readonly secrets: CallbackSecrets;

  constructor(private readonly options: TokenPayOptions) {
    this.secrets = options.secrets ?? (options.tokenIn === 'query' ? { queryParams: ['token'] } : { bodyFields: ['token'] });
  }

  async createPaymentRequest(input: PaymentRequestInput): Promise<PaymentRequest> {
    const token = this.options.tokens.tokenFor(input.invoiceId);
    const inQuery = this.options.tokenIn === 'query';
    const order = new URLSearchParams({
      order_id: input.invoiceId,
      price_amount: formatFiatAmount(input.fiat),
      price_currency: input.fiat.currency,
      receive_currency: input.coin.code,
      callback_url: inQuery ? `${input.callbackUrl}?token=${token}` : input.callbackUrl,
    });
    if (!inQuery) order.set('token', token);
    const response = await fetch(`${this.options.apiBaseUrl}/v2/orders`, { method: 'POST', body: order });
    const parsed = parseFormText(await response.text());
    if (!response.ok || !parsed.ok) throw new Error(`tokenpay refused the order (${response.status})`);
    const answer = (name: string) => valuesOf(parsed.parameters, name)[0] ?? '';
    return {
      address: answer('payment_address'),
      amountDue: parseCoinAmount(input.coin, answer('pay_amount')),
      rate: answer('rate'),
      quotedBy: 'provider',
      providerReference: null,
      minimumPayment: null,
    };
  }

  verify(callback: RawCallback): CallbackVerdict {
    const fields = this.fields(callback);
    if (!fields) return rejected(400, 'the callback is not a readable form');
    const [orderId] = valuesOf(fields.body, 'order_id');
    const tokens = valuesOf(this.options.tokenIn === 'query' ? fields.query : fields.body, 'token');
    if (tokens.length === 0) return rejected(401, 'the callback carries no token');
    if (orderId === undefined || tokens.length > 1 || !this.options.tokens.matches(orderId, tokens[0])) return rejected(403, 'the token is not the token of the order named');
    return ACCEPTED;
  }

  parse(callback: RawCallback): CallbackNotification | CallbackRefusal {
    const fields = this.fields(callback);
    if (!fields) return rejected(400, 'the callback is not a readable form');
    const one = (name: string) => {
      const values = valuesOf(fields.body, name);
      return values.length === 1 ? values[0]! : null;
    };
    const [id, orderId, status, amount, txid] = ['id', 'order_id', 'status', 'receive_amount', 'txid'].map(one);
    if (!id || !orderId || !UUID.test(orderId) || !status || !amount || !txid) return rejected(400, 'id, order_id (a UUID), status, receive_amount and txid are each required once');
    const deliveryKey = `tokenpay:${id}:${txid}:${status}`;
    if (status === 'test') return { deliveryKey, ignoreReason: 'a test callback from the dashboard' };
    const kind = KINDS[status];
    if (!kind) return rejected(400, `status ${JSON.stringify(status.slice(0, 20))} is not a TokenPay status`);
    let units: bigint;
    try {
      units = parseCoinAmount(BTC, amount, 'receive_amount');
    } catch (error) {
      if (error instanceof MoneyError) return rejected(400, error.message);
      throw error;
    }
    return {
      deliveryKey,
      invoice: { by: 'id', invoiceId: orderId },
      payment: { txid, amount: units, kind, confirmations: null, rbf: false, test: false },
    };
  }

  acknowledge(outcome: CallbackOutcome): Acknowledgement {
    if (outcome.kind === 'rejected' || outcome.kind === 'retry-later') return plainTextAcknowledgement(outcome.status, outcome.reason);
    return plainTextAcknowledgement(200, 'OK');
  }

  private fields(callback: RawCallback): { body: QueryParameter[]; query: QueryParameter[] } | null {
    const body = parseFormText(Buffer.from(callback.body).toString('utf8'));
    const query = parseQueryString(callback.target);
    return body.ok && query.ok ? { body: body.parameters, query: query.parameters } : null;
  }
}
