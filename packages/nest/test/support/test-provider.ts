import { randomBytes } from 'node:crypto';
import { formatExchangeRate, type Invoice, parseExchangeRate, quoteCoinAmount } from '@cryptopay/invoice';
import {
  ACCEPTED,
  type Acknowledgement,
  type CallbackNotification,
  type CallbackOutcome,
  type CallbackRefusal,
  type CallbackVerdict,
  constantTimeEqual,
  type PaymentRequest,
  type PaymentRequestInput,
  type ProviderAdapter,
  ProviderError,
  type RawCallback,
  type ReconciledPayment,
  rejected,
  Secret,
} from '@cryptopay/provider-kit';
import { PaymentProvider } from '@cryptopay/provider-kit/nest';
import { Module } from '@nestjs/common';

export const TEST_SECRET = 'test-callback-secret-0123456789';
const RATE = '50000.00';
const PLAIN_TEXT = 'text/plain; charset=utf-8';
/** 0.0001 BTC, in base units: the smallest payment this provider forwards. */
const MINIMUM_PAYMENT = 10_000n;

/**
 * A minimal provider speaking a Blockonomics-like protocol (URL secret, `addr`, `txid`, `value`,
 * `status`), to exercise the payments module's pipeline without a real provider package. Callbacks
 * come as GET (fields in the query) or as a form POST (fields in the body, the secret in the query or
 * the body).
 */
@PaymentProvider()
export class TestPayAdapter implements ProviderAdapter {
  readonly name = 'testpay';
  readonly capabilities = {
    coins: ['BTC'],
    callbackMethods: ['GET' as const, 'POST' as const],
    pendingNotifications: true,
    signatureScheme: 'url-secret' as const,
    reconciliation: 'address-history' as const,
  };
  /** What the provider recorded per address, as `reconcile` reports it (a test fills it in). */
  readonly history = new Map<string, ReconciledPayment[]>();
  /** While set, `reconcile` fails as a provider that is down does. */
  historyDown = false;
  /** The content type of its answers: a test sets another, as of a provider that expects XML. */
  answerType = PLAIN_TEXT;
  /** Its secret, and a made-up signature field no other provider uses: redacted because declared here. */
  readonly secrets = { queryParams: ['secret', 'session_sig'], bodyFields: ['secret', 'session_sig'], values: [new Secret(TEST_SECRET)] };
  private next = 0;
  /** Addresses handed out, so a test can pay one. */
  readonly addresses: string[] = [];

  async createPaymentRequest(input: PaymentRequestInput): Promise<PaymentRequest> {
    const rate = parseExchangeRate(input.fiat.currency, RATE);
    const address = `tb1qtest${(this.next += 1)}`;
    this.addresses.push(address);
    const amountDue = quoteCoinAmount(input.fiat, rate, input.coin);
    return { address, amountDue, rate: formatExchangeRate(rate), quotedBy: 'rate', providerReference: null, minimumPayment: MINIMUM_PAYMENT };
  }

  verify(callback: RawCallback): CallbackVerdict {
    return verifySecret(query(callback).get('secret') ?? (callback.method === 'POST' ? form(callback).get('secret') : null));
  }

  parse(callback: RawCallback): CallbackNotification | CallbackRefusal {
    const params = callback.method === 'POST' ? form(callback) : query(callback);
    const [addr, txid, value, status] = ['addr', 'txid', 'value', 'status'].map((name) => params.get(name));
    if (!addr || !txid || !value || !/^[0-9]{1,20}$/.test(value) || !status || !/^-?[0-2]$/.test(status)) {
      return rejected(400, 'addr, txid, value (integer) and status (-1..2) are required');
    }
    const kind = status === '-1' ? 'reverted' : status === '2' ? 'confirmed' : 'seen';
    const coin = params.get('coin');
    return {
      // `key` names the delivery as a provider that numbers its deliveries does (BlockBee's uuid).
      deliveryKey: params.get('key') ?? `${txid}.${addr}.${status}`,
      invoice: { by: 'address', address: addr },
      // `coin` lets a test pay in another coin than the invoice's; without it, the invoice's is taken.
      payment: { txid, address: addr, amount: BigInt(value), kind, confirmations: Number(status), rbf: false, test: false, ...(coin === null ? {} : { coin }) },
    };
  }

  acknowledge(outcome: CallbackOutcome): Acknowledgement {
    return answer(outcome, this.answerType);
  }

  async reconcile(invoice: Invoice): Promise<readonly ReconciledPayment[]> {
    if (this.historyDown) throw new ProviderError(this.name, 'unavailable', 'the history API is down (HTTP 503)', { httpStatus: 503 });
    return this.history.get(invoice.address) ?? [];
  }
}

/**
 * A provider that names the invoice by id, never the address, and binds each callback with a
 * per-invoice nonce it keeps in `providerReference`; it sets the amount itself (its own quote).
 */
@PaymentProvider()
export class NoncePayAdapter implements ProviderAdapter {
  readonly name = 'noncepay';
  readonly capabilities = { coins: ['BTC'], callbackMethods: ['GET' as const], pendingNotifications: false, signatureScheme: 'url-secret' as const };
  readonly secrets = { queryParams: ['secret', 'nonce'] };
  private next = 0;

  async createPaymentRequest(): Promise<PaymentRequest> {
    // 0.0004 BTC for any price: this provider's quote, not ours; the rate is only what it comes to.
    return { address: `tb1qnonce${(this.next += 1)}`, amountDue: 40_000n, rate: '62500', quotedBy: 'provider', providerReference: randomBytes(12).toString('hex'), minimumPayment: null };
  }

  verify(callback: RawCallback): CallbackVerdict {
    return verifySecret(query(callback).get('secret'));
  }

  parse(callback: RawCallback): CallbackNotification | CallbackRefusal {
    const params = query(callback);
    const [invoice, txid, value] = ['invoice', 'txid', 'value'].map((name) => params.get(name));
    if (!invoice || !txid || !value || !/^[0-9]{1,20}$/.test(value)) return rejected(400, 'invoice, txid and value (integer) are required');
    const nonce = params.get('nonce');
    return {
      deliveryKey: `${invoice}.${txid}`,
      invoice: { by: 'id', invoiceId: invoice },
      payment: { txid, amount: BigInt(value), kind: 'confirmed', confirmations: null, rbf: false, test: false },
      ...(nonce === null ? {} : { nonce }),
    };
  }

  invoiceNonce(invoice: Invoice): string | null {
    return invoice.providerReference;
  }

  acknowledge(outcome: CallbackOutcome): Acknowledgement {
    return answer(outcome);
  }
}

function answer(outcome: CallbackOutcome, contentType = PLAIN_TEXT): Acknowledgement {
  const status = outcome.kind === 'rejected' || outcome.kind === 'retry-later' ? outcome.status : 200;
  return { status, contentType, body: outcome.kind };
}

function verifySecret(secret: string | null): CallbackVerdict {
  if (secret === null) return rejected(401, 'secret missing');
  return constantTimeEqual(TEST_SECRET, secret) ? ACCEPTED : rejected(403, 'secret does not match');
}

function query(callback: RawCallback): URLSearchParams {
  const index = callback.target.indexOf('?');
  return new URLSearchParams(index === -1 ? '' : callback.target.slice(index + 1));
}

function form(callback: RawCallback): URLSearchParams {
  return new URLSearchParams(Buffer.from(callback.body).toString('utf8'));
}

/** Provides both adapters, one as a class and one from a factory: both are found by their mark. */
@Module({
  providers: [TestPayAdapter, { provide: 'NONCEPAY_ADAPTER', useFactory: () => new NoncePayAdapter() }],
  exports: [TestPayAdapter],
})
export class TestPayModule {}
