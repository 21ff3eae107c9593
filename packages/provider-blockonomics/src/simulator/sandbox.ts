import { randomBytes } from 'node:crypto';
import { type Invoice } from '@cryptopay/invoice';
import { type ProviderSandbox, type SandboxPayment, SandboxStateLostError } from '@cryptopay/provider-kit';
import { generateCallbackSecret } from '@cryptopay/provider-kit/options';
import { type ResolvedBlockonomicsOptions, validateBlockonomicsOptions } from '../config/options.js';
import { BlockonomicsSimulator, type SimulatedPayOptions } from './simulator.js';

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
  // Made at random for each run: anyone on the host can reach the simulator's loopback port, and a
  // fixed key would let them pay (settle) invoices through it. Merchants' sandbox accounts use any
  // `sandbox-…` key for the provider's API, never for the simulator's pay routes.
  const apiKey = `sandbox-${randomBytes(24).toString('hex')}`;
  // Every merchant's store is set up for them: its first address creates it (each has its own secret, so its own URL).
  const simulator = await BlockonomicsSimulator.start({ apiKey, acceptsApiKey: (key) => key.startsWith('sandbox-'), timeScale: TIME_SCALE, autoCreateStores: true });
  const options = validateBlockonomicsOptions({
    apiKey,
    callbackSecret: generateCallbackSecret(),
    apiBaseUrl: simulator.baseUrl,
    bchApiBaseUrl: simulator.bchBaseUrl,
    allowTestPayments: true,
    simulated: true,
    // The simulator has no rate limit: reconciliation in the sandbox need not wait for the real one.
    historyRequestsPerMinute: 600,
  });
  return {
    options,
    simulator,
    pay: async (invoice: Invoice, payment: SandboxPayment) => {
      if (simulator.storeUrlOf(invoice.address) === undefined) throw new SandboxStateLostError('blockonomics', invoice.address);
      return (await simulator.pay(invoice.address, payment.amount, { ...(payment.rbf ? RBF : PLAIN), ...(payment.dropCallbacks ? { deliver: false } : {}) })).txid;
    },
    close: () => simulator.close(),
  };
}
