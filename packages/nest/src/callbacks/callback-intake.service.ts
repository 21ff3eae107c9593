import { timingSafeEqual } from 'node:crypto';
import { applyObservation, DuplicatePaymentError, InvoiceError, type Invoice, StoreUnavailableError, type StoredInvoice } from '@cryptopay/invoice';
import { type Fingerprint, fingerprintOf, IdempotencyGuardService, IdempotencyKey, sameFingerprint, type StoredOutcome } from '@cryptopay/idempotency';
import {
  type Acknowledgement,
  type BoundCallback,
  type InvoiceLocator,
  isIgnored,
  type PaymentNotification,
  type PipelineRun,
  type PipelineSteps,
  type ProviderAdapter,
  type RawCallback,
  runCallbackPipeline,
} from '@cryptopay/provider-kit';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InvoiceUpdater } from '../events/invoice-updater.js';
import { PaymentsMetrics } from '../observability/payments-metrics.js';
import { ProviderRegistry } from '../providers/provider-registry.js';
import { Reconciler } from '../reconciliation/reconciler.service.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { PAYMENTS_STORE } from '../tokens.js';
import { CallbackRecorder, type Processed } from './callback-recorder.js';
import { type CallbackAccount } from './callback-accounts.js';
import { copyDigest, RecentReplays, type ReplayedDelivery } from './recent-replays.js';

/**
 * The callback pipeline, provider-kit's `runCallbackPipeline` with the core's steps: verify → (a copy
 * of a callback already replayed: replay again, unparsed) → parse → (an already applied delivery:
 * replay its stored answer) → find the invoice → bind (the core's binding policy) → idempotency claim
 * → apply in one transaction → publish → acknowledge. Nothing is claimed or stored before
 * verification and binding accept, and nothing is acknowledged as received before its effect is
 * committed.
 */
@Injectable()
export class CallbackIntake {
  private readonly logger = new Logger('Callbacks');
  private readonly replays = new RecentReplays();

  constructor(
    @Inject(ProviderRegistry) private readonly providers: ProviderRegistry,
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(IdempotencyGuardService) private readonly guard: IdempotencyGuardService,
    @Inject(InvoiceUpdater) private readonly updater: InvoiceUpdater,
    @Inject(PaymentsMetrics) private readonly metrics: PaymentsMetrics,
    @Inject(CallbackRecorder) private readonly recorder: CallbackRecorder,
    @Inject(Reconciler) private readonly reconciler: Reconciler,
  ) {}

  /** `account`: the merchant's provider account the callback URL named; null for the environment's. */
  async receive(providerName: string, raw: RawCallback, account: CallbackAccount | null = null): Promise<Acknowledgement> {
    const adapter = account?.adapter ?? this.providers.get(providerName);
    const started = performance.now();
    const processed = await this.process(adapter, raw, started, account?.id ?? null);
    this.reconcileSoonAfterRefusal(processed);
    const ack = processed.replay ? fromStored(processed.replay) : adapter.acknowledge(processed.outcome);
    this.recorder.answered(adapter.name, raw, processed, ack, elapsedMs(started));
    return ack;
  }

  /**
   * An authentic callback for one of our invoices that was refused (it did not fit the invoice, or
   * could not be applied now) changes nothing; but the payment it reports may be real, so the
   * invoice is reconciled with the provider soon instead of at its next scheduled time.
   */
  private reconcileSoonAfterRefusal(processed: Processed): void {
    const { outcome, invoiceId } = processed;
    if (invoiceId !== null && (outcome.kind === 'rejected' || outcome.kind === 'retry-later')) this.reconciler.soon(invoiceId);
  }

  private async process(adapter: ProviderAdapter, raw: RawCallback, started: number, accountId: string | null): Promise<Processed> {
    let run: PipelineRun<Processed>;
    try {
      run = await runCallbackPipeline(adapter, raw, this.steps(adapter, raw, started, accountId));
    } catch (error) {
      if (error instanceof InvoiceLookupError) return this.retryLater(error.failure, null);
      if (error instanceof ForeignInvoiceError) return { outcome: { kind: 'rejected', status: 403, reason: error.message }, invoiceId: error.invoiceId };
      throw error;
    }
    return 'result' in run ? run.result : endedEarly(run);
  }

  /** The core's side of the pipeline for one callback; its delivery key is computed once, when first needed. */
  private steps(adapter: ProviderAdapter, raw: RawCallback, started: number, accountId: string | null): PipelineSteps<Processed> {
    let key: IdempotencyKey | undefined;
    // Delivery keys are scoped per provider account (the environment's: none).
    const scope = accountId === null ? {} : { merchant: accountId };
    const keyOf = (notification: PaymentNotification) => (key ??= IdempotencyKey.callback({ provider: adapter.name, ...scope, deliveryKey: notification.deliveryKey }));
    let copy: string | undefined;
    const copyOf = () => (copy ??= copyDigest(adapter.name, accountId, raw));
    return {
      knownCopy: () => this.replayCopy(adapter, copyOf()),
      shortcut: async (notification) => {
        const replay = await this.replayOf(adapter, keyOf(notification), notification);
        if (replay) this.replays.remember(copyOf(), replay.delivery);
        return replay?.processed ?? null;
      },
      findInvoice: (locator) => this.findInvoice(adapter.name, locator, accountId),
      apply: (bound) => this.applyOnce(adapter, keyOf(bound.notification), bound, raw, started),
    };
  }

  /**
   * A copy of a callback whose stored answer this process replayed (the same bytes where `parse`
   * reads them) needs no parse: its stored answer is looked up as the first copy's was, and must still
   * match the digests the first copy computed.
   */
  private async replayCopy(adapter: ProviderAdapter, copy: string): Promise<Processed | null> {
    const known = this.replays.get(copy);
    if (!known) return null;
    const stored = await this.guard.completedOutcome(known.key, (outcome, fingerprint) => isAnswerOf(known, outcome, fingerprint));
    return stored ? this.duplicate(adapter, known, stored) : null;
  }

  /**
   * A delivery already applied is answered at once from the idempotency store, by a read-only look:
   * nothing is claimed or written before the binding, and replaying the stored answer of a genuine
   * delivery changes nothing. Only an answer stored for the invoice this callback names (same locator,
   * same fingerprint) is replayed, and for a provider that binds by a per-invoice nonce only to a
   * callback carrying the nonce that was bound (both are in the binding digest kept with the answer):
   * anything else goes the whole way, where the binding and the claim decide.
   */
  private async replayOf(
    adapter: ProviderAdapter,
    key: IdempotencyKey,
    notification: PaymentNotification,
  ): Promise<{ processed: Processed; delivery: ReplayedDelivery } | null> {
    const binding = bindingDigest(adapter, notification);
    let delivery: ReplayedDelivery | undefined;
    const stored = await this.guard.completedOutcome(key, (outcome, fingerprint) => {
      const invoiceId = outcome.context?.[CONTEXT_INVOICE];
      if (invoiceId === undefined) return false;
      const candidate = { key, invoiceId, deliveryKey: notification.deliveryKey, binding, fingerprint: deliveryFingerprint(invoiceId, notification) };
      delivery = isAnswerOf(candidate, outcome, fingerprint) ? candidate : undefined;
      return delivery !== undefined;
    });
    if (!stored || !delivery) return null;
    return { processed: this.duplicate(adapter, delivery, stored), delivery };
  }

  private duplicate(adapter: ProviderAdapter, delivery: ReplayedDelivery, stored: StoredOutcome): Processed {
    this.metrics.duplicates.inc({ provider: adapter.name });
    return { outcome: { kind: 'duplicate' }, invoiceId: delivery.invoiceId, deliveryKey: delivery.deliveryKey, replay: stored };
  }

  /**
   * A failure to look (the store down) is answered retry-later, as no invoice was found or changed.
   * Addresses are looked up within the callback's provider account; an invoice named by id must be
   * of that account, else the callback is refused (BlockBee signs every account's callbacks with one
   * key, so a callback for merchant A's invoice sent to merchant B's URL verifies, and must not count).
   */
  private async findInvoice(provider: string, locator: InvoiceLocator, accountId: string | null): Promise<Invoice | null> {
    let invoice: StoredInvoice | null;
    try {
      invoice = await (locator.by === 'id' ? this.store.invoices.findById(locator.invoiceId) : this.store.invoices.findByAddress(provider, locator.address, accountId));
    } catch (error) {
      throw new InvoiceLookupError(error);
    }
    if (invoice && invoice.providerAccountId !== accountId) throw new ForeignInvoiceError(invoice.id);
    return invoice;
  }

  /**
   * Claims the delivery and applies its bound observation to the invoice as read, writing its
   * `applied` log entry in the same atomic write: the log can then never miss an applied delivery,
   * and it costs no commit of its own.
   */
  private async applyOnce(adapter: ProviderAdapter, key: IdempotencyKey, bound: BoundCallback, raw: RawCallback, started: number): Promise<Processed> {
    const { notification, invoice, observation } = bound;
    const { deliveryKey } = notification;
    const invoiceId = invoice.id;
    const context = { [CONTEXT_INVOICE]: invoiceId, [CONTEXT_BINDING]: bindingDigest(adapter, notification) };
    // The answer is kept for as long as the provider may retry the delivery (plus the module's margin).
    const retention = { retryWindowMs: adapter.capabilities.callbackRetryWindowMs };
    try {
      const result = await this.guard.run(key, deliveryFingerprint(invoiceId, notification), async () => {
        const ack = adapter.acknowledge({ kind: 'applied' });
        const logEntry = () => this.recorder.entry(adapter.name, raw, { outcome: { kind: 'applied' }, invoiceId, deliveryKey }, ack, elapsedMs(started));
        await this.updater.update(invoice, (current) => applyObservation(current, observation, raw.receivedAt), logEntry);
        return { ...toStored(ack), context };
      }, retention);
      switch (result.kind) {
        case 'executed':
          return { outcome: { kind: 'applied' }, invoiceId, deliveryKey, logged: true };
        case 'replayed':
          this.metrics.duplicates.inc({ provider: adapter.name });
          return { outcome: { kind: 'duplicate' }, invoiceId, deliveryKey, replay: result.outcome };
        case 'in-flight':
          return { outcome: { kind: 'retry-later', status: 409, reason: 'the same delivery is being processed' }, invoiceId, deliveryKey };
        case 'mismatch':
          return { outcome: { kind: 'rejected', status: 400, reason: 'the delivery key was first used for another invoice' }, invoiceId, deliveryKey };
        case 'unavailable':
          return { outcome: { kind: 'retry-later', status: 503, reason: unavailableReason(result.stage) }, invoiceId, deliveryKey };
      }
    } catch (error) {
      if (error instanceof DuplicatePaymentError) return { ...this.ledgerInvariantViolated(error, invoiceId), deliveryKey };
      if (error instanceof InvoiceError) {
        return { outcome: { kind: 'rejected', status: 400, reason: error.message }, invoiceId, deliveryKey };
      }
      return { ...this.retryLater(error, invoiceId), deliveryKey };
    }
  }

  /**
   * The invoice package never lists one transaction output twice, so the ledger's unique key refusing
   * a write is a bug, and nothing was written: not a duplicate to acknowledge. The provider retries;
   * a person must look.
   */
  private ledgerInvariantViolated(error: DuplicatePaymentError, invoiceId: string): Processed {
    this.logger.error(`invariant violated, callback not applied, answering 503 so the provider retries: ${describe(error)}`, error.stack);
    return { outcome: { kind: 'retry-later', status: 503, reason: 'the payment could not be recorded: the ledger refused it (a bug, logged)' }, invoiceId };
  }

  private retryLater(error: unknown, invoiceId: string | null): Processed {
    const unavailable = error instanceof StoreUnavailableError;
    this.logger.error(`callback not applied, answering 503 so the provider retries: ${describe(error)}`, unavailable ? undefined : (error as Error).stack);
    const reason = unavailable ? 'the invoice store is unavailable' : 'the callback could not be recorded';
    return { outcome: { kind: 'retry-later', status: 503, reason }, invoiceId };
  }
}

/** The invoice the callback names belongs to another provider account than the URL's: refused, never applied. */
class ForeignInvoiceError extends Error {
  override readonly name = 'ForeignInvoiceError';

  constructor(readonly invoiceId: string) {
    super(`invoice ${invoiceId} does not belong to the provider account of this callback URL`);
  }
}

/** The invoice lookup failed: carried out of the pipeline to be answered retry-later. */
class InvoiceLookupError extends Error {
  override readonly name = 'InvoiceLookupError';

  constructor(readonly failure: unknown) {
    super('the invoice could not be looked up');
  }
}

/**
 * A run the pipeline ended before applying: refused (verify, parse, bind), ignored, or for no invoice
 * of ours. An ignored notification keeps its delivery key and why it was ignored, for the log.
 */
function endedEarly(run: Extract<PipelineRun<Processed>, { outcome: unknown }>): Processed {
  const { outcome, notification, invoice } = run;
  if (run.stage === 'verify') return { outcome, invoiceId: null, unauthenticated: true };
  if (notification && isIgnored(notification)) return { outcome, invoiceId: null, deliveryKey: notification.deliveryKey, note: notification.ignoreReason };
  return { outcome, invoiceId: invoice?.id ?? null };
}

/**
 * What a replay needs to know of the first run: the invoice it was applied to, and a digest of how
 * the callback was bound to it (how it named the invoice, and the nonce it carried), which a replay
 * must match. One digest rather than both values, and short names, keep each Redis record within
 * 232 bytes (docs/idempotency.md).
 */
const CONTEXT_INVOICE = 'inv';
const CONTEXT_BINDING = 'bind';

/**
 * 128 bits of the SHA-256 of the locator and, for a provider that binds by nonce, the nonce
 * (length-prefixed parts, so no two pairs meet): compact, and never the nonce itself.
 */
function bindingDigest(adapter: ProviderAdapter, notification: PaymentNotification): string {
  const nonce = adapter.invoiceNonce === undefined ? '' : (notification.nonce ?? '');
  return fingerprintOf(locatorOf(notification.invoice), nonce).slice(0, 22);
}

/** Whether a stored answer is the one of this delivery: stored for its invoice, bound the same way, with its fingerprint. */
function isAnswerOf(delivery: ReplayedDelivery, outcome: StoredOutcome, fingerprint: string): boolean {
  return (
    outcome.context?.[CONTEXT_INVOICE] === delivery.invoiceId &&
    sameDigest(outcome.context?.[CONTEXT_BINDING], delivery.binding) &&
    sameFingerprint(fingerprint, delivery.fingerprint)
  );
}

/**
 * Digests are compared as they are, in constant time: both are the same fixed length (a stored value of
 * another length is no match), so hashing them again, as `constantTimeEqual` does for strings of any
 * length, would only cost every duplicate two more SHA-256.
 */
function sameDigest(stored: string | undefined, computed: string): boolean {
  if (stored === undefined || stored.length !== computed.length) return false;
  return timingSafeEqual(Buffer.from(stored, 'latin1'), Buffer.from(computed, 'latin1'));
}

function locatorOf(locator: InvoiceLocator): string {
  return locator.by === 'id' ? `id:${locator.invoiceId}` : `address:${locator.address}`;
}

/** A delivery key is claimed for one invoice: the same key for another invoice is a mismatch. */
function deliveryFingerprint(invoiceId: string, notification: PaymentNotification): Fingerprint {
  return fingerprintOf(invoiceId, notification.deliveryKey);
}

function toStored(ack: Acknowledgement): StoredOutcome {
  return { status: ack.status, headers: { 'content-type': ack.contentType }, body: ack.body };
}

function fromStored(outcome: StoredOutcome): Acknowledgement {
  return { status: outcome.status, contentType: outcome.headers['content-type'] ?? 'text/plain; charset=utf-8', body: outcome.body };
}

/** After a claim failure nothing was applied; after a completion failure the change is committed, but not its answer. */
function unavailableReason(stage: 'claim' | 'complete'): string {
  return stage === 'claim' ? 'the idempotency store is unavailable' : 'applied, but the idempotency store could not record the answer';
}

function elapsedMs(started: number): number {
  return Math.round(performance.now() - started);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
