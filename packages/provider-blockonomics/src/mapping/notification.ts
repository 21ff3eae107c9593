import { CoinRegistry, MoneyError, parseBaseUnits } from '@cryptopay/invoice';
import { type CallbackNotification, type CallbackRefusal, rejected } from '@cryptopay/provider-kit';
import { type BlockonomicsCallbackParams } from '../wire/callback.js';
import { isSupportedCrypto, TEST_TXID } from '../wire/constants.js';
import { type WireResult } from '@cryptopay/provider-kit';
import { callbackCoin } from './coins.js';
import { type CallbackStatus, observationKind, type RequiredConfirmations } from './confirmation-rules.js';
import { PROVIDER_NAME } from './provider-name.js';

export interface CallbackMappingPolicy {
  readonly requiredConfirmations: RequiredConfirmations;
  /** Whether dashboard test payments (the test txid) may move an invoice. */
  readonly allowTestPayments: boolean;
  /** Every callback comes from the simulator (sandbox mode): each payment is a test payment. */
  readonly simulated?: boolean;
}

const STATUS = /^(?:-1|0|1|2)$/;
const RBF = /^[012]$/;
const TXID = /^[0-9a-fA-F]{64}$/;
const ADDRESS = /^(?:bitcoincash:)?[A-Za-z0-9]{14,100}$/;
const coins = new CoinRegistry();

/**
 * Maps a callback's parameters into a notification, refusing (400) any value it cannot read exactly.
 * The invoice is found by `addr`; the address and coin travel with the payment, so the core checks
 * both against the invoice found. A dashboard test payment while test payments are off is ignored.
 */
export function toNotification(params: BlockonomicsCallbackParams, policy: CallbackMappingPolicy): CallbackNotification | CallbackRefusal {
  if (!STATUS.test(params.status)) return badRequest(`status ${quote(params.status)} must be -1, 0, 1 or 2`);
  const foreign = foreignPayment(params);
  if (foreign) return foreign;
  if (!ADDRESS.test(params.addr)) return badRequest(`addr ${quote(params.addr)} is not a Bitcoin or Bitcoin Cash address`);
  if (params.txid !== TEST_TXID && !TXID.test(params.txid)) return badRequest(`txid ${quote(params.txid)} must be 64 hexadecimal characters`);
  if (params.rbf !== undefined && !RBF.test(params.rbf)) return badRequest(`rbf ${quote(params.rbf)} must be 0, 1 or 2`);
  const coin = callbackCoin(params.crypto, params.addr);
  if (!isSupportedCrypto(coin)) return badRequest(`crypto ${quote(params.crypto ?? '')} is not supported; expected BTC or BCH`);
  const amount = readValue(coin, params.value);
  if (!amount.ok) return badRequest(amount.problem);

  const status = Number.parseInt(params.status, 10) as CallbackStatus;
  const rbf = status === 0 && params.rbf !== undefined && params.rbf !== '0';
  const dashboardTest = params.txid === TEST_TXID;
  const test = dashboardTest || policy.simulated === true;
  const txid = dashboardTest ? params.txid : params.txid.toLowerCase();
  // The address goes last: it is the only part that may contain ':' (bitcoincash:…).
  const deliveryKey = `${PROVIDER_NAME}:${coin}:${txid}:${params.status}:${params.addr}`;
  // The coin is the callback's `crypto` when it names one (checked against the invoice by the core);
  // without it, the coin of the invoice the address was issued for — the host it was created on —
  // not a guess from the address format (a legacy-format BCH address would read as BTC).
  const reportedCoin = params.crypto === undefined ? {} : { coin };
  if (test && !policy.allowTestPayments) return { deliveryKey, ignoreReason: 'dashboard test payment while test payments are off' };
  return {
    deliveryKey,
    invoice: { by: 'address', address: params.addr },
    payment: {
      ...reportedCoin,
      address: params.addr,
      txid,
      amount: amount.value,
      kind: observationKind(status, rbf, policy.requiredConfirmations),
      confirmations: Math.max(status, 0),
      rbf,
      test,
    },
  };
}

/** Blockonomics' USDT callbacks (matched by txid) and store test-mode addresses. */
const TEST_MODE_ADDRESS = /^(?:1TestBTCAddress|0xTestUSDTAddress)/;

/**
 * A callback for something this adapter never invoices, from a Blockonomics store our callback URL
 * is shared with: a USDT payment, or a payment to a store test-mode address (`1TestBTCAddress…`).
 * Acknowledged as unmatched (200), never refused: a 400 is retried, and shows red in the merchant's
 * Blockonomics log, for a callback that is simply not ours.
 */
function foreignPayment(params: BlockonomicsCallbackParams): CallbackNotification | null {
  const key = (kind: string) => `${PROVIDER_NAME}:${kind}:${params.txid.slice(0, 100)}:${params.status}:${params.addr.slice(0, 100)}`;
  if (params.crypto?.toUpperCase() === 'USDT') return { deliveryKey: key('USDT'), ignoreReason: 'a USDT callback: this adapter invoices BTC and BCH only' };
  if (params.txid !== TEST_TXID && TEST_MODE_ADDRESS.test(params.addr)) return { deliveryKey: key('test-mode'), ignoreReason: 'a payment to a store test-mode address (1TestBTCAddress…), not an invoice of ours' };
  return null;
}

function readValue(coin: string, value: string): WireResult<bigint> {
  try {
    return { ok: true, value: parseBaseUnits(coins.get(coin), value, 'value') };
  } catch (error) {
    if (error instanceof MoneyError) return { ok: false, problem: `query parameter ${error.message}` };
    throw error;
  }
}

function badRequest(reason: string): CallbackRefusal {
  return rejected(400, reason);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 70 ? `${text.slice(0, 70)}…` : text);
}
