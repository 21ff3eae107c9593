import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Invoice } from '@cryptopay/invoice';
import { ProviderError } from '@cryptopay/provider-kit';
import { type BlockonomicsAdapter } from '../src/index.js';
import { type BlockonomicsSimulator } from '../src/simulator/index.js';
import { adapterFor, BCH, invoiceFor, startSimulator } from './support.js';

const TXID_A = 'a'.repeat(64);
const TXID_B = 'b'.repeat(64);
let simulator: BlockonomicsSimulator;
let adapter: BlockonomicsAdapter;
let invoice: Invoice;


/** What reconciling `invoice` reports when Blockonomics answers searchhistory with `body`. */
async function reconciledFrom(body: unknown, forInvoice = invoice) {
  simulator.failHistory({ status: 200, body: JSON.stringify(body) });
  return adapter.reconcile(forInvoice);
}

async function problemOf(body: string): Promise<string> {
  simulator.failHistory({ status: 200, body });
  const error = await adapter.reconcile(invoice).catch((thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(ProviderError);
  expect((error as ProviderError).kind).toBe('invalid-response');
  return (error as ProviderError).message;
}

beforeAll(async () => {
  simulator = await startSimulator();
  adapter = adapterFor(simulator, { historyRequestsPerMinute: 1000, confirmations: 1 });
  invoice = await invoiceFor(adapter);
});
afterAll(async () => {
  await simulator.close();
});

describe('a searchhistory answer the adapter cannot read is an invalid response naming where', () => {
  it.each([
    ['[]', 'the answer is not a JSON object'],
    ['{"pending": {}}', '"pending" is not a list'],
    ['{"history": 5}', '"history" is not a list'],
    ['{"pending": [5]}', 'pending[0] has no "txid" string'],
    [`{"history": [{"txid": "${TXID_A}", "value": 5}, {"txid": "", "value": 5}]}`, 'history[1] has no "txid" string'],
    [`{"pending": [{"txid": "${TXID_A}", "value": "5"}]}`, 'pending[0] has no numeric "value"'],
  ])('%s: %s', async (body, problem) => {
    expect(await problemOf(body)).toBe(`blockonomics: searchhistory: ${problem}`);
  });
});

describe('the payments a searchhistory answer shows', () => {
  const payment = (txid: string, amount: bigint, kind: 'seen' | 'confirmed', confirmations: number, rbf: boolean) => ({
    txid,
    amount,
    kind,
    confirmations,
    rbf,
    test: false,
    address: invoice.address,
    coin: 'BTC',
  });

  it('reads absent or null lists as empty', async () => {
    expect(await reconciledFrom({})).toEqual([]);
    expect(await reconciledFrom({ pending: null, history: null })).toEqual([]);
  });

  it('takes a history entry as status 2, a pending one as its status 0 (or none) or 1, and leaves out any other status', async () => {
    const tx = (n: number) => `${n}`.repeat(64);
    expect(
      await reconciledFrom({
        history: [{ txid: tx(1), value: 100, addr: [invoice.address] }],
        pending: [
          { txid: tx(2), value: 200, status: 0 },
          { txid: tx(3), value: 300 },
          { txid: tx(4), value: 400, status: 1 },
          { txid: tx(5), value: 500, status: 2 },
          { txid: tx(6), value: 600, status: -1 },
        ],
      }),
    ).toEqual([
      payment(tx(1), 100n, 'confirmed', 2, false),
      payment(tx(2), 200n, 'seen', 0, true),
      payment(tx(3), 300n, 'seen', 0, true),
      payment(tx(4), 400n, 'confirmed', 1, false),
    ]);
  });

  it('reports a transaction listed both as pending and in history once, as confirmed, its txid in lower case', async () => {
    expect(
      await reconciledFrom({ pending: [{ txid: TXID_A, value: 700, status: 0 }], history: [{ txid: TXID_A.toUpperCase(), value: 700 }] }),
    ).toEqual([payment(TXID_A, 700n, 'confirmed', 2, false)]);
  });

  it('leaves out what paid nothing into the address or cannot be read exactly', async () => {
    expect(
      await reconciledFrom({
        history: [
          { txid: 'c'.repeat(63), value: 100 },
          { txid: `${'c'.repeat(64)}0`, value: 100 },
          { txid: `x${'c'.repeat(63)}`, value: 100 },
          { txid: TXID_A, value: -100 },
          { txid: TXID_B, value: 0 },
          { txid: 'd'.repeat(64), value: 1.5 },
          { txid: 'e'.repeat(64), value: 100, addr: ['bc1qsomeoneelse0000000000000000000000000'] },
          { txid: 'f'.repeat(64), value: 100, addr: [5, invoice.address] },
        ],
      }),
    ).toEqual([payment('f'.repeat(64), 100n, 'confirmed', 2, false)]);
  });

  it('reads the amount in the invoice coin: a BCH invoice in BCH base units', async () => {
    const bch = await invoiceFor(adapter, BCH);
    expect(await reconciledFrom({ history: [{ txid: TXID_B, value: 12345 }] }, bch)).toEqual([
      { txid: TXID_B, amount: 12_345n, kind: 'confirmed', confirmations: 2, rbf: false, test: false, address: bch.address, coin: 'BCH' },
    ]);
  });
});
