import { randomBytes } from 'node:crypto';
import { formatCoinAmount, type Invoice } from '@cryptopay/invoice';
import { type CommonProviderSettings, type ProviderSandbox, type SandboxPayment, SandboxPaymentUnsupportedError, SandboxStateLostError } from '@cryptopay/provider-kit';
import { type ResolvedBlockBeeOptions, validateBlockBeeOptions } from '../config/options.js';
import { coinForTicker, tickerForCoin } from '../mapping/coins.js';
import { BlockBeeSimulator } from './simulator.js';

/** Retries come in milliseconds instead of minutes, so a failed sandbox delivery is retried while you watch. */
const TIME_SCALE = 0.001;
/** The simulator delivers from loopback. */
const LOOPBACK = ['127.0.0.1', '::1'];

/** The sandbox, with its simulator at hand for tests that drive it beyond `pay` (unconfirmed payments, signatures, minimums). */
export interface BlockBeeSandbox extends ProviderSandbox<ResolvedBlockBeeOptions> {
  readonly simulator: BlockBeeSimulator;
}

/**
 * BlockBee for sandbox mode: the simulator in-process over real HTTP, every payment a test payment
 * (which the adapter lets through: sandbox invoices count them), and the module options pointing at it.
 */
export async function startBlockBeeSandbox(common: CommonProviderSettings): Promise<BlockBeeSandbox> {
  // Made at random for each run: anyone on the host can reach the simulator's loopback port, and a
  // fixed key would let them pay (settle) invoices through it. Merchants' sandbox accounts use any
  // `sandbox-…` key for the provider's API, never for the simulator's pay routes.
  const apiKey = `sandbox-${randomBytes(24).toString('hex')}`;
  const simulator = await BlockBeeSimulator.start({ apiKey, acceptsApiKey: isSandboxKey, timeScale: TIME_SCALE, testPayments: true });
  const options = validateBlockBeeOptions({
    apiKey,
    apiBaseUrl: simulator.baseUrl,
    publicKeyPem: simulator.publicKeyPem,
    allowlist: LOOPBACK,
    trustedProxies: [...common.trustedProxies],
    allowTestPayments: true,
  });
  return { options, simulator, pay: (invoice, payment) => pay(simulator, invoice, payment), close: () => simulator.close() };
}

/** Merchants' own provider accounts in sandbox mode: any key starting `sandbox-` (so a wrong key can still be tried). */
function isSandboxKey(key: string): boolean {
  return key.startsWith('sandbox-');
}

/** One transaction to the invoice's address: its pending, then its confirmed webhook. */
async function pay(simulator: BlockBeeSimulator, invoice: Invoice, payment: SandboxPayment): Promise<string> {
  if (payment.rbf) throw new SandboxPaymentUnsupportedError('BlockBee does not report Replace-By-Fee: try RBF with a Blockonomics invoice');
  if (!simulator.address(invoice.address)) throw new SandboxStateLostError('blockbee', invoice.address);
  const ticker = tickerForCoin(invoice.coin);
  const coin = ticker === null ? null : coinForTicker(ticker);
  if (coin === null) throw new Error(`invoice ${invoice.id} is in ${invoice.coin}, which BlockBee is not mapped for`);
  const paid = await simulator.pay({ address: invoice.address, valueCoin: formatCoinAmount(coin, payment.amount), ...(payment.dropCallbacks ? { deliver: false } : {}) });
  return paid.txid;
}
