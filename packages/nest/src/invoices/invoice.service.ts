import { randomUUID } from 'node:crypto';
import {
  type CoinRegistry,
  createInvoice,
  DEFAULT_MERCHANT_ID,
  type InvoiceIdempotencyKey,
  isInvoiceId,
  type KeyedInvoice,
  MoneyError,
  parseFiatAmount,
  type StoredInvoice,
} from '@cryptopay/invoice';
import { type PaymentRequest, type ProviderAdapter } from '@cryptopay/provider-kit';
import { Inject, Injectable } from '@nestjs/common';
import { InvoiceUpdater } from '../events/invoice-updater.js';
import { PaymentsMetrics } from '../observability/payments-metrics.js';
import { PAYMENTS_MODULE_OPTIONS } from '../payments.module-definition.js';
import { type ResolvedPaymentsOptions } from '../payments.options.js';
import { InvoiceAccounts } from '../merchants/invoice-accounts.js';
import { type PaymentsStore } from '../store/payments-store.js';
import { COIN_REGISTRY, PAYMENTS_STORE } from '../tokens.js';
import { type CreateInvoiceDto } from './create-invoice.dto.js';
import { nextReconcileAt } from '../reconciliation/reconcile-schedule.js';

/** The coin invoices are priced in when the caller names none. */
export const DEFAULT_COIN = 'BTC';

/** What `create` answers with: the invoice, and whether an `Idempotency-Key` had already created it. */
export interface CreatedInvoice {
  readonly invoice: StoredInvoice;
  readonly replayed: boolean;
}

/** Opens invoices with a provider and reads them back. */
@Injectable()
export class InvoiceService {
  constructor(
    @Inject(InvoiceAccounts) private readonly accounts: InvoiceAccounts,
    @Inject(PAYMENTS_STORE) private readonly store: PaymentsStore,
    @Inject(COIN_REGISTRY) private readonly coins: CoinRegistry,
    @Inject(InvoiceUpdater) private readonly updater: InvoiceUpdater,
    @Inject(PaymentsMetrics) private readonly metrics: PaymentsMetrics,
    @Inject(PAYMENTS_MODULE_OPTIONS) private readonly options: ResolvedPaymentsOptions,
  ) {}

  /**
   * Asks the provider for an address, then stores the invoice; throws typed errors for bad input.
   * With an `Idempotency-Key`, the invoice it already created is returned instead, before the
   * provider is asked: the key is stored with the invoice, so this holds when Redis has lost it. Two
   * requests racing on one key store one invoice; the other returns it. The same key for another
   * request is an {@link IdempotencyKeyReusedError}.
   */
  async create(request: CreateInvoiceDto, idempotency?: InvoiceIdempotencyKey, merchantId: string = DEFAULT_MERCHANT_ID): Promise<CreatedInvoice> {
    const held = idempotency && (await this.store.invoices.findByIdempotencyKey(idempotency.caller, idempotency.key));
    if (held) return replayOf(held, idempotency);
    const { adapter, providerAccountId, callbackUrl } = await this.accounts.resolve(merchantId, request);
    const coin = this.coins.get(request.coin ?? DEFAULT_COIN);
    if (!adapter.capabilities.coins.includes(coin.code)) throw new UnsupportedCoinError(adapter, coin.code);
    const fiat = parseFiatAmount(request.currency, request.amount);
    // Checked before the provider is asked: every address handed out counts against its gap limit.
    if (fiat.minor === 0n) throw new MoneyError('zero', 'amount must be greater than zero');
    const id = randomUUID();
    const payment = await this.requestPayment(adapter, { invoiceId: id, coin, fiat, callbackUrl });
    const now = new Date();
    const { invoice, events } = createInvoice(
      {
        id,
        provider: adapter.name,
        coin: coin.code,
        orderId: request.orderId,
        fiat,
        rate: payment.rate,
        amountDue: payment.amountDue,
        address: payment.address,
        providerReference: payment.providerReference,
        metadata: request.metadata ?? {},
      },
      this.options.policies,
      now,
    );
    const creation = { minimumPayment: payment.minimumPayment, redirectUrl: request.redirectUrl ?? null, merchantId, providerAccountId };
    const stored = {
      ...creation,
      reconcileAt: adapter.reconcile ? nextReconcileAt(invoice, now, this.options.reconciliation.schedule) : null,
      events: this.updater.webhookEvents({ ...invoice, ...creation }, events),
    };
    if (idempotency) {
      const holder = await this.store.invoices.createOnce(invoice, stored, idempotency);
      if (holder) return replayOf(holder, idempotency);
    } else {
      await this.store.invoices.create(invoice, stored);
    }
    this.updater.publish(events);
    return { invoice: { ...invoice, ...creation }, replayed: false };
  }

  /** Null for an unknown id, also for one that is not even shaped like an invoice id. */
  async findById(id: string): Promise<StoredInvoice | null> {
    return isInvoiceId(id) ? this.store.invoices.findById(id) : null;
  }

  findByOrderId(orderId: string): Promise<StoredInvoice[]> {
    return this.store.invoices.findByOrderId(orderId);
  }

  private async requestPayment(adapter: ProviderAdapter, input: Parameters<ProviderAdapter['createPaymentRequest']>[0]): Promise<PaymentRequest> {
    const stopTimer = this.metrics.providerRequestDuration.startTimer({ provider: adapter.name });
    try {
      const payment = await adapter.createPaymentRequest(input);
      stopTimer({ outcome: 'ok' });
      return payment;
    } catch (error) {
      stopTimer({ outcome: 'error' });
      throw error;
    }
  }
}

function replayOf(holder: KeyedInvoice, key: InvoiceIdempotencyKey): CreatedInvoice {
  if (holder.fingerprint !== key.fingerprint) throw new IdempotencyKeyReusedError();
  return { invoice: holder.invoice, replayed: true };
}

/** An `Idempotency-Key` already created an invoice for another request (method, URL or body): a 422. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';

  constructor() {
    super('This idempotency key was already used for a different request.');
  }
}

export class UnsupportedCoinError extends Error {
  override readonly name = 'UnsupportedCoinError';

  constructor(adapter: ProviderAdapter, coin: string) {
    super(`provider "${adapter.name}" does not accept ${coin}; it accepts ${adapter.capabilities.coins.join(', ')}`);
  }
}
