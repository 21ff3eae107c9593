import { randomBytes, randomUUID } from 'node:crypto';
import { type CallbackEncoding } from '../wire/fields.js';

/** A payment to make, programmatically or through `POST /sandbox/pay`. */
export interface SimulatedPaymentInput {
  /** The `address_in` being paid. */
  readonly address: string;
  /** Coin units, written verbatim into `value_coin` (an unquoted JSON number in JSON mode). */
  readonly valueCoin: string;
  readonly txid?: string;
  /** The ticker the webhook reports; default the address's (set another to pay "the wrong coin"). */
  readonly coin?: string;
  readonly encoding?: CallbackEncoding;
  /** Send every webhook this many extra times. */
  readonly duplicates?: number;
  /** Deliver the confirmed webhook before the pending one. */
  readonly reorder?: boolean;
  /** Mark this payment as a sandbox test payment; default the simulator's `testPayments`. */
  readonly test?: boolean;
  /** Deliver the confirmed webhook now (default); `false` leaves it for `BlockBeeSimulator.confirm`. */
  readonly confirm?: boolean;
  /**
   * `false`: no webhook is sent (as when every attempt failed); the transaction still advances and
   * shows in the logs (`sent`: forwarded, never acknowledged). Default true.
   */
  readonly deliver?: boolean;
}

/** An address handed out by `create`, identified by (ticker, callback URL) as at BlockBee. */
export interface SimulatedAddress {
  readonly ticker: string;
  readonly callbackUrl: string;
  readonly addressIn: string;
  readonly addressOut: string;
  readonly notifyPending: boolean;
  readonly confirmations: number;
  readonly encoding: CallbackEncoding;
  readonly transactions: SimulatedTransaction[];
}

/** One delivery attempt, as the logs endpoint reports it. */
export interface DeliveryAttempt {
  readonly uuid: string;
  readonly pending: boolean;
  readonly method: 'GET' | 'POST';
  readonly requestUrl: string;
  /** null when the request failed before an answer (connection refused, timeout). */
  readonly responseStatus: number | null;
  readonly response: string;
  readonly timestamp: Date;
  /** When the next retry is due; null when acknowledged or given up. */
  nextTry: Date | null;
}

export interface SimulatedTransaction {
  readonly uuid: string;
  readonly txidIn: string;
  readonly txidOut: string;
  /** As written into the webhook, verbatim (tests may send odd decimals on purpose). */
  readonly valueCoin: string;
  /** The coin the webhook reports: the address's ticker unless a test pays another token. */
  readonly coin: string;
  /** A sandbox test payment: the webhooks carry the simulator's test mark. */
  readonly test: boolean;
  readonly createdAt: number;
  result: 'pending' | 'sent' | 'done';
  readonly attempts: DeliveryAttempt[];
}

/** BlockBee's memory: addresses by callback URL and by address, with their transactions. */
export class SimulatorLedger {
  private readonly byCallback = new Map<string, SimulatedAddress>();
  private readonly byAddress = new Map<string, SimulatedAddress>();

  /** The same (ticker, callback URL) always gets the same address, as at BlockBee. */
  addressFor(request: Omit<SimulatedAddress, 'addressIn' | 'addressOut' | 'transactions'>): SimulatedAddress {
    const key = `${request.ticker} ${request.callbackUrl}`;
    const known = this.byCallback.get(key);
    if (known) return known;
    const address: SimulatedAddress = { ...request, addressIn: fakeAddress(request.ticker), addressOut: fakeAddress(request.ticker), transactions: [] };
    this.byCallback.set(key, address);
    this.byAddress.set(address.addressIn, address);
    return address;
  }

  byCallbackUrl(ticker: string, callbackUrl: string): SimulatedAddress | undefined {
    return this.byCallback.get(`${ticker} ${callbackUrl}`);
  }

  address(addressIn: string): SimulatedAddress | undefined {
    return this.byAddress.get(addressIn);
  }

  addresses(): IterableIterator<SimulatedAddress> {
    return this.byAddress.values();
  }

  addTransaction(address: SimulatedAddress, input: { valueCoin: string; coin?: string; txid?: string; test: boolean }, now: number): SimulatedTransaction {
    const transaction: SimulatedTransaction = {
      uuid: randomUUID(),
      txidIn: input.txid ?? fakeTxid(address.ticker),
      txidOut: fakeTxid(address.ticker),
      valueCoin: input.valueCoin,
      coin: input.coin ?? address.ticker,
      test: input.test,
      createdAt: now,
      result: 'pending',
      attempts: [],
    };
    address.transactions.push(transaction);
    return transaction;
  }
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** Addresses that look like the chain's own (the adapter treats them as opaque strings). */
function fakeAddress(ticker: string): string {
  const [chain] = ticker.split('_');
  if (chain === 'erc20' || chain === 'bep20' || chain === 'eth') return `0x${randomBytes(20).toString('hex')}`;
  if (chain === 'trc20' || chain === 'trx') return `T${base58(33)}`;
  if (chain === 'btc') return `bc1q${randomBytes(19).toString('hex')}`;
  if (chain === 'ltc') return `ltc1q${randomBytes(19).toString('hex')}`;
  if (chain === 'bch') return `bitcoincash:q${randomBytes(20).toString('hex')}`;
  return `D${base58(33)}`;
}

function fakeTxid(ticker: string): string {
  const hex = randomBytes(32).toString('hex');
  return ticker === 'eth' || ticker.startsWith('erc20_') || ticker.startsWith('bep20_') ? `0x${hex}` : hex;
}

function base58(length: number): string {
  return [...randomBytes(length)].map((byte) => BASE58[byte % BASE58.length]).join('');
}
