import { asJsonObject, jsonDecimalText, jsonField, jsonString, parseJsonExact } from '@cryptopay/provider-kit';
import { eventually } from '@cryptopay/test-servers';
import { type AnswerAudit, type Exchange } from './balancer.js';
import { type Ledger } from './ledger.js';

/** What an acknowledged callback must already have stored: the ledger row of its output, at least in this state. */
interface Expected {
  readonly address: string;
  readonly txid: string;
  readonly confirmed: boolean;
}

/**
 * "Nothing is acknowledged before its effect is stored": when a gateway answers a payment callback
 * 200, the payment must be in the ledger at that moment — checked before the provider sees the answer.
 * Assumes the gateway's default of 2 Blockonomics confirmations (status 2 confirms) and BlockBee's
 * confirmed webhook (`pending=0`) confirming.
 */
export function acknowledgedMeansStored(ledger: Ledger): AnswerAudit {
  return async (exchange) => {
    if (exchange.status !== 200 || !exchange.target.startsWith('/v1/callbacks/')) return null;
    const expected = expectedEffect(exchange);
    if (!expected) return null;
    const states = await statesWhenReachable(ledger, expected);
    const stored = expected.confirmed ? states.includes('confirmed') : states.length > 0;
    return stored ? null : `acknowledged without its effect stored: ${exchange.method} ${exchange.target.split('?')[0]} txid ${expected.txid} (ledger: ${states.join(',') || 'nothing'})`;
  };
}

function expectedEffect(exchange: Exchange): Expected | null {
  if (exchange.target.startsWith('/v1/callbacks/blockonomics')) {
    const query = new URL(exchange.target, 'http://gateway').searchParams;
    const [address, txid, status] = [query.get('addr'), query.get('txid'), query.get('status')];
    return address && txid && status ? { address, txid, confirmed: status === '2' } : null;
  }
  let body;
  try {
    body = asJsonObject(parseJsonExact(exchange.body.toString('utf8')));
  } catch {
    return null;
  }
  const address = body && jsonString(jsonField(body, 'address_in'));
  const txid = body && jsonString(jsonField(body, 'txid_in'));
  const pending = body && jsonDecimalText(jsonField(body, 'pending'));
  return address && txid ? { address, txid, confirmed: pending === '0' } : null;
}

/** The database may be the thing taken away: then the check waits for it (the answer is held meanwhile). */
function statesWhenReachable(ledger: Ledger, expected: Expected): Promise<string[]> {
  return eventually(() => ledger.paymentStates(expected.address, expected.txid), `the ledger to answer for ${expected.txid}`, {
    tries: 300,
    intervalMs: 200,
    retryOn: () => true,
  });
}
