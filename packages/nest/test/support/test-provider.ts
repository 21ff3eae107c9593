import { formatExchangeRate, parseExchangeRate, quoteCoinAmount } from '@cryptopay/invoice';
import {
  ACCEPTED,
  type Acknowledgement,
  type CallbackNotification,
  type CallbackOutcome,
  type CallbackVerdict,
  constantTimeEqual,
  type PaymentRequest,
  type PaymentRequestInput,
  type ProviderAdapter,
  type RawCallback,
  rejected,
} from '@cryptopay/provider-kit';
import { Module } from '@nestjs/common';

export const TEST_SECRET = 'test-callback-secret-0123456789';
const RATE = '50000.00';
/** 0.0001 BTC, in base units: the smallest payment this provider forwards. */
const MINIMUM_PAYMENT = 10_000n;

/**
 * A minimal provider speaking a Blockonomics-like GET protocol (URL secret, `addr`, `txid`, `value`,
 * `status`), to exercise the payments module's pipeline without a real provider package.
 */
export class TestPayAdapter implements ProviderAdapter {
  readonly name = 'testpay';
  readonly capabilities = {
    coins: ['BTC'],
    callbackMethods: ['GET' as const],
    pendingNotifications: true,
    signatureScheme: 'url-secret' as const,
  };
  /** Its URL secret, and a made-up signature parameter no other provider uses: redacted because declared here. */
  readonly secretQueryParams = ['secret', 'session_sig'];
  private next = 0;
  /** Addresses handed out, so a test can pay one. */
  readonly addresses: string[] = [];

  async createPaymentRequest(input: PaymentRequestInput): Promise<PaymentRequest> {
    const rate = parseExchangeRate(input.fiat.currency, RATE);
    const address = `tb1qtest${(this.next += 1)}`;
    this.addresses.push(address);
    return { address, amountDue: quoteCoinAmount(input.fiat, rate, input.coin), rate: formatExchangeRate(rate), providerReference: null, minimumPayment: MINIMUM_PAYMENT };
  }

  verifyCallback(callback: RawCallback): CallbackVerdict {
    const secret = query(callback).get('secret');
    if (secret === null) return rejected(401, 'secret missing');
    return constantTimeEqual(TEST_SECRET, secret) ? ACCEPTED : rejected(403, 'secret does not match');
  }

  parseCallback(callback: RawCallback): CallbackNotification | Extract<CallbackVerdict, { accepted: false }> {
    const params = query(callback);
    const [addr, txid, value, status] = ['addr', 'txid', 'value', 'status'].map((name) => params.get(name));
    if (!addr || !txid || !value || !/^[0-9]{1,20}$/.test(value) || !status || !/^-?[0-2]$/.test(status)) {
      return { accepted: false, status: 400, reason: 'addr, txid, value (integer) and status (-1..2) are required' };
    }
    const kind = status === '-1' ? 'reverted' : status === '2' ? 'confirmed' : 'seen';
    return {
      deliveryKey: `${txid}.${addr}.${status}`,
      invoice: { by: 'address', address: addr },
      // `coin` lets a test pay in another coin than the invoice's.
      observation: { coin: params.get('coin') ?? 'BTC', txid, address: addr, amount: BigInt(value), kind, confirmations: Number(status), rbf: false, test: false },
    };
  }

  bindToInvoice(notification: CallbackNotification, invoice: { address: string }): CallbackVerdict {
    return notification.observation.address === invoice.address ? ACCEPTED : rejected(403, 'address not bound to invoice');
  }

  acknowledge(outcome: CallbackOutcome): Acknowledgement {
    const status = outcome.kind === 'rejected' || outcome.kind === 'retry-later' ? outcome.status : 200;
    return { status, contentType: 'text/plain; charset=utf-8', body: outcome.kind };
  }
}

function query(callback: RawCallback): URLSearchParams {
  const index = callback.target.indexOf('?');
  return new URLSearchParams(index === -1 ? '' : callback.target.slice(index + 1));
}

@Module({ providers: [TestPayAdapter], exports: [TestPayAdapter] })
export class TestPayModule {}
