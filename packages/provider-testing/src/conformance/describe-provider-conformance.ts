import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { CoinRegistry } from '@cryptopay/invoice';
import { assertCapabilities, type CallbackOutcome, isIgnored, type PipelineStage, ProviderError, type RawCallback, runCallbackPipeline } from '@cryptopay/provider-kit';
import { callbackCredentials } from './credentials.js';
import { check, describeDeliveries, describeDelivery } from './explain.js';
import {
  confirmationsOf,
  expectAllRejected,
  expectFailureAck,
  expectNormalizedDeliveries,
  expectSuccessAck,
  paymentDeliveries,
} from './expectations.js';
import { type ConformanceHarness } from './harness.js';
import { InvoiceBook } from './invoice-book.js';
import { type ProcessedCallback } from './pipeline.js';
import { isLeastAmountCovering, isPositiveDecimal } from './quote-check.js';
import { SuiteContext } from './suite-context.js';

const TIMEOUT_MS = 30_000;
/** 2^53 + 1: a float would read it as 2^53. */
const BEYOND_FLOAT = 9_007_199_254_740_993n;
const DAY_MS = 86_400_000;

/**
 * The shared suite every provider adapter must pass against its simulator, over real HTTP: payment
 * requests, normalized deliveries, duplicates, reordering, forged and malformed callbacks, declared
 * secrets, acknowledgements and the capability manifest. Callbacks go through provider-kit's
 * `runCallbackPipeline` with the core's binding policy, onto real invoices changed by the invoice
 * package's rules, as in the core.
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

    test('creates payment requests with a fresh address and an amount due that covers the price (the least that does, when quoted from the rate)', async () => {
      const { request } = await suite.createInvoice();
      const other = await suite.createInvoice();
      expect(request.address).toMatch(/^\S+$/);
      expect(other.request.address).not.toBe(request.address);
      expect(request.amountDue).toBeGreaterThan(0n);
      expect(['rate', 'provider']).toContain(request.quotedBy);
      check(isPositiveDecimal(request.rate), () => `the rate ${JSON.stringify(request.rate)} is not an exact positive decimal string`);
      if (request.quotedBy === 'rate') {
        check(
          isLeastAmountCovering(request.amountDue, request.rate, suite.fiat, suite.coin.decimals),
          () => `amountDue ${request.amountDue} is not the least amount of base units worth ${suite.fiat.minor} minor ${suite.fiat.currency} at rate ${request.rate}: quoted from the rate, it must be rounded up, never down`,
        );
      }
      expect(request.providerReference === null || request.providerReference.length > 0).toBe(true);
      expect(request.minimumPayment === null || request.minimumPayment >= 0n).toBe(true);
    }, TIMEOUT_MS);

    test('delivers a payment from unconfirmed to confirmed, normalized exactly, and the invoice settles', async () => {
      const paid = await suite.payNewInvoice();
      expectNormalizedDeliveries(paid, suite);
      const reported = paymentDeliveries(paid, suite);
      const kinds = reported.map((delivery) => delivery.observation?.kind);
      expect(kinds.at(-1)).toBe('confirmed');
      if (suite.adapter.capabilities.pendingNotifications) expect(kinds[0]).toBe('seen');
      const confirmations = confirmationsOf(reported);
      expect(confirmations.every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
      expect(confirmations).toEqual([...confirmations].sort((a, b) => a - b));
      const keys = reported.map((delivery) => delivery.notification?.deliveryKey);
      expect(new Set(keys).size).toBe(keys.length);
      expect(suite.invoices.payment(paid.invoice.id, paid.txid)?.state).toBe('confirmed');
      expect(suite.invoices.get(paid.invoice.id)?.status).toBe('settled');
      expect(suite.receiver.errors).toEqual([]);
    }, TIMEOUT_MS);

    test('reads amounts exactly, beyond what a float can hold', async () => {
      const paid = await suite.payNewInvoice(BEYOND_FLOAT);
      expectNormalizedDeliveries(paid, suite);
      expect(suite.invoices.payment(paid.invoice.id, paid.txid)?.amount).toBe(BEYOND_FLOAT);
    }, TIMEOUT_MS);

    test('gives a repeated delivery the same delivery key and a success acknowledgement', async () => {
      const paid = await suite.payNewInvoice(undefined, { duplicates: 2 });
      for (const copies of groupByDeliveryKey(paymentDeliveries(paid, suite)).values()) {
        check(
          copies.map((copy) => copy.outcome.kind).join(',') === 'applied,duplicate,duplicate',
          () => `a delivery sent three times must be applied once and answered as a duplicate twice; it went: ${describeDeliveries(copies, suite.adapter.secrets)}`,
        );
        for (const copy of copies) {
          expectSuccessAck(copy.acknowledgement, `the acknowledgement of ${describeDelivery(copy, suite.adapter.secrets)}`);
          expect(copy.notification).toEqual(copies[0]?.notification);
        }
      }
    }, TIMEOUT_MS);

    test('parses a callback from its method, target, content type and body alone, so the core may recognise its copies', async () => {
      const genuine = await suite.genuineCallback();
      const { raw } = genuine;
      const contentType = raw.headers['content-type'];
      const alone: RawCallback = {
        method: raw.method,
        target: raw.target,
        url: 'https://elsewhere.invalid/',
        headers: contentType === undefined ? {} : { 'content-type': contentType },
        body: Uint8Array.from(raw.body),
        socketAddress: '192.0.2.1',
        receivedAt: new Date(raw.receivedAt.getTime() + DAY_MS),
      };
      check(
        isDeepStrictEqual(suite.adapter.parse(alone), suite.adapter.parse(raw)),
        () => `parse must read only the method, target, content-type and body (the core answers a byte-identical copy from the first copy's parse), but the ${raw.method} callback applied to invoice ${genuine.paid.invoice.id} parsed otherwise without its other headers, URL, peer address and time`,
      );
    }, TIMEOUT_MS);

    test('ends confirmed when the unconfirmed delivery arrives last, never downgraded', async () => {
      const paid = await suite.payNewInvoice(undefined, { reorder: true });
      expectNormalizedDeliveries(paid, suite);
      const reported = paymentDeliveries(paid, suite);
      const kinds = reported.map((delivery) => delivery.observation?.kind);
      expect(kinds).toContain('confirmed');
      if (suite.adapter.capabilities.pendingNotifications) expect(kinds.at(-1)).toBe('seen');
      expect(reported.every((delivery) => delivery.outcome.kind === 'applied')).toBe(true);
      expect(suite.invoices.payment(paid.invoice.id, paid.txid)?.state).toBe('confirmed');
    }, TIMEOUT_MS);

    test('refuses forged callbacks with 401/403 at verification (at binding only for a per-invoice nonce), without throwing or applying', async () => {
      const { raw } = await suite.genuineCallback();
      // A per-invoice nonce is checked against the invoice found, so it can only be refused at binding.
      const stages: PipelineStage[] = suite.adapter.invoiceNonce ? ['verify', 'bind'] : ['verify'];
      await expectAllRejected(suite, harness.forge(raw), [401, 403], stages, 'forged');
    }, TIMEOUT_MS);

    test('refuses malformed callbacks with 400/401/403, without throwing or applying', async () => {
      const { raw } = await suite.genuineCallback();
      await expectAllRejected(suite, harness.malform(raw), [400, 401, 403], ['verify', 'parse', 'bind'], 'malformed');
    }, TIMEOUT_MS);

    test('declares every query parameter and body field that authenticates its callbacks in secrets, so the core redacts it', async () => {
      const genuine = await suite.genuineCallback();
      const found = await callbackCredentials(suite.adapter, suite.invoices, genuine.raw, genuine.publicValues);
      const declared = suite.adapter.secrets ?? {};
      const undeclared = (credentials: readonly string[] | null, names: readonly string[] = []) => {
        const known = new Set(names.map((name) => name.toLowerCase()));
        return (credentials ?? []).filter((name) => !known.has(name.toLowerCase()));
      };
      expect({
        undeclaredSecretQueryParams: undeclared(found.queryParams, declared.queryParams),
        undeclaredSecretBodyFields: undeclared(found.bodyFields, declared.bodyFields),
      }).toEqual({ undeclaredSecretQueryParams: [], undeclaredSecretBodyFields: [] });
    }, TIMEOUT_MS);

    test('acknowledges a genuine callback for no invoice of ours as unmatched, with success', async () => {
      const { raw } = await suite.genuineCallback();
      const processed = await suite.process(raw, new InvoiceBook());
      check(
        processed.stage === 'find' && processed.outcome.kind === 'unmatched',
        () => `a genuine callback for no invoice of ours must be unmatched when the invoice is looked up, but it was ${describeDelivery(processed, suite.adapter.secrets)}`,
      );
      expectSuccessAck(processed.acknowledgement);
    }, TIMEOUT_MS);

    test('is refused by the core’s binding policy for an invoice it does not belong to', async () => {
      const { raw, paid } = await suite.genuineCallback();
      const other = await suite.createInvoice();
      const run = await runCallbackPipeline(suite.adapter, raw, {
        findInvoice: async () => other.invoice,
        apply: async () => 'applied to the wrong invoice',
      });
      check(
        run.stage === 'bind' && 'outcome' in run && run.outcome.kind === 'rejected' && [401, 403].includes(run.outcome.status),
        () => `a genuine callback for invoice ${paid.invoice.id}, given invoice ${other.invoice.id} instead, must be refused at bind with 401/403, but it ended at ${run.stage}: ${JSON.stringify('outcome' in run ? run.outcome : run.result)}`,
      );
    }, TIMEOUT_MS);

    if (harness.ignorable) {
      const ignorable = harness.ignorable.bind(harness);
      test('parses authentic callbacks that must change nothing as ignored notifications, acknowledged with success', async () => {
        const { raw, paid } = await suite.genuineCallback();
        const before = suite.invoices.get(paid.invoice.id);
        const callbacks = await ignorable(raw);
        check(callbacks.length > 0, () => 'the harness made no ignorable callbacks to try');
        for (const { name, callback } of callbacks) {
          const processed = await suite.process(callback);
          check(
            processed.stage === 'parse' && processed.notification !== null && isIgnored(processed.notification) && processed.outcome.kind === 'unmatched',
            () => `ignorable callback "${name}" must be parsed as an ignored notification, but it was ${describeDelivery(processed, suite.adapter.secrets)}`,
          );
          expectSuccessAck(processed.acknowledgement, `the acknowledgement of ignorable callback "${name}"`);
        }
        expect(suite.invoices.get(paid.invoice.id)).toBe(before);
      }, TIMEOUT_MS);
    }

    test('can reconcile exactly when its harness can break reconciliation (so the reconciliation cases run)', () => {
      check(
        (suite.adapter.capabilities.reconciliation !== undefined) === (harness.breakReconciliation !== undefined),
        () => `capabilities.reconciliation is ${String(suite.adapter.capabilities.reconciliation)} but the harness ${harness.breakReconciliation ? 'implements' : 'does not implement'} breakReconciliation()`,
      );
    });

    if (harness.breakReconciliation) describeReconciliation(harness.breakReconciliation.bind(harness), () => suite);

    test('acknowledges every outcome kind with a sane status, content type and body', () => {
      const settled: CallbackOutcome[] = [{ kind: 'applied' }, { kind: 'duplicate' }, { kind: 'unmatched' }];
      for (const outcome of settled) expectSuccessAck(suite.adapter.acknowledge(outcome), `the acknowledgement of ${outcome.kind}`);
      for (const status of [400, 401, 403] as const) {
        expectFailureAck(suite.adapter.acknowledge({ kind: 'rejected', status, reason: 'conformance' }), [status], `the acknowledgement of a ${status} refusal`);
      }
      for (const status of [409, 503] as const) {
        expectFailureAck(suite.adapter.acknowledge({ kind: 'retry-later', status, reason: 'conformance' }), [409, 429, 500, 503], `the acknowledgement of a ${status} retry-later`);
      }
    });

    test('never made the callback pipeline throw', () => {
      expect(suite.receiver.errors).toEqual([]);
    });
  });
}

/**
 * For adapters that can reconcile: (a) every callback dropped, reconciling gives the invoice the state
 * delivering them gave; (b) reconciled first, delivering the callbacks then changes nothing; (c) with
 * the provider's API down, reconciling fails retryably and changes nothing.
 */
function describeReconciliation(breakReconciliation: () => void | Promise<void>, context: () => SuiteContext): void {
  const reconcileOf = (suite: SuiteContext) => {
    const reconcile = suite.adapter.reconcile?.bind(suite.adapter);
    if (!reconcile) throw new Error('no reconcile');
    return reconcile;
  };

  test('reconciles: with every callback dropped, the provider\'s records give the invoice the state its callbacks gave', async () => {
    const suite = context();
    const paid = await suite.payNewInvoice();
    const dropped = new InvoiceBook();
    dropped.add(paid.invoice);
    const payments = await reconcileOf(suite)(paid.invoice);
    const changed = dropped.reconcile(suite.adapter, paid.invoice.id, payments, new Date());
    expect(changed).toBeGreaterThan(0);
    const delivered = suite.invoices.get(paid.invoice.id);
    const reconciled = dropped.get(paid.invoice.id);
    const state = (invoice: typeof delivered) => ({
      status: invoice?.status,
      exceptionStatus: invoice?.exceptionStatus,
      payments: invoice?.payments.map((payment) => ({ txid: payment.txid, amount: payment.amount, state: payment.state, test: payment.test })),
    });
    expect(state(reconciled)).toEqual(state(delivered));
  }, TIMEOUT_MS);

  test('reconciles: reconciled first, the callbacks delivered afterwards change nothing', async () => {
    const suite = context();
    const paid = await suite.payNewInvoice();
    const book = new InvoiceBook();
    book.add(paid.invoice);
    book.reconcile(suite.adapter, paid.invoice.id, await reconcileOf(suite)(paid.invoice), new Date());
    const reconciled = book.get(paid.invoice.id);
    for (const delivery of paymentDeliveries(paid, suite)) {
      const processed = await suite.process(delivery.raw, book);
      check(
        ['applied', 'duplicate'].includes(processed.outcome.kind),
        () => `a callback delivered after reconciliation must be accepted, changing nothing, but it was ${describeDelivery(processed, suite.adapter.secrets)}`,
      );
    }
    expect(book.get(paid.invoice.id)).toBe(reconciled);
    expect(book.reconcile(suite.adapter, paid.invoice.id, await reconcileOf(suite)(paid.invoice), new Date())).toBe(0);
  }, TIMEOUT_MS);

  test('reconciles: with the provider\'s API down, reconciling fails retryably and changes nothing', async () => {
    const suite = context();
    const paid = await suite.payNewInvoice();
    const before = suite.invoices.get(paid.invoice.id);
    await breakReconciliation();
    const failure = await reconcileOf(suite)(paid.invoice).then(
      (payments) => payments,
      (error: unknown) => error,
    );
    check(
      failure instanceof ProviderError && failure.retryable,
      () => `reconciling while the provider's API is down must fail with a retryable ProviderError (the reconciler tries again later), but it gave ${failure instanceof Error ? failure.message : JSON.stringify(failure)}`,
    );
    expect(suite.invoices.get(paid.invoice.id)).toBe(before);
  }, TIMEOUT_MS);
}

function groupByDeliveryKey(deliveries: readonly ProcessedCallback[]): Map<string | undefined, ProcessedCallback[]> {
  const groups = new Map<string | undefined, ProcessedCallback[]>();
  for (const delivery of deliveries) {
    const key = delivery.notification?.deliveryKey;
    groups.set(key, [...(groups.get(key) ?? []), delivery]);
  }
  return groups;
}
