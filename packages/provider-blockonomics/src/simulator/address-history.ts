/** One transaction to one address as the simulator's chain knows it: its value and last status. */
interface Output {
  readonly value: bigint;
  status: -1 | 0 | 1 | 2;
  readonly time: number;
}

/**
 * What `searchhistory` reads: every simulated transaction output per address, with the last status
 * Blockonomics reached for it, whether or not its callbacks got through. A status 2 transaction is
 * in `history`, 0 and 1 in `pending`; a reverted one (−1: dropped from the mempool) in neither.
 */
export class AddressHistory {
  private readonly outputs = new Map<string, Map<string, Output>>();

  record(address: string, txid: string, value: bigint, status: -1 | 0 | 1 | 2): void {
    const byTxid = this.outputs.get(address) ?? new Map<string, Output>();
    this.outputs.set(address, byTxid);
    const known = byTxid.get(txid);
    if (known) known.status = status;
    else byTxid.set(txid, { value, status, time: Math.floor(Date.now() / 1000) });
  }

  /**
   * The answer for a query of `addresses` in Blockonomics' shape: per transaction the queried
   * addresses it touched and one net value across them, newest first; at most 200 transactions.
   */
  search(addresses: readonly string[]): { pending: object[]; history: object[] } {
    const byTxid = new Map<string, { addr: string[]; value: bigint; status: number; time: number }>();
    for (const address of addresses) {
      for (const [txid, output] of this.outputs.get(address) ?? []) {
        if (output.status < 0) continue;
        const entry = byTxid.get(txid) ?? { addr: [], value: 0n, status: output.status, time: output.time };
        entry.addr.push(address);
        entry.value += output.value;
        byTxid.set(txid, entry);
      }
    }
    const entries = [...byTxid].sort(([, a], [, b]) => b.time - a.time).slice(0, 200);
    const shape = ([txid, entry]: (typeof entries)[number], withStatus: boolean) => ({
      addr: entry.addr,
      txid,
      time: entry.time,
      value: new RawInteger(entry.value),
      ...(withStatus ? { status: entry.status } : {}),
    });
    return {
      pending: entries.filter(([, entry]) => entry.status < 2).map((entry) => shape(entry, true)),
      history: entries.filter(([, entry]) => entry.status === 2).map((entry) => shape(entry, false)),
    };
  }
}

/** An integer written as a JSON number (Blockonomics' `value`), exactly: never through a float. */
export class RawInteger {
  constructor(readonly value: bigint) {}
}

/** JSON text with {@link RawInteger}s as bare numbers. */
export function toJson(value: unknown): string {
  const marked = JSON.stringify(value, (_key, item: unknown) => (item instanceof RawInteger ? `\u0000${item.value.toString()}\u0000` : item));
  return marked.replace(/"\\u0000(-?[0-9]+)\\u0000"/g, '$1');
}
