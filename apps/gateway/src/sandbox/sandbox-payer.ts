import { amountPaid, type CoinRegistry, formatCoinAmount, type Invoice } from '@cryptopay/invoice';
import { type SandboxProviders } from './sandbox-providers.js';

export type SandboxPayMode = 'full' | 'partial' | 'twice' | 'rbf';
export const SANDBOX_PAY_MODES: readonly SandboxPayMode[] = ['full', 'partial', 'twice', 'rbf'];

export interface SandboxPaymentResult {
  readonly provider: string;
  readonly address: string;
  /** One entry per simulated transaction. */
  readonly transactions: readonly { readonly txid: string; readonly amount: string }[];
}

/** A way of paying that the invoice's provider cannot simulate (e.g. RBF on BlockBee). */
export class SandboxPayError extends Error {
  override readonly name = 'SandboxPayError';
}

/**
 * Pays an invoice's address through its provider's simulator, which then delivers the provider's
 * real callbacks to this app: `full` (what is still due), `partial` (half of that), `twice` (two
 * transactions of the whole amount: overpaid) or `rbf` (an RBF-signalling transaction of what is
 * due, unconfirmed then confirmed).
 */
export async function paySandboxInvoice(sandbox: SandboxProviders, coins: CoinRegistry, invoice: Invoice, mode: SandboxPayMode): Promise<SandboxPaymentResult> {
  const remaining = invoice.amountDue > amountPaid(invoice) ? invoice.amountDue - amountPaid(invoice) : invoice.amountDue;
  const amounts = mode === 'twice' ? [invoice.amountDue, invoice.amountDue] : [mode === 'partial' ? halfOf(remaining) : remaining];
  const coin = coins.get(invoice.coin);
  const transactions: { txid: string; amount: string }[] = [];
  for (const amount of amounts) {
    const txid = await payOnce(sandbox, invoice, amount, formatCoinAmount(coin, amount), mode);
    transactions.push({ txid, amount: formatCoinAmount(coin, amount) });
  }
  return { provider: invoice.provider, address: invoice.address, transactions };
}

async function payOnce(sandbox: SandboxProviders, invoice: Invoice, units: bigint, coinUnits: string, mode: SandboxPayMode): Promise<string> {
  switch (invoice.provider) {
    case 'blockonomics': {
      const options = mode === 'rbf' ? { statuses: [0, 2] as const, rbf: 1 as const } : { statuses: [0, 1, 2] as const };
      return (await sandbox.blockonomics.pay(invoice.address, units, options)).txid;
    }
    case 'blockbee':
      if (mode === 'rbf') throw new SandboxPayError('BlockBee does not report Replace-By-Fee; use --rbf with a Blockonomics invoice');
      return (await sandbox.blockbee.pay({ address: invoice.address, valueCoin: coinUnits })).txid;
    default:
      throw new SandboxPayError(`provider "${invoice.provider}" has no sandbox simulator`);
  }
}

function halfOf(units: bigint): bigint {
  return units / 2n > 0n ? units / 2n : 1n;
}
