import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnFreePort } from '@cryptopay/test-servers';
import { currencyExponent, formatCoinAmount, formatUnits, parseFiatAmount } from '@cryptopay/invoice';
import { parseFormText, valuesOf } from '@cryptopay/provider-kit';

/** The simulator's own BTC price: it quotes orders itself, with a 0.2 % fee, rounding to the nearest satoshi. */
const PRICE_CENTS_PER_BTC = 5_000_000n;
const SATOSHI_PER_BTC = 100_000_000n;

interface Order {
  readonly id: number;
  readonly orderId: string;
  readonly address: string;
  readonly callbackUrl: string;
  readonly token: string | null;
}

export interface TokenPayPayment {
  readonly txid: string;
  readonly duplicates?: number;
  readonly reorder?: boolean;
  /** Status words to deliver, in order; default `pending` then `paid`. */
  readonly statuses?: readonly string[];
}

/**
 * A CoinGate-like provider over real HTTP, unlike ours: it owns orders and sets their amount itself,
 * reports status words instead of confirmations, and posts form callbacks that name the order and
 * carry a per-order token, but never the paid address or the coin.
 */
export class TokenPaySimulator {
  private readonly orders = new Map<string, Order>();
  private nextId = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<TokenPaySimulator> {
    const server = createServer();
    const port = await listenOnFreePort(server);
    const simulator = new TokenPaySimulator(server, `http://127.0.0.1:${port}`);
    server.on('request', (request, response) => void simulator.serve(request, response));
    return simulator;
  }

  /** Pays the order of `address` and delivers its callbacks, each answered before the next. */
  async pay(address: string, amount: bigint, payment: TokenPayPayment): Promise<void> {
    const order = this.orders.get(address);
    if (!order) throw new Error(`no order has address ${address}`);
    const statuses = payment.statuses ?? (payment.reorder ? ['paid', 'pending'] : ['pending', 'paid']);
    for (const status of statuses) {
      for (let copy = 0; copy <= (payment.duplicates ?? 0); copy += 1) await this.deliver(order, status, amount, payment.txid);
    }
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async deliver(order: Order, status: string, amount: bigint, txid: string): Promise<void> {
    const fields = new URLSearchParams({ id: String(order.id), order_id: order.orderId, status, receive_amount: formatCoinAmount({ code: 'BTC', decimals: 8, name: 'Bitcoin' }, amount), txid });
    if (order.token !== null) fields.set('token', order.token);
    const response = await fetch(order.callbackUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
    await response.text();
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST' || request.url !== '/v2/orders') return void response.writeHead(404).end();
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const parsed = parseFormText(body);
    const field = (name: string) => (parsed.ok ? valuesOf(parsed.parameters, name)[0] : undefined);
    const [orderId, price, currency, callbackUrl] = ['order_id', 'price_amount', 'price_currency', 'callback_url'].map(field);
    if (!orderId || !price || currency !== 'USD' || !callbackUrl) return void response.writeHead(422).end('order_id, price_amount, price_currency USD and callback_url are required');
    const order: Order = { id: (this.nextId += 1), orderId, address: `tb1qtokenpay${randomBytes(8).toString('hex')}`, callbackUrl, token: field('token') ?? null };
    this.orders.set(order.address, order);
    const cents = parseFiatAmount(currency, price).minor;
    const satoshi = (cents * SATOSHI_PER_BTC * 1002n + (PRICE_CENTS_PER_BTC * 1000n) / 2n) / (PRICE_CENTS_PER_BTC * 1000n);
    // What the order's price comes to per BTC at the quoted amount: informational, to 2 decimals.
    const rateCents = (cents * SATOSHI_PER_BTC) / satoshi;
    const answer = new URLSearchParams({
      id: String(order.id),
      payment_address: order.address,
      pay_amount: formatUnits(satoshi, 8),
      rate: formatUnits(rateCents, currencyExponent(currency)),
    });
    response.writeHead(200, { 'content-type': 'application/x-www-form-urlencoded' }).end(answer.toString());
  }
}
