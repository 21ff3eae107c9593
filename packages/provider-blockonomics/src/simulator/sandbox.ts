import { type Invoice } from '@cryptopay/invoice';
import { type ProviderSandbox, type SandboxPayment } from '@cryptopay/provider-kit';
import { generateCallbackSecret } from '@cryptopay/provider-kit/options';
import { type ResolvedBlockonomicsOptions, validateBlockonomicsOptions } from '../config/options.js';
import { BlockonomicsSimulator, type SimulatedPayOptions } from './simulator.js';

const SANDBOX_API_KEY = 'sandbox-blockonomics-api-key';
/** Retries come in milliseconds instead of minutes, so a failed sandbox delivery is retried while you watch. */
const TIME_SCALE = 0.001;
const PLAIN: SimulatedPayOptions = { statuses: [0, 1, 2] };
/** Opt-in RBF while unconfirmed, then final: the payment only counts once mined. */
const RBF: SimulatedPayOptions = { statuses: [0, 2], rbf: 1 };

/** The sandbox, with its simulator at hand for tests that drive it beyond `pay` (test callbacks, failures). */
export interface BlockonomicsSandbox extends ProviderSandbox<ResolvedBlockonomicsOptions> {
  readonly simulator: BlockonomicsSimulator;
}

/**
 * Blockonomics for sandbox mode: the simulator in-process over real HTTP, options pointing at it (both
 * coins: a sandbox BCH invoice must never reach the real bch.blockonomics.co) and dashboard test
 * payments allowed.
 */
export async function startBlockonomicsSandbox(): Promise<BlockonomicsSandbox> {
  const simulator = await BlockonomicsSimulator.start({ apiKey: SANDBOX_API_KEY, acceptsApiKey: (key) => key.startsWith('sandbox-'), timeScale: TIME_SCALE });
  const options = validateBlockonomicsOptions({
    apiKey: SANDBOX_API_KEY,
    callbackSecret: generateCallbackSecret(),
    apiBaseUrl: simulator.baseUrl,
    bchApiBaseUrl: simulator.baseUrl,
    allowTestPayments: true,
  });
  return {
    options,
    simulator,
    pay: async (invoice: Invoice, payment: SandboxPayment) => (await simulator.pay(invoice.address, payment.amount, payment.rbf ? RBF : PLAIN)).txid,
    close: () => simulator.close(),
  };
}
