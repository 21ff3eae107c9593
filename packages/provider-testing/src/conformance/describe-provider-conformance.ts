import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CoinRegistry, parseExchangeRate, quoteCoinAmount } from '@cryptopay/invoice';
import { type CallbackOutcome } from '../contract/acknowledgement.js';
import { assertCapabilities } from '../contract/assert-capabilities.js';
import { credentialQueryParams } from './credentials.js';
import {
  confirmationsOf,
  expectFailureAck,
  expectNormalizedDeliveries,
  expectAllRejected,
  expectSuccessAck,
} from './expectations.js';
import { type ConformanceHarness } from './harness.js';
import { InvoiceBook, type ProcessedCallback } from './pipeline.js';
import { SuiteContext } from './suite-context.js';

const TIMEOUT_MS = 30_000;
/** 2^53 + 1: a float would read it as 2^53. */
const BEYOND_FLOAT = 9_007_199_254_740_993n;

/**
 * The shared suite every provider adapter must pass against its simulator, over real HTTP:
 * payment requests, normalized deliveries, duplicates, reordering, forged and malformed
 * callbacks, acknowledgements and the capability manifest.
 */
export function describeProviderConformance(harness: ConformanceHarness): void {
  describe(`${harness.providerName} provider conformance`, () => {
    let suite: SuiteContext;

    beforeAll(async () => {
      suite = await SuiteContext.start(harness);
    }, TIMEOUT_MS);

    afterAll(async () => {
      await suite?.stop();
    }, TIMEOUT_MS);

    test('declares a name and a capability manifest that pass assertCapabilities', () => {
      const coins = new CoinRegistry();
      if (!coins.has(suite.coin.code)) coins.register(suite.coin);
      expect(suite.adapter.name).toBe(harness.providerName);
      expect(suite.adapter.capabilities.coins).toContain(suite.coin.code);
      expect(() => assertCapabilities(suite.adapter, coins)).not.toThrow();
    });

    test('creates payment requests with a fresh address and an amount due quoted up from the rate', async () => {
      const { request } = await suite.createInvoice();
      const other = await suite.createInvoice();
      expect(request.address).toMatch(/^\S+$/);
      expect(other.request.address).not.toBe(request.address);
      expect(request.amountDue).toBeGreaterThan(0n);
      const rate = parseExchangeRate(suite.fiat.currency, request.rate);
      expect(request.amountDue).toBe(quoteCoinAmount(suite.fiat, rate, suite.coin));
      expect(request.providerReference === null || request.providerReference.length > 0).toBe(true);
      expect(request.minimumPayment === null || request.minimumPayment >= 0n).toBe(true);
    }, TIMEOUT_MS);

    test('delivers a payment from unconfirmed to confirmed, normalized exactly', async () => {
      const paid = await suite.payNewInvoice();
      expectNormalizedDeliveries(paid, suite.coin.code);
      const kinds = paid.deliveries.map((d) => d.notification?.observation.kind);
      expect(kinds.at(-1)).toBe('confirmed');
      if (suite.adapter.capabilities.pendingNotifications) expect(kinds[0]).toBe('seen');
      const confirmations = confirmationsOf(paid.deliveries);
      expect(confirmations.every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
      expect(confirmations).toEqual([...confirmations].sort((a, b) => a - b));
      const keys = paid.deliveries.map((d) => d.notification?.deliveryKey);
      expect(new Set(keys).size).toBe(keys.length);
      expect(suite.ledger.payment(suite.coin.code, paid.txid, paid.request.address)?.state).toBe('confirmed');
      expect(suite.receiver.errors).toEqual([]);
    }, TIMEOUT_MS);

    test('reads amounts exactly, beyond what a float can hold', async () => {
      const paid = await suite.payNewInvoice(BEYOND_FLOAT);
      expectNormalizedDeliveries(paid, suite.coin.code);
    }, TIMEOUT_MS);

    test('gives a repeated delivery the same delivery key and a success acknowledgement', async () => {
      const paid = await suite.payNewInvoice(undefined, { duplicates: 2 });
      const byKey = groupByDeliveryKey(paid.deliveries);
      expect(byKey.size).toBeGreaterThan(0);
      for (const copies of byKey.values()) {
        expect(copies.map((d) => d.outcome.kind)).toEqual(['applied', 'duplicate', 'duplicate']);
        for (const copy of copies) {
          expectSuccessAck(copy.acknowledgement);
          expect(copy.notification).toEqual(copies[0]?.notification);
        }
      }
    }, TIMEOUT_MS);

    test('ends confirmed when the unconfirmed delivery arrives last, never downgraded', async () => {
      const paid = await suite.payNewInvoice(undefined, { reorder: true });
      expectNormalizedDeliveries(paid, suite.coin.code);
      const kinds = paid.deliveries.map((d) => d.notification?.observation.kind);
      expect(kinds).toContain('confirmed');
      if (suite.adapter.capabilities.pendingNotifications) expect(kinds.at(-1)).toBe('seen');
      expect(paid.deliveries.every((d) => d.outcome.kind === 'applied')).toBe(true);
      expect(suite.ledger.payment(suite.coin.code, paid.txid, paid.request.address)?.state).toBe('confirmed');
    }, TIMEOUT_MS);

    test('rejects forged callbacks with 401/403 at verification, without throwing or applying', async () => {
      const forged = harness.forge(await suite.genuineCallback());
      await expectAllRejected(suite, forged, [401, 403], ['verify']);
    }, TIMEOUT_MS);

    test('rejects malformed callbacks with 400/401/403, without throwing or applying', async () => {
      const malformed = harness.malform(await suite.genuineCallback());
      await expectAllRejected(suite, malformed, [400, 401, 403], ['verify', 'parse', 'bind']);
    }, TIMEOUT_MS);

    test('declares every query parameter that authenticates its callbacks in secretQueryParams, so the core redacts it', async () => {
      const genuine = await suite.genuineCallback();
      const credentials = (await credentialQueryParams(suite.adapter, suite.invoices, genuine)) ?? [];
      const declared = new Set((suite.adapter.secretQueryParams ?? []).map((name) => name.toLowerCase()));
      expect({ undeclaredSecretQueryParams: credentials.filter((name) => !declared.has(name.toLowerCase())) }).toEqual({
        undeclaredSecretQueryParams: [],
      });
    }, TIMEOUT_MS);

    test('acknowledges a genuine callback for no invoice of ours as unmatched, with success', async () => {
      const processed = await suite.process(await suite.genuineCallback(), new InvoiceBook());
      expect(processed.stage).toBe('find');
      expect(processed.outcome.kind).toBe('unmatched');
      expectSuccessAck(processed.acknowledgement);
    }, TIMEOUT_MS);

    test('refuses to bind a callback to an invoice it does not belong to', async () => {
      const paid = await suite.payNewInvoice();
      const other = await suite.createInvoice();
      const delivery = paid.deliveries[0];
      const verdict = suite.adapter.bindToInvoice(delivery!.notification!, other.invoice, delivery!.raw);
      expect(verdict.accepted).toBe(false);
      if (!verdict.accepted) expect([400, 401, 403]).toContain(verdict.status);
    }, TIMEOUT_MS);

    test('acknowledges every outcome kind with a sane status, content type and body', () => {
      const settled: CallbackOutcome[] = [{ kind: 'applied' }, { kind: 'duplicate' }, { kind: 'unmatched' }];
      for (const outcome of settled) expectSuccessAck(suite.adapter.acknowledge(outcome));
      for (const status of [400, 401, 403] as const) {
        expectFailureAck(suite.adapter.acknowledge({ kind: 'rejected', status, reason: 'conformance' }), [status]);
      }
      for (const status of [409, 503] as const) {
        expectFailureAck(suite.adapter.acknowledge({ kind: 'retry-later', status, reason: 'conformance' }), [409, 429, 500, 503]);
      }
    });

    test('never made the callback pipeline throw', () => {
      expect(suite.receiver.errors).toEqual([]);
    });
  });
}

function groupByDeliveryKey(deliveries: readonly ProcessedCallback[]): Map<string | undefined, ProcessedCallback[]> {
  const groups = new Map<string | undefined, ProcessedCallback[]>();
  for (const delivery of deliveries) {
    const key = delivery.notification?.deliveryKey;
    groups.set(key, [...(groups.get(key) ?? []), delivery]);
  }
  return groups;
}
