import { describeProviderConformance, type TamperedCallback } from '@cryptopay/provider-testing';
import { type RawCallback } from '@cryptopay/provider-kit';
import { type BlockonomicsSimulator } from '../src/simulator/index.js';
import { adapterFor, BTC, paramOf, setParam, startSimulator, withTarget } from './support.js';

let simulator: BlockonomicsSimulator;

function tamper(genuine: RawCallback, cases: Array<[string, string] | [string, string, Partial<RawCallback>]>): TamperedCallback[] {
  return cases.map(([name, target, changes]) => ({ name, callback: withTarget(genuine, target, changes) }));
}

describeProviderConformance({
  providerName: 'blockonomics',
  async setup() {
    simulator = await startSimulator();
    // The suite reconciles more often than Blockonomics' 2 requests a minute allow; the simulator has no limit.
    return { adapter: adapterFor(simulator, { historyRequestsPerMinute: 100 }), coin: BTC };
  },
  breakReconciliation() {
    simulator.failHistory({ status: 503, body: '<html>503 Service Temporarily Unavailable</html>' });
  },
  async teardown() {
    await simulator.close();
  },
  async pay(request, amount, options = {}) {
    const statuses = options.reorder ? ([1, 2, 0] as const) : ([0, 1, 2] as const);
    await simulator.pay(request.address, amount, { statuses, ...(options.txid ? { txid: options.txid } : {}), duplicates: options.duplicates ?? 0 });
  },
  forge(genuine) {
    const secret = paramOf(genuine.target, 'secret')!;
    const flipped = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    const t = genuine.target;
    return tamper(genuine, [
      ['secret missing', setParam(t, 'secret', null)],
      ['secret empty', setParam(t, 'secret', '')],
      ['secret with its last character changed', setParam(t, 'secret', flipped)],
      ['secret in another case', setParam(t, 'secret', secret.toUpperCase() === secret ? secret.toLowerCase() : secret.toUpperCase())],
      ['secret with a character appended', setParam(t, 'secret', `${secret}x`)],
      ['secret truncated', setParam(t, 'secret', secret.slice(0, 16))],
      ['secret given twice, once wrong', `${t}&secret=${flipped}`],
      ['secret only in the header', setParam(t, 'secret', null), { headers: { ...genuine.headers, 'x-secret': secret } }],
    ]);
  },
  malform(genuine) {
    const t = genuine.target;
    return tamper(genuine, [
      ['value with a fraction', setParam(t, 'value', '1.5')],
      ['negative value', setParam(t, 'value', '-1')],
      ['value in exponent notation', setParam(t, 'value', '1e5')],
      ['huge value', setParam(t, 'value', '9'.repeat(40))],
      ['value missing', setParam(t, 'value', null)],
      ['status out of range', setParam(t, 'status', '3')],
      ['status repeated', `${t}&status=2`],
      ['txid not hexadecimal', setParam(t, 'txid', 'not-a-txid')],
      ['addr missing', setParam(t, 'addr', null)],
      ['crypto unsupported', setParam(t, 'crypto', 'DOGE')],
      ['broken percent-encoding', `${t}&note=%zz`],
      ['POST instead of GET', t, { method: 'POST' }],
    ]);
  },
});
