import { amountPaid, type CoinRegistry, formatCoinAmount, type Invoice } from '@cryptopay/invoice';
import { SandboxPaymentUnsupportedError } from '@cryptopay/provider-kit';
import { type SandboxProviders } from './sandbox-providers.js';

export type SandboxPayMode = 'full' | 'partial' | 'twice' | 'rbf';
export const SANDBOX_PAY_MODES: readonly SandboxPayMode[] = ['full', 'partial', 'twice', 'rbf'];

export interface SandboxPaymentResult {
  readonly provider: string;
  readonly address: string;
  /** One entry per simulated transaction. */
  readonly transactions: readonly { readonly txid: string; readonly amount: string }[];
}

/**
 * Pays an invoice's address through its provider's sandbox, whose simulator then delivers the
 * provider's real callbacks to this app: `full` (what is still due), `partial` (half of that),
 * `twice` (two transactions of the whole amount: overpaid) or `rbf` (an RBF-signalling transaction
 * of what is due, unconfirmed then confirmed); with `dropCallbacks` the simulator delivers none of the
 * callbacks, so only reconciliation finds the payment. A way of paying the provider cannot simulate (RBF on
 * BlockBee) throws `SandboxPaymentUnsupportedError`.
 */
export async function paySandboxInvoice(sandbox: SandboxProviders, coins: CoinRegistry, invoice: Invoice, mode: SandboxPayMode, dropCallbacks = false): Promise<SandboxPaymentResult> {
  const provider = sandbox.of(invoice.provider);
  if (!provider) throw new SandboxPaymentUnsupportedError(`provider "${invoice.provider}" has no sandbox simulator`);
  const remaining = invoice.amountDue > amountPaid(invoice) ? invoice.amountDue - amountPaid(invoice) : invoice.amountDue;
  const amounts = mode === 'twice' ? [invoice.amountDue, invoice.amountDue] : [mode === 'partial' ? halfOf(remaining) : remaining];
  const coin = coins.get(invoice.coin);
  const transactions: { txid: string; amount: string }[] = [];
  for (const amount of amounts) {
    const txid = await provider.pay(invoice, { amount, rbf: mode === 'rbf', dropCallbacks });
    transactions.push({ txid, amount: formatCoinAmount(coin, amount) });
  }
  return { provider: invoice.provider, address: invoice.address, transactions };
}

function halfOf(units: bigint): bigint {
  return units / 2n > 0n ? units / 2n : 1n;
}
